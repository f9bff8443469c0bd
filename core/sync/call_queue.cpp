#include "call_queue.h"

#include <QPointer>
#include <QThread>

#include <condition_variable>
#include <memory>

namespace drover {

CallQueue::CallQueue(QObject *parent) : QObject(parent) {}

void CallQueue::post(std::function<void()> call)
{
    bool wake = false;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_calls.push_back(std::move(call));
        wake = !m_wakeUpPending;
        m_wakeUpPending = true;
    }
    // One wake-up per batch: a burst of posts costs one event.
    if (wake)
        QMetaObject::invokeMethod(this, "drain", Qt::QueuedConnection);
}

void CallQueue::postAndWait(const std::function<void()> &call)
{
    if (QThread::currentThread() == thread()) {
        call();
        return;
    }
    // Shared, because the worker may still hold it when this function has returned; notified
    // under the mutex, so the waiter cannot wake up and leave before the worker is done with it.
    struct Completion
    {
        std::mutex mutex;
        std::condition_variable doneChanged;
        bool done = false;
    };
    auto completion = std::make_shared<Completion>();
    post([completion, &call] {
        call();
        std::lock_guard<std::mutex> lock(completion->mutex);
        completion->done = true;
        completion->doneChanged.notify_all();
    });
    std::unique_lock<std::mutex> lock(completion->mutex);
    completion->doneChanged.wait(lock, [&] { return completion->done; });
}

void CallQueue::drain()
{
    std::deque<std::function<void()>> calls;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        calls.swap(m_calls);
        m_wakeUpPending = false;
    }
    // A call may destroy this object (and its owner): the rest of the batch is dropped then,
    // as Qt drops the events of a deleted receiver.
    QPointer<CallQueue> alive(this);
    for (std::function<void()> &call : calls) {
        if (!alive)
            return;
        call();
    }
}

} // namespace drover
