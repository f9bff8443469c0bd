// An event dispatcher on Linux epoll for threads that serve many sockets (the GPT gateway).
//
// Why: Qt's default dispatcher on Linux is GLib's main loop. Every turn it prepares, polls and
// checks every registered descriptor (a poll() over all client and upstream connections, then
// a walk over them all to find the few that are ready), and each change of a notifier touches
// GLib's source lists. Under load that was several per cent of the gateway's time per request
// (docs/benchmarks/gateway.md). epoll keeps the interest set in the kernel and returns only
// the ready descriptors.
//
// What it implements is QAbstractEventDispatcher's contract, as Qt's own UNIX dispatcher does:
// socket notifiers (read, write, exception; a disabled notifier is unregistered by Qt), timers
// (all types fire at their interval; a coarse timer firing on time is within its tolerance),
// posted events (QCoreApplication::sendPostedEvents each turn; wakeUp() from any thread via an
// eventfd, coalesced), interrupt(), and QEventLoop's WaitForMoreEvents and
// ExcludeSocketNotifiers flags. Install it on a QThread with setEventDispatcher() before
// start(); the thread deletes it when it finishes.
#pragma once

#include <QtGlobal>

#ifdef Q_OS_LINUX

#include <QAbstractEventDispatcher>
#include <QAtomicInt>
#include <QHash>
#include <QList>

namespace drover {

class EpollEventDispatcher : public QAbstractEventDispatcher
{
    Q_OBJECT
public:
    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;

    // False when epoll or the eventfd could not be created (descriptor limit): keep Qt's.
    bool isValid() const { return m_epoll >= 0 && m_wakeFd >= 0; }

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;

    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                       QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;

    void wakeUp() override;
    void interrupt() override;

private:
    struct Watch
    {
        QSocketNotifier *read = nullptr;
        QSocketNotifier *write = nullptr;
        QSocketNotifier *exception = nullptr;
        quint32 generation = 0; // tells a reused descriptor's events from its predecessor's
        quint32 events = 0;     // what epoll watches now
    };
    struct Timer
    {
        int id;
        qint64 intervalMs;
        Qt::TimerType type;
        QObject *object;
        qint64 deadlineNs;   // steady clock
        bool firing = false; // in its timerEvent (a nested loop must not fire it again)
    };

    void updateWatch(int fd, Watch &watch);
    int activateSocketNotifiers(const void *events, int count);
    int activateTimers();
    qint64 nextTimerWaitNs(qint64 nowNs) const; // -1: no timer
    void drainWakeUps();

    int m_epoll = -1;
    int m_wakeFd = -1;
    QAtomicInt m_wakeUpPending;
    QAtomicInt m_interrupted;
    quint32 m_generation = 0;
    QHash<int, Watch> m_watches;
    QList<Timer> m_timers; // few per thread: a list beats a heap at this size
};

} // namespace drover

#endif // Q_OS_LINUX
