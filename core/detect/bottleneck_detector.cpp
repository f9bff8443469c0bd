#include "bottleneck_detector.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace drover {

QString bottleneckName(Bottleneck b)
{
    switch (b) {
    case Bottleneck::GptThrottling:
        return QStringLiteral("gpt_throttling");
    case Bottleneck::MemoryPressure:
        return QStringLiteral("memory_pressure");
    case Bottleneck::CpuSaturation:
        return QStringLiteral("cpu_saturation");
    case Bottleneck::NetworkCongestion:
        return QStringLiteral("network_congestion");
    case Bottleneck::QueueBacklog:
        return QStringLiteral("queue_backlog");
    case Bottleneck::DiskIo:
        return QStringLiteral("disk_io");
    case Bottleneck::CacheInefficiency:
        return QStringLiteral("cache_inefficiency");
    case Bottleneck::BrowserPoolExhaustion:
        return QStringLiteral("browser_pool_exhaustion");
    }
    return {};
}

QString bottleneckTitle(Bottleneck b)
{
    switch (b) {
    case Bottleneck::GptThrottling:
        return QStringLiteral("GPT throttling");
    case Bottleneck::MemoryPressure:
        return QStringLiteral("Memory pressure");
    case Bottleneck::CpuSaturation:
        return QStringLiteral("CPU saturation");
    case Bottleneck::NetworkCongestion:
        return QStringLiteral("Network congestion");
    case Bottleneck::QueueBacklog:
        return QStringLiteral("Queue backlog");
    case Bottleneck::DiskIo:
        return QStringLiteral("Disk I/O");
    case Bottleneck::CacheInefficiency:
        return QStringLiteral("Cache inefficiency");
    case Bottleneck::BrowserPoolExhaustion:
        return QStringLiteral("Browser pool exhaustion");
    }
    return {};
}

QString severityName(BottleneckSeverity s)
{
    switch (s) {
    case BottleneckSeverity::Low:
        return QStringLiteral("low");
    case BottleneckSeverity::Medium:
        return QStringLiteral("medium");
    case BottleneckSeverity::High:
        return QStringLiteral("high");
    case BottleneckSeverity::Critical:
        return QStringLiteral("critical");
    }
    return {};
}

BottleneckSeverity bottleneckSeverity(Bottleneck b)
{
    switch (b) {
    case Bottleneck::GptThrottling:
    case Bottleneck::MemoryPressure:
        return BottleneckSeverity::Critical;
    case Bottleneck::CpuSaturation:
    case Bottleneck::NetworkCongestion:
    case Bottleneck::QueueBacklog:
        return BottleneckSeverity::High;
    case Bottleneck::DiskIo:
    case Bottleneck::BrowserPoolExhaustion:
        return BottleneckSeverity::Medium;
    case Bottleneck::CacheInefficiency:
        return BottleneckSeverity::Low;
    }
    return BottleneckSeverity::Low;
}

QString remediationKindName(Remediation::Kind k)
{
    switch (k) {
    case Remediation::Kind::ScaleOut:
        return QStringLiteral("scale_out");
    case Remediation::Kind::Retier:
        return QStringLiteral("retier");
    case Remediation::Kind::RestartReplicas:
        return QStringLiteral("restart_replicas");
    case Remediation::Kind::HoldScaleOut:
        return QStringLiteral("hold_scale_out");
    case Remediation::Kind::NotifyOnly:
        return QStringLiteral("notify_only");
    }
    return {};
}

namespace {

// 0 at or below lo, 1 at or above hi, linear between.
double ramp(double x, double lo, double hi)
{
    if (!(hi > lo))
        return x >= hi ? 1.0 : 0.0;
    return std::clamp((x - lo) / (hi - lo), 0.0, 1.0);
}

QString pct(double share)
{
    return QString::number(share * 100.0, 'f', 0) + QStringLiteral(" %");
}
QString num(double v, int decimals = 1)
{
    return QString::number(v, 'f', decimals);
}
QString mib(double bytes)
{
    return QString::number(bytes / (1024.0 * 1024.0), 'f', 0) + QStringLiteral(" MB");
}
QString minutes(qint64 ms)
{
    return QString::number(ms / 60000) + QStringLiteral(" min");
}

// The samples of one series inside (now - window, now]. Empty when the series is missing or
// stale. `coverage` is 1 when at least fullCoverage of the expected samples are there, and
// falls linearly below that: sparse data lowers confidence.
struct Window
{
    QVector<SeriesPoint> points;
    double coverage = 0;
    qint64 startMs = 0;
    qint64 endMs = 0;

    bool present() const { return !points.isEmpty(); }

