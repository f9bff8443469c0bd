#include "keychain_thread.h"

#include "core/sync/call_queue.h"

#include <QCoreApplication>
#include <QThread>

#include <mutex>

namespace drover::keychain {
namespace {

struct KeychainThread
{
    QThread thread;
    CallQueue *jobParent = nullptr; // lives in `thread`; parent of the jobs
};

std::mutex g_mutex; // std, not QMutex: ThreadSanitizer sees its ordering
KeychainThread *g_instance = nullptr;

void stopKeychainThread()
{
    std::lock_guard<std::mutex> lock(g_mutex);
    if (!g_instance)
        return;
    // Jobs still running are dropped with their parent (in the keychain thread, which owns
    // them); their callers are gone too.
    CallQueue *parent = g_instance->jobParent;
    parent->postAndWait([parent] { delete parent; });
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
        g_instance->jobParent = new CallQueue;
        g_instance->jobParent->moveToThread(&g_instance->thread);
        g_instance->thread.start();
        qAddPostRoutine(&stopKeychainThread);
    }
    return g_instance;
}

} // namespace

void post(std::function<void(QObject *jobParent)> work)
{
    std::lock_guard<std::mutex> lock(g_mutex);
    CallQueue *parent = instance()->jobParent;
    parent->post([parent, work = std::move(work)] { work(parent); });
}

} // namespace drover::keychain
