// TokenBucket and BudgetLimiter with simulated time: refill, reservation and settlement,
// retry-after, requests larger than the bucket, live re-rating, concurrent admission.
#include "core/gateway/token_bucket.h"

#include <QtTest>

using namespace drover;

class TstTokenBucket : public QObject
{
    Q_OBJECT
private slots:
    void refillsContinuouslyUpToCapacity()
    {
        TokenBucket b(6000, 0); // 100 a second
        QCOMPARE(b.level(0), 6000.0);
        b.take(6000, 0);
        QCOMPARE(b.level(0), 0.0);
        QCOMPARE(b.level(500), 50.0);
        QCOMPARE(b.level(60000), 6000.0);
        QCOMPARE(b.level(600000), 6000.0); // never above the capacity
    }

    void waitTimes_data()
    {
        QTest::addColumn<double>("taken");
        QTest::addColumn<double>("wanted");
        QTest::addColumn<qint64>("waitMs");
        QTest::newRow("fits") << 0.0 << 100.0 << qint64(0);
        QTest::newRow("exactly") << 5900.0 << 100.0 << qint64(0);
        QTest::newRow("one second short") << 6000.0 << 100.0 << qint64(1000);
        QTest::newRow("rounded up") << 6000.0 << 0.05 << qint64(1);
        QTest::newRow("debt first") << 6100.0 << 100.0 << qint64(2000);
        QTest::newRow("larger than the bucket") << 0.0 << 6001.0 << qint64(-1);
    }
    void waitTimes()
    {
        QFETCH(double, taken);
        QFETCH(double, wanted);
        QFETCH(qint64, waitMs);
        TokenBucket b(6000, 1000);
        b.take(taken, 1000);
        QCOMPARE(b.msUntilAvailable(wanted, 1000), waitMs);
        if (waitMs >= 0)
            QVERIFY(b.canTake(wanted, 1000 + waitMs));
    }

    void unlimitedAlwaysAdmits()
    {
        TokenBucket b;
        QVERIFY(b.isUnlimited());
        QVERIFY(b.canTake(1e12, 0));
        QCOMPARE(b.msUntilAvailable(1e12, 0), 0);
    }

    void reRateKeepsLevel()
    {
        TokenBucket b(6000, 0);
        b.take(5000, 0); // 1000 left
        b.setPerMinute(12000, 0);
        QCOMPARE(b.level(0), 1000.0); // not refilled by the upgrade
        QCOMPARE(b.level(1000), 1200.0); // but refills at the new rate
        b.setPerMinute(600, 1000);
        QCOMPARE(b.level(1000), 600.0); // clamped to the smaller capacity, not reset
    }

    void admitReservesAndSettleCorrects()
    {
        BudgetLimiter l;
        l.setBudget(QStringLiteral("free"), TierBudget{1000, 0}, 0);
        BudgetDecision d = l.admit(QStringLiteral("free"), 600, 0);
        QVERIFY(d.admitted);
        QCOMPARE(d.remainingTokens, 400);
        QCOMPARE(d.limitTokens, 1000);
        QCOMPARE(d.limitRequests, 0); // unlimited requests: no request headers
        d = l.admit(QStringLiteral("free"), 600, 0);
        QVERIFY(!d.admitted);
        QVERIFY(!d.neverFits);
        QCOMPARE(d.limitedBy, QStringLiteral("tokens"));
        QCOMPARE(d.retryAfterMs, 12000); // 200 missing at 1000/min
        l.settle(QStringLiteral("free"), 600, 100, 0); // used far less than reserved
        QVERIFY(l.admit(QStringLiteral("free"), 600, 0).admitted);
    }

    void settleMoreThanReservedLeavesDebt()
    {
        BudgetLimiter l;
        l.setBudget(QStringLiteral("t"), TierBudget{600, 0}, 0);
        QVERIFY(l.admit(QStringLiteral("t"), 100, 0).admitted);
        l.settle(QStringLiteral("t"), 100, 700, 0); // the estimate was too low
        const BudgetDecision d = l.admit(QStringLiteral("t"), 10, 0);
        QVERIFY(!d.admitted);
        QCOMPARE(d.remainingTokens, 0);
        QCOMPARE(d.retryAfterMs, 11000); // 100 of debt + 10, at 10 a second
    }