    double mean() const
    {
        if (points.isEmpty())
            return 0;
        double sum = 0;
        for (const SeriesPoint &p : points)
            sum += p.value;
        return sum / points.size();
    }
    double sum() const
    {
        double s = 0;
        for (const SeriesPoint &p : points)
            s += p.value;
        return s;
    }
    double max() const
    {
        double m = -std::numeric_limits<double>::infinity();
        for (const SeriesPoint &p : points)
            m = std::max(m, p.value);
        return points.isEmpty() ? 0 : m;
    }
    // Mean of the samples in the earlier / later half of the window (by time).
    double earlyMean() const { return halfMean(false); }
    double lateMean() const { return halfMean(true); }
    double halfMean(bool late) const
    {
        const qint64 mid = startMs + (endMs - startMs) / 2;
        double sum = 0;
        int n = 0;
        for (const SeriesPoint &p : points) {
            if ((p.timeMs > mid) == late) {
                sum += p.value;
                ++n;
            }
        }
        return n ? sum / n : mean();
    }
    // Mean of the newest samples (the last `spanMs`): the current level without one-sample noise.
    double recentMean(qint64 spanMs) const
    {
        double sum = 0;
        int n = 0;
        for (const SeriesPoint &p : points) {
            if (p.timeMs > endMs - spanMs) {
                sum += p.value;
                ++n;
            }
        }
        return n ? sum / n : mean();
    }
    // Least-squares slope, value per second.
    double slopePerSecond() const
    {
        if (points.size() < 3)
            return 0;
        double mx = 0, my = 0;
        for (const SeriesPoint &p : points) {
            mx += double(p.timeMs - endMs) / 1000.0;
            my += p.value;
        }
        mx /= points.size();
        my /= points.size();
        double sxy = 0, sxx = 0;
        for (const SeriesPoint &p : points) {
            const double dx = double(p.timeMs - endMs) / 1000.0 - mx;
            sxy += dx * (p.value - my);
            sxx += dx * dx;
        }
        return sxx > 0 ? sxy / sxx : 0;
    }
    template <typename Pred> double fractionWhere(Pred pred) const
    {
        if (points.isEmpty())
            return 0;
        int n = 0;
        for (const SeriesPoint &p : points)
            n += pred(p.value) ? 1 : 0;
        return double(n) / points.size();
    }
};

Window windowOf(const Series &series, qint64 nowMs, qint64 windowMs, const BottleneckTuning &t)
{
    Window w;
    w.startMs = nowMs - windowMs;
    w.endMs = nowMs;
    qint64 newest = std::numeric_limits<qint64>::min();
    for (const SeriesPoint &p : series) {
        if (p.timeMs > w.startMs && p.timeMs <= nowMs && std::isfinite(p.value)) {
            w.points.append(p);
            newest = std::max(newest, p.timeMs);
        }
    }
    if (w.points.isEmpty() || newest < nowMs - t.staleAfterMs) {
        w.points.clear();
        return w;
    }
    const double expected = double(windowMs) / double(std::max<qint64>(1, t.sampleIntervalMs));
    const double share = expected > 0 ? double(w.points.size()) / expected : 1.0;
    w.coverage = std::clamp(share / std::max(0.01, t.fullCoverage), 0.0, 1.0);
    return w;
}

// The configured tier just above `current` in `field` (the smallest one that has more).
template <typename Field>
const TierSpec *nextTierUp(const QList<TierSpec> &tiers, const TierSpec &current, Field field)
{
    const TierSpec *best = nullptr;
    for (const TierSpec &t : tiers) {
        if (t.name == current.name || !(field(t) > field(current)))
            continue;
        if (!best || field(t) < field(*best))
            best = &t;
    }
    return best;
}

struct HostRoom
{
    bool known = false; // host CPU measured
    bool room = false;
    double cpuMean = 0;
    double memoryMean = 0;
    double freeCores = 0;
};

HostRoom hostRoom(const DetectorInput &in, const BottleneckTuning &t)
{
    HostRoom r;
    const Window cpu = windowOf(in.host.cpuPercent, in.nowMs, t.cpuWindowMs, t);
    const Window mem = windowOf(in.host.memoryPercent, in.nowMs, t.memoryWindowMs, t);
    if (!cpu.present())
        return r; // unknown: never claim room we did not measure
    r.known = true;
    r.cpuMean = cpu.mean();
    r.memoryMean = mem.present() ? mem.mean() : 0;
    r.freeCores = in.host.logicalCores > 0
                      ? in.host.logicalCores * std::max(0.0, 100.0 - r.cpuMean) / 100.0
                      : std::numeric_limits<double>::infinity();
    r.room = r.cpuMean < t.hostRoomCpuPercent &&
             (!mem.present() || r.memoryMean < t.hostRoomMemoryPercent);
    return r;
}

BottleneckFinding makeFinding(Bottleneck b, const QString &pool)
{
    BottleneckFinding f;
    f.signature = b;
    f.severity = bottleneckSeverity(b);
    f.pool = pool;
    return f;
}

QString where(const QString &pool)
{
    return pool.isEmpty() ? QStringLiteral("the host") : QStringLiteral("pool ") + pool;
}

void addEvidence(BottleneckFinding &f, const QString &series, double value, double reference,
                 double score, const QString &text)
{
    f.evidence.append(Evidence{series, value, reference, score, text});
}

// ---- 1. GPT throttling (critical, per pool) --------------------------------------------------
// Rule: the provider answers a share of the pool's calls with 429 (core: ratio ramps 1 % -> 10 %
// over 60 s; without call counts, the 429 rate ramps 0.05/s -> 0.5/s), Retry-After is rising
// (corroboration), and tokens/s is flat or falling against the tier budget (corroboration:
// demand is there but throughput does not grow). confidence = coverage x (0.55 ratio +
// 0.20 retry-after + 0.25 flat tokens). Remediation: hold scale-out, lower concurrency and back
// off; never scale out (more replicas draw more 429s from the same account).
void assessThrottling(const DetectorInput &in, const PoolSignals &p, const BottleneckTuning &t,
                      QVector<BottleneckFinding> &out)
{
    const Window r429 = windowOf(p.upstream429PerSecond, in.nowMs, t.throttleWindowMs, t);
    if (!r429.present())
        return;
    BottleneckFinding f = makeFinding(Bottleneck::GptThrottling, p.pool);

    const Window req = windowOf(p.upstreamRequestsPerSecond, in.nowMs, t.throttleWindowMs, t);
    double core = 0;
    double ratio = -1;
    if (req.present() && req.mean() > 0) {
        // Means, not sums: the two series may have different gaps.
        ratio = std::clamp(r429.mean() / req.mean(), 0.0, 1.0);
        core = ramp(ratio, t.throttleRatioLow, t.throttleRatioHigh);
        addEvidence(f, QStringLiteral("upstream_429_ratio"), ratio, t.throttleRatioHigh, core,
                    QStringLiteral("%1 of upstream calls answered 429 in the last %2 s")
                        .arg(pct(ratio))
                        .arg(t.throttleWindowMs / 1000));
    } else {
        const double rate = r429.mean();
        core = ramp(rate, t.throttleRateLow, t.throttleRateHigh);
        addEvidence(f, QStringLiteral("upstream_429_per_second"), rate, t.throttleRateHigh, core,
                    QStringLiteral("%1 upstream 429/s (call counts missing)").arg(num(rate, 2)));
    }
    if (core <= 0)
        return;

    double retryScore = 0;
    const Window retry = windowOf(p.retryAfterSeconds, in.nowMs, t.throttleWindowMs, t);
    if (retry.present()) {
        const double early = retry.earlyMean(), late = retry.lateMean();
        // Rising: the later half asks for at least 0.25 s (or 5 %) more than the earlier one.
        const bool rising = late - early >= std::max(0.25, 0.05 * early);
        retryScore = late > 0 ? (rising ? 1.0 : 0.5) : 0.0;
        addEvidence(f, QStringLiteral("retry_after_seconds"), late, early, retryScore,
                    QStringLiteral("Retry-After %1 s (was %2 s)").arg(num(late), num(early)));
    }

    double flatScore = 0;
    const Window tokens = windowOf(p.tokensPerSecond, in.nowMs, t.throttleWindowMs, t);
    if (tokens.present() && tokens.mean() > 0) {
        const double early = tokens.earlyMean(), late = tokens.lateMean();
        const double rise = early > 0 ? (late - early) / early : 1.0;
        flatScore = 1.0 - ramp(rise, 0.10, 0.30); // rising throughput is not a ceiling
        const double budget = p.tier.gptTokensPerMinute * std::max(1, p.replicas) / 60.0;
        addEvidence(f, QStringLiteral("tokens_per_second"), tokens.mean(), budget, flatScore,
                    QStringLiteral("%1 tokens/s, %2 (%3 of the tier budget of %4/s)")
                        .arg(num(tokens.mean(), 0),
                             flatScore >= 0.5 ? QStringLiteral("flat") : QStringLiteral("rising"),
                             budget > 0 ? pct(tokens.mean() / budget) : QStringLiteral("n/a"),
                             num(budget, 0)));
    }

    f.confidence = r429.coverage * (0.55 * core + 0.20 * retryScore + 0.25 * flatScore);
    f.summary =
        QStringLiteral("GPT throttling in %1: %2").arg(where(p.pool), f.evidence.first().text);

    Remediation &r = f.remediation;
    r.kind = Remediation::Kind::HoldScaleOut;
    r.pool = p.pool;
    r.holdForMs = t.throttleHoldMs;
    r.enableBackoff = true;
    r.concurrencyFactor = ratio >= 0.25 ? 0.5 : 0.75;
    r.text = QStringLiteral("Hold scale-out of %1 for %2, cut its concurrent GPT calls to %3 and "
                            "back off on Retry-After: more replicas only draw more 429s. If it "
                            "persists, switch the pool to a model with more headroom or raise "
                            "the provider tier.")
                 .arg(where(p.pool), minutes(r.holdForMs), pct(r.concurrencyFactor));
    out.append(f);
}

// ---- 2a. Memory pressure, per pool (critical) ------------------------------------------------
// Rule: the fullest replica's private bytes (mean of its last 5 s) against the tier memory
// limit (core: ramps 80 % -> 95 %), corroborated by its growth (reaching the limit within
// leakHorizon), host memory (85 % -> 95 %) and swap-in (1 -> 20 MB/s, if reported).
// confidence = coverage x (0.65 level + 0.15 growth + 0.10 host + 0.10 swap). Remediation:
// restart the replicas that are growing towards the limit (a leak), else re-tier up.
void assessPoolMemory(const DetectorInput &in, const PoolSignals &p, const BottleneckTuning &t,
                      QVector<BottleneckFinding> &out)
{
    if (p.tier.memoryMb <= 0)
        return; // no limit: nothing to be near
    const double limit = double(p.tier.memoryMb) * 1024.0 * 1024.0;

    struct ReplicaMem
    {
        int index;
        double level;
        double slope;
        double coverage;
    };
    QVector<ReplicaMem> mems;
    for (const ReplicaSignals &rs : p.replicaMemory) {
        const Window w = windowOf(rs.privateBytes, in.nowMs, t.memoryWindowMs, t);
        if (w.present())
            mems.append({rs.index, w.recentMean(5000), w.slopePerSecond(), w.coverage});
    }
    if (mems.isEmpty())
        return;
    const auto fullest =
        std::max_element(mems.begin(), mems.end(), [](const ReplicaMem &a, const ReplicaMem &b) {
            return a.level < b.level;
        });
    const double share = fullest->level / limit;
    const double core = ramp(share, t.replicaMemoryLow, t.replicaMemoryHigh);
    if (core <= 0)
        return;

    BottleneckFinding f = makeFinding(Bottleneck::MemoryPressure, p.pool);
    addEvidence(f, QStringLiteral("replica.private_bytes"), fullest->level, limit, core,
                QStringLiteral("replica %1 uses %2 of its %3 limit (%4)")
                    .arg(fullest->index)
                    .arg(mib(fullest->level), mib(limit), pct(share)));

    // Growth that would reach the limit within the leak horizon counts fully.
    const auto growthScore = [&](const ReplicaMem &m) {
        if (m.slope <= 0)
            return 0.0;
        const double msToLimit = std::max(0.0, limit - m.level) / m.slope * 1000.0;
        return 1.0 - ramp(msToLimit, double(t.leakHorizonMs), 3.0 * double(t.leakHorizonMs));
    };
    const double growth = growthScore(*fullest);
    addEvidence(f, QStringLiteral("replica.private_bytes_growth"), fullest->slope, 0, growth,
                QStringLiteral("replica %1 grows %2/min")
                    .arg(fullest->index)
                    .arg(mib(fullest->slope * 60)));

    double hostScore = 0, swapScore = 0;
    const Window host = windowOf(in.host.memoryPercent, in.nowMs, t.memoryWindowMs, t);
    if (host.present()) {
        hostScore = ramp(host.mean(), t.hostMemoryLow, t.hostMemoryHigh);
        addEvidence(f, QStringLiteral("host.memory_percent"), host.mean(), t.hostMemoryHigh,
                    hostScore, QStringLiteral("host memory %1 % used").arg(num(host.mean(), 0)));
    }
    const Window swap = windowOf(in.host.swapInBytesPerSecond, in.nowMs, t.memoryWindowMs, t);
    if (swap.present()) {
        swapScore = ramp(swap.mean(), t.swapInLow, t.swapInHigh);
        addEvidence(f, QStringLiteral("host.swap_in_bytes_per_second"), swap.mean(), t.swapInHigh,
                    swapScore, QStringLiteral("swap-in %1/s").arg(mib(swap.mean())));
    }

    f.confidence =
        fullest->coverage * (0.65 * core + 0.15 * growth + 0.10 * hostScore + 0.10 * swapScore);
    f.summary =
        QStringLiteral("Memory pressure in %1: %2").arg(where(p.pool), f.evidence.first().text);

    Remediation &r = f.remediation;
    r.pool = p.pool;
    for (const ReplicaMem &m : mems) {
        if (m.level / limit >= t.replicaMemoryLow && growthScore(m) >= 0.5)
            r.replicas.append(m.index);
    }
    if (!r.replicas.isEmpty()) {
        std::sort(r.replicas.begin(), r.replicas.end());
        QStringList ids;
        for (int i : r.replicas)
            ids << QString::number(i);
        r.kind = Remediation::Kind::RestartReplicas;
        r.text = QStringLiteral("Restart replica(s) %1 of %2: they grow towards the %3 limit "
                                "(a leak); a rolling restart frees the memory, fix the agent "
                                "for good.")
                     .arg(ids.join(QStringLiteral(", ")), p.pool, mib(limit));
    } else if (const TierSpec *up =
                   nextTierUp(in.tiers, p.tier, [](const TierSpec &x) { return x.memoryMb; })) {
        r.kind = Remediation::Kind::Retier;
        r.targetTier = up->name;
        r.text = QStringLiteral("Re-tier %1 from %2 to %3 (%4 MB per replica): its replicas "
                                "sit at their memory limit without growing, so they need more.")
                     .arg(p.pool, p.tier.name, up->name)
                     .arg(up->memoryMb);
    } else {
        r.kind = Remediation::Kind::NotifyOnly;
        r.text = QStringLiteral("%1 is at the largest tier's memory limit: lower its per-replica "
                                "load (concurrent tasks) or reduce the agent's memory use.")
                     .arg(p.pool);
    }
    out.append(f);
}

// ---- 2b. Memory pressure, host-wide (critical) -----------------------------------------------
// Rule: host memory used (mean over 30 s, core: ramps 85 % -> 95 %), corroborated by swap-in
// (1 -> 20 MB/s, if reported) and rising host memory (up to 2 points/min). confidence =
// coverage x (0.65 level + 0.20 swap + 0.15 rising). Remediation: restart the replica that grows
// fastest (the likely leak) if one grows, else hold scale-out of all pools.
void assessHostMemory(const DetectorInput &in, const BottleneckTuning &t,
                      QVector<BottleneckFinding> &out)
{
    const Window host = windowOf(in.host.memoryPercent, in.nowMs, t.memoryWindowMs, t);
    if (!host.present())
        return;
    const double core = ramp(host.mean(), t.hostMemoryLow, t.hostMemoryHigh);
    if (core <= 0)
        return;
    BottleneckFinding f = makeFinding(Bottleneck::MemoryPressure, QString());
    addEvidence(f, QStringLiteral("host.memory_percent"), host.mean(), t.hostMemoryHigh, core,
                QStringLiteral("host memory %1 % used").arg(num(host.mean(), 0)));
    double swapScore = 0;
    const Window swap = windowOf(in.host.swapInBytesPerSecond, in.nowMs, t.memoryWindowMs, t);
    if (swap.present()) {
        swapScore = ramp(swap.mean(), t.swapInLow, t.swapInHigh);
        addEvidence(f, QStringLiteral("host.swap_in_bytes_per_second"), swap.mean(), t.swapInHigh,
                    swapScore, QStringLiteral("swap-in %1/s").arg(mib(swap.mean())));
    }
    const double pointsPerMinute = host.slopePerSecond() * 60.0;
    const double risingScore = ramp(pointsPerMinute, 0.0, 2.0);
    addEvidence(f, QStringLiteral("host.memory_percent_growth"), pointsPerMinute, 2.0, risingScore,
                QStringLiteral("host memory %1 points/min").arg(num(pointsPerMinute)));
    f.confidence = host.coverage * (0.65 * core + 0.20 * swapScore + 0.15 * risingScore);
    f.summary = QStringLiteral("Memory pressure on the host: %1").arg(f.evidence.first().text);

    // The replica growing fastest (at least 1 MB/min) is the likely culprit.
    QString culpritPool;
    int culpritIndex = -1;
    double culpritSlope = (1 << 20) / 60.0;
    for (const PoolSignals &p : in.pools) {
        for (const ReplicaSignals &rs : p.replicaMemory) {
            const Window w = windowOf(rs.privateBytes, in.nowMs, t.memoryWindowMs, t);
            const double slope = w.slopePerSecond();
            if (w.present() && slope > culpritSlope) {
                culpritSlope = slope;
                culpritPool = p.pool;
                culpritIndex = rs.index;
            }
        }
    }
    Remediation &r = f.remediation;
    if (culpritIndex >= 0) {
        r.kind = Remediation::Kind::RestartReplicas;
        r.pool = culpritPool;
        r.replicas = {culpritIndex};
        addEvidence(f, QStringLiteral("replica.private_bytes_growth"), culpritSlope, 0, 1.0,
                    QStringLiteral("replica %1 of %2 grows %3/min")
                        .arg(culpritIndex)
                        .arg(culpritPool, mib(culpritSlope * 60)));
        r.text = QStringLiteral("Restart replica %1 of %2: it grows %3/min while the host runs "
                                "out of memory (a likely leak).")
                     .arg(culpritIndex)
                     .arg(culpritPool, mib(culpritSlope * 60));
    } else {
        r.kind = Remediation::Kind::HoldScaleOut;
        r.holdForMs = t.throttleHoldMs;
        r.text = QStringLiteral("Hold scale-out of all pools for %1: the host has no memory for "
                                "more replicas. Re-tier or stop low-priority pools.")
                     .arg(minutes(r.holdForMs));
    }
    out.append(f);
}

// ---- 3a. CPU saturation, per pool (high) -----------------------------------------------------
// Rule: the share of the last 120 s in which the pool used >= 90 % of its quota (tier cores x
// replicas) (core: ramps 50 % -> 90 % of the window, i.e. sustained), corroborated by the host
// being >= 85 % busy for the same share. confidence = coverage x (0.7 pool + 0.3 host).
// Remediation: scale out when the host has room (CPU < 70 %, memory < 80 %) and the pool is
// below its max; else re-tier up (more cores per replica); else notify.
void assessPoolCpu(const DetectorInput &in, const PoolSignals &p, const HostRoom &room,
                   const BottleneckTuning &t, QVector<BottleneckFinding> &out)
{
    const double quota = p.tier.cpuCores * p.replicas;
    if (quota <= 0)
        return;
    const Window cpu = windowOf(p.cpuCores, in.nowMs, t.cpuWindowMs, t);
    if (!cpu.present())
        return;
    const double saturatedShare =
        cpu.fractionWhere([&](double v) { return v >= t.poolCpuSaturated * quota; });
    const double core = ramp(saturatedShare, 0.5, 0.9);
    if (core <= 0)
        return;
    BottleneckFinding f = makeFinding(Bottleneck::CpuSaturation, p.pool);
    const double util = cpu.mean() / quota;
    addEvidence(f, QStringLiteral("pool.cpu_cores"), cpu.mean(), quota, core,
                QStringLiteral("uses %1 of %2 cores (%3 of its quota) %4 of the last %5 s")
                    .arg(num(cpu.mean()), num(quota), pct(util), pct(saturatedShare))
                    .arg(t.cpuWindowMs / 1000));
    double hostScore = 0;
    const Window host = windowOf(in.host.cpuPercent, in.nowMs, t.cpuWindowMs, t);
    if (host.present()) {
        const double hostShare =
            host.fractionWhere([&](double v) { return v >= t.hostCpuSaturated; });
        hostScore = ramp(hostShare, 0.5, 0.9);
        addEvidence(f, QStringLiteral("host.cpu_percent"), host.mean(), t.hostCpuSaturated,
                    hostScore, QStringLiteral("host CPU %1 %").arg(num(host.mean(), 0)));
    }
    f.confidence = cpu.coverage * (0.7 * core + 0.3 * hostScore);
    f.summary =
        QStringLiteral("CPU saturation in %1: %2").arg(where(p.pool), f.evidence.first().text);

    Remediation &r = f.remediation;
    r.pool = p.pool;
    const TierSpec *up = nextTierUp(in.tiers, p.tier, [](const TierSpec &x) { return x.cpuCores; });
    if (room.room && p.replicas < p.maxReplicas) {
        // Size the pool so its current use sits at the target utilization, within max and
        // within the cores the host has free.
        const int wanted = int(std::ceil(p.replicas * util / t.targetUtilization - 1e-9));
        int add = std::max(1, wanted - p.replicas);
        add = std::min(add, p.maxReplicas - p.replicas);
        if (p.tier.cpuCores > 0 && std::isfinite(room.freeCores))
            add = std::min(add, std::max(1, int(room.freeCores / p.tier.cpuCores)));
        r.kind = Remediation::Kind::ScaleOut;
        r.addReplicas = add;
        r.targetReplicas = p.replicas + add;
        r.text = QStringLiteral("Scale %1 out from %2 to %3 replicas: it is pinned at its CPU "
                                "quota and the host has room (CPU %4 %).")
                     .arg(p.pool)
                     .arg(p.replicas)
                     .arg(r.targetReplicas)
                     .arg(num(room.cpuMean, 0));
    } else if (up) {
        r.kind = Remediation::Kind::Retier;
        r.targetTier = up->name;
        r.text = room.room
                     ? QStringLiteral("Re-tier %1 from %2 to %3 (%4 cores per replica): it is "
                                      "pinned at its CPU quota and already at its max of %5 "
                                      "replicas.")
                           .arg(p.pool, p.tier.name, up->name, num(up->cpuCores))
                           .arg(p.maxReplicas)
                     : QStringLiteral("Re-tier %1 from %2 to %3 (%4 cores per replica): the host "
                                      "has no room for more replicas%5, so give this pool a larger "
                                      "share, or re-tier lower-priority pools down.")
                           .arg(p.pool, p.tier.name, up->name, num(up->cpuCores),
                                room.known ? QStringLiteral(" (CPU %1 %)").arg(num(room.cpuMean, 0))
                                           : QStringLiteral(" (host CPU not measured)"));
    } else {
        r.kind = Remediation::Kind::NotifyOnly;
        r.text = QStringLiteral("%1 is pinned at the largest tier's CPU quota and cannot grow "
                                "here: raise its max replicas or move load elsewhere.")
                     .arg(p.pool);
    }
    out.append(f);
}

// ---- 3b. CPU saturation, host-wide (high) ----------------------------------------------------
// Rule: the share of the last 120 s with host CPU >= 85 % (core: ramps 50 % -> 90 % of the
// window), plus how deep (mean 85 % -> 98 %). confidence = coverage x (0.8 sustained + 0.2
// depth). Remediation: hold scale-out of all pools (new replicas compete for the same cores).
void assessHostCpu(const DetectorInput &in, const BottleneckTuning &t,
                   QVector<BottleneckFinding> &out)
{
    const Window host = windowOf(in.host.cpuPercent, in.nowMs, t.cpuWindowMs, t);
    if (!host.present())
        return;
    const double share = host.fractionWhere([&](double v) { return v >= t.hostCpuSaturated; });
    const double core = ramp(share, 0.5, 0.9);
    if (core <= 0)
        return;
    BottleneckFinding f = makeFinding(Bottleneck::CpuSaturation, QString());
    addEvidence(f, QStringLiteral("host.cpu_percent"), host.mean(), t.hostCpuSaturated, core,
                QStringLiteral("host CPU >= %1 % for %2 of the last %3 s (mean %4 %)")
                    .arg(num(t.hostCpuSaturated, 0), pct(share))
                    .arg(t.cpuWindowMs / 1000)
                    .arg(num(host.mean(), 0)));
    const double depth = ramp(host.mean(), t.hostCpuSaturated, 98.0);
    f.confidence = host.coverage * (0.8 * core + 0.2 * depth);
    f.summary = QStringLiteral("CPU saturation on the host: %1").arg(f.evidence.first().text);

    // Name the biggest consumer so the operator knows where to look.
    QString top;
    double topCores = 0;
    for (const PoolSignals &p : in.pools) {
        const Window w = windowOf(p.cpuCores, in.nowMs, t.cpuWindowMs, t);
        if (w.present() && w.mean() > topCores) {
            topCores = w.mean();
            top = p.pool;
        }
    }
    if (!top.isEmpty())
        addEvidence(f, QStringLiteral("pool.cpu_cores"), topCores, 0, 0,
                    QStringLiteral("%1 uses the most: %2 cores").arg(top, num(topCores)));
    Remediation &r = f.remediation;
    r.kind = Remediation::Kind::HoldScaleOut;
    r.holdForMs = t.throttleHoldMs;
    r.text =
        QStringLiteral("Hold scale-out of all pools for %1: the host CPU is saturated and new "
                       "replicas would compete for the same cores. Re-tier down or stop "
                       "low-priority pools%2.")
            .arg(minutes(r.holdForMs),
                 top.isEmpty()
                     ? QString()
                     : QStringLiteral(" (%1 uses the most: %2 cores)").arg(top, num(topCores)));
    out.append(f);
}

// ---- 4. Network congestion (high, gateway-wide) ----------------------------------------------
// Rule: upstream p95 latency rising (core: late/early half of 120 s ramps 1.3x -> 2x) while
// upstream bytes/s stay flat (the load did not grow: counts only as much as latency rises), and
// connection errors (0.02/s -> 0.5/s, also a core signal). confidence = coverage x
// (0.45 latency + 0.30 flat bytes x latency + 0.25 errors). Remediation: hold scale-out of all
// pools (more concurrent calls queue behind the same link) and check the link/provider.
void assessNetwork(const DetectorInput &in, const BottleneckTuning &t,
                   QVector<BottleneckFinding> &out)
{
    const Window lat = windowOf(in.gateway.upstreamLatencyP95Ms, in.nowMs, t.networkWindowMs, t);
    const Window errs =
        windowOf(in.gateway.connectionErrorsPerSecond, in.nowMs, t.networkWindowMs, t);
    if (!lat.present() && !errs.present())
        return;
    BottleneckFinding f = makeFinding(Bottleneck::NetworkCongestion, QString());
    double latScore = 0;
    if (lat.present()) {
        const double early = lat.earlyMean(), late = lat.lateMean();
        const double rise = early > 0 ? late / early : 1.0;
        latScore = ramp(rise, t.latencyRiseLow, t.latencyRiseHigh);
        addEvidence(f, QStringLiteral("gateway.upstream_latency_p95_ms"), late, early, latScore,
                    QStringLiteral("upstream p95 latency %1 ms, was %2 ms")
                        .arg(num(late, 0), num(early, 0)));
    }
    double errScore = 0;
    if (errs.present()) {
        errScore = ramp(errs.mean(), t.connErrorsLow, t.connErrorsHigh);
        addEvidence(f, QStringLiteral("gateway.connection_errors_per_second"), errs.mean(),
                    t.connErrorsHigh, errScore,
                    QStringLiteral("%1 connection errors/s").arg(num(errs.mean(), 2)));
    }
    if (latScore <= 0 && errScore <= 0)
        return;
    double flatScore = 0;
    const Window bytes =
        windowOf(in.gateway.upstreamBytesPerSecond, in.nowMs, t.networkWindowMs, t);
    if (bytes.present()) {
        const double early = bytes.earlyMean(), late = bytes.lateMean();
        const double rise = early > 0 ? (late - early) / early : (late > 0 ? 1.0 : 0.0);
        flatScore = 1.0 - ramp(rise, 0.10, 0.30);
        addEvidence(f, QStringLiteral("gateway.upstream_bytes_per_second"), late, early, flatScore,
                    QStringLiteral("upstream traffic %1 KB/s, was %2 KB/s")
                        .arg(num(late / 1024, 0), num(early / 1024, 0)));
    }
    const double coverage = std::max(lat.coverage, errs.coverage);
    f.confidence = coverage * (0.45 * latScore + 0.30 * flatScore * latScore + 0.25 * errScore);
    f.summary =
        QStringLiteral("Network congestion towards the provider: %1").arg(f.evidence.first().text);
    Remediation &r = f.remediation;
    r.kind = Remediation::Kind::HoldScaleOut;
    r.holdForMs = t.throttleHoldMs;
    r.text = QStringLiteral("Hold scale-out of all pools for %1: upstream latency rises while "
                            "traffic is flat, so more concurrent calls would only queue behind "
                            "the same link. Check the network and the provider's status.")
                 .arg(minutes(r.holdForMs));
    out.append(f);
}

// ---- 5. Queue backlog (high, per pool) -------------------------------------------------------
// Rule: queue depth growing over 120 s (core: late-half mean above the early one by 5 % -> 25 %
// of max(early, 10), and at least 10 jobs deep), arrivals outpacing dispatches (arrival /
// dispatch ramps 1.05 -> 1.5) and the depth itself (10 -> 100, the seed's "queue > 100").
// confidence = coverage x (0.45 growth + 0.35 rates + 0.20 depth). Remediation: scale out by
// the arrival/dispatch ratio within max; at max re-tier up (more concurrent tasks); never scale
// out a throttled pool or onto a saturated host.
void assessQueue(const DetectorInput &in, const PoolSignals &p, const HostRoom &room,
                 bool throttled, const BottleneckTuning &t, QVector<BottleneckFinding> &out)
{
    const Window q = windowOf(p.queueDepth, in.nowMs, t.queueWindowMs, t);
    if (!q.present())
        return;
    const double early = q.earlyMean(), late = q.lateMean();
    if (late < t.queueMinDepth)
        return;
    const double growth = (late - early) / std::max(early, t.queueMinDepth);
    const double core = ramp(growth, 0.05, 0.25);
    if (core <= 0)
        return;
    BottleneckFinding f = makeFinding(Bottleneck::QueueBacklog, p.pool);
    addEvidence(f, QStringLiteral("pool.queue_depth"), late, early, core,
                QStringLiteral("queue depth rose from %1 to %2 jobs (halves of the last %3 s)")
                    .arg(num(early, 0), num(late, 0))
                    .arg(t.queueWindowMs / 1000));
    double rateScore = 0, ratio = 0;
    const Window arr = windowOf(p.arrivalsPerSecond, in.nowMs, t.queueWindowMs, t);
    const Window disp = windowOf(p.dispatchesPerSecond, in.nowMs, t.queueWindowMs, t);
    if (arr.present() && disp.present() && arr.mean() > 0) {
        ratio = disp.mean() > 0 ? arr.mean() / disp.mean() : 10.0;
        rateScore = ramp(ratio, 1.05, 1.5);
        addEvidence(f, QStringLiteral("pool.arrivals_per_dispatch"), ratio, 1.0, rateScore,
                    QStringLiteral("%1 jobs/s arrive, %2 jobs/s dispatched")
                        .arg(num(arr.mean(), 2), num(disp.mean(), 2)));
    }
    const double depthScore = ramp(late, t.queueMinDepth, t.queueDepthHigh);
    f.confidence = q.coverage * (0.45 * core + 0.35 * rateScore + 0.20 * depthScore);
    f.summary =
        QStringLiteral("Queue backlog in %1: %2").arg(where(p.pool), f.evidence.first().text);

    Remediation &r = f.remediation;
    r.pool = p.pool;
    const bool hostSaturated = room.known && room.cpuMean >= t.hostCpuSaturated;
    if (throttled) {
        r.kind = Remediation::Kind::HoldScaleOut;
        r.holdForMs = t.throttleHoldMs;
        r.enableBackoff = true;
        r.text = QStringLiteral("Hold scale-out of %1: its backlog comes from provider throttling, "
                                "and more replicas would not drain it (see GPT throttling).")
                     .arg(p.pool);
    } else if (hostSaturated) {
        r.kind = Remediation::Kind::NotifyOnly;
        r.text = QStringLiteral("%1's queue grows but the host CPU is saturated (%2 %): more "
                                "replicas would not drain it. Free the host first (see CPU "
                                "saturation).")
                     .arg(p.pool, num(room.cpuMean, 0));
    } else if (p.replicas < p.maxReplicas) {
        const int base = std::max(1, p.replicas);
        const int wanted = ratio > 0 ? int(std::ceil(base * ratio - 1e-9)) : base + 1;
        const int add = std::clamp(wanted - p.replicas, 1, p.maxReplicas - p.replicas);
        r.kind = Remediation::Kind::ScaleOut;
        r.addReplicas = add;
        r.targetReplicas = p.replicas + add;
        r.text = QStringLiteral("Scale %1 out from %2 to %3 replicas: jobs arrive faster than "
                                "they are dispatched.")
                     .arg(p.pool)
                     .arg(p.replicas)
                     .arg(r.targetReplicas);
    } else if (const TierSpec *up = nextTierUp(
                   in.tiers, p.tier, [](const TierSpec &x) { return x.concurrentTasks; })) {
        r.kind = Remediation::Kind::Retier;
        r.targetTier = up->name;
        r.text = QStringLiteral("Re-tier %1 from %2 to %3 (%4 concurrent tasks per replica): it is "
                                "at its max of %5 replicas and its queue still grows; or raise "
                                "its max.")
                     .arg(p.pool, p.tier.name, up->name)
                     .arg(up->concurrentTasks)
                     .arg(p.maxReplicas);
    } else {
        r.kind = Remediation::Kind::NotifyOnly;
        r.text = QStringLiteral("%1 is at its max of %2 replicas on the largest tier and its queue "
                                "still grows: raise its max replicas.")
                     .arg(p.pool)
                     .arg(p.maxReplicas);
    }
    out.append(f);
}

// ---- 6. Disk I/O (medium, host-wide) ---------------------------------------------------------
// Rule: over 60 s, disk busy (80 % -> 95 %), disk write latency (20 -> 100 ms) and Drover's
// store commit latency (50 -> 500 ms); each is a core signal when present, none alone reaches
// 0.6. confidence = best coverage x (0.4 busy + 0.3 write latency + 0.3 store latency).
// Remediation: notify (the store already batches; move data/logs to a faster disk).
void assessDisk(const DetectorInput &in, const BottleneckTuning &t, QVector<BottleneckFinding> &out)
{
    const Window busy = windowOf(in.host.diskBusyPercent, in.nowMs, t.diskWindowMs, t);
    const Window wlat = windowOf(in.host.diskWriteLatencyMs, in.nowMs, t.diskWindowMs, t);
    const Window slat = windowOf(in.host.storeWriteLatencyMs, in.nowMs, t.diskWindowMs, t);
    BottleneckFinding f = makeFinding(Bottleneck::DiskIo, QString());
    double busyScore = 0, wScore = 0, sScore = 0;
    if (busy.present()) {
        busyScore = ramp(busy.mean(), t.diskBusyLow, t.diskBusyHigh);
        addEvidence(f, QStringLiteral("host.disk_busy_percent"), busy.mean(), t.diskBusyHigh,
                    busyScore, QStringLiteral("disk busy %1 %").arg(num(busy.mean(), 0)));
    }
    if (wlat.present()) {
        wScore = ramp(wlat.mean(), t.diskWriteLatencyLow, t.diskWriteLatencyHigh);
        addEvidence(f, QStringLiteral("host.disk_write_latency_ms"), wlat.mean(),
                    t.diskWriteLatencyHigh, wScore,
                    QStringLiteral("disk writes take %1 ms").arg(num(wlat.mean(), 0)));
    }
    if (slat.present()) {
        sScore = ramp(slat.mean(), t.storeWriteLatencyLow, t.storeWriteLatencyHigh);
        addEvidence(f, QStringLiteral("store.write_latency_ms"), slat.mean(),
                    t.storeWriteLatencyHigh, sScore,
                    QStringLiteral("store commits take %1 ms").arg(num(slat.mean(), 0)));
    }
    if (busyScore <= 0 && wScore <= 0 && sScore <= 0)
        return;
    const double coverage = std::max({busy.coverage, wlat.coverage, slat.coverage});
    f.confidence = coverage * (0.4 * busyScore + 0.3 * wScore + 0.3 * sScore);
    QStringList parts;
    for (const Evidence &e : f.evidence) {
        if (e.score > 0)
            parts << e.text; // only what drove it
    }
    f.summary = QStringLiteral("Disk I/O on the host: %1").arg(parts.join(QStringLiteral(", ")));
    Remediation &r = f.remediation;
    r.kind = Remediation::Kind::NotifyOnly;
    r.text = QStringLiteral("The disk is saturated: Drover's store already batches its writes. "
                            "Move the data folder (storage.path) or chatty agents' logs to a "
                            "faster disk, or lower their log verbosity.");
    out.append(f);
}

// ---- 7. Cache inefficiency (low, per pool, only for agents that report a hit ratio) ----------
// Rule: mean hit ratio over 300 s (core: 60 % -> 30 % maps to 0 -> 1), corroborated by a
// falling ratio (early - late, 0 -> 0.2). confidence = coverage x (0.7 low + 0.3 falling).
// Remediation: notify (cache size and TTL are the agent's settings).
void assessCache(const DetectorInput &in, const PoolSignals &p, const BottleneckTuning &t,
                 QVector<BottleneckFinding> &out)
{
    const Window c = windowOf(p.cacheHitRatio, in.nowMs, t.cacheWindowMs, t);
    if (!c.present())
        return;
    const double core = 1.0 - ramp(c.mean(), t.cacheHitBad, t.cacheHitGood);
    if (core <= 0)
        return;
    BottleneckFinding f = makeFinding(Bottleneck::CacheInefficiency, p.pool);
    addEvidence(f, QStringLiteral("pool.cache_hit_ratio"), c.mean(), t.cacheHitGood, core,
                QStringLiteral("cache hits %1 of lookups").arg(pct(c.mean())));
    const double drop = c.earlyMean() - c.lateMean();
    const double fallScore = ramp(drop, 0.0, 0.2);
    addEvidence(
        f, QStringLiteral("pool.cache_hit_ratio_drop"), drop, 0.2, fallScore,
        QStringLiteral("hit ratio %1 from %2")
            .arg(drop > 0 ? QStringLiteral("fell") : QStringLiteral("steady"), pct(c.earlyMean())));
    f.confidence = c.coverage * (0.7 * core + 0.3 * fallScore);
    f.summary =
        QStringLiteral("Cache inefficiency in %1: %2").arg(where(p.pool), f.evidence.first().text);
    Remediation &r = f.remediation;
    r.kind = Remediation::Kind::NotifyOnly;
    r.pool = p.pool;
    r.text = QStringLiteral("%1's cache hits only %2 of lookups: enlarge the agent's cache or its "
                            "TTL; if the cache is memory-bound, re-tier for more memory.")
                 .arg(p.pool, pct(c.mean()));
    out.append(f);
}

// ---- 8. Browser pool exhaustion (medium, per pool) -------------------------------------------
// Rule: the share of the last 60 s with every browser instance in use (in use >= tier browser
// instances x replicas) (core: ramps 30 % -> 80 % of the window), corroborated by jobs waiting
// (queue depth 1 -> 10). confidence = coverage x (0.7 exhausted + 0.3 waiting). Remediation:
// scale out (each replica brings its tier's browsers) when below max and the host has room;
// else re-tier to a tier with more browser instances; else notify.
void assessBrowsers(const DetectorInput &in, const PoolSignals &p, const HostRoom &room,
                    const BottleneckTuning &t, QVector<BottleneckFinding> &out)
{
    const double capacity = double(p.tier.browserInstances) * p.replicas;
    if (capacity <= 0)
        return;
    const Window b = windowOf(p.browsersInUse, in.nowMs, t.browserWindowMs, t);
    if (!b.present())
        return;
    const double share = b.fractionWhere([&](double v) { return v >= capacity - 0.5; });
    const double core = ramp(share, 0.3, 0.8);
    if (core <= 0)
        return;
    BottleneckFinding f = makeFinding(Bottleneck::BrowserPoolExhaustion, p.pool);
    addEvidence(f, QStringLiteral("pool.browsers_in_use"), b.mean(), capacity, core,
                QStringLiteral("all %1 browser instances in use %2 of the last %3 s")
                    .arg(num(capacity, 0), pct(share))
                    .arg(t.browserWindowMs / 1000));
    double waitScore = 0;
    const Window q = windowOf(p.queueDepth, in.nowMs, t.browserWindowMs, t);
    if (q.present()) {
        waitScore = ramp(q.mean(), 1.0, 10.0);
        addEvidence(f, QStringLiteral("pool.queue_depth"), q.mean(), 10.0, waitScore,
                    QStringLiteral("%1 jobs waiting").arg(num(q.mean(), 0)));
    }
    f.confidence = b.coverage * (0.7 * core + 0.3 * waitScore);
    f.summary = QStringLiteral("Browser pool exhaustion in %1: %2")
                    .arg(where(p.pool), f.evidence.first().text);
    Remediation &r = f.remediation;
    r.pool = p.pool;
    const TierSpec *up =
        nextTierUp(in.tiers, p.tier, [](const TierSpec &x) { return x.browserInstances; });
    if (room.room && p.replicas < p.maxReplicas) {
        r.kind = Remediation::Kind::ScaleOut;
        r.addReplicas = 1;
        r.targetReplicas = p.replicas + 1;
        r.text = QStringLiteral("Scale %1 out to %2 replicas: each brings %3 more browser "
                                "instances.")
                     .arg(p.pool)
                     .arg(r.targetReplicas)
                     .arg(p.tier.browserInstances);
    } else if (up) {
        r.kind = Remediation::Kind::Retier;
        r.targetTier = up->name;
        r.text =
            QStringLiteral("Re-tier %1 from %2 to %3 (%4 browser instances per replica)%5.")
                .arg(p.pool, p.tier.name, up->name)
                .arg(up->browserInstances)
                .arg(p.replicas >= p.maxReplicas
                         ? QStringLiteral(": it is at its max of %1 replicas").arg(p.maxReplicas)
                         : QStringLiteral(": the host has no room for more replicas"));
    } else {
        r.kind = Remediation::Kind::NotifyOnly;
        r.text = QStringLiteral("%1 uses every browser instance of the largest tier: raise its max "
                                "replicas.")
                     .arg(p.pool);
    }
    out.append(f);
}

int severityRank(BottleneckSeverity s)
{
    return int(s);
}

QString keyOf(const BottleneckFinding &f)
{
    return bottleneckName(f.signature) + QLatin1Char('/') + f.pool;
}

} // namespace

