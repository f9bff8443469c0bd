#include "epoll_event_dispatcher.h"

#ifdef Q_OS_LINUX

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTimerEvent>
#include <QVarLengthArray>
#include <algorithm>
#include <cerrno>
#include <ctime>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace drover {

namespace {

// epoll_event.data of the wake-up eventfd; sockets carry (generation << 32) | fd.
constexpr quint64 kWakeKey = ~quint64(0);
constexpr int kMaxEvents = 256;

qint64 steadyNowNs()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

const char *typeName(QSocketNotifier::Type type)
{
    switch (type) {
    case QSocketNotifier::Read:
        return "Read";
    case QSocketNotifier::Write:
        return "Write";
    case QSocketNotifier::Exception:
        return "Exception";
    }
    return "?";
}

} // namespace

EpollEventDispatcher::EpollEventDispatcher(QObject *parent) : QAbstractEventDispatcher(parent)
{
    m_epoll = epoll_create1(EPOLL_CLOEXEC);
    m_wakeFd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (m_epoll >= 0 && m_wakeFd >= 0) {
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u64 = kWakeKey;
        if (epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wakeFd, &ev) != 0) {
            close(m_wakeFd);
            m_wakeFd = -1;
        }
    }
    if (!isValid())
        qWarning("drover: epoll event dispatcher unavailable (errno %d)", errno);
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    if (m_wakeFd >= 0)
        close(m_wakeFd);
    if (m_epoll >= 0)
        close(m_epoll);
}

void EpollEventDispatcher::wakeUp()
{
    // Many posts between two turns need one wake-up: the turn sends them all.
    if (!m_wakeUpPending.testAndSetAcquire(0, 1))
        return;
    const quint64 one = 1;
    ssize_t n;
    do {
        n = write(m_wakeFd, &one, sizeof one);
    } while (n < 0 && errno == EINTR);
}

void EpollEventDispatcher::interrupt()
{
    m_interrupted.storeRelease(1);
    wakeUp();
}

