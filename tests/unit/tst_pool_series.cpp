// The engine's series: aggregation of a pool's status to series values, counter rates across
// scrape intervals and resets, and missing data that stays missing.
#include "core/engine/bottlenecks.h"
#include "core/engine/pool_series.h"
#include "core/engine/scaling_loop.h"

#include <QtTest>
#include <cmath>

using namespace drover;

namespace {

ReplicaStatus replica(int index, qint64 pid, double cpu, double queue, double jobs,
                      ReplicaState state = ReplicaState::Ready)
{
    ReplicaStatus r;
    r.index = index;
    r.pid = pid;
    r.state = state;
    r.cpuValid = std::isfinite(cpu);
    r.cpuPercent = r.cpuValid ? cpu : 0;
    r.rssBytes = 100 << 20;
    r.privateBytes = 256 << 20;
    r.metricsValid = std::isfinite(queue);
    r.queueDepth = r.metricsValid ? queue : 0;
    r.jobsTotal = r.metricsValid ? jobs : 0;
    return r;
}

PoolStatus pool(QVector<ReplicaStatus> replicas)
{
    PoolStatus p;
    p.name = QStringLiteral("p");
    p.replicas = replicas;
    p.desired = int(replicas.size());
    for (const ReplicaStatus &r : replicas)
        p.ready += r.state == ReplicaState::Ready ? 1 : 0;
    return p;
}

TierSpec tier()
{
    TierSpec t;
    t.name = QStringLiteral("t");
    t.cpuCores = 2.0;
    t.memoryMb = 1024;
    return t;
}

const double kNaN = std::numeric_limits<double>::quiet_NaN();

} // namespace

class TestPoolSeries : public QObject
{
    Q_OBJECT
private slots:
    void aggregatesOverMeasuredReplicas()
    {
        CounterRates rates;
        const TierSpec t = tier();
        // Two ready replicas at 100 % and 60 % of one core on a 2-core tier; a starting one
        // whose CPU burst must not count.
        const PoolAggregate a =
            aggregatePool(pool({replica(0, 10, 100, 4, 0), replica(1, 11, 60, 6, 0),
                                replica(2, 12, 190, kNaN, 0, ReplicaState::Starting)}),
                          &t, 1000, rates);
        QCOMPARE(a.value(PoolMetric::CpuPercent), 40.0); // 160 % of a core / (2 cores x 2)
        QCOMPARE(a.value(PoolMetric::QueueDepth), 10.0);
        QCOMPARE(a.value(PoolMetric::ReadyReplicas), 2.0);
        QCOMPARE(a.value(PoolMetric::MemoryPercent), 25.0); // 256 MB of 1024 MB each
        QCOMPARE(a.memoryBytes, 3.0 * (100 << 20));
        // No rate from a single sample.
        QVERIFY(std::isnan(a.value(PoolMetric::JobsPerSecond)));
        QVERIFY(std::isnan(a.value(PoolMetric::ErrorRatePercent)));
    }