QVector<BottleneckFinding> assessBottlenecks(const DetectorInput &in, const BottleneckTuning &t)
{
    QVector<BottleneckFinding> out;
    const HostRoom room = hostRoom(in, t);

    assessHostMemory(in, t, out);
    assessHostCpu(in, t, out);
    assessNetwork(in, t, out);
    assessDisk(in, t, out);

    for (const PoolSignals &p : in.pools) {
        const int before = out.size();
        assessThrottling(in, p, t, out);
        // A pool whose throttling is at least at the clearing level counts as throttled: its
        // other remediations must not add replicas.
        const bool throttled = out.size() > before && out.last().confidence >= t.clearBelow;
        assessPoolMemory(in, p, t, out);
        assessPoolCpu(in, p, room, t, out);
        assessQueue(in, p, room, throttled, t, out);
        assessCache(in, p, t, out);
        assessBrowsers(in, p, room, t, out);
        if (!throttled)
            continue;
        // The guard for every signature: a throttled pool is never scaled out.
        for (int i = before; i < out.size(); ++i) {
            Remediation &r = out[i].remediation;
            if (r.kind != Remediation::Kind::ScaleOut)
                continue;
            r.kind = Remediation::Kind::HoldScaleOut;
            r.addReplicas = 0;
            r.targetReplicas = 0;
            r.holdForMs = t.throttleHoldMs;
            r.text = QStringLiteral("Hold scale-out of %1: the provider throttles it, so more "
                                    "replicas would only draw more 429s (see GPT throttling).")
                         .arg(p.pool);
        }
    }
    for (BottleneckFinding &f : out)
        f.confidence = std::clamp(f.confidence, 0.0, 1.0);
    return out;
}

