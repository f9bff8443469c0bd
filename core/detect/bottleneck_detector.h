// The bottleneck detector: the seed's eight signatures, each scored from measured series with a
// confidence in 0..1, the evidence that drove it, a severity and a remediation the engine can
// execute (or the operator can apply with one click).
//
// Pure decision logic: the engine passes the recent samples of every series and `nowMs`; the
// detector never reads a clock and does no I/O. The only state is the hysteresis of the
// findings (appear at >= 0.6, clear below 0.4), kept in the BottleneckDetector object.
//
// Missing data lowers confidence and never produces a finding on its own: every signature has a
// core series without which it is not assessed at all, and corroborating series that are
// missing score 0 (they are not evidence). The detection rules are stated next to each
// signature in bottleneck_detector.cpp and as a table in docs/bottlenecks.md.
#pragma once

#include "core/metrics/series_ring.h" // SeriesPoint: one type for a timed sample everywhere

#include "core/config/config.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QVector>
#include <QtGlobal>

namespace drover {

// One sample of a measured series. Series are expected at about 1 s; order does not matter.
using Series = QVector<SeriesPoint>;

enum class Bottleneck
{
    GptThrottling,
    MemoryPressure,
    CpuSaturation,
    NetworkCongestion,
    QueueBacklog,
    DiskIo,
    CacheInefficiency,
    BrowserPoolExhaustion,
};

enum class BottleneckSeverity
{
    Low,
    Medium,
    High,
    Critical
};

// "gpt_throttling", "memory_pressure", ... (stable: used in the store and in alert labels).
QString bottleneckName(Bottleneck b);
QString bottleneckTitle(Bottleneck b);      // "GPT throttling", ...
QString severityName(BottleneckSeverity s); // "low" .. "critical"
// The seed's severity of each signature.
BottleneckSeverity bottleneckSeverity(Bottleneck b);

// ---- inputs --------------------------------------------------------------------------------

struct ReplicaSignals
{
    int index = 0;       // DROVER_REPLICA
    Series privateBytes; // committed private bytes (what the tier memory limit measures)
};

struct PoolSignals
{
    QString pool;
    TierSpec tier;    // the pool's current tier (limits are per replica)
    int replicas = 0; // running replicas now
    int minReplicas = 1;
    int maxReplicas = 1;

    Series cpuCores; // CPU the whole pool uses, in cores (sum over its replicas)
    QVector<ReplicaSignals> replicaMemory;

    Series queueDepth;          // jobs waiting for this pool (Drover's queue + agents' reports)
    Series arrivalsPerSecond;   // jobs entering the pool's queue
    Series dispatchesPerSecond; // jobs handed to (and accepted by) replicas

    // Gateway accounting, attributed to the pool through the per-replica tokens.
    Series upstreamRequestsPerSecond; // calls forwarded to the provider
    Series upstream429PerSecond;      // of those, answered 429 by the provider
    Series retryAfterSeconds;         // the largest Retry-After seen in each second (0: none)
    Series tokensPerSecond;           // prompt + completion tokens

    Series browsersInUse; // browser instances the pool's replicas hold (agent-reported)
    Series cacheHitRatio; // 0..1, only for agents that report one
};

struct HostSignals
{
    double logicalCores = 0; // 0: unknown
    quint64 memoryTotalBytes = 0;
    Series cpuPercent;           // 0..100, all cores
    Series memoryPercent;        // 0..100
    Series swapInBytesPerSecond; // if the platform reports it
    Series diskBusyPercent;      // if the platform reports it
    Series diskWriteLatencyMs;   // if the platform reports it
    Series storeWriteLatencyMs;  // Drover's own SQLite batch commit time
};

struct GatewaySignals
{
    Series upstreamLatencyP95Ms;      // provider round trip, p95 per second
    Series upstreamBytesPerSecond;    // request + response bytes to the provider
    Series connectionErrorsPerSecond; // connect/TLS/reset errors towards the provider
};

struct DetectorInput
{
    qint64 nowMs = 0;
    HostSignals host;
    GatewaySignals gateway;
    QVector<PoolSignals> pools;
    QList<TierSpec> tiers; // the configured tier table: re-tier remediations pick from it
};

// ---- outputs -------------------------------------------------------------------------------

struct Evidence
{
    QString series;       // "upstream_429_ratio", "host.memory_percent", "pool.cpu_cores", ...
    double value = 0;     // the measured value that was scored
    double reference = 0; // what it was compared with (threshold, limit, budget)
    double score = 0;     // this component's 0..1 contribution before weighting
    QString text;         // one line for the operator
};

struct Remediation
{
    enum class Kind
    {
        ScaleOut,
        Retier,
        RestartReplicas,
        HoldScaleOut,
        NotifyOnly
    };
    Kind kind = Kind::NotifyOnly;
    QString pool;           // empty: all pools (host- or gateway-wide)
    int addReplicas = 0;    // ScaleOut: add this many ...
    int targetReplicas = 0; // ... to reach this count (never above the pool's max)
    QString targetTier;     // Retier
    QVector<int> replicas;  // RestartReplicas: which replica indices
    qint64 holdForMs = 0;   // HoldScaleOut
    double concurrencyFactor =
        1.0;                    // HoldScaleOut (throttling): cap in-flight GPT calls to this share
    bool enableBackoff = false; // HoldScaleOut (throttling): honour Retry-After in the gateway
    QString text;               // one sentence for the operator
};

QString remediationKindName(Remediation::Kind k); // "scale_out", "retier", ...

struct BottleneckFinding
{
    Bottleneck signature = Bottleneck::GptThrottling;
    BottleneckSeverity severity = BottleneckSeverity::Low;
    QString pool; // empty: host- or gateway-wide
    double confidence = 0;
    QVector<Evidence> evidence;
    Remediation remediation;
    QString summary;     // "GPT throttling in pool mail: 12 % of calls answered 429"
    bool active = false; // past the hysteresis (set by BottleneckDetector)
    qint64 sinceMs = 0;  // when it became active
};

struct BottleneckTuning
{
    double appearAt = 0.6;   // a finding appears when confidence reaches this ...
    double clearBelow = 0.4; // ... and clears when it falls below this
    qint64 sampleIntervalMs = 1000;
    qint64 staleAfterMs = 10000; // a series whose newest sample is older is missing
    double fullCoverage = 0.8;   // this share of the expected samples counts as complete

