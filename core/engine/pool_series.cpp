#include "pool_series.h"

#include "core/metrics/series_ring.h"
#include "core/scaling/autoscaler.h"

#include <cmath>

namespace drover {

QString poolMetricName(PoolMetric metric)
{
    switch (metric) {
    case PoolMetric::CpuPercent:
        return QStringLiteral("pool_cpu_percent");
    case PoolMetric::MemoryPercent:
        return QStringLiteral("pool_memory_percent");
    case PoolMetric::QueueDepth:
        return QStringLiteral("queue_depth");
    case PoolMetric::ReadyReplicas:
        return QStringLiteral("pool_ready_replicas");
    case PoolMetric::JobsPerSecond:
        return QStringLiteral("pool_jobs_per_second");
    case PoolMetric::PromptTokensPerSecond:
        return QStringLiteral("pool_gpt_prompt_tokens_per_second");
    case PoolMetric::CompletionTokensPerSecond:
        return QStringLiteral("pool_gpt_completion_tokens_per_second");
    case PoolMetric::ErrorRatePercent:
        return QStringLiteral("error_rate_percent");
    case PoolMetric::CpuCores:
        return QStringLiteral("pool_cpu_cores");
    case PoolMetric::QueueWaitSeconds:
        return QStringLiteral("queue_oldest_wait_seconds");
    case PoolMetric::DispatchLatencyMs:
        return QStringLiteral("dispatch_latency_ms");
    case PoolMetric::DeadLetters:
        return QStringLiteral("dead_letters");
    case PoolMetric::CachedTokensPerSecond:
        return QStringLiteral("pool_gpt_cached_tokens_per_second");
    case PoolMetric::ReasoningTokensPerSecond:
        return QStringLiteral("pool_gpt_reasoning_tokens_per_second");
    case PoolMetric::GptRequestsPerSecond:
        return QStringLiteral("pool_gpt_requests_per_second");
    case PoolMetric::GptRejectedPerSecond:
        return QStringLiteral("pool_gpt_rejected_per_second");
    case PoolMetric::Upstream429PerSecond:
        return QStringLiteral("pool_gpt_upstream_429_per_second");
    }
    return {};
}

QString systemMetricName(SystemMetric metric)
{
    switch (metric) {
    case SystemMetric::CpuPercent:
        return QStringLiteral("system_cpu_percent");
    case SystemMetric::MemoryPercent:
        return QStringLiteral("system_memory_percent");
    case SystemMetric::DiskFreeBytes:
        return QStringLiteral("system_disk_free_bytes");
    case SystemMetric::GatewayProviderThrottled:
        return QStringLiteral("gateway_provider_throttled");
    case SystemMetric::GatewayInsufficientQuota:
        return QStringLiteral("gateway_insufficient_quota");
    }
    return {};
}

// ---- CounterRates ---------------------------------------------------------------------------

void CounterRates::observe(int index, qint64 pid, qint64 nowMs,
                           const std::array<double, Count> &values)
{
    History &h = m_replicas[index];
    if (h.pid != pid) {
        // Another process behind the same index: its counters start from zero.
        h = History();
        h.pid = pid;
    }
    for (int c = 0; c < Count; ++c) {
        QVector<TimedValue> &points = h.points[c];
        const double v = values[size_t(c)];
        if (!std::isfinite(v))
            continue; // not scraped: no point, the window simply has fewer
        if (!points.isEmpty() && v < points.last().value)
            points.clear(); // reset: only what follows it can give a rate
        points.append({nowMs, v});
        // Keep one point at or before the window's start so the rate spans the whole window.
        while (points.size() > 2 && points.at(1).timeMs <= nowMs - m_windowMs)
            points.removeFirst();
    }
}

double CounterRates::rate(int index, Counter counter) const
{
    const auto it = m_replicas.constFind(index);
    if (it == m_replicas.cend())
        return missingValue();
    const QVector<TimedValue> &points = it->points[counter];
    if (points.size() < 2)
        return missingValue();
    // counterRate: NaN for a reset or an empty interval (both already excluded above, kept as
    // the single definition of a counter rate).
    return counterRate(points.first().value, points.first().timeMs, points.last().value,
                       points.last().timeMs);
}

void CounterRates::retain(const QVector<int> &alive)
{
    for (auto it = m_replicas.begin(); it != m_replicas.end();) {
        if (alive.contains(it.key()))
            ++it;
        else
            it = m_replicas.erase(it);
    }
}

// ---- aggregation ----------------------------------------------------------------------------

PoolAggregate aggregatePool(const PoolStatus &pool, const TierSpec *tier, qint64 nowMs,
                            CounterRates &rates)
{
    PoolAggregate a;
    a.pool = pool.name;
    a.timeMs = nowMs;
    const double tierCores = tier ? tier->cpuCores : 0.0;
    const double tierMemoryBytes = tier ? double(tier->memoryMb) * 1024.0 * 1024.0 : 0.0;

    double cpuSum = 0;
    int cpuCount = 0;
    double coresAll = 0;
    int coresCount = 0;
    double memSum = 0;
    double rssSum = 0;
    int memCount = 0;
    double queue = 0;
    int queueCount = 0;
    double rateSums[CounterRates::Count] = {0, 0, 0, 0};
    int rateCounts[CounterRates::Count] = {0, 0, 0, 0};
    QVector<int> alive;
    for (const ReplicaStatus &r : pool.replicas) {
        alive << r.index;
        // CPU share only over ready replicas that were measured: a starting replica's burst
        // and a replica without a reading are not the pool's steady load.
        if (r.state == ReplicaState::Ready && r.cpuValid) {
            cpuSum += r.cpuPercent;
            ++cpuCount;
        }
        if (r.cpuValid) {
            coresAll += r.cpuPercent / 100.0;
            ++coresCount;
        }
        if (r.pid > 0 && (r.privateBytes > 0 || r.rssBytes > 0)) {
            // Tier memory limits measure committed private memory; RSS where that is unknown.
            memSum += double(r.privateBytes > 0 ? r.privateBytes : r.rssBytes);
            rssSum += double(r.rssBytes);
            ++memCount;
        }
        if (r.metricsValid) {
            queue += r.queueDepth;
            ++queueCount;
        }
        const double nan = missingValue();
        rates.observe(r.index, r.pid, nowMs,
                      {r.metricsValid ? r.jobsTotal : nan,
                       r.metricsValid ? r.promptTokensTotal : nan,
                       r.metricsValid ? r.completionTokensTotal : nan,
                       r.metricsValid ? r.jobsFailedTotal : nan});
        double tokens = 0;
        bool tokensKnown = false;
        for (int c = 0; c < CounterRates::Count; ++c) {
            const double rate = rates.rate(r.index, CounterRates::Counter(c));
            if (!std::isfinite(rate))
                continue;
            rateSums[c] += rate;
            ++rateCounts[c];
            if (c == CounterRates::PromptTokens || c == CounterRates::CompletionTokens) {
                tokens += rate;
                tokensKnown = true;
            }
        }
        a.replicaTokensPerSecond.insert(r.index, tokensKnown ? tokens : missingValue());
    }
    rates.retain(alive);

    auto &v = a.values;
    if (cpuCount > 0 && tierCores > 0)
        v[size_t(PoolMetric::CpuPercent)] = cpuSum / (tierCores * cpuCount);
    if (coresCount > 0)
        v[size_t(PoolMetric::CpuCores)] = coresAll;
    if (memCount > 0) {
        a.memoryBytes = rssSum;
        if (tierMemoryBytes > 0)
            v[size_t(PoolMetric::MemoryPercent)] = 100.0 * memSum / (tierMemoryBytes * memCount);
    }
    if (queueCount > 0)
        v[size_t(PoolMetric::QueueDepth)] = queue;
    // Always known: a pool whose replicas are all down reports 0 (the PoolNotReady alert).
    v[size_t(PoolMetric::ReadyReplicas)] = pool.ready;
    // A replica whose counters just reset (or were never scraped) is left out of the sums
    // rather than blanking the pool; with no replica giving a rate the series is missing.
    if (rateCounts[CounterRates::Jobs] > 0)
        v[size_t(PoolMetric::JobsPerSecond)] = rateSums[CounterRates::Jobs];
    if (rateCounts[CounterRates::PromptTokens] > 0)
        v[size_t(PoolMetric::PromptTokensPerSecond)] = rateSums[CounterRates::PromptTokens];
    if (rateCounts[CounterRates::CompletionTokens] > 0)
        v[size_t(PoolMetric::CompletionTokensPerSecond)] = rateSums[CounterRates::CompletionTokens];
    if (rateCounts[CounterRates::FailedJobs] > 0 && rateCounts[CounterRates::Jobs] > 0 &&
        rateSums[CounterRates::Jobs] > 0)
        v[size_t(PoolMetric::ErrorRatePercent)] =
            100.0 * rateSums[CounterRates::FailedJobs] / rateSums[CounterRates::Jobs];
    return a;
}

void applyPoolWork(PoolAggregate &a, const PoolWork &w)
{
    auto set = [&a](PoolMetric m, double v) {
        if (std::isfinite(v))
            a.values[size_t(m)] = v;
    };
    set(PoolMetric::QueueDepth, w.queueDepth);
    set(PoolMetric::QueueWaitSeconds, w.oldestWaitSeconds);
    set(PoolMetric::DispatchLatencyMs, w.dispatchLatencyMs);
    set(PoolMetric::DeadLetters, w.deadLetters);
    if (w.metered) {
        set(PoolMetric::PromptTokensPerSecond, w.promptTokensPerSecond);
        set(PoolMetric::CompletionTokensPerSecond, w.completionTokensPerSecond);
        set(PoolMetric::CachedTokensPerSecond, w.cachedTokensPerSecond);
        set(PoolMetric::ReasoningTokensPerSecond, w.reasoningTokensPerSecond);
        set(PoolMetric::GptRequestsPerSecond, w.requestsPerSecond);
        set(PoolMetric::GptRejectedPerSecond, w.rejectedPerSecond);
        set(PoolMetric::Upstream429PerSecond, w.upstream429PerSecond);
        for (auto it = w.replicaTokensPerSecond.cbegin(); it != w.replicaTokensPerSecond.cend(); ++it) {
            if (std::isfinite(it.value()))
                a.replicaTokensPerSecond.insert(it.key(), it.value());
        }
    }
    a.providerThrottled = w.providerThrottled;
    a.gptBound = w.gptBound;
}

// ---- SeriesBook -----------------------------------------------------------------------------

struct SeriesBook::Impl
{
    struct Pool
    {
        explicit Pool(int capacity)
        {
            for (int i = 0; i < kPoolMetricCount; ++i)
                rings.append(SeriesRing(capacity));
        }
        QVector<SeriesRing> rings;
        CounterRates rates;
        PoolAggregate latest;
    };
    int capacity;
    QMap<QString, Pool> pools;
    QVector<SeriesRing> system;

