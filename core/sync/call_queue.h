// Runs calls in the thread of a QObject, posted from any thread, with an ordering that
// ThreadSanitizer can see.
//
// A functor posted through Qt's event queue (QMetaObject::invokeMethod with a lambda) is built in
// the sending thread and run in the receiving one; Debian's Qt is not built with TSan and orders
// the two with futexes TSan cannot see, so every capture looks like a data race. Here the calls
// wait in a std::deque under a std::mutex (pthread, which TSan intercepts), and Qt only carries a
// wake-up without arguments (a string-named invokable, whose event Qt builds itself).
#pragma once

#include <QObject>

#include <deque>
#include <functional>
#include <mutex>

namespace drover {

class CallQueue : public QObject
{
    Q_OBJECT
public:
    explicit CallQueue(QObject *parent = nullptr);

    // Any thread. `call` runs in this object's thread, in posting order, from its event loop;
    // calls still waiting when the object is destroyed are dropped.
    void post(std::function<void()> call);
    // Runs `call` in this object's thread and returns when it has run (at once when called from
    // that thread). The thread's event loop must be running, and must not be waiting on the
    // caller. Whatever `call` wrote is visible to the caller afterwards, for TSan too.
    void postAndWait(const std::function<void()> &call);

private:
    Q_INVOKABLE void drain();

    std::mutex m_mutex;
    std::deque<std::function<void()>> m_calls;
    bool m_wakeUpPending = false;
};

} // namespace drover