    qint64 throttleWindowMs = 60000;
    double throttleRatioLow = 0.01, throttleRatioHigh = 0.10; // share of calls answered 429
    double throttleRateLow = 0.05, throttleRateHigh = 0.5;    // 429/s when call counts are missing
    qint64 throttleHoldMs = 10 * 60000;

    qint64 memoryWindowMs = 30000;
    double replicaMemoryLow = 0.80, replicaMemoryHigh = 0.95; // of the tier's memory limit
    double hostMemoryLow = 85, hostMemoryHigh = 95;           // percent
    double swapInLow = 1 << 20, swapInHigh = 20 << 20;        // bytes/s
    qint64 leakHorizonMs = 10 * 60000; // growth that reaches the limit within this is a leak

    qint64 cpuWindowMs = 120000;
    double poolCpuSaturated = 0.9;  // share of tier cores x replicas
    double hostCpuSaturated = 85;   // percent
    double hostRoomCpuPercent = 70; // below this (and memory below the next) the host has room
    double hostRoomMemoryPercent = 80;
    double targetUtilization = 0.7; // scale-out sizes the pool to this share of its quota

    qint64 networkWindowMs = 120000;
    double latencyRiseLow = 1.3, latencyRiseHigh = 2.0; // late / early p95
    double connErrorsLow = 0.02, connErrorsHigh = 0.5;  // per second

    qint64 queueWindowMs = 120000;
    double queueMinDepth = 10;
    double queueDepthHigh = 100; // the seed's "queue > 100"

    qint64 diskWindowMs = 60000;
    double diskBusyLow = 80, diskBusyHigh = 95;
    double diskWriteLatencyLow = 20, diskWriteLatencyHigh = 100;   // ms
    double storeWriteLatencyLow = 50, storeWriteLatencyHigh = 500; // ms

    qint64 cacheWindowMs = 300000;
    double cacheHitGood = 0.6, cacheHitBad = 0.3;

    qint64 browserWindowMs = 60000;
};

// Every signature whose core series is present and shows something, with its confidence,
// evidence and remediation (active/sinceMs unset). Stateless: the same input gives the same
// answer. Host- and gateway-wide findings have an empty pool.
QVector<BottleneckFinding> assessBottlenecks(const DetectorInput &input,
                                             const BottleneckTuning &tuning = {});

struct BottleneckReport
{
    qint64 atMs = 0;
    QVector<BottleneckFinding> active;      // past the hysteresis, most severe first
    QVector<BottleneckFinding> appeared;    // became active in this evaluation
    QVector<BottleneckFinding> cleared;     // stopped being active in this evaluation
    QVector<BottleneckFinding> assessments; // everything assessed, active or not
};

class BottleneckDetector
{
public:
    explicit BottleneckDetector(BottleneckTuning tuning = {}) : m_tuning(tuning) {}

    // Assesses `input` and applies the hysteresis: a finding (signature, pool) appears when its
    // confidence reaches appearAt and clears when it falls below clearBelow (or when its data
    // or its pool disappears).
    BottleneckReport evaluate(const DetectorInput &input);

    void reset() { m_state.clear(); }
    const BottleneckTuning &tuning() const { return m_tuning; }

private:
    BottleneckTuning m_tuning;
    QHash<QString, BottleneckFinding> m_state; // active findings by key
};

} // namespace drover