void EpollEventDispatcher::drainWakeUps()
{
    if (!m_wakeUpPending.loadAcquire())
        return;
    quint64 value;
    while (read(m_wakeFd, &value, sizeof value) < 0 && errno == EINTR) {
    }
    // Cleared before the posted events are sent: a post after this point wakes us again.
    m_wakeUpPending.storeRelease(0);
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted.storeRelaxed(0);
    emit awake();
    drainWakeUps();
    QCoreApplication::sendPostedEvents();

    const bool includeTimers = !(flags & QEventLoop::X11ExcludeTimers);
    const bool includeNotifiers = !(flags & QEventLoop::ExcludeSocketNotifiers);
    bool canWait = (flags & QEventLoop::WaitForMoreEvents) && !m_wakeUpPending.loadAcquire();
    if (canWait)
        emit aboutToBlock();
    if (m_interrupted.loadAcquire())
        return false;
    // aboutToBlock's handlers may have posted something.
    canWait = canWait && !m_wakeUpPending.loadAcquire();

    qint64 waitNs = 0; // -1: until something happens
    if (canWait)
        waitNs = includeTimers ? nextTimerWaitNs(steadyNowNs()) : -1;

    epoll_event events[kMaxEvents];
    int ready = 0;
    if (includeNotifiers) {
#if defined(__GLIBC__) && __GLIBC_PREREQ(2, 35)
        // Nanosecond timeouts: a precise timer is not rounded up to the next millisecond.
        timespec ts{waitNs / 1'000'000'000, waitNs % 1'000'000'000};
        ready = epoll_pwait2(m_epoll, events, kMaxEvents, waitNs < 0 ? nullptr : &ts, nullptr);
        if (ready < 0 && errno == ENOSYS)
#endif
            ready = epoll_wait(
                m_epoll, events, kMaxEvents,
                waitNs < 0 ? -1 : int(qMin<qint64>((waitNs + 999'999) / 1'000'000, INT_MAX)));
    } else {
        // Sockets stay ready while excluded: waiting on them would spin. Only wake-ups count.
        pollfd pfd{m_wakeFd, POLLIN, 0};
        ready = poll(&pfd, 1,
                     waitNs < 0 ? -1 : int(qMin<qint64>((waitNs + 999'999) / 1'000'000, INT_MAX)));
        if (ready > 0) {
            events[0].events = EPOLLIN;
            events[0].data.u64 = kWakeKey;
        }
    }
    if (ready < 0) {
        if (errno != EINTR)
            qWarning("drover: epoll_wait failed (errno %d)", errno);
        ready = 0;
    }

    int processed = 0;
    for (int i = 0; i < ready; ++i) {
        if (events[i].data.u64 == kWakeKey) {
            drainWakeUps();
            ++processed;
        }
    }
    if (includeNotifiers && ready > 0)
        processed += activateSocketNotifiers(events, ready);
    if (includeTimers)
        processed += activateTimers();
    return processed > 0;
}

// ---------------------------------------------------------------------------------------------
// Socket notifiers

void EpollEventDispatcher::updateWatch(int fd, Watch &watch)
{
    quint32 wanted = 0;
    if (watch.read)
        wanted |= EPOLLIN;
    if (watch.write)
        wanted |= EPOLLOUT;
    if (watch.exception)
        wanted |= EPOLLPRI;
    if (wanted == watch.events)
        return;
    epoll_event ev{};
    ev.events = wanted;
    ev.data.u64 = (quint64(watch.generation) << 32) | quint32(fd);
    int rc;
    if (watch.events == 0) {
        rc = epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev);
        if (rc != 0 && errno == EEXIST)
            rc = epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &ev);
    } else {
        rc = epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &ev);
        // The descriptor was closed and reopened under the same number without unregistering:
        // epoll dropped the old one by itself.
        if (rc != 0 && errno == ENOENT)
            rc = epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev);
    }
    if (rc != 0) {
        qWarning("drover: cannot watch socket %d (errno %d)", fd, errno);
        return;
    }
    watch.events = wanted;
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    if (fd < 0)
        return;
    auto it = m_watches.find(fd);
    if (it == m_watches.end()) {
        it = m_watches.insert(fd, Watch{});
        it->generation = ++m_generation;
    }
    QSocketNotifier **slot = notifier->type() == QSocketNotifier::Read    ? &it->read
                             : notifier->type() == QSocketNotifier::Write ? &it->write
                                                                          : &it->exception;
    if (*slot && *slot != notifier)
        qWarning("QSocketNotifier: Multiple socket notifiers for same socket %d and type %s", fd,
                 typeName(notifier->type()));
    *slot = notifier;
    updateWatch(fd, *it);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    auto it = m_watches.find(fd);
    if (it == m_watches.end())
        return;
    for (QSocketNotifier **slot : {&it->read, &it->write, &it->exception}) {
        if (*slot == notifier)
            *slot = nullptr;
    }
    if (it->read || it->write || it->exception) {
        updateWatch(fd, *it);
        return;
    }
    if (it->events != 0) {
        epoll_event ev{};
        epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, &ev); // fails harmlessly if already closed
    }
    m_watches.erase(it);
}

int EpollEventDispatcher::activateSocketNotifiers(const void *eventsData, int count)
{
    const auto *events = static_cast<const epoll_event *>(eventsData);
    int activated = 0;
    // Each notifier is looked up again before it is told: an earlier one's handler may have
    // removed it, deleted it, or closed its descriptor and opened another under that number
    // (the generation differs then).
    auto current = [this](int fd, quint32 generation) -> Watch * {
        auto it = m_watches.find(fd);
        return it != m_watches.end() && it->generation == generation ? &*it : nullptr;
    };
    auto activate = [&activated](QSocketNotifier *notifier) {
        QEvent event(QEvent::SockAct);
        QCoreApplication::sendEvent(notifier, &event);
        ++activated;
    };
    for (int i = 0; i < count; ++i) {
        const quint64 key = events[i].data.u64;
        if (key == kWakeKey)
            continue;
        const int fd = int(quint32(key));
        const auto generation = quint32(key >> 32);
        const quint32 ev = events[i].events;
        // As Qt's poll dispatcher: hang-up and error wake a reader (it reads the EOF or the
        // error); a writer hears of them too, so a failed connect is not missed.
        const bool broken = ev & (EPOLLERR | EPOLLHUP);
        Watch *w = current(fd, generation);
        if (w && w->read && (ev & EPOLLIN || broken))
            activate(w->read);
        w = current(fd, generation);
        if (w && w->write && (ev & EPOLLOUT || broken))
            activate(w->write);
        w = current(fd, generation);
        if (w && w->exception && (ev & EPOLLPRI || (broken && !w->read && !w->write)))
            activate(w->exception);
    }
    return activated;
}

// ---------------------------------------------------------------------------------------------
// Timers

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                                         QObject *object)
{
    if (timerId < 1 || interval < 0 || !object)
        return;
    m_timers.append(
        Timer{timerId, interval, timerType, object, steadyNowNs() + interval * 1'000'000});
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    for (qsizetype i = 0; i < m_timers.size(); ++i) {
        if (m_timers[i].id == timerId) {
            m_timers.removeAt(i);
            return true;
        }
    }
    return false;
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    return m_timers.removeIf([object](const Timer &t) { return t.object == object; }) > 0;
}

QList<QAbstractEventDispatcher::TimerInfo>
EpollEventDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> list;
    for (const Timer &t : m_timers) {
        if (t.object == object)
            list.append(TimerInfo(t.id, int(qMin<qint64>(t.intervalMs, INT_MAX)), t.type));
    }
    return list;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    const qint64 now = steadyNowNs();
    for (const Timer &t : m_timers) {
        if (t.id == timerId)
            return int(
                qMin<qint64>(qMax<qint64>(0, (t.deadlineNs - now + 999'999) / 1'000'000), INT_MAX));
    }
    return -1;
}

qint64 EpollEventDispatcher::nextTimerWaitNs(qint64 nowNs) const
{
    qint64 wait = -1;
    for (const Timer &t : m_timers) {
        if (t.firing)
            continue; // not again until its timerEvent returns
        const qint64 w = qMax<qint64>(0, t.deadlineNs - nowNs);
        if (wait < 0 || w < wait)
            wait = w;
    }
    return wait;
}

int EpollEventDispatcher::activateTimers()
{
    if (m_timers.isEmpty())
        return 0;
    const qint64 now = steadyNowNs();
    // Due timers, earliest first, each at most once per turn (a zero-interval timer would
    // otherwise starve everything else).
    QVarLengthArray<std::pair<qint64, int>, 16> due;
    for (const Timer &t : m_timers) {
        if (!t.firing && t.deadlineNs <= now)
            due.append({t.deadlineNs, t.id});
    }
    std::sort(due.begin(), due.end());
    int fired = 0;
    for (const auto &[deadline, id] : due) {
        auto find = [this](int timerId) -> Timer * {
            for (Timer &t : m_timers) {
                if (t.id == timerId)
                    return &t;
            }
            return nullptr;
        };
        Timer *t = find(id);
        // Gone, or stopped and started again by an earlier timer's handler.
        if (!t || t->firing || t->deadlineNs != deadline)
            continue;
        // Next deadline from the planned one (no drift); after a stall, from now.
        t->deadlineNs += t->intervalMs * 1'000'000;
        if (t->deadlineNs <= now)
            t->deadlineNs = now + t->intervalMs * 1'000'000;
        t->firing = true;
        QObject *object = t->object;
        QTimerEvent event(id);
        QCoreApplication::sendEvent(object, &event);
        ++fired;
        if (Timer *again = find(id)) // the list may have changed under the handler
            again->firing = false;
    }
    return fired;
}

} // namespace drover

#endif // Q_OS_LINUX
