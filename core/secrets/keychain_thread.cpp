#include "keychain_thread.h"

#include "core/sync/thread_handoff.h"

#include <QCoreApplication>
#include <QMutex>
#include <QObject>
#include <QThread>

#include <memory>

namespace drover::keychain {
namespace {

struct KeychainThread
{
    QThread thread;
    QObject *jobParent = nullptr; // lives in `thread`
};

QMutex g_mutex;
KeychainThread *g_instance = nullptr;

void stopKeychainThread()
{
    QMutexLocker lock(&g_mutex);
    if (!g_instance)
        return;
    // Jobs still running are dropped with their parent; their callers are gone too.
    QMetaObject::invokeMethod(g_instance->jobParent, [parent = g_instance->jobParent] { delete parent; },
                              Qt::BlockingQueuedConnection);
    g_instance->thread.quit();
    g_instance->thread.wait();
    delete g_instance;
    g_instance = nullptr;
}

KeychainThread *instance()
{
    // Called with g_mutex held.
    if (!g_instance) {
        g_instance = new KeychainThread;
        g_instance->thread.setObjectName(QStringLiteral("drover-keychain"));
        g_instance->jobParent = new QObject;
        g_instance->jobParent->moveToThread(&g_instance->thread);
        g_instance->thread.start();
        qAddPostRoutine(&stopKeychainThread);
    }
    return g_instance;
}

} // namespace

void post(std::function<void(QObject *jobParent)> work)
{
    QMutexLocker lock(&g_mutex);
    QObject *parent = instance()->jobParent;
    auto job = std::make_shared<std::function<void(QObject *)>>(std::move(work));
    handOffRelease(job.get());
    QMetaObject::invokeMethod(parent, [parent, job] {
        handOffAcquire(job.get());
        (*job)(parent);
    }, Qt::QueuedConnection);
}

} // namespace drover::keychain
