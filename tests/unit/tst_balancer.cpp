// Balancing algorithms on fixed workloads: distribution, preference, weights, affinity.
#include "core/dispatch/balancer.h"

#include <QtTest>
#include <cmath>

using namespace drover;

namespace {

QVector<BalancerReplica> readyReplicas(int n, int capacity = 0)
{
    QVector<BalancerReplica> out;
    for (int i = 0; i < n; ++i) {
        BalancerReplica r;
        r.index = i;
        r.ready = true;
        r.capacity = capacity;
        out.append(r);
    }
    return out;
}

QMap<int, int> countPicks(Balancer &b, const QVector<BalancerReplica> &replicas, int picks)
{
    QMap<int, int> counts;
    for (int i = 0; i < picks; ++i) {
        const auto p = b.pick(replicas);
        if (p)
            ++counts[*p];
    }
    return counts;
}

} // namespace

class TestBalancer : public QObject
{
    Q_OBJECT
private slots:
    void namesRoundTrip()
    {
        for (auto a : {BalancingAlgorithm::LeastConnections, BalancingAlgorithm::RoundRobin,
                       BalancingAlgorithm::WeightedRoundRobin, BalancingAlgorithm::ConsistentHash,
                       BalancingAlgorithm::LeastResponseTime, BalancingAlgorithm::ResourceBased})
            QCOMPARE(balancingAlgorithmFromName(balancingAlgorithmName(a)), a);
        QVERIFY(!balancingAlgorithmFromName(QStringLiteral("random")));
        // The seed's table.
        QCOMPARE(defaultBalancingAlgorithm(QStringLiteral("gpt")),
                 BalancingAlgorithm::LeastConnections);
        QCOMPARE(defaultBalancingAlgorithm(QStringLiteral("browser")),
                 BalancingAlgorithm::RoundRobin);
        QCOMPARE(defaultBalancingAlgorithm(QStringLiteral("tts")),
                 BalancingAlgorithm::WeightedRoundRobin);
        QCOMPARE(defaultBalancingAlgorithm(QStringLiteral("session")),
                 BalancingAlgorithm::ConsistentHash);
        QCOMPARE(defaultBalancingAlgorithm(QStringLiteral("voice")),
                 BalancingAlgorithm::LeastResponseTime);
        QCOMPARE(defaultBalancingAlgorithm(QStringLiteral("system")),
                 BalancingAlgorithm::ResourceBased);
    }

    void eligibility_data()
    {
        QTest::addColumn<bool>("ready");
        QTest::addColumn<bool>("breaker");
        QTest::addColumn<bool>("paused");
        QTest::addColumn<int>("capacity");
        QTest::addColumn<double>("load");
        QTest::addColumn<bool>("eligible");
        QTest::newRow("ready, free slot") << true << true << false << 2 << 1.0 << true;
        QTest::newRow("ready, no cap") << true << true << false << 0 << 50.0 << true;
        QTest::newRow("not ready") << false << true << false << 2 << 0.0 << false;
        QTest::newRow("breaker open") << true << false << false << 2 << 0.0 << false;
        QTest::newRow("paused after 429") << true << true << true << 2 << 0.0 << false;
        QTest::newRow("tier cap reached") << true << true << false << 2 << 2.0 << false;
    }
    void eligibility()
    {
        QFETCH(bool, ready);
        QFETCH(bool, breaker);
        QFETCH(bool, paused);
        QFETCH(int, capacity);
        QFETCH(double, load);
        QFETCH(bool, eligible);
        BalancerReplica r;
        r.ready = ready;
        r.breakerAllows = breaker;
        r.paused = paused;
        r.capacity = capacity;
        r.load = load;
        QCOMPARE(isEligible(r), eligible);
        for (auto a : {BalancingAlgorithm::LeastConnections, BalancingAlgorithm::RoundRobin,
                       BalancingAlgorithm::WeightedRoundRobin, BalancingAlgorithm::ConsistentHash,
                       BalancingAlgorithm::LeastResponseTime, BalancingAlgorithm::ResourceBased}) {
            Balancer b(a);
            QCOMPARE(b.pick({r}, "key").has_value(), eligible);
        }
    }

