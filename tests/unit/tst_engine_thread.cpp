// The engine runs in its own thread, publishes snapshots, and stops cleanly.
#include "core/engine/engine.h"

#include <QSignalSpy>
#include <QtTest>

#include <atomic>

using namespace drover;

namespace {

// A scripted reader: deterministic counters so the published values can be checked exactly.
// It records which thread reads it, because the OS must only be touched from the engine thread.
class ScriptedReader final : public SystemMetricsReader
{
public:
    explicit ScriptedReader(std::atomic<QThread *> *readerThread) : m_readerThread(readerThread) {}
    std::optional<CpuCounters> readCpu() override
    {
        *m_readerThread = QThread::currentThread();
        ++m_calls;
        // Each tick: 100 units of time, 25 of them busy -> 25 %.
        return CpuCounters{quint64(m_calls) * 25, quint64(m_calls) * 100};
    }
    std::optional<MemoryInfo> readMemory() override
    {
        return MemoryInfo{1000, 400};
    }

private:
    std::atomic<QThread *> *m_readerThread;
    int m_calls = 0;
};

ConfigLoadResult someConfig()
{
    return parseConfig("version: 1\npools:\n  - { name: p1, command: x }\n",
                       QStringLiteral("t.yaml"));
}

} // namespace

class TestEngineThread : public QObject
{
    Q_OBJECT
private slots:
    void publishesSnapshotsFromItsOwnThread()
    {
        std::atomic<QThread *> readerThread{nullptr};
        EngineOptions options;
        options.tickIntervalMs = 20;
        options.historyPoints = 5;
        options.superviseAgents = false;
        options.useStore = false;
        options.metricsReaderFactory = [&readerThread] {
            return std::make_unique<ScriptedReader>(&readerThread);
        };
        EngineHost host(someConfig(), options);
        QSignalSpy spy(&host, &EngineHost::snapshotPublished);
        host.start();
        QVERIFY(host.isRunning());
        QTRY_VERIFY_WITH_TIMEOUT(spy.count() >= 8, 10000);

        QVERIFY(readerThread.load() != nullptr);
        QVERIFY(readerThread.load() != QThread::currentThread());

        quint64 previous = 0;
        for (const QList<QVariant> &args : spy) {
            const Snapshot s = args.first().value<Snapshot>();
            QVERIFY(s.sequence > previous);
            previous = s.sequence;
            QCOMPARE(s.config.pools, QStringList{QStringLiteral("p1")});
            QCOMPARE(s.tickIntervalMs, 20);
            QVERIFY(s.systemHistory.size() <= 5);
        }
        const Snapshot first = spy.first().first().value<Snapshot>();
        QCOMPARE(first.sequence, quint64(1));
        QVERIFY(!first.cpuValid); // one sample is not a rate
        QVERIFY(first.systemHistory.isEmpty());

        const Snapshot last = spy.last().first().value<Snapshot>();
        QVERIFY(last.cpuValid);
        QCOMPARE(last.cpuPercent, 25.0);
        QCOMPARE(last.memoryUsedBytes, quint64(600));
        QCOMPARE(last.systemHistory.size(), 5); // bounded
        QCOMPARE(last.systemHistory.last().memoryPercent, 60.0);
        for (int i = 1; i < last.systemHistory.size(); ++i)
            QVERIFY(last.systemHistory[i].timeMs >= last.systemHistory[i - 1].timeMs);

        host.stop();
        QVERIFY(!host.isRunning());
        const int afterStop = spy.count();
        QTest::qWait(100); // nothing may arrive after stop(); this wait is the assertion window
        QCoreApplication::processEvents();
        QCOMPARE(spy.count(), afterStop);
    }

    void realReaderPublishesRealValues()
    {
        EngineOptions options;
        options.tickIntervalMs = 100;
        options.superviseAgents = false;
        options.useStore = false;
        EngineHost host(someConfig(), options);
        QSignalSpy spy(&host, &EngineHost::snapshotPublished);
        host.start();
        QTRY_VERIFY_WITH_TIMEOUT(!spy.isEmpty()
                                     && spy.last().first().value<Snapshot>().systemHistory.size() >= 2,
                                 10000);
        const Snapshot s = spy.last().first().value<Snapshot>();
        QVERIFY(s.memoryTotalBytes > 0);
        QVERIFY(s.cpuPercent >= 0.0 && s.cpuPercent <= 100.0);
    }

    void destroyingAHostThatNeverStartedIsFine()
    {
        EngineHost host(someConfig());
        QVERIFY(!host.isRunning());
    }

    void destroyingARunningHostStopsTheThread()
    {
        EngineOptions options;
        options.superviseAgents = false;
        options.useStore = false;
        auto host = std::make_unique<EngineHost>(someConfig(), options);
        QSignalSpy spy(host.get(), &EngineHost::snapshotPublished);
        host->start();
        QVERIFY(spy.wait(5000));
        host.reset(); // must quit and join, not crash or hang
    }
};

QTEST_GUILESS_MAIN(TestEngineThread)
#include "tst_engine_thread.moc"
