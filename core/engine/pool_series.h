// The engine's in-memory series: one 1 s ring per pool metric and per system metric (the last
// hour), filled each tick from the supervisor's status and the system sample, and read by the
// autoscaler, the alert engine, the bottleneck detector and the store.
//
// Missing stays missing: a value that cannot be measured this tick (no ready replica, no scrape
// yet, a counter that just reset) is not appended, so readers see a gap, never a made-up zero.
//
// The rings live behind a pimpl so engine headers stay light; samples leave this class as
// TimedValue.
#pragma once

#include "core/config/config.h"
#include "core/supervisor/supervisor_types.h"

#include <QHash>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QVector>
#include <array>
#include <limits>
#include <memory>

namespace drover {

struct TimedValue
{
    qint64 timeMs = 0;
    double value = 0;
};

// Per-pool series. Their names are one vocabulary for the store (name{pool="x"}), the alert
// rules' selectors and the snapshot.
enum class PoolMetric
{
    CpuPercent,                // pool_cpu_percent: busy share of tier cores x replicas measured
    MemoryPercent,             // pool_memory_percent: of the tier's memory x replicas measured
    QueueDepth,                // queue_depth: sum of the agents' agent_queue_depth
    ReadyReplicas,             // pool_ready_replicas
    JobsPerSecond,             // pool_jobs_per_second: rate of agent_jobs_total
    PromptTokensPerSecond,     // pool_gpt_prompt_tokens_per_second
    CompletionTokensPerSecond, // pool_gpt_completion_tokens_per_second
    ErrorRatePercent,          // error_rate_percent: failed share of finished jobs
    CpuCores,                  // pool_cpu_cores: CPU the pool's replicas use, in cores
    // From the dispatcher and the gateway (PoolWork); missing without them.
    QueueWaitSeconds,          // queue_oldest_wait_seconds: age of the oldest waiting job
    DispatchLatencyMs,         // dispatch_latency_ms: POST /jobs round trip, p95 of recent ones
    DeadLetters,               // dead_letters: jobs given up, waiting for the operator
    CachedTokensPerSecond,     // pool_gpt_cached_tokens_per_second (part of prompt)
    ReasoningTokensPerSecond,  // pool_gpt_reasoning_tokens_per_second (part of completion)
    GptRequestsPerSecond,      // pool_gpt_requests_per_second: forwarded to the provider
    GptRejectedPerSecond,      // pool_gpt_rejected_per_second: the gateway's budget 429s
    Upstream429PerSecond,      // pool_gpt_upstream_429_per_second: the provider's 429s
};
constexpr int kPoolMetricCount = 17;
QString poolMetricName(PoolMetric metric);

enum class SystemMetric
{
    CpuPercent,    // system_cpu_percent
    MemoryPercent, // system_memory_percent
    DiskFreeBytes, // system_disk_free_bytes (the store's volume)
    GatewayProviderThrottled, // gateway_provider_throttled: 1 while the provider's reset is ahead
    GatewayInsufficientQuota, // gateway_insufficient_quota: 1 once the provider said so
};
constexpr int kSystemMetricCount = 5;
QString systemMetricName(SystemMetric metric);

inline double missingValue()
{
    return std::numeric_limits<double>::quiet_NaN();
}

// What one pool measured this tick; NaN: missing.
struct PoolAggregate
{
    QString pool;
    qint64 timeMs = 0;
    std::array<double, kPoolMetricCount> values;
    double memoryBytes = missingValue(); // resident memory of all replicas
    // By replica index: GPT tokens/s (prompt + completion) of each replica; NaN: missing.
    QMap<int, double> replicaTokensPerSecond;
    // From the gateway: the provider is throttling, and this pool's work calls it.
    bool providerThrottled = false;
    bool gptBound = false;

