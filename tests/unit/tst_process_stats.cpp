// Per-process CPU and memory from /proc/<pid>/stat and statm.
#include "core/platform/process_stats.h"

#include <QtTest>

#include <unistd.h>

using namespace drover;

class TestProcessStats : public QObject
{
    Q_OBJECT
private slots:
    void parsesACommWithSpacesAndParentheses()
    {
        // utime=250 stime=50 ticks at 100 Hz, rss=1000 pages of 4096
        const QByteArray stat = "1234 (my (odd) agent) S 1 1234 1234 0 -1 4194560 100 0 0 0 "
                                "250 50 0 0 20 0 3 0 500 123456789 1000 18446744073709551615";
        const std::optional<ProcessSample> s = parseProcPidStat(stat, "5000 1000 200 10 0 800 0", 100, 4096);
        QVERIFY(s);
        QCOMPARE(s->cpuTimeMs, quint64(3000));
        QCOMPARE(s->rssBytes, quint64(1000) * 4096);
        QCOMPARE(s->privateBytes, quint64(800) * 4096);
    }

    void zombiesAndGarbageHaveNoSample()
    {
        const QByteArray zombie = "7 (x) Z 1 7 7 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 5 0 0 0";
        QVERIFY(!parseProcPidStat(zombie, "", 100, 4096));
        QVERIFY(!parseProcPidStat("garbage", "", 100, 4096));
        QVERIFY(!parseProcPidStat("", "", 100, 4096));
    }

    void cpuPercentOfOneCore()
    {
        QCOMPARE(*processCpuPercent({1000, 0, 0}, {1500, 0, 0}, 1000), 50.0);
        QCOMPARE(*processCpuPercent({1000, 0, 0}, {3000, 0, 0}, 1000), 200.0); // two cores
        QVERIFY(!processCpuPercent({3000, 0, 0}, {1000, 0, 0}, 1000)); // pid reused
        QVERIFY(!processCpuPercent({0, 0, 0}, {10, 0, 0}, 0));
    }

    void readsThisProcess()
    {
        const std::unique_ptr<ProcessStatsReader> reader = createProcessStatsReader();
        const std::optional<ProcessSample> s = reader->read(getpid());
        QVERIFY(s);
        QVERIFY(s->rssBytes > 0);
        QVERIFY(!reader->read(999999999));
    }
};

QTEST_GUILESS_MAIN(TestProcessStats)
#include "tst_process_stats.moc"
