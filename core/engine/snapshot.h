// The immutable value the engine publishes to the UI. Everything here is a plain value (Qt's
// implicitly shared containers make copies cheap), so it can cross threads by queued signal.
#pragma once

#include "core/config/config.h"
#include "core/planning/capacity_planner.h"
#include "core/metrics/series_ring.h"
#include "core/scaling/autoscaler.h"
#include "core/supervisor/supervisor_types.h"

#include <QMap>

#include <QMetaType>
#include <QVector>

#include <limits>

namespace drover {

struct SystemPoint
{
    qint64 timeMs = 0;       // ms since the epoch
    double cpuPercent = 0;   // busy share of all cores, 0..100
    double memoryPercent = 0;
    quint64 memoryUsedBytes = 0;
};

struct ConfigStatus
{
    QString file;
    QList<ConfigIssue> issues;
    QStringList refusedPools;
    QStringList pools; // accepted pools, in file order
    QStringList tiers; // tier names, for the tier selector
    bool fatal = false;
    // The last reload (file change or the operator's reloadConfig); 0: none since start.
    qint64 lastReloadAtMs = 0;
    QString lastReloadTrigger; // "file changed", "operator"
    bool lastReloadApplied = true; // false: refused, the last good configuration runs
    QString lastReloadResult;      // what changed, or why it was refused
    int reloads = 0;
};

// How a pool's size is decided right now.
struct PoolAutoscaling
{
    QString pool;
    // "auto": the autoscaler decides; "manual": the operator's count holds until handed back
    // (resumeAutoscaling); "paused": nothing decides, the count stays; "off": the configuration
    // disables autoscaling for the pool.
    QString mode;
    int manualReplicas = -1; // the operator's count in manual mode
    int minReplicas = 0;
    int maxReplicas = 0;
    QStringList rules;   // the threshold rules in force, by name
    QStringList metrics; // the HPA targets, "cpu_percent=60"
};

// One autoscaler decision for one pool, with its inputs and the working (ScalingDecision).
struct ScalingRecord
{
    QString pool;
    ScalingDecision decision;
    bool applied = false; // the supervisor accepted the new count
    QString refusal;      // why it did not (a crash-looping pool, the supervisor's refusal)
    QString decisionId;   // "dec-<ms>-<n>": the correlation id of its event and log line
};

// Alerts and bottlenecks travel as engine-owned plain values: the UI needs text and labels, not
// the decision cores' state.
struct AlertView
{
    QString fingerprint;
    QString name;
    QString state;    // pending, firing, resolved
    QString severity; // info, warning, high, critical
    QMap<QString, QString> labels;
    QString summary;
    double value = 0;
    qint64 activeSinceMs = 0;
    qint64 firedAtMs = -1;
    qint64 resolvedAtMs = -1;
    bool acknowledged = false;
    QStringList silencedBy;  // silence ids muting it now
    QStringList inhibitedBy; // fingerprints of firing alerts that inhibit it
};

// A notification the policy decided to deliver. The UI delivers each id once (a snapshot may
// be skipped; the list keeps the last ones).
struct NotificationView
{
    quint64 id = 0; // increasing
    QString channel; // tray, banner, log, webhook
    QString receiver;   // webhook: the receiver's name
    QString secretName; // webhook: the keychain entry holding the URL (the entry's name only)
    QString route;
    QString groupKey;
    QString title;
    QString body;
    bool resolved = false;
    bool repeat = false;
    int firingCount = 0;
    int resolvedCount = 0;
    QStringList fingerprints;
    qint64 atMs = 0;
};

// The webhook channel's delivery state (core/engine/webhook_sender.h).
struct WebhookStatus
{
    int queued = 0; // waiting or in flight
    quint64 delivered = 0;
    quint64 failedAttempts = 0;
    quint64 givenUp = 0; // notifications dropped after the last retry
    quint64 dropped = 0; // notifications dropped because the queue was full
    QString lastError;   // "receiver 'ops': HTTP 500", never the URL
    qint64 lastErrorAtMs = -1;
    qint64 lastDeliveredAtMs = -1;
};

struct SilenceView
{
    QString id;
    QString matchers; // pool="mail", alertname=~"High.*"
    qint64 startsAtMs = 0;
    qint64 endsAtMs = 0;
    QString createdBy;
    QString comment;
};

// ---- Work distribution and the GPT gateway (core/engine/work_wiring.h fills these) ----------

// One replica as the dispatcher sees it: its circuit breaker and its share of the work.
struct ReplicaWorkView
{
    int replica = 0;
    QString breaker; // closed, open, half_open
    int consecutiveFailures = 0;
    qint64 breakerRetryAtMs = -1; // open: when the half-open trial becomes possible
    int timesOpened = 0;
    bool eligible = false; // ready with a free concurrent-task slot and a breaker that allows
    double load = 0;
    int capacity = 0;
    qint64 delivered = 0;
    qint64 failures = 0;
    double responseEwmaMs = -1; // -1: not measured
    double tokensPerSecond = -1; // metered by the gateway; -1: no gateway traffic yet
};

struct PoolWorkView
{
    QString pool;
    QString algorithm;     // least_connections, round_robin, ...
    int waiting = 0;       // in Drover's queue
    int delivering = 0;    // POST /jobs out now
    double queueDepth = 0; // Drover's queue + what the agents report waiting
    qint64 oldestWaitMs = 0;
    int deadLetters = 0;
    qint64 delivered = 0;             // since Drover started
    double dispatchLatencyP95Ms = -1; // POST /jobs round trip; -1: nothing delivered yet
    double waitP95Ms = -1;            // queued until an agent accepted; -1: nothing delivered
    // Gateway meter, per second over the last seconds; -1: no gateway traffic from the pool.
    double promptTokensPerSecond = -1;
    double completionTokensPerSecond = -1;
    double tokensPerSecond = -1;
    qint64 rejected = 0; // the gateway's own budget 429s to this pool's agents, in total
    // The GPT provider's 429s to this pool's requests (retries included), in total, and until
    // when (wall clock) the provider has told this pool to wait; 0: that time has passed.
    qint64 providerRejected = 0;
    qint64 providerThrottledUntilMs = 0;
    bool providerThrottled() const { return providerThrottledUntilMs > 0; }
    QVector<ReplicaWorkView> replicas;
};

struct GatewayView
{
    bool enabled = false; // gateway.enabled
    bool running = false;
    QString error;        // why it is not running
    quint16 port = 0;
    QString upstream;     // "simulated" or the base URL (never with credentials)
    bool simulated = false;
    QString simulatedReason; // "configured", "no provider key in the keychain"
    bool throttled = false;  // the provider said slow down and its reset has not come
    qint64 throttledUntilMs = 0;
    bool insufficientQuota = false;
    QString lastError;
    qint64 upstream429 = 0;
    qint64 unauthorized = 0;
    int activeRequests = 0;
    int activeStreams = 0;
    double tokensPerSecond = -1; // all pools; -1: not measured yet
    QMap<QString, double> tokensPerSecondByPool;
    qint64 promptTokens = 0, completionTokens = 0, cachedTokens = 0, reasoningTokens = 0;
};

struct DispatchView
{
    bool enabled = false; // dispatch.enabled
    bool running = false;
    QString error;
    quint16 intakePort = 0; // POST http://127.0.0.1:<port>/v1/pools/{pool}/jobs
    bool intakeReady = false;
    QString intakeError;
};

struct DeadLetterView
{
    QString id;
    QString pool;
    QString loop;
    QString priority;
    QString reason;
    QString lastError;
    int attempts = 0;
    qint64 enqueuedMs = 0;
    qint64 deadMs = 0;
};

struct BottleneckView
{
    QString signature; // gpt_throttling, memory_pressure, cpu_saturation, queue_backlog, ...
    QString title;
    QString severity;  // low .. critical
    QString pool;      // empty: host- or gateway-wide
    double confidence = 0;
    QString summary;
    QStringList evidence;
    QString remediationKind; // scale_out, retier, restart_replicas, hold_scale_out, notify_only
    QString remediation;
    int targetReplicas = 0;
    QString targetTier;
    QVector<int> restartReplicas; // restart_replicas: which ones (empty: the whole pool, rolling)
    qint64 sinceMs = 0;
};

// The recent 1 s series of one pool for the dashboard's live range: the tail of the engine's
// rings (SeriesBook), oldest first. Missing seconds are missing here too (gaps, not zeros).
struct PoolSeriesTail
{
    QString pool;
    QVector<SeriesPoint> cpuPercent;    // pool_cpu_percent: of the tier's cores x replicas
    QVector<SeriesPoint> memoryPercent; // pool_memory_percent: of the tier's memory x replicas
    QVector<SeriesPoint> queueDepth;
    QVector<SeriesPoint> promptTokensPerSecond;
    QVector<SeriesPoint> completionTokensPerSecond;
    // The tier's GPT budget for the pool's desired replicas, tokens/s; NaN: tier unknown.
    double tokenBudgetPerSecond = std::numeric_limits<double>::quiet_NaN();
};

struct Snapshot
{
    quint64 sequence = 0;    // 1 for the first snapshot; gaps mean the UI skipped some
    qint64 publishedAtMs = 0;
    qint64 tickIntervalMs = 0;
    quint64 ticks = 0;          // ticks so far; a snapshot between ticks repeats the count
    double lastTickSeconds = 0; // how long the last tick took (drover_engine_tick_seconds)
    bool cpuValid = false;   // false until two CPU samples exist, or when counters misbehaved
    double cpuPercent = 0;
    quint64 memoryTotalBytes = 0;
    quint64 memoryUsedBytes = 0;
    QVector<SystemPoint> systemHistory; // oldest first, 1 s resolution, bounded
    ConfigStatus config;
    QVector<PoolStatus> pools;
    QVector<SupervisorEvent> recentEvents; // newest last, bounded
    QString cgroupRoot; // where tier limits are enforced on Linux; empty: rlimit fallback
    QString storePath;
    QString storeNotice; // a store that was broken and moved aside, or could not be opened