    void missingStaysMissing()
    {
        CounterRates rates;
        const TierSpec t = tier();
        // Nothing scraped, no CPU reading: queue and CPU are missing, not zero; the ready
        // count is always known.
        const PoolAggregate a =
            aggregatePool(pool({replica(0, 10, kNaN, kNaN, 0)}), &t, 1000, rates);
        QVERIFY(std::isnan(a.value(PoolMetric::CpuPercent)));
        QVERIFY(std::isnan(a.value(PoolMetric::QueueDepth)));
        QCOMPARE(a.value(PoolMetric::ReadyReplicas), 1.0);
        // No replicas at all: ready is 0 (PoolNotReady must see it), the rest missing.
        const PoolAggregate empty = aggregatePool(pool({}), &t, 2000, rates);
        QCOMPARE(empty.value(PoolMetric::ReadyReplicas), 0.0);
        QVERIFY(std::isnan(empty.value(PoolMetric::MemoryPercent)));
        // A tier without a memory limit has no memory share; an unknown tier no CPU share.
        TierSpec unlimited = t;
        unlimited.memoryMb = 0;
        const PoolAggregate u =
            aggregatePool(pool({replica(0, 10, 50, 1, 0)}), &unlimited, 3000, rates);
        QVERIFY(std::isnan(u.value(PoolMetric::MemoryPercent)));
        const PoolAggregate none =
            aggregatePool(pool({replica(0, 10, 50, 1, 0)}), nullptr, 4000, rates);
        QVERIFY(std::isnan(none.value(PoolMetric::CpuPercent)));

        // The book stores gaps: `current` is missing for a tick without a value.
        SeriesBook book;
        book.recordPool(pool({replica(0, 10, 50, 3, 0)}), &t, 1000);
        book.recordPool(pool({replica(0, 10, 50, kNaN, 0)}), &t, 2000);
        QCOMPARE(book.current(QStringLiteral("p"), PoolMetric::QueueDepth, 1000), 3.0);
        QVERIFY(std::isnan(book.current(QStringLiteral("p"), PoolMetric::QueueDepth, 2000)));
        QCOMPARE(book.window(QStringLiteral("p"), PoolMetric::QueueDepth, 0).size(), 1);
        QCOMPARE(book.window(QStringLiteral("p"), PoolMetric::ReadyReplicas, 0).size(), 2);
        book.recordSystem(SystemMetric::CpuPercent, 2000, kNaN);
        QVERIFY(book.systemWindow(SystemMetric::CpuPercent, 0).isEmpty());
    }

    void ratesSpanScrapeIntervals()
    {
        // Scraped every 2 s, ticked every 1 s: the counter moves every other tick. The window
        // rate is steady, not 0 and 20 alternately.
        CounterRates rates(5000);
        const TierSpec t = tier();
        const double counter[] = {0, 0, 20, 20, 40, 40, 60, 60, 80};
        QVector<double> seen;
        for (int i = 0; i < 9; ++i) {
            const PoolAggregate a =
                aggregatePool(pool({replica(0, 10, 50, 0, counter[i])}), &t, 1000 * i, rates);
            seen << a.value(PoolMetric::JobsPerSecond);
        }
        QVERIFY(std::isnan(seen[0]));
        for (int i = 5; i < 9; ++i)
            QVERIFY2(seen[i] >= 8 && seen[i] <= 12, qPrintable(QString::number(seen[i])));
    }

    void counterResetIsMissingNotNegative()
    {
        CounterRates rates(5000);
        const TierSpec t = tier();
        aggregatePool(pool({replica(0, 10, 50, 0, 100)}), &t, 0, rates);
        PoolAggregate a = aggregatePool(pool({replica(0, 10, 50, 0, 110)}), &t, 1000, rates);
        QCOMPARE(a.value(PoolMetric::JobsPerSecond), 10.0);
        // The agent restarted in place (same pid seen, counter went down): missing, then a rate
        // from the samples after the reset only.
        a = aggregatePool(pool({replica(0, 10, 50, 0, 3)}), &t, 2000, rates);
        QVERIFY(std::isnan(a.value(PoolMetric::JobsPerSecond)));
        a = aggregatePool(pool({replica(0, 10, 50, 0, 8)}), &t, 3000, rates);
        QCOMPARE(a.value(PoolMetric::JobsPerSecond), 5.0);
        // A new process behind the index (pid changed) starts over even if its counter is higher.
        a = aggregatePool(pool({replica(0, 11, 50, 0, 500)}), &t, 4000, rates);
        QVERIFY(std::isnan(a.value(PoolMetric::JobsPerSecond)));
        // Two replicas, one just reset: the pool rate is the other one's, not blank, not 0.
        CounterRates two(5000);
        aggregatePool(pool({replica(0, 10, 50, 0, 100), replica(1, 20, 50, 0, 100)}), &t, 0, two);
        a = aggregatePool(pool({replica(0, 10, 50, 0, 104), replica(1, 20, 50, 0, 1)}), &t, 1000,
                          two);
        QCOMPARE(a.value(PoolMetric::JobsPerSecond), 4.0);
    }

