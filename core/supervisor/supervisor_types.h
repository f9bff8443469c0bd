// Values the supervisor publishes: replica and pool status, and the events it records. Plain
// values only, so they travel in the engine's snapshot to the UI thread.
#pragma once

#include <QMetaType>
#include <QString>
#include <QVector>

#include <limits>

namespace drover {

enum class ReplicaState {
    Starting,  // launched, not ready yet
    Ready,     // passing its readiness check; receives work
    Unhealthy, // failed its checks failureThreshold times, or never became ready; restarted
    Stopping,  // asked to stop: /shutdown, then SIGTERM/CTRL_BREAK, then a tree kill
    Exited,    // stopped on purpose, or exited cleanly where that is not a crash
    Crashed,   // exited unexpectedly or failed to start
    Backoff,   // waiting before the next restart
};

QString replicaStateName(ReplicaState state);

enum class PoolState {
    Stopped,   // desired 0 replicas and none running
    Running,   // replicas wanted and not in trouble
    Degraded,  // fewer ready replicas than desired
    CrashLoop, // K crashes within the window: restarts suspended until the operator acts
    Error,     // cannot start at all (e.g. a keychain secret is missing)
};

QString poolStateName(PoolState state);

// Whether and how the tier's limits are enforced for a replica.
enum class LimitEnforcement {
    None,      // not applied (no tier, or the replica is not running)
    JobObject, // Windows Job Object: CPU hard cap and memory limit
    CgroupV2,  // Linux cgroup v2: cpu.max and memory.max
    Rlimit,    // Linux fallback: RLIMIT_DATA for memory; CPU over quota is reported by a watchdog
};

QString limitEnforcementName(LimitEnforcement e);

struct ReplicaStatus
{
    int index = 0;
    qint64 pid = 0;
    int port = 0;
    ReplicaState state = ReplicaState::Starting;
    QString stateReason;
    qint64 stateSinceMs = 0;
    qint64 startedAtMs = 0;
    int restarts = 0;
    int lastExitCode = 0;
    bool cpuValid = false;
    double cpuPercent = 0;    // of one core (100 = one core busy)
    quint64 rssBytes = 0;     // resident memory
    quint64 privateBytes = 0; // committed private memory (what memory limits measure)
    // From the agent's /metrics (http mode); valid once scraped.
    bool metricsValid = false;
    double queueDepth = 0;
    double inFlight = 0;
    double jobsTotal = 0;
    // agent_jobs_total of every status but "ok"; NaN when the agent does not label outcomes
    // (then the pool's error rate is unknown, never 0 %).
    double jobsFailedTotal = std::numeric_limits<double>::quiet_NaN();
    double promptTokensTotal = 0;
    double completionTokensTotal = 0;
    QString metricsError; // why the last scrape failed, if it did
    LimitEnforcement enforcement = LimitEnforcement::None;
    int concurrentTasks = 0; // the tier's cap on jobs in flight at this replica (0: none)
    bool overCpuQuota = false;
    bool overMemoryQuota = false;
    qint64 logBytesDropped = 0; // output over the log rate limit, counted not kept
};

struct PoolStatus
{
    QString name;
    PoolState state = PoolState::Stopped;
    QString stateReason;
    QString tier;
    int desired = 0;
    int minReplicas = 0;
    int maxReplicas = 0;
    int ready = 0;
    int running = 0;
    bool rollingRestart = false;
    bool retierLive = true; // a tier change applies limits live (else: rolling restart)
    QVector<ReplicaStatus> replicas;
};

struct SupervisorEvent
{
    qint64 timeMs = 0;
    QString pool;
    int replica = -1; // -1: the pool itself
    QString kind;     // state, scale, retier, secret, limits, log, metrics, command
    QString from;
    QString to;
    QString reason;

    QString toString() const;
};

} // namespace drover

Q_DECLARE_METATYPE(drover::SupervisorEvent)
