// Linux: a QLockFile in the runtime folder ($XDG_RUNTIME_DIR, private to the user). QLockFile
// records the owner's pid, so the lock of a process that died (SIGKILL, power loss in a
// container) is recognised as stale and taken over at once.
#include "single_instance.h"

#include <QCoreApplication>
#include <QDir>
#include <QLockFile>
#include <QStandardPaths>

namespace drover {
namespace {

QString runtimeDir()
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    if (dir.isEmpty())
        dir = QDir::tempPath();
    return dir;
}

} // namespace

struct InstanceLock::Private
{
    QString path;
    std::unique_ptr<QLockFile> file;
};

InstanceLock::InstanceLock(const QString &key) : d(std::make_unique<Private>())
{
    d->path = runtimeDir() + u'/' + key + QStringLiteral(".lock");
}

InstanceLock::~InstanceLock() = default;

InstanceLock::Result InstanceLock::tryLock(QString *error)
{
    if (d->file && d->file->isLocked())
        return Result::Acquired;
    d->file = std::make_unique<QLockFile>(d->path);
    // Only a dead owner makes a lock stale, never its age: Drover runs for weeks.
    d->file->setStaleLockTime(0);
    if (d->file->tryLock(0))
        return Result::Acquired;
    if (d->file->error() == QLockFile::LockFailedError)
        return Result::HeldByAnother;
    if (error)
        *error = QCoreApplication::translate("SingleInstance", "cannot create the lock file %1")
                     .arg(d->path);
    return Result::Error;
}

void InstanceLock::unlock()
{
    if (d->file)
        d->file->unlock();
}

QString InstanceLock::serverNameFor(const QString &key)
{
    // A full path: QLocalServer would otherwise put the socket in /tmp, shared by all users.
    return runtimeDir() + u'/' + key + QStringLiteral(".socket");
}

void InstanceLock::allowPrimaryToTakeForeground()
{
    // X11 and Wayland compositors decide focus themselves.
}

} // namespace drover
