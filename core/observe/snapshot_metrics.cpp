#include "snapshot_metrics.h"

#include <QMap>

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

// Order is the order on the page.
const Family kFamilies[] = {
    buildInfo,    snapshotSequence, snapshotAge,      snapshotsReceived, hostCpu,
    hostMemory,   poolState,        replicas,         desiredReplicas,   poolLimits,
    replicaCpu,   replicaMemory,    replicaRestarts,  queueDepth,        gptTokens,
    scalingDecisions, alertsFiring, bottlenecks,      tickSeconds,
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
