#include "call_queue.h"

#include <QPointer>

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