    void roundRobinIsEvenAndSkipsUnhealthy()
    {
        Balancer b(BalancingAlgorithm::RoundRobin);
        auto replicas = readyReplicas(3);
        QCOMPARE(countPicks(b, replicas, 300), (QMap<int, int>{{0, 100}, {1, 100}, {2, 100}}));
        // In strict turn, not in bursts.
        QCOMPARE(*b.pick(replicas), 0);
        QCOMPARE(*b.pick(replicas), 1);
        QCOMPARE(*b.pick(replicas), 2);
        replicas[1].ready = false;
        QCOMPARE(countPicks(b, replicas, 300), (QMap<int, int>{{0, 150}, {2, 150}}));
    }

    void leastConnectionsPrefersTheIdlest()
    {
        Balancer b(BalancingAlgorithm::LeastConnections);
        auto replicas = readyReplicas(3, 10);
        replicas[0].load = 3;
        replicas[1].load = 0;
        replicas[2].load = 5;
        QCOMPARE(*b.pick(replicas), 1);
        // A batch: the dispatcher raises the load of each pick; the picks level the loads.
        QMap<int, int> counts;
        for (int i = 0; i < 12; ++i) {
            const int p = *b.pick(replicas);
            ++counts[p];
            replicas[p].load += 1;
        }
        // 1 catches up to 3, then 0 and 1 to 5, then all three rise together.
        QVERIFY(counts.value(1) >= 6);
        QVERIFY(counts.value(2) <= 2);
        QVERIFY(qMax(replicas[0].load, qMax(replicas[1].load, replicas[2].load)) -
                    qMin(replicas[0].load, qMin(replicas[1].load, replicas[2].load)) <=
                1.0);
        // The tier cap: a full replica is never picked, even when it has the fewest jobs.
        replicas = readyReplicas(2, 2);
        replicas[0].load = 2;
        replicas[1].load = 1;
        QCOMPARE(*b.pick(replicas), 1);
        replicas[1].load = 2;
        QVERIFY(!b.pick(replicas));
    }

    void leastConnectionsTiesRotate()
    {
        Balancer b(BalancingAlgorithm::LeastConnections);
        const auto replicas = readyReplicas(4);
        QCOMPARE(countPicks(b, replicas, 400),
                 (QMap<int, int>{{0, 100}, {1, 100}, {2, 100}, {3, 100}}));
    }

    void weightedProportionsFollowWeights()
    {
        Balancer b(BalancingAlgorithm::WeightedRoundRobin);
        auto replicas = readyReplicas(3);
        replicas[0].baseWeight = 3;
        replicas[1].baseWeight = 2;
        replicas[2].baseWeight = 1;
        QCOMPARE(countPicks(b, replicas, 600), (QMap<int, int>{{0, 300}, {1, 200}, {2, 100}}));
        // Smooth: within any window of 6 picks the shares are exact (no 3-in-a-row bursts of
        // the heavy replica followed by starvation).
        QMap<int, int> window = countPicks(b, replicas, 6);
        QCOMPARE(window, (QMap<int, int>{{0, 3}, {1, 2}, {2, 1}}));
    }

