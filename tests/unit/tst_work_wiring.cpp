// The pure parts of the engine's work wiring: drover.yaml's dispatch and gateway sections as the
// dispatcher's and the gateway's own types, counter rates, and how the dispatcher's and the
// gateway's measurements land in a pool's series values.
#include "core/config/config.h"
#include "core/dispatch/dispatcher.h"
#include "core/engine/pool_series.h"
#include "core/engine/work_wiring.h"
#include "core/gateway/gateway.h"

#include <QtTest>
#include <cmath>

using namespace drover;

namespace {
QString dump(const ConfigLoadResult &r)
{
    QStringList lines;
    for (const ConfigIssue &i : r.issues)
        lines << i.toString();
    return lines.join(QLatin1Char('\n'));
}
} // namespace

class TestWorkWiring : public QObject
{
    Q_OBJECT
private slots:
    void loopsFromConfigKeepTheSeedRulesUnlessOverridden()
    {
        const ConfigLoadResult r = parseConfig(
            "version: 1\n"
            "pools:\n"
            "  - { name: loops, command: x }\n"
            "dispatch:\n"
            "  loops:\n"
            "    - { name: weekly, pool: loops, every: 7d, priority: medium }\n"
            "    - { name: fast, pool: loops, every: 5m, payload: { gpt: true, cpu_ms: 20, note: hi } }\n"
            "    - { name: fast_once, pool: loops, every: 5m, missed: run_once, jitter: 0s,"
            " allow_overlap: true, run_at_first_start: true, enabled: false }\n"
            "    - { name: monthly, pool: loops, every: monthly }\n",
            QStringLiteral("d.yaml"));
        QVERIFY2(r.issues.isEmpty(), qPrintable(dump(r)));
        const QVector<LoopSpec> loops = loopSpecsFromConfig(r.config);
        QCOMPARE(loops.size(), 4);
        const LoopSpec seedWeekly = seedLoopSpec(QStringLiteral("x"), QStringLiteral("loops"),
                                                 JobPriority::Low, 7LL * 24 * 3600 * 1000);
        QCOMPARE(loops[0].anchorMs, seedWeekly.anchorMs); // Mondays
        QCOMPARE(loops[0].priority, JobPriority::Medium);
        QCOMPARE(loops[0].missedPolicy, MissedRunPolicy::RunOnce); // a day and longer: catch up
        QCOMPARE(loops[1].missedPolicy, MissedRunPolicy::Skip);    // shorter: skip
        QCOMPARE(loops[1].jitterMs, 30000);                        // 10 % of 5 min
        QCOMPARE(loops[1].payload.value(QStringLiteral("gpt")).toBool(), true);
        QCOMPARE(loops[1].payload.value(QStringLiteral("cpu_ms")).toDouble(), 20.0);
        QCOMPARE(loops[1].payload.value(QStringLiteral("note")).toString(), QStringLiteral("hi"));
        QCOMPARE(loops[1].payload.value(QStringLiteral("loop")).toString(), QStringLiteral("fast"));
        QCOMPARE(loops[2].missedPolicy, MissedRunPolicy::RunOnce);
        QCOMPARE(loops[2].jitterMs, 0);
        QVERIFY(loops[2].allowOverlap);
        QVERIFY(loops[2].runAtFirstStart);
        QVERIFY(!loops[2].enabled);
        QVERIFY(loops[3].monthly);

        // No loops: section: the seed's 15 into "loops"; an empty one: none.
        QCOMPARE(loopSpecsFromConfig(parseConfig("version: 1\n", QStringLiteral("e.yaml")).config).size(), 15);
        QCOMPARE(loopSpecsFromConfig(parseConfig("version: 1\ndispatch: { loops: [] }\n",
                                                 QStringLiteral("e.yaml")).config).size(), 0);
        // missed_runs applies to every loop that does not say otherwise.
        const ConfigLoadResult all = parseConfig(
            "version: 1\npools: [ { name: loops, command: x } ]\n"
            "dispatch: { missed_runs: run_once, loops: [ { name: a, pool: loops, every: 5m } ] }\n",
            QStringLiteral("m.yaml"));
        QVERIFY2(all.issues.isEmpty(), qPrintable(dump(all)));
        QCOMPARE(loopSpecsFromConfig(all.config).first().missedPolicy, MissedRunPolicy::RunOnce);
    }