BottleneckReport BottleneckDetector::evaluate(const DetectorInput &input)
{
    BottleneckReport report;
    report.atMs = input.nowMs;
    report.assessments = assessBottlenecks(input, m_tuning);

    QHash<QString, BottleneckFinding> next;
    for (BottleneckFinding &f : report.assessments) {
        const QString key = keyOf(f);
        const auto it = m_state.constFind(key);
        const bool wasActive = it != m_state.constEnd();
        // Hysteresis: appear at appearAt, stay until below clearBelow.
        const bool active =
            wasActive ? f.confidence >= m_tuning.clearBelow : f.confidence >= m_tuning.appearAt;
        f.active = active;
        if (!active) {
            if (wasActive) {
                BottleneckFinding gone = f;
                gone.sinceMs = it->sinceMs;
                report.cleared.append(gone);
            }
            continue;
        }
        f.sinceMs = wasActive ? it->sinceMs : input.nowMs;
        next.insert(key, f);
        report.active.append(f);
        if (!wasActive)
            report.appeared.append(f);
    }
    // Findings whose data (or pool) disappeared: confidence 0, so they clear.
    for (auto it = m_state.constBegin(); it != m_state.constEnd(); ++it) {
        if (next.contains(it.key()))
            continue;
        bool assessed = false;
        for (const BottleneckFinding &f : report.assessments)
            assessed = assessed || keyOf(f) == it.key();
        if (assessed)
            continue; // cleared above
        BottleneckFinding gone = it.value();
        gone.active = false;
        gone.confidence = 0;
        report.cleared.append(gone);
    }
    m_state = next;

    std::stable_sort(report.active.begin(), report.active.end(),
                     [](const BottleneckFinding &a, const BottleneckFinding &b) {
                         if (a.severity != b.severity)
                             return severityRank(a.severity) > severityRank(b.severity);
                         return a.confidence > b.confidence;
                     });
    return report;
}

} // namespace drover