    void weightedDynamicWeights_data()
    {
        QTest::addColumn<double>("cpuPercent");
        QTest::addColumn<double>("memoryFraction");
        QTest::addColumn<double>("responseMs");
        QTest::addColumn<double>("load");
        QTest::addColumn<double>("expectedWeight");
        // Replica with cap 4 and base weight 1; ref response time 1000 ms.
        QTest::newRow("idle") << 0.0 << 0.0 << 0.0 << 0.0 << 1.0;
        QTest::newRow("cpu 75 %") << 75.0 << 0.0 << 0.0 << 0.0 << 0.25;
        QTest::newRow("memory 50 %") << 0.0 << 0.5 << 0.0 << 0.0 << 0.5;
        QTest::newRow("slow 1000 ms") << 0.0 << 0.0 << 1000.0 << 0.0 << 0.5;
        QTest::newRow("2 of 4 slots") << 0.0 << 0.0 << 0.0 << 2.0 << 0.5;
        QTest::newRow("all at once") << 50.0 << 0.5 << 1000.0 << 2.0 << 0.0625;
        QTest::newRow("saturated cpu keeps a trickle") << 100.0 << 0.0 << 0.0 << 0.0 << 0.05;
    }
    void weightedDynamicWeights()
    {
        QFETCH(double, cpuPercent);
        QFETCH(double, memoryFraction);
        QFETCH(double, responseMs);
        QFETCH(double, load);
        QFETCH(double, expectedWeight);
        BalancerReplica r;
        r.ready = true;
        r.capacity = 4;
        r.cpuValid = true;
        r.cpuPercent = cpuPercent;
        r.memoryFraction = memoryFraction;
        r.load = load;
        QVERIFY(qAbs(dynamicWeight(r, responseMs, {}) - expectedWeight) < 1e-9);
    }

    void weightedShiftsWorkAwayFromABusyReplica()
    {
        Balancer b(BalancingAlgorithm::WeightedRoundRobin);
        auto replicas = readyReplicas(2);
        replicas[0].cpuValid = replicas[1].cpuValid = true;
        replicas[0].cpuPercent = 80; // weight 0.2
        replicas[1].cpuPercent = 20; // weight 0.8
        QCOMPARE(countPicks(b, replicas, 500), (QMap<int, int>{{0, 100}, {1, 400}}));
        // Response time counts too: a replica 3x the reference is a quarter as attractive.
        Balancer slow(BalancingAlgorithm::WeightedRoundRobin);
        auto two = readyReplicas(2);
        slow.recordResponse(0, 3000);
        QCOMPARE(countPicks(slow, two, 500), (QMap<int, int>{{0, 100}, {1, 400}}));
    }

    void consistentHashKeepsSessionsOnTheirReplica()
    {
        Balancer b(BalancingAlgorithm::ConsistentHash);
        const auto replicas = readyReplicas(4);
        QHash<QString, int> owner;
        QMap<int, int> share;
        const int keys = 10000;
        for (int k = 0; k < keys; ++k) {
            const QString key = QStringLiteral("session-%1").arg(k);
            const int p = *b.pick(replicas, key.toUtf8());
            owner.insert(key, p);
            ++share[p];
            QCOMPARE(*b.pick(replicas, key.toUtf8()), p); // same key, same replica
        }
        // Virtual nodes keep the shares near 1/4.
        for (int r = 0; r < 4; ++r)
            QVERIFY2(qAbs(share.value(r) - keys / 4) < keys / 4 * 0.2,
                     qPrintable(QString::number(share.value(r))));
    }

    void consistentHashMovesAboutOneNthWhenAReplicaIsAdded()
    {
        Balancer b(BalancingAlgorithm::ConsistentHash);
        const int keys = 10000;
        QVector<int> before(keys);
        for (int k = 0; k < keys; ++k)
            before[k] = *b.pick(readyReplicas(4), QByteArray("user-") + QByteArray::number(k));
        const auto five = readyReplicas(5);
        int moved = 0;
        for (int k = 0; k < keys; ++k) {
            const int now = *b.pick(five, QByteArray("user-") + QByteArray::number(k));
            if (now != before[k]) {
                ++moved;
                QCOMPARE(now, 4); // keys only move to the new replica, never between old ones
            }
        }
        // Ideal 1/5 = 2000 keys; a naive modulo hash would move ~80 %.
        QVERIFY2(moved > keys * 0.12 && moved < keys * 0.28, qPrintable(QString::number(moved)));
        // Removing it again sends exactly those keys back.
        for (int k = 0; k < keys; ++k)
            QCOMPARE(*b.pick(readyReplicas(4), QByteArray("user-") + QByteArray::number(k)),
                     before[k]);
    }

