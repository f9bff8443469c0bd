#include "bottlenecks.h"

#include "core/detect/bottleneck_detector.h"
#include "pool_series.h"

namespace drover {

namespace {

// The longest window any signature reads (cache: 5 min).
constexpr qint64 kWindowMs = 300000;

Series toSeries(const QVector<TimedValue> &values)
{
    Series out;
    out.reserve(values.size());
    for (const TimedValue &v : values)
        out.append({v.timeMs, v.value});
    return out;
}

// Prompt + completion tokens per second, where both were measured in the same second.
Series tokensSeries(const SeriesBook &series, const QString &pool, qint64 since)
{
    const QVector<TimedValue> prompt = series.window(pool, PoolMetric::PromptTokensPerSecond, since);
    const QVector<TimedValue> completion =
        series.window(pool, PoolMetric::CompletionTokensPerSecond, since);
    QHash<qint64, double> byTime;
    for (const TimedValue &v : completion)
        byTime.insert(v.timeMs, v.value);
    Series out;
    for (const TimedValue &v : prompt) {
        const auto it = byTime.constFind(v.timeMs);
        if (it != byTime.cend())
            out.append({v.timeMs, v.value + it.value()});
    }
    return out;
}

BottleneckView viewOf(const BottleneckFinding &f)
{
    BottleneckView v;
    v.signature = bottleneckName(f.signature);
    v.title = bottleneckTitle(f.signature);
    v.severity = severityName(f.severity);
    v.pool = f.pool;
    v.confidence = f.confidence;
    v.summary = f.summary;
    for (const Evidence &e : f.evidence)
        v.evidence << e.text;
    v.remediationKind = remediationKindName(f.remediation.kind);
    v.remediation = f.remediation.text;
    v.targetReplicas = f.remediation.targetReplicas;
    v.targetTier = f.remediation.targetTier;
    v.restartReplicas = f.remediation.replicas;
    v.sinceMs = f.sinceMs;
    return v;
}

SupervisorEvent eventOf(const BottleneckFinding &f, bool appeared, qint64 nowMs)
{
    SupervisorEvent e;
    e.timeMs = nowMs;
    e.pool = f.pool;
    e.kind = QStringLiteral("bottleneck");
    e.from = appeared ? QStringLiteral("clear") : QStringLiteral("active");
    e.to = appeared ? QStringLiteral("active") : QStringLiteral("clear");
    e.reason =
        QStringLiteral("%1 (%2, confidence %3): %4")
            .arg(bottleneckName(f.signature), severityName(f.severity))
            .arg(f.confidence, 0, 'f', 2)
            .arg(appeared ? f.summary + QStringLiteral("; ") + f.remediation.text : f.summary);
    return e;
}

} // namespace

struct Bottlenecks::Impl
{
    BottleneckDetector detector;
};

Bottlenecks::Bottlenecks(const std::function<void(BottleneckTuning &)> &tune)
{
    BottleneckTuning tuning;
    if (tune)
        tune(tuning);
    d = std::make_unique<Impl>(Impl{BottleneckDetector(tuning)});
}

Bottlenecks::~Bottlenecks() = default;

QVector<SupervisorEvent> Bottlenecks::evaluate(const SeriesBook &series,
                                               const QVector<PoolStatus> &pools,
                                               const Config &config, double logicalCores,
                                               quint64 memoryTotalBytes, qint64 nowMs,
                                               Snapshot *snapshot)
{
    const qint64 since = nowMs - kWindowMs;
    DetectorInput in;
    in.nowMs = nowMs;
    in.tiers = config.tiers;
    in.host.logicalCores = logicalCores;
    in.host.memoryTotalBytes = memoryTotalBytes;
    in.host.cpuPercent = toSeries(series.systemWindow(SystemMetric::CpuPercent, since));
    in.host.memoryPercent = toSeries(series.systemWindow(SystemMetric::MemoryPercent, since));
    for (const PoolStatus &p : pools) {
        PoolSignals s;
        s.pool = p.name;
        if (const TierSpec *tier = config.tier(p.tier))
            s.tier = *tier;
        s.replicas = p.running;
        s.minReplicas = p.minReplicas;
        s.maxReplicas = p.maxReplicas;
        s.cpuCores = toSeries(series.window(p.name, PoolMetric::CpuCores, since));
        s.queueDepth = toSeries(series.window(p.name, PoolMetric::QueueDepth, since));
        // The gateway's meter (missing without it: the signature is then not assessed).
        s.upstreamRequestsPerSecond =
            toSeries(series.window(p.name, PoolMetric::GptRequestsPerSecond, since));
        s.upstream429PerSecond = toSeries(series.window(p.name, PoolMetric::Upstream429PerSecond, since));
        s.tokensPerSecond = tokensSeries(series, p.name, since);
        in.pools.append(s);
    }
    const BottleneckReport report = d->detector.evaluate(in);

    snapshot->bottlenecks.clear();
    for (const BottleneckFinding &f : report.active)
        snapshot->bottlenecks.append(viewOf(f));
    QVector<SupervisorEvent> events;
    for (const BottleneckFinding &f : report.appeared)
        events.append(eventOf(f, true, nowMs));
    for (const BottleneckFinding &f : report.cleared)
        events.append(eventOf(f, false, nowMs));
    return events;
}

} // namespace drover