    PoolAggregate() { values.fill(missingValue()); }
    double value(PoolMetric m) const { return values[size_t(m)]; }
};

// Rates of one replica's counters over a sliding window, so a scrape interval longer than the
// tick does not turn into alternating 0 and 2x rates. A counter that went down (the agent
// restarted, or a new process took the index) starts the window over: the rate is missing until
// two samples after the reset exist.
class CounterRates
{
public:
    enum Counter
    {
        Jobs,
        PromptTokens,
        CompletionTokens,
        FailedJobs,
        Count
    };

    explicit CounterRates(qint64 windowMs = 5000) : m_windowMs(windowMs) {}
    void setWindow(qint64 windowMs) { m_windowMs = windowMs; }

    // Records the counters of replica `index` (process `pid`) at `nowMs`; NaN: not read.
    void observe(int index, qint64 pid, qint64 nowMs, const std::array<double, Count> &values);
    // Per second over the window; NaN when fewer than two usable samples exist.
    double rate(int index, Counter counter) const;
    // Forgets replicas not in `alive`.
    void retain(const QVector<int> &alive);

private:
    struct History
    {
        qint64 pid = 0;
        QVector<TimedValue> points[Count];
    };
    qint64 m_windowMs;
    QHash<int, History> m_replicas;
};

// What the dispatcher and the gateway measured for one pool this tick (work_wiring.cpp fills
// it). NaN: not measured. Rates are per second over the same window as the agents' counters.
struct PoolWork
{
    double queueDepth = missingValue(); // Drover's queue + what the agents report (DESIGN.md)
    double oldestWaitSeconds = missingValue();
    double dispatchLatencyMs = missingValue();
    double deadLetters = missingValue();
    // The gateway's meter. When it has seen the pool (metered), its token rates replace what
    // the agents report about themselves: drover-agent counts the very calls it made through
    // the gateway, and the gateway's count is the one the provider bills.
    bool metered = false;
    double promptTokensPerSecond = missingValue();
    double completionTokensPerSecond = missingValue();
    double cachedTokensPerSecond = missingValue();
    double reasoningTokensPerSecond = missingValue();
    double requestsPerSecond = missingValue();
    double rejectedPerSecond = missingValue();
    double upstream429PerSecond = missingValue();
    QMap<int, double> replicaTokensPerSecond; // metered replicas only
    bool providerThrottled = false;
    bool gptBound = false;
};

// Puts the dispatcher's and the gateway's measurements into a pool's aggregate.
void applyPoolWork(PoolAggregate &aggregate, const PoolWork &work);

// Reduces one pool's status to its series values. Pure apart from the counter state in
// `rates`, which it updates. `tier` may be null (unknown tier: CPU and memory shares missing).
PoolAggregate aggregatePool(const PoolStatus &pool, const TierSpec *tier, qint64 nowMs,
                            CounterRates &rates);

class SeriesBook
{
public:
    explicit SeriesBook(int capacity = 3600);
    ~SeriesBook();
    SeriesBook(const SeriesBook &) = delete;
    SeriesBook &operator=(const SeriesBook &) = delete;

    // Aggregates the pool's status at `nowMs` and appends the values that exist.
    PoolAggregate recordPool(const PoolStatus &pool, const TierSpec *tier, qint64 nowMs,
                             qint64 rateWindowMs = 5000, const PoolWork *work = nullptr);
    // Appends a system value (NaN is a gap).
    void recordSystem(SystemMetric metric, qint64 nowMs, double value);
    // Drops pools that are no longer configured.
    void retainPools(const QStringList &pools);

    QStringList pools() const;
    // The latest aggregate of the pool (what the last recordPool returned).
    PoolAggregate latest(const QString &pool) const;
    // The value recorded at `nowMs`, or NaN when this tick had none.
    double current(const QString &pool, PoolMetric metric, qint64 nowMs) const;
    double currentSystem(SystemMetric metric, qint64 nowMs) const;
    // Samples with timeMs >= sinceMs, oldest first.
    QVector<TimedValue> window(const QString &pool, PoolMetric metric, qint64 sinceMs) const;
    QVector<TimedValue> systemWindow(SystemMetric metric, qint64 sinceMs) const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace drover
