// CPU % arithmetic from /proc samples, /proc/meminfo parsing, and the live reader.
#include "core/platform/system_metrics.h"

#include <QtTest>

using namespace drover;

class TestSystemMetrics : public QObject
{
    Q_OBJECT
private slots:
    void parsesAggregateCpuLine()
    {
        // user nice system idle iowait irq softirq steal guest guest_nice
        const QByteArray stat = "cpu  100 20 30 800 50 5 5 10 7 0\n"
                                "cpu0 50 10 15 400 25 2 3 5 7 0\n";
        const std::optional<CpuCounters> c = parseProcStat(stat);
        QVERIFY(c);
        QCOMPARE(c->busy, quint64(100 + 20 + 30 + 5 + 5 + 10)); // guest is inside user already
        QCOMPARE(c->total, quint64(170 + 800 + 50));
    }

    void acceptsOldKernelsWithFewerColumns()
    {
        const std::optional<CpuCounters> c = parseProcStat("cpu 10 0 10 80\n");
        QVERIFY(c);
        QCOMPARE(c->busy, quint64(20));
        QCOMPARE(c->total, quint64(100));
    }

    void rejectsGarbage_data()
    {
        QTest::addColumn<QByteArray>("stat");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("per-cpu line first") << QByteArray("cpu0 1 2 3 4 5\n");
        QTest::newRow("not numbers") << QByteArray("cpu a b c d e\n");
        QTest::newRow("too short") << QByteArray("cpu 1 2\n");
    }
    void rejectsGarbage()
    {
        QFETCH(QByteArray, stat);
        QVERIFY(!parseProcStat(stat));
    }

    void percentBetweenTwoSamples_data()
    {
        QTest::addColumn<QByteArray>("before");
        QTest::addColumn<QByteArray>("after");
        QTest::addColumn<double>("percent"); // negative: no value
        QTest::newRow("half busy") << QByteArray("cpu 100 0 0 100 0 0 0 0\n")
                                   << QByteArray("cpu 150 0 0 150 0 0 0 0\n") << 50.0;
        QTest::newRow("idle") << QByteArray("cpu 100 0 0 100 0\n")
                              << QByteArray("cpu 100 0 0 300 0\n") << 0.0;
        QTest::newRow("saturated") << QByteArray("cpu 100 0 0 100 0\n")
                                   << QByteArray("cpu 200 0 100 100 0\n") << 100.0;
        QTest::newRow("iowait is not busy") << QByteArray("cpu 0 0 0 0 0\n")
                                            << QByteArray("cpu 25 0 0 25 50\n") << 25.0;
        QTest::newRow("steal is busy") << QByteArray("cpu 0 0 0 0 0 0 0 0\n")
                                       << QByteArray("cpu 10 0 0 80 0 0 0 10\n") << 20.0;
        QTest::newRow("no time passed") << QByteArray("cpu 1 0 0 1 0\n")
                                        << QByteArray("cpu 1 0 0 1 0\n") << -1.0;
        QTest::newRow("counters went back") << QByteArray("cpu 500 0 0 500 0\n")
                                            << QByteArray("cpu 10 0 0 10 0\n") << -1.0;
    }
    void percentBetweenTwoSamples()
    {
        QFETCH(QByteArray, before);
        QFETCH(QByteArray, after);
        QFETCH(double, percent);
        const std::optional<double> p =
            cpuPercentBetween(*parseProcStat(before), *parseProcStat(after));
        if (percent < 0) {
            QVERIFY(!p);
        } else {
            QVERIFY(p);
            QCOMPARE(*p, percent);
        }
    }

    void busyBackwardsWhileTotalForwardsHasNoValue()
    {
        QVERIFY(!cpuPercentBetween({100, 1000}, {90, 2000}));
    }

    void parsesMeminfo()
    {
        const QByteArray meminfo = "MemTotal:       16000000 kB\n"
                                   "MemFree:         1000000 kB\n"
                                   "MemAvailable:    4000000 kB\n"
                                   "Buffers:          100000 kB\n";
        const std::optional<MemoryInfo> m = parseProcMeminfo(meminfo);
        QVERIFY(m);
        QCOMPARE(m->totalBytes, quint64(16000000) * 1024);
        QCOMPARE(m->availableBytes, quint64(4000000) * 1024);
        QCOMPARE(m->usedBytes(), quint64(12000000) * 1024);
        QCOMPARE(m->usedPercent(), 75.0);
        QVERIFY(!parseProcMeminfo("MemTotal: 100 kB\n")); // no MemAvailable: no guess
        QVERIFY(!parseProcMeminfo("MemTotal: 0 kB\nMemAvailable: 0 kB\n"));
    }

    void liveReaderMeasuresThisMachine()
    {
        const std::unique_ptr<SystemMetricsReader> reader = createSystemMetricsReader();
        const std::optional<CpuCounters> first = reader->readCpu();
        QVERIFY(first);
        // Burn CPU until the kernel's counters move (10 ms jiffies), with a deadline.
        std::optional<CpuCounters> second;
        QDeadlineTimer deadline(5000);
        volatile double sink = 0;
        while (!deadline.hasExpired()) {
            for (int i = 0; i < 200000; ++i)
                sink = sink + i * 0.5;
            second = reader->readCpu();
            if (second && second->total > first->total && second->busy > first->busy)
                break;
        }
        const std::optional<double> p = cpuPercentBetween(*first, *second);
        QVERIFY(p);
        QVERIFY(*p > 0.0 && *p <= 100.0);

        const std::optional<MemoryInfo> m = reader->readMemory();
        QVERIFY(m);
        QVERIFY(m->totalBytes > 64ull * 1024 * 1024);
        QVERIFY(m->availableBytes <= m->totalBytes);
    }
};

QTEST_GUILESS_MAIN(TestSystemMetrics)
#include "tst_system_metrics.moc"
