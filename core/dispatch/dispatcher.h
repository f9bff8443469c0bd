// The dispatcher: hands queued jobs to agent replicas. It lives in the engine thread; the
// engine owns it, feeds it the supervisor's pool status every tick and shows status().
//
//   producers (intake endpoint, loop scheduler, enqueue()) -> JobQueue (SQLite, per pool,
//   by priority) -> Balancer per pool (only eligible replicas) -> POST /jobs to the replica
//
// Delivery outcomes (the agent contract):
//   2xx (202)          delivered: the job leaves the queue. The replica's slot stays taken
//                      until the agent's jobs counter (agent_jobs_total, from the supervisor's
//                      scrape) shows it finished; without metrics, accepted = done.
//   429, 503           the replica is full or draining: the job goes back to the queue
//                      unchanged (no retry consumed), the replica pauses for Retry-After (max
//                      5 s) or until the next status update.
//   other 4xx          the agent refuses the job itself: dead letter at once.
//   5xx, connection    a breaker failure for the replica, and the job is retried after a
//   error, timeout     backoff on another replica; after maxRetries it is a dead letter.
//
// Load of a replica (for eligibility and the balancers): jobs Drover sent that the agent has
// not finished (sent minus the growth of agent_jobs_total since a baseline), or what the agent
// reports in agent_in_flight + agent_queue_depth if that is more, plus POSTs still out. A
// replica is eligible while that is below its tier's concurrent-task cap. Delivery is
// at-least-once: a crash between the agent's 202 and our bookkeeping sends the job again.
#pragma once

#include "balancer.h"
#include "circuit_breaker.h"
#include "core/supervisor/supervisor_types.h"
#include "dispatch_types.h"
#include "job_intake.h"
#include "job_queue.h"
#include "loop_scheduler.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <functional>
#include <memory>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

namespace drover {

struct DispatchPoolConfig
{
    QString pool;
    BalancingAlgorithm algorithm = BalancingAlgorithm::LeastConnections;
    BalancerTuning balancer;
    RetryPolicy retry;
    BreakerTuning breaker;
};

struct DispatcherOptions
{
    QString queuePath;  // the dispatcher's own SQLite file
    bool intake = true; // serve POST /v1/pools/{pool}/jobs
    IntakeOptions intakeOptions;
    int requestTimeoutMs = 10000; // one POST /jobs
    qint64 maxPauseMs = 5000;     // longest pause a 429's Retry-After can ask for
    bool runLoops = true;
    QVector<LoopSpec> loops = defaultLoops();
    std::function<qint64()> clock; // ms since epoch; default: the system clock
};

struct ReplicaDispatchStatus
{
    int index = 0;
    int port = 0;
    bool eligible = false;
    double load = 0; // as the balancer saw it
    int capacity = 0;
    int posting = 0;      // POST /jobs out now
    qint64 delivered = 0; // accepted by this replica since Drover started
    qint64 failures = 0;  // failed deliveries
    qint64 full = 0;      // 429 / 503 answers
    bool paused = false;
    BreakerStatus breaker;
    double responseEwmaMs = -1; // -1: not measured
};

struct PoolDispatchStatus
{
    QString pool;
    BalancingAlgorithm algorithm = BalancingAlgorithm::LeastConnections;
    QueueStats queue;
    double agentQueueDepth = 0; // what the agents report waiting at them
    double queueDepth = 0;      // jobs waiting in Drover + what agents report (DESIGN.md)
    QVector<ReplicaDispatchStatus> replicas;
};

struct DispatcherStatus
{
    bool running = false;
    QString error; // the queue could not be opened, ...
    quint16 intakePort = 0;
    bool intakeReady = false;
    QString intakeError;
    QVector<PoolDispatchStatus> pools;
    QVector<LoopDecision> loops; // each loop's next due time (preview)
};

class Dispatcher : public QObject
{
    Q_OBJECT
public:
    explicit Dispatcher(DispatcherOptions options, QObject *parent = nullptr);
    ~Dispatcher() override;

    // Opens the queue (jobs of a previous run come back), restores the loops' records and
    // starts the intake endpoint (its token loads asynchronously: intakeReady()).
    bool start(QString *error = nullptr);
    // Stops the intake, cancels POSTs still out (their jobs stay queued) and closes the queue.
    void stop();
    bool isRunning() const { return m_running; }

    // The pools that take jobs and how each balances. Pools not listed refuse new jobs; their
    // queued jobs wait.
    void setPools(const QVector<DispatchPoolConfig> &pools);
    // The supervisor's status, every engine tick: replicas, readiness, ports, caps, metrics.
    // Also runs due loops, expires deadlines and dispatches.
    void updateStatus(const QVector<PoolStatus> &pools);

    // Queues a job for a configured pool; nothing when the pool is unknown or the queue fails.
    std::optional<QueuedJob> enqueue(const JobRequest &request);

    QVector<DeadLetter> deadLetters(const QString &pool = QString(), int limit = 100) const;
    bool requeueDeadLetter(const QString &id, qint64 deadlineMs = 0);
    bool discardDeadLetter(const QString &id);

    DispatcherStatus status() const;
    quint16 intakePort() const;
    bool isIntakeReady() const;
    const JobQueue &queue() const { return m_queue; }

signals:
    void intakeReady(quint16 port);
    void intakeFailed(const QString &error);
    void jobDelivered(const QString &pool, const QString &id, int replica);
    void jobDeadLettered(const QString &pool, const QString &id, const QString &reason);

private:
    struct ReplicaTrack
    {
        ReplicaStatus status;
        CircuitBreaker breaker;
        qint64 pid = 0;
        bool baselineSet = false;
        double baselineJobs = 0; // agent_jobs_total when `sent` was last zeroed
        qint64 sent = 0;         // accepted since the baseline
        int posting = 0;
        qint64 pausedUntilMs = 0;
        qint64 delivered = 0, failures = 0, full = 0;
        double load = 0;
    };
    struct PoolRuntime
    {
        DispatchPoolConfig config;
        Balancer balancer;
        QHash<int, ReplicaTrack> replicas; // by replica index
        bool known = false;                // in setPools()
        bool hasStatus = false;
    };
    struct Delivery
    {
        QString jobId;
        QString pool;
        QString loop;
        QString correlationId;
        int replica = -1;
        QElapsedTimer timer;
    };

    qint64 now() const;
    void schedulePump(qint64 delayMs = 0);
    void pump();
    void dispatchPool(PoolRuntime &pool, qint64 nowMs);
    double replicaLoad(const ReplicaTrack &track) const;
    BalancerReplica candidate(const ReplicaTrack &track, qint64 nowMs) const;
    void post(PoolRuntime &pool, ReplicaTrack &track, const QueuedJob &job);
    void onReplyFinished(QNetworkReply *reply);
    void runLoops(qint64 nowMs);
    void loopFinished(const QString &loop);
    void expireDeadlines(qint64 nowMs);

    DispatcherOptions m_options;
    JobQueue m_queue;
    LoopScheduler m_loops;
    JobIntake *m_intake = nullptr;
    QNetworkAccessManager *m_nam = nullptr;
    QTimer *m_pumpTimer = nullptr;
    QHash<QString, PoolRuntime> m_pools;
    QHash<QNetworkReply *, Delivery> m_deliveries;
    bool m_running = false;
    QString m_error;
};

} // namespace drover

Q_DECLARE_METATYPE(drover::DispatcherStatus)
