// A single-shot timeout that is cheap to re-arm.
//
// The HTTP server and client arm a timeout around every request (idle, transfer) and disarm it
// when the answer is out. QTimer::start()/stop() register and unregister with the event
// dispatcher each time (a sorted list insert and a search); at tens of thousands of requests a
// second that shows. LazyTimer only notes the deadline; its QTimer is started when it is not
// already running earlier than needed, and when it fires for a deadline that has since moved,
// it is started again for the remainder. The callback runs at (not before) the deadline.
#pragma once

#include <QTimer>
#include <chrono>
#include <functional>

namespace drover {

class LazyTimer
{
public:
    LazyTimer(QObject *context, std::function<void()> onTimeout) : m_callback(std::move(onTimeout))
    {
        m_timer.setSingleShot(true);
        QObject::connect(&m_timer, &QTimer::timeout, context, [this] { onFire(); });
    }

    void start(int ms)
    {
        ms = qMax(0, ms);
        m_deadline = nowMs() + ms;
        m_armed = true;
        if (!m_timer.isActive() || m_timerDue > m_deadline) {
            m_timer.start(ms);
            m_timerDue = m_deadline;
        }
    }
    void stop() { m_armed = false; }
    bool isActive() const { return m_armed; }

private:
    static qint64 nowMs()
    {
        using namespace std::chrono;
        return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
    }

    void onFire()
    {
        if (!m_armed)
            return;
        const qint64 left = m_deadline - nowMs();
        if (left > 0) {
            m_timer.start(int(left));
            m_timerDue = m_deadline;
            return;
        }
        m_armed = false;
        m_callback();
    }

    QTimer m_timer;
    std::function<void()> m_callback;
    qint64 m_deadline = 0;
    qint64 m_timerDue = 0;
    bool m_armed = false;
};

} // namespace drover
