// Backoff and crash-loop decisions with simulated time.
#include "core/supervisor/restart_policy.h"

#include <QtTest>

using namespace drover;

class TestRestartPolicy : public QObject
{
    Q_OBJECT
private slots:
    void firstCrashRestartsAtOnceThenBacksOffExponentially()
    {
        RestartTuning t;
        t.initialMs = 1000;
        t.maxMs = 8000;
        t.jitter = 0; // exact numbers
        t.crashLoopCount = 100;
        RestartPolicy p(t);
        const qint64 expected[] = {0, 1000, 2000, 4000, 8000, 8000};
        qint64 now = 0;
        for (qint64 delay : expected) {
            QCOMPARE(p.onCrash(now, 0.5), delay);
            now += 10;
        }
    }

    void jitterStaysWithinItsBand()
    {
        RestartTuning t;
        t.initialMs = 1000;
        t.jitter = 0.2;
        RestartPolicy low(t), high(t);
        low.onCrash(0, 0.0);
        high.onCrash(0, 0.999);
        QCOMPARE(low.onCrash(1, 0.0), 800);
        QCOMPARE(high.onCrash(1, 0.999), 1200);
    }

    void crashesWithinTheWindowAreALoop()
    {
        RestartTuning t;
        t.crashLoopCount = 3;
        t.crashLoopWindowMs = 60000;
        RestartPolicy p(t);
        QVERIFY(p.onCrash(0, 0.5) >= 0);
        QVERIFY(p.onCrash(20000, 0.5) >= 0);
        QCOMPARE(p.onCrash(40000, 0.5), -1);
        QVERIFY(p.inCrashLoop());
        p.reset();
        QVERIFY(!p.inCrashLoop());
        QCOMPARE(p.onCrash(50000, 0.5), 0);
    }

    void crashesSpreadBeyondTheWindowAreNot()
    {
        RestartTuning t;
        t.crashLoopCount = 3;
        t.crashLoopWindowMs = 60000;
        RestartPolicy p(t);
        for (qint64 now = 0; now < 600000; now += 61000)
            QVERIFY(p.onCrash(now, 0.5) >= 0);
        QVERIFY(!p.inCrashLoop());
    }

    void aHealthyPeriodResetsTheBackoff()
    {
        RestartTuning t;
        t.initialMs = 1000;
        t.jitter = 0;
        t.healthyResetMs = 30000;
        RestartPolicy p(t);
        p.onCrash(0, 0.5);
        QCOMPARE(p.onCrash(100, 0.5), 1000);
        p.onHealthy(1000, 20000); // ready for 19 s: not yet
        QCOMPARE(p.consecutiveCrashes(), 2);
        p.onHealthy(1000, 31001); // ready for 30 s
        QCOMPARE(p.consecutiveCrashes(), 0);
        QCOMPARE(p.onCrash(40000, 0.5), 0); // immediate again
    }
};

QTEST_GUILESS_MAIN(TestRestartPolicy)
#include "tst_restart_policy.moc"