    // error_rate_percent: failed over finished jobs, both as rates over the window; a replica
    // whose counters reset is left out, an agent without outcome labels gives no error rate.
    void errorRateFromFailedJobs()
    {
        CounterRates rates(5000);
        const TierSpec t = tier();
        const auto with = [](ReplicaStatus r, double failed) {
            r.jobsFailedTotal = failed;
            return r;
        };
        aggregatePool(pool({with(replica(0, 10, 50, 0, 100), 10), with(replica(1, 20, 50, 0, 0), 0)}), &t, 0, rates);
        PoolAggregate a = aggregatePool(
            pool({with(replica(0, 10, 50, 0, 120), 12), with(replica(1, 20, 50, 0, 20), 6)}), &t, 1000, rates);
        QCOMPARE(a.value(PoolMetric::JobsPerSecond), 40.0);
        QCOMPARE(a.value(PoolMetric::ErrorRatePercent), 20.0); // (2 + 6) / (20 + 20)
        // Replica 1 restarted (counters back near 0): its rates are unknown, not negative;
        // the pool's error rate is replica 0's.
        a = aggregatePool(pool({with(replica(0, 10, 50, 0, 140), 13), with(replica(1, 20, 50, 0, 1), 1)}), &t,
                          2000, rates);
        QCOMPARE(a.value(PoolMetric::ErrorRatePercent), 100.0 * (13 - 10) / (140 - 100));
        // No outcome labels (NaN failed): no error rate at all, never 0 %.
        CounterRates plain(5000);
        aggregatePool(pool({replica(0, 10, 50, 0, 100)}), &t, 0, plain);
        a = aggregatePool(pool({replica(0, 10, 50, 0, 150)}), &t, 1000, plain);
        QCOMPARE(a.value(PoolMetric::JobsPerSecond), 50.0);
        QVERIFY(std::isnan(a.value(PoolMetric::ErrorRatePercent)));
    }

    void autoscalerInputIsInTierUnits()
    {
        const TierSpec t = tier();
        CounterRates rates;
        const PoolStatus p = pool({replica(0, 10, 150, 7, 0), replica(1, 11, kNaN, 3, 0),
                                   replica(2, 12, 90, kNaN, 0, ReplicaState::Starting),
                                   replica(3, 13, 10, kNaN, 0, ReplicaState::Stopping)});
        const PoolAggregate a = aggregatePool(p, &t, 1000, rates);
        HostState host;
        host.freeMemoryMb = 4096;
        const AutoscalerInput in = autoscalerInputFor(p, &t, a, host, 1000);
        QCOMPARE(in.currentReplicas, 4);
        QCOMPARE(in.replicas.size(), 3);           // the stopping one is no capacity
        QCOMPARE(in.replicas[0].cpuPercent, 75.0); // 150 % of a core on a 2-core tier
        QVERIFY(std::isnan(in.replicas[1].cpuPercent));
        QVERIFY(!in.replicas[2].ready);
        QCOMPARE(in.replicas[0].memoryPercent, 25.0);
        QCOMPARE(in.queueDepth, 10.0);
        QCOMPARE(in.tierCpuCores, 2.0);
        QCOMPARE(in.host.freeMemoryMb, 4096.0);
    }

    void policiesBecomeRules()
    {
        PoolSpec p;
        p.name = QStringLiteral("p");
        p.minReplicas = 2;
        p.maxReplicas = 7;
        // No policies in the file: the seed rules.
        AutoscalerSpec spec = autoscalerSpecForPool(p, {});
        QCOMPARE(spec.rules.size(), seedScalingRules().size());
        QCOMPARE(spec.minReplicas, 2);
        QCOMPARE(spec.maxReplicas, 7);
        PolicySpec out{QStringLiteral("out"),
                       QStringLiteral("queue_depth"),
                       QStringLiteral(">="),
                       10,
                       1000,
                       2,
                       500};
        PolicySpec in{QStringLiteral("in"),
                      QStringLiteral("cpu_percent"),
                      QStringLiteral("<"),
                      20,
                      2000,
                      -1,
                      0};
        spec = autoscalerSpecForPool(p, {out, in});
        QCOMPARE(spec.rules.size(), 2);
        QCOMPARE(spec.rules[0].op, ScalingRule::Op::Above);
        QCOMPARE(spec.rules[1].op, ScalingRule::Op::Below);
        QCOMPARE(spec.rules[0].cooldownMs, qint64(500));
        // The pool selects some, adds a target and overrides the behavior.
        p.autoscale.policies = QStringList{QStringLiteral("in")};
        p.autoscale.metrics = {{QStringLiteral("cpu_percent"), 60}};
        p.autoscale.scaleDownStabilizationMs = 30000;
        p.autoscale.tolerance = 0.2;
        spec = autoscalerSpecForPool(p, {out, in});
        QCOMPARE(spec.rules.size(), 1);
        QCOMPARE(spec.rules[0].name, QStringLiteral("in"));
        QCOMPARE(spec.metrics.size(), 1);
        QCOMPARE(spec.behavior.scaleDown.stabilizationWindowMs, qint64(30000));
        QCOMPARE(spec.behavior.scaleUp.tolerance, 0.2);
        QVERIFY(validateAutoscalerSpec(spec).isEmpty());
    }

