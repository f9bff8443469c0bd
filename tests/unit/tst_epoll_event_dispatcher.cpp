// core/http/epoll_event_dispatcher: the gateway thread's event dispatcher does what Qt's does
// for timers, socket notifiers, posted events, deleteLater, TCP sockets and quitting, in a
// QThread it is installed on.
#include "core/http/epoll_event_dispatcher.h"

#include <QAbstractEventDispatcher>
#include <QEventLoop>
#include <QPointer>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <atomic>
#include <memory>
#include <sys/socket.h>
#include <unistd.h>

using namespace drover;

namespace {

// A QThread running its event loop on EpollEventDispatcher, with a context object to run code
// there and wait for it.
class DispatcherThread
{
public:
    DispatcherThread()
    {
        dispatcher = new EpollEventDispatcher;
        thread.setEventDispatcher(dispatcher);
        context = new QObject;
        context->moveToThread(&thread);
        thread.start();
    }
    ~DispatcherThread()
    {
        run([this] { delete context; });
        thread.quit();
        thread.wait();
    }
    template <typename F> void run(F f)
    {
        QMetaObject::invokeMethod(context, f, Qt::BlockingQueuedConnection);
    }

    QThread thread;
    EpollEventDispatcher *dispatcher;
    QObject *context;
};

} // namespace

class TstEpollEventDispatcher : public QObject
{
    Q_OBJECT
private slots:
    void installedAndValid();
    void timersFireInOrder();
    void repeatingTimerAndBookkeeping();
    void notifierFiresOnReadable();
    void excludeSocketNotifiers();
    void wakeUpFromAnotherThread();
    void deleteLaterWorks();
    void nestedLoopExitFromAnotherThread();
    void tcpEchoInTheThread();
    void threadQuits();
};

void TstEpollEventDispatcher::installedAndValid()
{
    DispatcherThread t;
    QVERIFY(t.dispatcher->isValid());
    QAbstractEventDispatcher *seen = nullptr;
    t.run([&] { seen = QAbstractEventDispatcher::instance(); });
    QCOMPARE(seen, t.dispatcher);
}

void TstEpollEventDispatcher::timersFireInOrder()
{
    DispatcherThread t;
    auto order = std::make_shared<QList<int>>();
    std::atomic<int> fired{0};
    t.run([&] {
        const int delays[] = {60, 15, 40, 0, 25};
        for (int d : delays) {
            auto *timer = new QTimer(t.context);
            timer->setSingleShot(true);
            timer->setTimerType(d == 40 ? Qt::CoarseTimer : Qt::PreciseTimer);
            timer->setInterval(d);
            connect(timer, &QTimer::timeout, t.context, [order, d, &fired, timer] {
                order->append(d);
                timer->deleteLater();
                ++fired;
            });
            timer->start();
        }
    });
    QTRY_COMPARE(fired.load(), 5);
    QCOMPARE(*order, (QList<int>{0, 15, 25, 40, 60}));
}

