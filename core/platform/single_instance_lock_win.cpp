// Windows: a named mutex in the session's Local\ namespace (the Windows convention for one
// instance per user session). The kernel releases it when the process ends, however it ends.
#include "single_instance.h"

#include <QCoreApplication>

#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>

namespace drover {

struct InstanceLock::Private
{
    std::wstring name;
    HANDLE mutex = nullptr;
};

InstanceLock::InstanceLock(const QString &key) : d(std::make_unique<Private>())
{
    d->name = (QStringLiteral("Local\\") + key).toStdWString();
}

InstanceLock::~InstanceLock()
{
    unlock();
}

InstanceLock::Result InstanceLock::tryLock(QString *error)
{
    if (d->mutex)
        return Result::Acquired;
    HANDLE h = CreateMutexW(nullptr, FALSE, d->name.c_str());
    const DWORD lastError = GetLastError();
    if (!h) {
        if (lastError == ERROR_ACCESS_DENIED)
            return Result::HeldByAnother; // created by the same user at another integrity level
        if (error)
            *error = QCoreApplication::translate("SingleInstance", "cannot create the mutex %1 (error %2)")
                         .arg(QString::fromStdWString(d->name))
                         .arg(lastError);
        return Result::Error;
    }
    if (lastError == ERROR_ALREADY_EXISTS) {
        CloseHandle(h);
        return Result::HeldByAnother;
    }
    d->mutex = h; // its existence is the guard; nobody waits on it
    return Result::Acquired;
}

void InstanceLock::unlock()
{
    if (d->mutex) {
        CloseHandle(d->mutex);
        d->mutex = nullptr;
    }
}

QString InstanceLock::serverNameFor(const QString &key)
{
    return key; // \\.\pipe\<key>
}

void InstanceLock::allowPrimaryToTakeForeground()
{
    // The launch the user just made owns the foreground; let the running Drover take it.
    AllowSetForegroundWindow(ASFW_ANY);
}

} // namespace drover