    void bottlenecksAreFedFromTheRings()
    {
        // Two minutes of a growing queue at max replicas: the detector sees it through the rings
        // and reports a queue backlog; a pool without queue data is not assessed at all.
        Config config;
        config.tiers = defaultTiers();
        const TierSpec *t = config.tier(QStringLiteral("basic"));
        SeriesBook book;
        Bottlenecks stage;
        Snapshot snapshot;
        PoolStatus quiet = pool({replica(0, 20, 10, kNaN, 0)});
        quiet.name = QStringLiteral("quiet");
        quiet.tier = QStringLiteral("basic");
        quiet.running = 1;
        QVector<SupervisorEvent> events;
        for (int i = 0; i <= 130; ++i) {
            PoolStatus busy = pool({replica(0, 10, 60, 50 + 2.0 * i, 0)});
            busy.tier = QStringLiteral("basic");
            busy.running = busy.minReplicas = busy.maxReplicas = 1;
            const qint64 now = 1000000 + 1000LL * i;
            book.recordPool(busy, t, now);
            book.recordPool(quiet, t, now);
            events += stage.evaluate(book, {busy, quiet}, config, 8, 16ULL << 30, now, &snapshot);
        }
        QCOMPARE(snapshot.bottlenecks.size(), 1);
        const BottleneckView &b = snapshot.bottlenecks.first();
        QCOMPARE(b.signature, QStringLiteral("queue_backlog"));
        QCOMPARE(b.pool, QStringLiteral("p"));
        QVERIFY(b.confidence >= 0.6);
        QVERIFY(!b.evidence.isEmpty());
        QVERIFY(!b.remediation.isEmpty());
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.first().kind, QStringLiteral("bottleneck"));
        QCOMPARE(events.first().to, QStringLiteral("active"));
    }

    void recordingIsThrottled()
    {
        Config config;
        PoolSpec p;
        p.name = QStringLiteral("p");
        config.pools << p;
        ScalingLoop loop(config);
        ScalingRecord r;
        r.pool = QStringLiteral("p");
        r.decision.currentReplicas = r.decision.finalReplicas = 1;
        r.decision.driver = QStringLiteral("none");
        QVERIFY(loop.shouldRecord(r, 0));
        QVERIFY(!loop.shouldRecord(r, 1000));
        QVERIFY(!loop.shouldRecord(r, 9999));
        QVERIFY(loop.shouldRecord(r, 10000)); // the heartbeat
        r.decision.limit = LimitReason::AtMin;
        QVERIFY(loop.shouldRecord(r, 10500)); // a different reason
        r.decision.finalReplicas = 2;
        r.applied = true;
        QVERIFY(loop.shouldRecord(r, 10600)); // an applied change, always
        QVERIFY(loop.shouldRecord(r, 10700));
        // A change the supervisor refuses (a pool in a crash loop) is recorded once per
        // refusal and then at the heartbeat, not every tick.
        r.applied = false;
        r.refusal = QStringLiteral("crash loop");
        QVERIFY(loop.shouldRecord(r, 10800));
        QVERIFY(!loop.shouldRecord(r, 11800));
        QVERIFY(!loop.shouldRecord(r, 12800));
        QVERIFY(loop.shouldRecord(r, 20800));
    }
};

QTEST_GUILESS_MAIN(TestPoolSeries)
#include "tst_pool_series.moc"