void TstEpollEventDispatcher::repeatingTimerAndBookkeeping()
{
    DispatcherThread t;
    std::atomic<int> ticks{0};
    QTimer *timer = nullptr;
    t.run([&] {
        timer = new QTimer(t.context);
        timer->setTimerType(Qt::PreciseTimer);
        connect(timer, &QTimer::timeout, t.context, [&ticks] { ++ticks; });
        timer->start(5);
    });
    QTRY_VERIFY(ticks.load() >= 3);
    t.run([&] {
        const auto timers = t.dispatcher->registeredTimers(timer);
        QCOMPARE(timers.size(), 1);
        QCOMPARE(timers.first().timerId, timer->timerId());
        QCOMPARE(timers.first().interval, 5);
        QCOMPARE(timers.first().timerType, Qt::PreciseTimer);
        const int remaining = t.dispatcher->remainingTime(timer->timerId());
        QVERIFY(remaining >= 0 && remaining <= 5);
        // A long timer's remaining time counts down from its interval.
        timer->start(100000);
        const int longRemaining = timer->remainingTime();
        QVERIFY2(longRemaining > 90000 && longRemaining <= 100000,
                 qPrintable(QString::number(longRemaining)));
        const int id = timer->timerId();
        timer->stop();
        QCOMPARE(t.dispatcher->remainingTime(id), -1);
        QVERIFY(t.dispatcher->registeredTimers(timer).isEmpty());
        // unregisterTimers drops every timer of an object.
        QObject holder;
        const int a = holder.startTimer(100000);
        const int b = holder.startTimer(200000);
        QVERIFY(a > 0 && b > 0);
        QCOMPARE(t.dispatcher->registeredTimers(&holder).size(), 2);
        QVERIFY(t.dispatcher->unregisterTimers(&holder));
        QVERIFY(t.dispatcher->registeredTimers(&holder).isEmpty());
        QVERIFY(!t.dispatcher->unregisterTimers(&holder));
    });
}

void TstEpollEventDispatcher::notifierFiresOnReadable()
{
    int fds[2];
    QCOMPARE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds), 0);
    DispatcherThread t;
    std::atomic<int> reads{0};
    QSocketNotifier *notifier = nullptr;
    t.run([&] {
        notifier = new QSocketNotifier(fds[0], QSocketNotifier::Read, t.context);
        connect(notifier, &QSocketNotifier::activated, t.context, [&reads, fds] {
            char buf[64];
            while (read(fds[0], buf, sizeof buf) > 0) {
            }
            ++reads;
        });
    });
    QCOMPARE(write(fds[1], "x", 1), 1);
    QTRY_COMPARE(reads.load(), 1);
    // Disabled, then enabled with data waiting: it fires once enabled (level-triggered).
    t.run([&] { notifier->setEnabled(false); });
    QCOMPARE(write(fds[1], "y", 1), 1);
    t.run([&] { notifier->setEnabled(true); });
    QTRY_COMPARE(reads.load(), 2);
    // A write notifier on the other end of the pair fires at once (the buffer has room), and
    // the peer's close wakes the reader.
    std::atomic<int> writable{0};
    t.run([&] {
        auto *w = new QSocketNotifier(fds[1], QSocketNotifier::Write, t.context);
        connect(w, &QSocketNotifier::activated, t.context, [&writable, w] {
            ++writable;
            w->setEnabled(false);
        });
    });
    QTRY_COMPARE(writable.load(), 1);
    std::atomic<bool> eof{false};
    t.run([&] {
        disconnect(notifier, nullptr, t.context, nullptr);
        connect(notifier, &QSocketNotifier::activated, t.context, [&eof, notifier, fds] {
            char c;
            if (read(fds[0], &c, 1) == 0) {
                eof = true;
                notifier->setEnabled(false);
            }
        });
    });
    shutdown(fds[1], SHUT_WR);
    QTRY_VERIFY(eof.load());
    t.run([&] { qDeleteAll(t.context->findChildren<QSocketNotifier *>()); });
    close(fds[0]);
    close(fds[1]);
}

void TstEpollEventDispatcher::excludeSocketNotifiers()
{
    int fds[2];
    QCOMPARE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds), 0);
    DispatcherThread t;
    t.run([&] {
        int reads = 0;
        QSocketNotifier notifier(fds[0], QSocketNotifier::Read);
        connect(&notifier, &QSocketNotifier::activated, [&] {
            char buf[8];
            while (read(fds[0], buf, sizeof buf) > 0) {
            }
            ++reads;
        });
        QCOMPARE(write(fds[1], "x", 1), 1);
        QEventLoop loop;
        loop.processEvents(QEventLoop::ExcludeSocketNotifiers);
        QCOMPARE(reads, 0);
        loop.processEvents(QEventLoop::AllEvents);
        QCOMPARE(reads, 1);
    });
    close(fds[0]);
    close(fds[1]);
}