    void largerThanBucketNeverFits()
    {
        BudgetLimiter l;
        l.setBudget(QStringLiteral("t"), TierBudget{1000, 0}, 0);
        const BudgetDecision d = l.admit(QStringLiteral("t"), 1001, 0);
        QVERIFY(!d.admitted);
        QVERIFY(d.neverFits);
        QCOMPARE(l.peek(QStringLiteral("t"), 0).remainingTokens, 1000); // nothing taken
    }

    void requestBudget()
    {
        BudgetLimiter l;
        l.setBudget(QStringLiteral("t"), TierBudget{0, 2}, 0);
        QVERIFY(l.admit(QStringLiteral("t"), 10, 0).admitted);
        QVERIFY(l.admit(QStringLiteral("t"), 10, 0).admitted);
        const BudgetDecision d = l.admit(QStringLiteral("t"), 10, 0);
        QVERIFY(!d.admitted);
        QCOMPARE(d.limitedBy, QStringLiteral("requests"));
        QCOMPARE(d.retryAfterMs, 30000);
        QCOMPARE(d.limitRequests, 2);
        QCOMPARE(d.remainingRequests, 0);
        QVERIFY(l.admit(QStringLiteral("t"), 10, 30000).admitted);
    }

    void refusedForRequestsKeepsTokens()
    {
        BudgetLimiter l;
        l.setBudget(QStringLiteral("t"), TierBudget{1000, 1}, 0);
        QVERIFY(l.admit(QStringLiteral("t"), 100, 0).admitted);
        QVERIFY(!l.admit(QStringLiteral("t"), 100, 0).admitted);
        QCOMPARE(l.peek(QStringLiteral("t"), 0).remainingTokens, 900);
    }

    void liveReTierKeepsCounters()
    {
        BudgetLimiter l;
        l.setBudget(QStringLiteral("r"), TierBudget{1000, 0}, 0);
        QVERIFY(l.admit(QStringLiteral("r"), 900, 0).admitted);
        l.setBudget(QStringLiteral("r"), TierBudget{10000, 0}, 0); // upgrade
        QCOMPARE(l.peek(QStringLiteral("r"), 0).remainingTokens, 100);
        QCOMPARE(l.peek(QStringLiteral("r"), 0).limitTokens, 10000);
        QVERIFY(l.admit(QStringLiteral("r"), 5000, 0).admitted == false); // still 100 now
        QVERIFY(l.admit(QStringLiteral("r"), 5000, 30000).admitted);     // new rate refills
    }

    // N requests admitted "at once" (no settlement in between) can never take more than the
    // bucket holds: each holds its estimate. With estimates below the actual usage the
    // overshoot is bounded by the underestimates, which settle() turns into debt.
    void concurrentAdmissionsNeverOvershoot()
    {
        BudgetLimiter l;
        l.setBudget(QStringLiteral("t"), TierBudget{1000, 0}, 0);
        int admitted = 0;
        for (int i = 0; i < 50; ++i)
            admitted += l.admit(QStringLiteral("t"), 150, 0).admitted ? 1 : 0;
        QCOMPARE(admitted, 6); // 6 * 150 = 900 <= 1000 < 7 * 150
        for (int i = 0; i < admitted; ++i)
            l.settle(QStringLiteral("t"), 150, 150, 0);
        QCOMPARE(l.peek(QStringLiteral("t"), 0).remainingTokens, 100);
    }

    void resetIsTimeUntilFull()
    {
        BudgetLimiter l;
        l.setBudget(QStringLiteral("t"), TierBudget{6000, 60}, 0);
        const BudgetDecision d = l.admit(QStringLiteral("t"), 3000, 0);
        QCOMPARE(d.resetTokensMs, 30000);
        QCOMPARE(d.resetRequestsMs, 1000);
    }
};

QTEST_APPLESS_MAIN(TstTokenBucket)
#include "tst_token_bucket.moc"