    // Work distribution and the gateway (work_wiring.h).
    QVector<PoolWorkView> work; // one per pool the dispatcher serves
    GatewayView gateway;
    DispatchView dispatch;
    QVector<DeadLetterView> deadLetters; // newest first, bounded (100)

    // The scaling engine (DESIGN.md, "The scaling engine").
    QVector<PoolAutoscaling> autoscaling;    // one per supervised pool
    QVector<ScalingRecord> latestDecisions;  // this tick's decision of every autoscaled pool
    QVector<ScalingRecord> scalingDecisions; // recorded decisions (changes, and every 10 s), newest last
    QVector<AlertView> activeAlerts;         // pending and firing, most urgent first
    QVector<AlertView> resolvedAlerts;       // recently resolved, newest first
    QVector<NotificationView> notifications; // the last ones decided, oldest first
    WebhookStatus webhook;                   // delivery of the webhook notifications
    CapacityPlan capacity;   // projections at 1/3/6/12 months, cost, recommendations (plain values)
    qint64 capacityAtMs = 0; // when it was made; 0: not yet (no store, or the first minute)
    QStringList autoRemediation; // bottleneck signatures remediated without asking
    QVector<SilenceView> silences;           // active and pending
    QVector<BottleneckView> bottlenecks;     // active findings, most severe first
    QVector<PoolSeriesTail> poolSeries;      // one per pool, the last historyPoints seconds
};

} // namespace drover

Q_DECLARE_METATYPE(drover::Snapshot)
