#include "snapshot_metrics.h"

#include <QMap>

#include <optional>

namespace drover {

namespace {

using Type = PrometheusType;
using Family = void (*)(ExpositionWriter &, const MetricsInput &);

QString n(qint64 v)
{
    return QString::number(v);
}

void buildInfo(ExpositionWriter &w, const MetricsInput &)
{
    w.family(QStringLiteral("drover_build_info"), Type::Gauge,
             QStringLiteral("Drover's version; always 1."));
    w.sample({{QStringLiteral("version"), QStringLiteral(DROVER_VERSION)},
              {QStringLiteral("qt_version"), QString::fromLatin1(qVersion())}},
             1);
}

void snapshotSequence(ExpositionWriter &w, const MetricsInput &in)
{
    w.family(QStringLiteral("drover_snapshot_sequence"), Type::Gauge,
             QStringLiteral("Sequence number of the engine's last published snapshot (0: none yet)."));
    w.sample({}, in.snapshot ? double(in.snapshot->sequence) : 0.0);
}

void snapshotAge(ExpositionWriter &w, const MetricsInput &in)
{
    w.family(QStringLiteral("drover_snapshot_age_seconds"), Type::Gauge,
             QStringLiteral("Seconds since the engine published its last snapshot."));
    if (in.snapshot)
        w.sample({}, qMax<qint64>(0, in.nowMs - in.snapshot->publishedAtMs) / 1000.0);
}

void hostCpu(ExpositionWriter &w, const MetricsInput &in)
{
    w.family(QStringLiteral("drover_host_cpu_percent"), Type::Gauge,
             QStringLiteral("Busy share of all the machine's cores, 0..100."));
    if (in.snapshot && in.snapshot->cpuValid)
        w.sample({}, in.snapshot->cpuPercent);
}

void hostMemory(ExpositionWriter &w, const MetricsInput &in)
{
    w.family(QStringLiteral("drover_host_memory_used_bytes"), Type::Gauge,
             QStringLiteral("Memory in use on the machine."));
    if (in.snapshot && in.snapshot->memoryTotalBytes)
        w.sample({}, double(in.snapshot->memoryUsedBytes));
    w.family(QStringLiteral("drover_host_memory_total_bytes"), Type::Gauge,
             QStringLiteral("Memory of the machine."));
    if (in.snapshot && in.snapshot->memoryTotalBytes)
        w.sample({}, double(in.snapshot->memoryTotalBytes));
}

const ReplicaState kReplicaStates[] = {ReplicaState::Starting, ReplicaState::Ready,
                                       ReplicaState::Unhealthy, ReplicaState::Stopping,
                                       ReplicaState::Exited,   ReplicaState::Crashed,
                                       ReplicaState::Backoff};

void replicas(ExpositionWriter &w, const MetricsInput &in)
{
    w.family(QStringLiteral("drover_replicas"), Type::Gauge,
             QStringLiteral("Replicas of a pool by lifecycle state."));
    if (!in.snapshot)
        return;
    for (const PoolStatus &p : in.snapshot->pools) {
        // Every state, zeros included: a state that empties must read 0, not vanish.
        for (ReplicaState state : kReplicaStates) {
            int count = 0;
            for (const ReplicaStatus &r : p.replicas)
                count += r.state == state ? 1 : 0;
            w.sample({{QStringLiteral("pool"), p.name}, {QStringLiteral("state"), replicaStateName(state)}},
                     count);
        }
    }
}

void desiredReplicas(ExpositionWriter &w, const MetricsInput &in)
{
    w.family(QStringLiteral("drover_pool_desired_replicas"), Type::Gauge,
             QStringLiteral("Replicas the pool should run (operator, autoscaler or restored state)."));
    if (!in.snapshot)
        return;
    for (const PoolStatus &p : in.snapshot->pools)
        w.sample({{QStringLiteral("pool"), p.name}}, p.desired);
}

void poolLimits(ExpositionWriter &w, const MetricsInput &in)
{
    w.family(QStringLiteral("drover_pool_min_replicas"), Type::Gauge,
             QStringLiteral("The pool's configured minimum replicas."));
    if (in.snapshot)
        for (const PoolStatus &p : in.snapshot->pools)
            w.sample({{QStringLiteral("pool"), p.name}}, p.minReplicas);
    w.family(QStringLiteral("drover_pool_max_replicas"), Type::Gauge,
             QStringLiteral("The pool's configured maximum replicas."));
    if (in.snapshot)
        for (const PoolStatus &p : in.snapshot->pools)
            w.sample({{QStringLiteral("pool"), p.name}}, p.maxReplicas);
}

void poolState(ExpositionWriter &w, const MetricsInput &in)
{
    w.family(QStringLiteral("drover_pool_state"), Type::Gauge,
             QStringLiteral("1 for the state the pool is in (stopped, running, degraded, crash loop, error)."));
    if (!in.snapshot)
        return;
    const PoolState states[] = {PoolState::Stopped, PoolState::Running, PoolState::Degraded,
                                PoolState::CrashLoop, PoolState::Error};
    for (const PoolStatus &p : in.snapshot->pools)
        for (PoolState s : states)
            w.sample({{QStringLiteral("pool"), p.name}, {QStringLiteral("state"), poolStateName(s)}},
                     p.state == s ? 1 : 0);
}

void replicaCpu(ExpositionWriter &w, const MetricsInput &in)
{
    w.family(QStringLiteral("drover_replica_cpu_percent"), Type::Gauge,
             QStringLiteral("CPU of one replica's process tree, percent of one core."));
    if (!in.snapshot)
        return;
    for (const PoolStatus &p : in.snapshot->pools)
        for (const ReplicaStatus &r : p.replicas)
            if (r.cpuValid)
                w.sample({{QStringLiteral("pool"), p.name}, {QStringLiteral("replica"), n(r.index)}},
                         r.cpuPercent);
}

void replicaMemory(ExpositionWriter &w, const MetricsInput &in)
{
    w.family(QStringLiteral("drover_replica_memory_bytes"), Type::Gauge,
             QStringLiteral("Memory of one replica: resident (rss) and committed private (private)."));
    if (!in.snapshot)
        return;
    for (const PoolStatus &p : in.snapshot->pools)
        for (const ReplicaStatus &r : p.replicas) {
            if (r.pid <= 0)
                continue; // not running: no process to measure
            const MetricLabels base = {{QStringLiteral("pool"), p.name},
                                       {QStringLiteral("replica"), n(r.index)}};
            w.sample(base + MetricLabels{{QStringLiteral("kind"), QStringLiteral("rss")}},
                     double(r.rssBytes));
            w.sample(base + MetricLabels{{QStringLiteral("kind"), QStringLiteral("private")}},
                     double(r.privateBytes));
        }
}

void replicaRestarts(ExpositionWriter &w, const MetricsInput &in)
{
    w.family(QStringLiteral("drover_replica_restarts"), Type::Gauge,
             QStringLiteral("Restarts of a replica slot since its pool started."));
    if (!in.snapshot)
        return;
    for (const PoolStatus &p : in.snapshot->pools)
        for (const ReplicaStatus &r : p.replicas)
            w.sample({{QStringLiteral("pool"), p.name}, {QStringLiteral("replica"), n(r.index)}},
                     r.restarts);
}

void queueDepth(ExpositionWriter &w, const MetricsInput &in)
{
    w.family(QStringLiteral("drover_queue_depth"), Type::Gauge,
             QStringLiteral("Jobs waiting at a pool's agents, as their /metrics report."));
    if (!in.snapshot)
        return;
    for (const PoolStatus &p : in.snapshot->pools) {
        // A pool whose agents report nothing has no queue depth; 0 would claim an empty queue.
        bool reported = false;
        double depth = 0;
        for (const ReplicaStatus &r : p.replicas) {
            if (r.metricsValid) {
                reported = true;
                depth += r.queueDepth;
            }
        }
        if (reported)
            w.sample({{QStringLiteral("pool"), p.name}}, depth);
    }
}

void gptTokens(ExpositionWriter &w, const MetricsInput &in)
{
    w.family(QStringLiteral("drover_gpt_tokens_total"), Type::Counter,
             QStringLiteral("GPT tokens used by a pool's replicas, by kind (prompt, completion)."));
    for (auto it = in.counters->gptTokens().cbegin(); it != in.counters->gptTokens().cend(); ++it)
        w.sample({{QStringLiteral("pool"), it.key().pool},
                  {QStringLiteral("tier"), it.key().tier},
                  {QStringLiteral("model"), it.key().model},
                  {QStringLiteral("kind"), it.key().kind}},
                 it.value());
}

void scalingDecisions(ExpositionWriter &w, const MetricsInput &in)
{
    w.family(QStringLiteral("drover_scaling_decisions_total"), Type::Counter,
             QStringLiteral("Recorded autoscaler decisions by direction (up, down, none) and "
                            "winning driver (reason)."));
    const auto &d = in.counters->scalingDecisions();
    for (auto it = d.cbegin(); it != d.cend(); ++it)
        w.sample({{QStringLiteral("pool"), it.key().pool},
                  {QStringLiteral("direction"), it.key().direction},
                  {QStringLiteral("reason"), it.key().reason}},
                 double(it.value()));
}

void alertsFiring(ExpositionWriter &w, const MetricsInput &in)
{
    w.family(QStringLiteral("drover_alerts_firing"), Type::Gauge,
             QStringLiteral("Alerts firing now, by severity."));
    QMap<QString, int> bySeverity;
    for (const char *s : {"info", "warning", "high", "critical"})
        bySeverity[QLatin1String(s)] = 0;
    if (in.snapshot)
        for (const AlertView &a : in.snapshot->activeAlerts)
            if (a.state == QLatin1String("firing"))
                ++bySeverity[a.severity];
    for (auto it = bySeverity.cbegin(); it != bySeverity.cend(); ++it)
        w.sample({{QStringLiteral("severity"), it.key()}}, it.value());
}

void bottlenecks(ExpositionWriter &w, const MetricsInput &in)
{
    w.family(QStringLiteral("drover_bottleneck_confidence"), Type::Gauge,
             QStringLiteral("Active bottleneck findings and their confidence, 0..1."));
    if (!in.snapshot)
        return;
    for (const BottleneckView &b : in.snapshot->bottlenecks)
        w.sample({{QStringLiteral("signature"), b.signature},
                  {QStringLiteral("pool"), b.pool},
                  {QStringLiteral("severity"), b.severity}},
                 b.confidence);
}

void tickSeconds(ExpositionWriter &w, const MetricsInput &in)
{
    w.family(QStringLiteral("drover_engine_tick_seconds"), Type::Histogram,
             QStringLiteral("Time one engine tick took (sample, store, decide, act, publish)."));
    w.histogram({}, in.counters->tickSeconds());
}

void snapshotsReceived(ExpositionWriter &w, const MetricsInput &in)
{
    w.family(QStringLiteral("drover_snapshots_received_total"), Type::Counter,
             QStringLiteral("Engine snapshots this endpoint has received."));
    w.sample({}, double(in.counters->snapshotsSeen()));
}

void gateway(ExpositionWriter &w, const MetricsInput &in)
{
    const GatewayView *g = in.snapshot && in.snapshot->gateway.enabled ? &in.snapshot->gateway : nullptr;
    w.family(QStringLiteral("drover_gateway_up"), Type::Gauge,
             QStringLiteral("1 when the GPT gateway serves, 0 when it is enabled and not running."));
    if (g)
        w.sample({{QStringLiteral("upstream"), g->simulated ? QStringLiteral("simulated") : g->upstream}},
                 g->running ? 1 : 0);
    w.family(QStringLiteral("drover_gateway_upstream_throttled"), Type::Gauge,
             QStringLiteral("1 while the provider throttles (429 until its reset), 0 otherwise."));
    if (g)
        w.sample({}, g->throttled ? 1 : 0);
    w.family(QStringLiteral("drover_gateway_insufficient_quota"), Type::Gauge,
             QStringLiteral("1 when the provider answered insufficient_quota (not retried)."));
    if (g)
        w.sample({}, g->insufficientQuota ? 1 : 0);
    w.family(QStringLiteral("drover_gateway_upstream_throttled_responses_total"), Type::Counter,
             QStringLiteral("429 answers from the provider since Drover started."));
    if (g)
        w.sample({}, double(g->upstream429));
    w.family(QStringLiteral("drover_gateway_unauthorized_requests_total"), Type::Counter,
             QStringLiteral("Requests refused with 401 (unknown or missing agent token)."));
    if (g)
        w.sample({}, double(g->unauthorized));
    w.family(QStringLiteral("drover_gateway_active_requests"), Type::Gauge,
             QStringLiteral("Requests in flight through the gateway, streams included."));
    if (g)
        w.sample({}, g->activeRequests);
    w.family(QStringLiteral("drover_gateway_active_streams"), Type::Gauge,
             QStringLiteral("Streaming (SSE) responses in flight."));
    if (g)
        w.sample({}, g->activeStreams);
    w.family(QStringLiteral("drover_gateway_tokens_total"), Type::Counter,
             QStringLiteral("Tokens metered by the gateway from the provider's usage, by kind "
                            "(cached and reasoning are parts of prompt and completion)."));
    if (g) {
        const std::pair<const char *, qint64> kinds[] = {{"prompt", g->promptTokens},
                                                         {"completion", g->completionTokens},
                                                         {"cached", g->cachedTokens},
                                                         {"reasoning", g->reasoningTokens}};
        for (const auto &[kind, total] : kinds)
            w.sample({{QStringLiteral("kind"), QLatin1String(kind)}}, double(total));
    }
    w.family(QStringLiteral("drover_gateway_budget_rejections_total"), Type::Counter,
             QStringLiteral("Requests of a pool's agents refused with 429 by their tier's budget."));
    if (g)
        for (const PoolWorkView &p : in.snapshot->work)
            w.sample({{QStringLiteral("pool"), p.pool}}, double(p.rejected));
}

void dispatch(ExpositionWriter &w, const MetricsInput &in)
{
    const QVector<PoolWorkView> none;
    const QVector<PoolWorkView> &work = in.snapshot ? in.snapshot->work : none;
    const auto perPool = [&](const char *name, Type type, const QString &help, auto value) {
        w.family(QLatin1String(name), type, help);
        for (const PoolWorkView &p : work)
            if (const std::optional<double> v = value(p))
                w.sample({{QStringLiteral("pool"), p.pool}}, *v);
    };
    using V = std::optional<double>;
    perPool("drover_dispatch_jobs_waiting", Type::Gauge,
            QStringLiteral("Jobs in Drover's queue for a pool, not yet accepted by an agent."),
            [](const PoolWorkView &p) -> V { return p.waiting; });
    perPool("drover_dispatch_jobs_delivering", Type::Gauge,
            QStringLiteral("Jobs being handed to an agent right now."),
            [](const PoolWorkView &p) -> V { return p.delivering; });
    perPool("drover_dispatch_oldest_wait_seconds", Type::Gauge,
            QStringLiteral("Age of the oldest job waiting in Drover's queue."),
            [](const PoolWorkView &p) -> V { return p.oldestWaitMs / 1000.0; });
    perPool("drover_dispatch_jobs_delivered_total", Type::Counter,
            QStringLiteral("Jobs accepted by a pool's agents since Drover started."),
            [](const PoolWorkView &p) -> V { return double(p.delivered); });
    perPool("drover_dispatch_dead_letters", Type::Gauge,
            QStringLiteral("Jobs that used up their retries and wait for the operator."),
            [](const PoolWorkView &p) -> V { return p.deadLetters; });
    // -1 in the snapshot means "nothing delivered yet": no sample rather than a fake zero.
    perPool("drover_dispatch_wait_p95_seconds", Type::Gauge,
            QStringLiteral("95th percentile of queued-until-accepted time over recent jobs."),
            [](const PoolWorkView &p) -> V {
                return p.waitP95Ms < 0 ? V{} : V{p.waitP95Ms / 1000.0};
            });
    perPool("drover_dispatch_latency_p95_seconds", Type::Gauge,
            QStringLiteral("95th percentile of the hand-over round trip (POST /jobs) to an agent."),
            [](const PoolWorkView &p) -> V {
                return p.dispatchLatencyP95Ms < 0 ? V{} : V{p.dispatchLatencyP95Ms / 1000.0};
            });
    w.family(QStringLiteral("drover_replica_circuit_breaker"), Type::Gauge,
             QStringLiteral("A replica's circuit breaker: 1 for its current state "
                            "(closed, open, half_open), 0 for the others."));
    for (const PoolWorkView &p : work)
        for (const ReplicaWorkView &r : p.replicas)
            for (const char *state : {"closed", "open", "half_open"})
                w.sample({{QStringLiteral("pool"), p.pool},
                          {QStringLiteral("replica"), n(r.replica)},
                          {QStringLiteral("state"), QLatin1String(state)}},
                         r.breaker == QLatin1String(state) ? 1 : 0);
}

// Order is the order on the page.
const Family kFamilies[] = {
    buildInfo,    snapshotSequence, snapshotAge,      snapshotsReceived, hostCpu,
    hostMemory,   poolState,        replicas,         desiredReplicas,   poolLimits,
    replicaCpu,   replicaMemory,    replicaRestarts,  queueDepth,        gptTokens,
    scalingDecisions, alertsFiring, bottlenecks,      tickSeconds,       gateway,
    dispatch,
};

} // namespace

QByteArray renderMetrics(const MetricsInput &input)
{
    static const SnapshotCounters kNoCounters;
    MetricsInput in = input;
    if (!in.counters)
        in.counters = &kNoCounters;
    ExpositionWriter w;
    for (Family f : kFamilies)
        f(w, in);
    return w.text();
}

} // namespace drover