    static double currentOf(const SeriesRing &ring, qint64 nowMs)
    {
        return !ring.isEmpty() && ring.last().timeMs == nowMs ? ring.last().value : missingValue();
    }
    static QVector<TimedValue> windowOf(const SeriesRing &ring, qint64 sinceMs)
    {
        QVector<TimedValue> out;
        for (int i = 0; i < ring.size(); ++i) {
            const auto &p = ring.at(i);
            if (p.timeMs >= sinceMs)
                out.append({p.timeMs, p.value});
        }
        return out;
    }
};

SeriesBook::SeriesBook(int capacity) : d(std::make_unique<Impl>())
{
    d->capacity = qMax(1, capacity);
    for (int i = 0; i < kSystemMetricCount; ++i)
        d->system.append(SeriesRing(d->capacity));
}

SeriesBook::~SeriesBook() = default;

PoolAggregate SeriesBook::recordPool(const PoolStatus &pool, const TierSpec *tier, qint64 nowMs,
                                     qint64 rateWindowMs, const PoolWork *work)
{
    auto it = d->pools.find(pool.name);
    if (it == d->pools.end())
        it = d->pools.insert(pool.name, Impl::Pool(d->capacity));
    it->rates.setWindow(rateWindowMs);
    PoolAggregate a = aggregatePool(pool, tier, nowMs, it->rates);
    if (work)
        applyPoolWork(a, *work);
    for (int i = 0; i < kPoolMetricCount; ++i)
        it->rings[i].append(nowMs, a.values[size_t(i)]); // NaN is not stored: a gap
    it->latest = a;
    return a;
}

void SeriesBook::recordSystem(SystemMetric metric, qint64 nowMs, double value)
{
    d->system[int(metric)].append(nowMs, value);
}

void SeriesBook::retainPools(const QStringList &pools)
{
    for (auto it = d->pools.begin(); it != d->pools.end();) {
        if (pools.contains(it.key()))
            ++it;
        else
            it = d->pools.erase(it);
    }
}

QStringList SeriesBook::pools() const
{
    return d->pools.keys();
}

PoolAggregate SeriesBook::latest(const QString &pool) const
{
    const auto it = d->pools.constFind(pool);
    return it == d->pools.cend() ? PoolAggregate() : it->latest;
}

double SeriesBook::current(const QString &pool, PoolMetric metric, qint64 nowMs) const
{
    const auto it = d->pools.constFind(pool);
    return it == d->pools.cend() ? missingValue() : Impl::currentOf(it->rings[int(metric)], nowMs);
}

double SeriesBook::currentSystem(SystemMetric metric, qint64 nowMs) const
{
    return Impl::currentOf(d->system[int(metric)], nowMs);
}

QVector<TimedValue> SeriesBook::window(const QString &pool, PoolMetric metric, qint64 sinceMs) const
{
    const auto it = d->pools.constFind(pool);
    return it == d->pools.cend() ? QVector<TimedValue>()
                                 : Impl::windowOf(it->rings[int(metric)], sinceMs);
}

QVector<TimedValue> SeriesBook::systemWindow(SystemMetric metric, qint64 sinceMs) const
{
    return Impl::windowOf(d->system[int(metric)], sinceMs);
}

} // namespace drover
