// Circuit breaker transitions with simulated time.
#include "core/dispatch/circuit_breaker.h"

#include <QtTest>

using namespace drover;

class TestCircuitBreaker : public QObject
{
    Q_OBJECT
private slots:
    void opensAfterConsecutiveFailures()
    {
        CircuitBreaker b({3, 10000});
        QCOMPARE(b.state(0), BreakerState::Closed);
        b.onFailure(0);
        b.onFailure(1);
        QVERIFY(b.allows(2));
        b.onSuccess(2); // a success in between: the count starts over
        b.onFailure(3);
        b.onFailure(4);
        QCOMPARE(b.state(4), BreakerState::Closed);
        b.onFailure(5);
        QCOMPARE(b.state(5), BreakerState::Open);
        QVERIFY(!b.allows(5));
        const BreakerStatus s = b.status(6);
        QCOMPARE(s.state, BreakerState::Open);
        QCOMPARE(s.consecutiveFailures, 3);
        QCOMPARE(s.openedAtMs, 5);
        QCOMPARE(s.retryAtMs, 10005);
        QCOMPARE(s.timesOpened, 1);
    }

    void halfOpenLetsExactlyOneTrialThrough()
    {
        CircuitBreaker b({1, 10000});
        b.onFailure(0);
        QVERIFY(!b.allows(9999));
        QCOMPARE(b.state(10000), BreakerState::HalfOpen);
        QVERIFY(b.allows(10000));
        b.onDispatched(10000);
        QVERIFY(!b.allows(10001)); // one trial only
        QVERIFY(b.status(10001).trialInFlight);
        b.onSuccess(10200);
        QCOMPARE(b.state(10200), BreakerState::Closed);
        QVERIFY(b.allows(10200));
    }

    void aFailedTrialOpensAgain()
    {
        CircuitBreaker b({2, 5000});
        b.onFailure(0);
        b.onFailure(0);
        b.onDispatched(5000);
        b.onFailure(5100);
        QCOMPARE(b.state(5100), BreakerState::Open);
        QCOMPARE(b.status(5100).retryAtMs, 10100);
        QCOMPARE(b.status(5100).timesOpened, 2);
        QCOMPARE(b.state(10100), BreakerState::HalfOpen);
    }

    void aReleasedTrialMayBeSentAgain()
    {
        CircuitBreaker b({1, 1000});
        b.onFailure(0);
        b.onDispatched(1000);
        QVERIFY(!b.allows(1001));
        b.onReleased(1001); // 429: no verdict
        QVERIFY(b.allows(1001));
        QCOMPARE(b.state(1001), BreakerState::HalfOpen);
    }

    void lateFailuresWhileOpenDoNotExtendTheCoolOff()
    {
        CircuitBreaker b({1, 1000});
        b.onFailure(0);
        b.onFailure(500); // sent before it opened, failed late
        QCOMPARE(b.status(500).retryAtMs, 1000);
        QCOMPARE(breakerStateName(b.state(1000)), QStringLiteral("half_open"));
    }
};

QTEST_GUILESS_MAIN(TestCircuitBreaker)
#include "tst_circuit_breaker.moc"