    void consistentHashSpillsToTheNeighbourWhileTheOwnerIsFull()
    {
        Balancer b(BalancingAlgorithm::ConsistentHash);
        auto replicas = readyReplicas(3, 2);
        const QByteArray key = "sticky";
        const int home = *b.pick(replicas, key);
        replicas[home].load = 2; // full
        const int spill = *b.pick(replicas, key);
        QVERIFY(spill != home);
        replicas[home].load = 0;
        QCOMPARE(*b.pick(replicas, key), home); // and comes back
    }

    void leastResponseTimeUsesTheEwma()
    {
        BalancerTuning t;
        t.ewmaAlpha = 0.5;
        Balancer b(BalancingAlgorithm::LeastResponseTime, t);
        auto replicas = readyReplicas(3);
        // Unmeasured replicas are tried first, so all get measured.
        QSet<int> first;
        for (int i = 0; i < 3; ++i) {
            const int p = *b.pick(replicas);
            first.insert(p);
            b.recordResponse(p, p == 0 ? 300 : p == 1 ? 100 : 200);
        }
        QCOMPARE(first, (QSet<int>{0, 1, 2}));
        QCOMPARE(*b.pick(replicas), 1);
        // EWMA: 100 then 500 with alpha 0.5 -> 300; 2 (200) is now fastest.
        b.recordResponse(1, 500);
        QCOMPARE(*b.responseEwmaMs(1), 300.0);
        QCOMPARE(*b.pick(replicas), 2);
        // Jobs in flight scale the score: 200 x (1 + 1) > 300 x 1 and 300 x 1 ties with 1.
        replicas[2].load = 1;
        const int p = *b.pick(replicas);
        QVERIFY(p == 0 || p == 1);
        b.forget(1);
        QVERIFY(!b.responseEwmaMs(1));
    }

    void resourceBasedPicksTheMostHeadroom()
    {
        Balancer b(BalancingAlgorithm::ResourceBased);
        auto replicas = readyReplicas(3, 10);
        for (auto &r : replicas)
            r.cpuValid = true;
        replicas[0].cpuPercent = 90;
        replicas[0].memoryFraction = 0.2;
        replicas[1].cpuPercent = 20;
        replicas[1].memoryFraction = 0.9;
        replicas[2].cpuPercent = 30;
        replicas[2].memoryFraction = 0.3;
        replicas[2].load = 2;
        // 0: .36+.06+0 = .42; 1: .08+.27+0 = .35; 2: .12+.09+.06 = .27
        QCOMPARE(*b.pick(replicas), 2);
        replicas[2].load = 9; // .12+.09+.27 = .48
        QCOMPARE(*b.pick(replicas), 1);
    }

    void retriesAvoidTheFailedReplicaWhenThereIsAnother()
    {
        for (auto a : {BalancingAlgorithm::LeastConnections, BalancingAlgorithm::RoundRobin,
                       BalancingAlgorithm::WeightedRoundRobin, BalancingAlgorithm::ConsistentHash,
                       BalancingAlgorithm::LeastResponseTime, BalancingAlgorithm::ResourceBased}) {
            Balancer b(a);
            auto replicas = readyReplicas(3);
            for (int i = 0; i < 20; ++i) {
                const auto p = b.pick(replicas, QByteArray::number(i), {0, 1});
                QCOMPARE(*p, 2);
            }
            // Only the failed ones are left: better them than nothing.
            replicas[2].ready = false;
            QVERIFY(b.pick(replicas, "k", {0, 1}).has_value());
        }
    }
};

QTEST_GUILESS_MAIN(TestBalancer)
#include "tst_balancer.moc"