void TstEpollEventDispatcher::wakeUpFromAnotherThread()
{
    DispatcherThread t;
    std::atomic<int> calls{0};
    // Many posts from this thread while the dispatcher thread sleeps in epoll: all arrive.
    for (int i = 0; i < 1000; ++i)
        QMetaObject::invokeMethod(
            t.context, [&calls] { ++calls; }, Qt::QueuedConnection);
    QTRY_COMPARE(calls.load(), 1000);
    // And from a third thread.
    std::unique_ptr<QThread> poster(QThread::create([&] {
        for (int i = 0; i < 100; ++i)
            QMetaObject::invokeMethod(
                t.context, [&calls] { ++calls; }, Qt::QueuedConnection);
    }));
    poster->start();
    QVERIFY(poster->wait(10000));
    QTRY_COMPARE(calls.load(), 1100);
}

void TstEpollEventDispatcher::deleteLaterWorks()
{
    DispatcherThread t;
    std::atomic<bool> destroyed{false};
    t.run([&] {
        auto *o = new QObject;
        connect(o, &QObject::destroyed, [&destroyed] { destroyed = true; });
        o->deleteLater();
    });
    QTRY_VERIFY(destroyed.load());
}

void TstEpollEventDispatcher::nestedLoopExitFromAnotherThread()
{
    DispatcherThread t;
    std::atomic<bool> inLoop{false};
    std::atomic<bool> returned{false};
    QEventLoop *loop = nullptr;
    QMetaObject::invokeMethod(
        t.context,
        [&] {
            QEventLoop l;
            loop = &l;
            inLoop = true;
            l.exec();
            returned = true;
        },
        Qt::QueuedConnection);
    QTRY_VERIFY(inLoop.load());
    QMetaObject::invokeMethod(loop, "quit", Qt::QueuedConnection);
    QTRY_VERIFY(returned.load());
}

void TstEpollEventDispatcher::tcpEchoInTheThread()
{
    DispatcherThread t;
    // 4 MiB each way: more than socket buffers take at once, so QTcpSocket's write notifier
    // and partial reads are exercised, not just one send and one read.
    const QByteArray payload = QByteArray(4 * 1024 * 1024, 'a') + "end";
    std::atomic<bool> done{false};
    QByteArray received;
    t.run([&] {
        auto *server = new QTcpServer(t.context);
        QVERIFY(server->listen(QHostAddress::LocalHost));
        connect(server, &QTcpServer::newConnection, server, [server] {
            while (QTcpSocket *s = server->nextPendingConnection()) {
                connect(s, &QTcpSocket::readyRead, s, [s] { s->write(s->readAll()); });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
        auto *client = new QTcpSocket(t.context);
        connect(client, &QTcpSocket::connected, client,
                [client, payload] { client->write(payload); });
        connect(client, &QTcpSocket::readyRead, client, [&, client] {
            received += client->readAll();
            if (received.size() >= payload.size()) {
                client->disconnectFromHost();
                done = true;
            }
        });
        client->connectToHost(QHostAddress::LocalHost, server->serverPort());
    });
    QTRY_VERIFY_WITH_TIMEOUT(done.load(), 30000);
    QCOMPARE(received.size(), payload.size());
    QVERIFY(received == payload);
}

void TstEpollEventDispatcher::threadQuits()
{
    auto *t = new DispatcherThread;
    std::atomic<int> ticks{0};
    t->run([&] {
        auto *timer = new QTimer(t->context);
        connect(timer, &QTimer::timeout, t->context, [&ticks] { ++ticks; });
        timer->start(1);
    });
    QTRY_VERIFY(ticks.load() > 0);
    delete t; // quit() and wait(): the loop must notice the interrupt while timers run
}

QTEST_GUILESS_MAIN(TstEpollEventDispatcher)
#include "tst_epoll_event_dispatcher.moc"
