// Drover's configuration: the typed schema of drover.yaml and its loader.
//
// The loader never throws and never gives up at the first problem: it returns every issue it
// found with file:line:column, and a Config that holds everything that was valid. A pool with
// an error is refused alone (listed in refusedPools); the rest of the fleet still runs.
#pragma once

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace drover {

struct ConfigIssue
{
    enum class Severity { Error, Warning };
    QString file;
    int line = 0;   // 1-based; 0 when the issue is about the whole file
    int column = 0; // 1-based
    Severity severity = Severity::Error;
    QString message;

    // "file:line:column: error: message", the shape compilers use so editors can jump to it.
    QString toString() const;
};

struct TierSpec
{
    QString name;
    double cpuCores = 1.0;
    qint64 memoryMb = 1024; // 0: no memory limit
    int gptTokensPerMinute = 500;
    int browserInstances = 1;
    int concurrentTasks = 5;
};

struct HealthSpec
{
    // http: the agent serves the contract's endpoints (ready = GET ready_path answers 200);
    // tcp: ready when its port accepts connections; process: ready once it runs.
    enum class Mode { Http, Tcp, Process };
    Mode mode = Mode::Http;
    qint64 intervalMs = 5000;
    qint64 startTimeoutMs = 60000; // not ready by then: unhealthy, restarted
    qint64 timeoutMs = 2000;
    int failureThreshold = 3;
    QString livePath = QStringLiteral("/health/live");
    QString readyPath = QStringLiteral("/health/ready");
};

struct RestartSpec
{
    enum class Policy { Always, OnFailure, Never };
    Policy policy = Policy::Always;
    qint64 backoffInitialMs = 1000;
    qint64 backoffMaxMs = 60000;
    int crashLoopCount = 5;
    qint64 crashLoopWindowMs = 120000;
};

// One HPA-style target of a pool's `autoscale:` block: the replica count follows
// ceil(current * value / target). Metric names are core/scaling's (cpu_percent, memory_percent,
// queue_depth, gpt_tokens_per_second, job_latency_ms).
struct AutoscaleMetricSpec
{
    QString metric;
    double target = 0;
};

// A pool's `autoscale:` block. Without one a pool is autoscaled between its min and max by the
// `policies:` rules (the seed rules when there are none) with HPA's default behavior.
struct AutoscaleSpec
{
    bool enabled = true;
    QList<AutoscaleMetricSpec> metrics;  // HPA targets; empty: the rules alone decide
    std::optional<QStringList> policies; // names from `policies:` that apply; absent: all
    // behavior overrides; -1: the HPA default (scale up at once, scale down after 5 min)
    qint64 scaleUpStabilizationMs = -1;
    qint64 scaleDownStabilizationMs = -1;
    double tolerance = -1; // -1: the default dead band (0.1) on both sides
    // behavior.scale_up / scale_down rate policies (HPA Pods/Percent); empty: HPA's defaults.
    struct RatePolicy
    {
        bool percent = false;
        int value = 0;
        qint64 periodMs = 15000;
    };
    QList<RatePolicy> scaleUpPolicies;
    QList<RatePolicy> scaleDownPolicies;
    QString scaleUpSelect;   // max, min, disabled; empty: max
    QString scaleDownSelect;
    // Scheduled minimums: between each `start` and the next `end` (five-field cron read in
    // `time_zone`), the pool runs at least `min` replicas.
    struct Schedule
    {
        QString name;
        QString start;
        QString end;
        QString timeZone = QStringLiteral("UTC");
        int minReplicas = 1;
    };
    QList<Schedule> schedules;
    // Scale to zero: idle (activation metric <= threshold) for `cooldown` -> 0 replicas; wakes
    // when the metric exceeds the threshold. Needs replicas.min 0.
    bool scaleToZero = false;
    QString activationMetric = QStringLiteral("queue_depth");
    double activationThreshold = 0;
    qint64 scaleToZeroCooldownMs = 300000;
    // Fallback: after `failures` consecutive decisions without any usable metric, run `replicas`.
    bool fallback = false;
    int fallbackFailures = 3;
    int fallbackReplicas = 1;
};

struct PoolSpec
{
    QString name;
    QString command;
    QStringList args;
    QString workingDir;
    QMap<QString, QString> env; // values may be "keychain:NAME" references, resolved at start
    int minReplicas = 1;
    int maxReplicas = 1;
    int initialReplicas = 1;
    QString tier;
    qint64 stopTimeoutMs = 10000;
    qint64 scrapeIntervalMs = 2000; // GET /metrics (http mode)
    // live: apply a new tier's limits to running replicas (rolling restart where the OS
    // refuses); restart: always a rolling restart, so agents also see the new DROVER_TIER.
    enum class Retier { Live, Restart };
    Retier retier = Retier::Live;
    HealthSpec health;
    RestartSpec restart;
    AutoscaleSpec autoscale;
    int line = 0; // where the pool is declared, so later messages can point at it
    // The pool's block as the loader read it, re-emitted canonically (comments and layout
    // gone): a reload compares it to tell a changed pool from an unchanged one.
    QByteArray sourceText;
};

struct PolicySpec
{
    QString name;
    QString metric;     // cpu_percent, queue_depth, ...
    QString op;         // ">" or "<"
    double threshold = 0;
    qint64 forMs = 0;
    int change = 0;     // +N scales out, -N scales in
    qint64 cooldownMs = 0;
};

struct AlertRuleSpec
{
    QString name;
    QString series;
    QString op;
    double threshold = 0;
    qint64 forMs = 0;
    qint64 keepFiringForMs = 0;
    QString severity = QStringLiteral("warning");
    QString summary;
    int line = 0; // where the rule is declared, for problems found after loading
    int column = 0;
};

// `notifications:` (Alertmanager's shape, flattened): receivers name channels, routes match
// alerts by label matchers (`severity=~"critical|high", pool="mail"`) and send them to a receiver.
struct ReceiverSpec
{
    struct Channel
    {
        QString kind; // tray, banner, log, webhook
        bool sendResolved = true;
        QString urlSecret; // webhook: the OS keychain entry holding the URL (never the URL)
    };
    QString name;
    QList<Channel> channels;
};

struct RouteSpec
{
    QString name;
    QString matchers; // empty: every alert
    QString receiver;
    std::optional<QStringList> groupBy;
    qint64 groupWaitMs = -1; // -1: Alertmanager's default (30 s, 5 m, 4 h)
    qint64 groupIntervalMs = -1;
    qint64 repeatIntervalMs = -1;
    bool continueMatching = false;
};

struct InhibitRuleSpec
{
    QString sourceMatchers;
    QString targetMatchers;
    QStringList equal;
};

// A silence written in the file (maintenance windows): mutes matching alerts until `ends`.
struct SilenceSpec
{
    QString matchers;
    qint64 startsAtMs = 0; // 0: from the start
    qint64 endsAtMs = 0;
    QString comment;
};

struct NotificationsSpec
{
    bool given = false; // `notifications:` present; absent: the built-in policy
    QList<ReceiverSpec> receivers;
    RouteSpec defaultRoute; // alerts no route matched; receiver empty: tray and log
    QList<RouteSpec> routes;
    bool inhibitRulesGiven = false; // absent: the built-in ones
    QList<InhibitRuleSpec> inhibitRules;
    QList<SilenceSpec> silences;
};

// `planning:` prices for the capacity planner's cost estimate (0: not priced).
struct PlanningSpec
{
    QString currency = QStringLiteral("$");
    double promptPer1k = 0;
    double completionPer1k = 0;
    QString machineName = QStringLiteral("machine");
    double machineCores = 16;
    double machineMemoryMb = 64 * 1024;
    double machineMonthlyPrice = 0;
};

// A tier's gateway budget beyond its gpt_tokens_per_min (gateway.budgets.<tier>).
struct GatewayBudgetSpec
{
    qint64 tokensPerMinute = -1;   // -1: the tier's gpt_tokens_per_min; 0: unlimited
    qint64 requestsPerMinute = 0;  // 0: unlimited
};

struct GatewaySpec
{
    bool enabled = true;
    int port = 0; // 0: pick a free loopback port
    // "simulated" (the built-in offline upstream) or an OpenAI-compatible base URL. With a
    // base URL and no provider key in the keychain the simulated upstream answers instead.
    QString upstream = QStringLiteral("simulated");
    QString providerKey = QStringLiteral("openai_api_key"); // keychain entry of the real key
    QMap<QString, GatewayBudgetSpec> budgets;               // by tier name
    qint64 completionEstimate = 256; // tokens reserved for a request without max_tokens
    int maxRetries = 2;              // upstream 429/5xx before the first byte
    qint64 maxBufferedRequestMb = 64; // request bodies held across all client connections
    // The simulated upstream's own (provider-like) limits; 0: none.
    qint64 simulatedRequestsPerMinute = 0;
    qint64 simulatedTokensPerMinute = 0;
};

// One recurring loop of `dispatch.loops` (the seed's 15 are the default).
struct LoopConfigSpec
{
    QString name;
    QString pool;
    QString priority = QStringLiteral("low"); // high, medium, low
    qint64 intervalMs = 0;                    // `every:`; 0 with monthly
    bool monthly = false;                     // `every: monthly`
    qint64 jitterMs = -1;                     // -1: 10 % of the interval, at most 5 minutes
    bool allowOverlap = false;
    QString missed; // run_once, skip; empty: dispatch.missed_runs, else the seed's rule
    bool runAtFirstStart = false;
    bool enabled = true;
    QMap<QString, QString> payloadText; // the job's fields as written (numbers, booleans, text)
    int line = 0;
};

// Per-pool dispatch settings (dispatch.pools.<pool>).
struct DispatchPoolSpec
{
    QString algorithm; // empty: by the pool's role (balancer.h's seed table)
    int maxRetries = -1; // -1: dispatch.max_retries
};

struct DispatchSpec
{
    bool enabled = true;
    int intakePort = 0; // POST /v1/pools/{pool}/jobs on 127.0.0.1; 0: a free port
    bool intake = true;
    int maxRetries = 3;
    qint64 retryBackoffMs = 500;
    qint64 requestTimeoutMs = 10000;
    QString missedRuns; // run_once or skip for every loop; empty: the seed's rule per loop
    QMap<QString, DispatchPoolSpec> pools;
    bool loopsGiven = false; // `loops:` present (even empty); absent: the seed's 15 into "loops"
    QList<LoopConfigSpec> loops;
};

struct StorageSpec
{
    QString path; // empty: the user's data folder
    qint64 rawRetentionMs = 3600LL * 1000;
    qint64 tenSecondRetentionMs = 24LL * 3600 * 1000;
    qint64 minuteRetentionMs = 30LL * 24 * 3600 * 1000;
};

// Drover's own /metrics and /health (core/observe), on 127.0.0.1 only.
struct ObserveSpec
{
    bool enabled = true;
    int port = 9464; // Prometheus' registered default for exporters; 0: a free port
};

struct Config
{
    QString sourceFile;
    QList<TierSpec> tiers;
    QList<PoolSpec> pools;
    QList<PolicySpec> policies;
    QList<AlertRuleSpec> alerts;
    NotificationsSpec notifications;
    PlanningSpec planning;
    GatewaySpec gateway;
    DispatchSpec dispatch;
    StorageSpec storage;
    ObserveSpec observe;
    // Each top-level section as read, re-emitted canonically (key -> text): a reload compares
    // them to tell what changed without a field-by-field comparison of every section.
    QMap<QString, QByteArray> sectionText;

    const TierSpec *tier(const QString &name) const;
    const PoolSpec *pool(const QString &name) const;
};

struct ConfigLoadResult
{
    Config config;
    QList<ConfigIssue> issues;
    QStringList refusedPools;
    // True when the file could not be used at all (missing, unreadable, not YAML). The
    // config then holds defaults only.
    bool fatal = false;
    // Top-level sections (tiers, policies, alerts, ...) in which an error was found: what the
    // loader dropped there is lost, so a reload keeps the previous good version of the section.
    QStringList sectionsWithErrors;

    bool hasErrors() const;
};

// The built-in tier table (the seed's Free/Basic/Premium/Enterprise quotas).
QList<TierSpec> defaultTiers();

ConfigLoadResult parseConfig(const QByteArray &yamlText, const QString &fileName);
ConfigLoadResult loadConfigFile(const QString &path);

// "250ms", "30s", "2m", "1h", "7d" or a plain number of milliseconds.
std::optional<qint64> parseDurationMs(const QString &text);

} // namespace drover