    void poolsAndGatewayFromConfig()
    {
        const ConfigLoadResult r = parseConfig(
            "version: 1\n"
            "pools:\n"
            "  - { name: mail, command: x, args: [--role, browser] }\n"
            "  - { name: other, command: x }\n"
            "gateway:\n"
            "  upstream: https://api.example.com/v1\n"
            "  provider_key: k\n"
            "  completion_estimate: 32\n"
            "  max_retries: 0\n"
            "  simulated: { requests_per_minute: 60 }\n"
            "  budgets: { basic: { requests_per_minute: 7 }, premium: { tokens_per_minute: 0 } }\n"
            "dispatch:\n"
            "  max_retries: 4\n"
            "  retry_backoff: 2s\n"
            "  pools: { other: { balancer: least_response_time, max_retries: 1 } }\n",
            QStringLiteral("p.yaml"));
        QVERIFY2(r.issues.isEmpty(), qPrintable(dump(r)));
        const QVector<DispatchPoolConfig> pools = dispatchPoolsFromConfig(r.config);
        QCOMPARE(pools.size(), 2);
        // By role when the file says nothing (browser: the seed's table), else as written.
        QCOMPARE(pools[0].algorithm, defaultBalancingAlgorithm(QStringLiteral("browser")));
        QCOMPARE(pools[0].retry.maxRetries, 4);
        QCOMPARE(pools[0].retry.backoffInitialMs, 2000);
        QCOMPARE(pools[1].algorithm, BalancingAlgorithm::LeastResponseTime);
        QCOMPARE(pools[1].retry.maxRetries, 1);

        const GatewayOptions g = gatewayOptionsFromConfig(r.config, QStringLiteral("Svc"));
        QCOMPARE(g.upstream, QStringLiteral("https://api.example.com/v1"));
        QCOMPARE(g.secretService, QStringLiteral("Svc"));
        QCOMPARE(g.providerKeyName, QStringLiteral("k"));
        QCOMPARE(g.defaultCompletionEstimate, 32);
        QCOMPARE(g.maxUpstreamRetries, 0);
        QCOMPARE(g.simulated.requestsPerMinute, 60);
        // Tokens per minute from the tier table; the file adds requests or overrides tokens.
        QCOMPARE(g.tierBudgets.value(QStringLiteral("basic")).tokensPerMinute,
                 r.config.tier(QStringLiteral("basic"))->gptTokensPerMinute);
        QCOMPARE(g.tierBudgets.value(QStringLiteral("basic")).requestsPerMinute, 7);
        QCOMPARE(g.tierBudgets.value(QStringLiteral("premium")).tokensPerMinute, 0);
        QCOMPARE(g.tierBudgets.value(QStringLiteral("free")).tokensPerMinute,
                 r.config.tier(QStringLiteral("free"))->gptTokensPerMinute);
    }

    void counterWindowRatesAndResets()
    {
        CounterWindow w;
        QVERIFY(std::isnan(w.rate()));
        w.observe(0, 100, 5000);
        QVERIFY(std::isnan(w.rate())); // one sample: no rate
        w.observe(1000, 150, 5000);
        QCOMPARE(w.rate(), 50.0);
        w.observe(2000, 150, 5000);
        QCOMPARE(w.rate(), 25.0); // over the whole window so far
        for (qint64 t = 3000; t <= 10000; t += 1000)
            w.observe(t, 150, 5000);
        QCOMPARE(w.rate(), 0.0); // idle for a whole window: zero, not missing
        w.observe(11000, 10, 5000); // went down: a new gateway, counting from scratch
        QVERIFY(std::isnan(w.rate()));
        w.observe(12000, 30, 5000);
        QCOMPARE(w.rate(), 20.0);
    }

    void poolWorkReplacesQueueAndMeteredTokens()
    {
        PoolStatus p;
        p.name = QStringLiteral("p");
        p.ready = 1;
        ReplicaStatus r;
        r.index = 0;
        r.pid = 42;
        r.state = ReplicaState::Ready;
        r.metricsValid = true;
        r.queueDepth = 3;
        p.replicas = {r};
        SeriesBook book;
        // Without work: the agents' report alone, no dispatcher series.
        PoolAggregate plain = book.recordPool(p, nullptr, 1000, 5000);
        QCOMPARE(plain.value(PoolMetric::QueueDepth), 3.0);
        QVERIFY(std::isnan(plain.value(PoolMetric::QueueWaitSeconds)));

        PoolWork w;
        w.queueDepth = 10; // Drover's 7 waiting + the agents' 3
        w.oldestWaitSeconds = 4;
        w.deadLetters = 2;
        w.metered = true;
        w.promptTokensPerSecond = 30;
        w.completionTokensPerSecond = 12;
        w.requestsPerSecond = 1.5;
        w.upstream429PerSecond = 0.5;
        w.replicaTokensPerSecond.insert(0, 42);
        w.providerThrottled = true;
        w.gptBound = true;
        const PoolAggregate a = book.recordPool(p, nullptr, 2000, 5000, &w);
        QCOMPARE(a.value(PoolMetric::QueueDepth), 10.0);
        QCOMPARE(a.value(PoolMetric::QueueWaitSeconds), 4.0);
        QCOMPARE(a.value(PoolMetric::DeadLetters), 2.0);
        QCOMPARE(a.value(PoolMetric::PromptTokensPerSecond), 30.0);
        QCOMPARE(a.value(PoolMetric::CompletionTokensPerSecond), 12.0);
        QCOMPARE(a.value(PoolMetric::GptRequestsPerSecond), 1.5);
        QCOMPARE(a.value(PoolMetric::Upstream429PerSecond), 0.5);
        QVERIFY(std::isnan(a.value(PoolMetric::DispatchLatencyMs))); // nothing delivered yet
        QCOMPARE(a.replicaTokensPerSecond.value(0), 42.0);
        QVERIFY(a.providerThrottled && a.gptBound);
        QCOMPARE(book.current(QStringLiteral("p"), PoolMetric::QueueDepth, 2000), 10.0);
        QCOMPARE(poolMetricName(PoolMetric::Upstream429PerSecond),
                 QStringLiteral("pool_gpt_upstream_429_per_second"));

        // Not metered by the gateway: the agents' own token counts stand.
        PoolWork unmetered;
        unmetered.promptTokensPerSecond = 99;
        const PoolAggregate b = book.recordPool(p, nullptr, 3000, 5000, &unmetered);
        QVERIFY(b.value(PoolMetric::PromptTokensPerSecond) != 99.0);
    }
};

QTEST_GUILESS_MAIN(TestWorkWiring)
#include "tst_work_wiring.moc"
