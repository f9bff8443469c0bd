// The dispatcher's persistent job queue: one SQLite file of its own (Qt Sql, its own
// connection, WAL), so queued jobs, dead letters and the loops' last runs survive a restart.
//
// Per pool, jobs leave by priority (high, medium, low), then in arrival order. A job being
// delivered is leased: still in the file (a crash mid-delivery offers it again at the next
// open: at-least-once), but not handed out twice. Its delivery then ends in one of:
//   complete()  the agent accepted it: it leaves the queue, its wait time is recorded;
//   release()   the agent was full (429): back in line unchanged, no retry consumed;
//   fail()      5xx, connection error, timeout: retried after a backoff, on another replica
//               when the pool has one (the failed replica joins the job's avoid list), and
//               dead-lettered after the pool's maxRetries;
//   reject()    the agent refused the job itself (400): dead-lettered at once.
// Jobs past their deadline are dead-lettered by expire(). The operator can list dead letters
// and requeue or discard them.
//
// Belongs to one thread (the engine's): Qt Sql connections are per thread.
#pragma once

#include "dispatch_types.h"
#include "loop_scheduler.h"

#include <QHash>
#include <QSet>
#include <QString>
#include <QVector>
#include <deque>
#include <optional>

namespace drover {

struct QueueStats
{
    int waiting = 0;    // queued, not being delivered
    int delivering = 0; // leased: a POST /jobs is out
    int waitingHigh = 0, waitingMedium = 0, waitingLow = 0;
    int deadLetters = 0;
    qint64 oldestWaitMs = 0; // age of the oldest waiting job
    // Over the last deliveries (up to 512): time in the queue until an agent accepted, and
    // the POST /jobs round trip.
    double waitAvgMs = 0, waitP95Ms = 0;
    double latencyAvgMs = 0, latencyP95Ms = 0;
    qint64 delivered = 0; // since open
    qint64 retried = 0;   // failed deliveries that were retried
    qint64 released = 0;  // 429s
    qint64 expired = 0;
};

class JobQueue
{
public:
    JobQueue();
    ~JobQueue();
    JobQueue(const JobQueue &) = delete;
    JobQueue &operator=(const JobQueue &) = delete;

    // Opens (creating) the file; leases left by a previous process are released.
    bool open(const QString &path, QString *error = nullptr);
    void close();
    bool isOpen() const;
    QString path() const { return m_path; }
    QString lastError() const { return m_lastError; }

    void setRetryPolicy(const QString &pool, const RetryPolicy &policy);
    RetryPolicy retryPolicy(const QString &pool) const;

    // Queues a job; returns it with its id, or nothing when the database refused.
    std::optional<QueuedJob> enqueue(const JobRequest &request, qint64 nowMs);
    // The next job of `pool` that may go at `nowMs` (not in backoff, not expired), leased.
    std::optional<QueuedJob> take(const QString &pool, qint64 nowMs);
    // Whether `pool` has a job that take() would hand out.
    bool hasReady(const QString &pool, qint64 nowMs) const;

    bool complete(const QString &id, qint64 nowMs, double latencyMs = -1);
    // `full`: the agent said 429/503 (counted in stats().released).
    bool release(const QString &id, bool full = true);
    enum class FailOutcome
    {
        Retry,
        DeadLettered,
        Unknown
    };
    struct FailResult
    {
        FailOutcome outcome = FailOutcome::Unknown;
        qint64 notBeforeMs = 0; // Retry: when it may go again
        QString reason;         // DeadLettered: why
        QueuedJob job;          // as it is now
    };
    FailResult fail(const QString &id, int replica, const QString &error, qint64 nowMs);
    bool reject(const QString &id, const QString &reason, qint64 nowMs);
    // Dead-letters every waiting job whose deadline has passed; returns them.
    QVector<DeadLetter> expire(qint64 nowMs);

    QVector<DeadLetter> deadLetters(const QString &pool = QString(), int limit = 100) const;
    // Back into its pool's queue with a fresh retry budget (and `deadlineMs`, 0: none).
    std::optional<QueuedJob> requeue(const QString &id, qint64 nowMs, qint64 deadlineMs = 0);
    bool discardDeadLetter(const QString &id);

    std::optional<QueuedJob> job(const QString &id) const;
    int depth(const QString &pool) const; // waiting + delivering
    QueueStats stats(const QString &pool, qint64 nowMs) const;
    QStringList pools() const;         // pools with queued jobs or dead letters
    QSet<QString> queuedLoops() const; // loops that still have a job queued

    bool saveLoopRecord(const QString &loop, const LoopRecord &record);
    QHash<QString, LoopRecord> loadLoopRecords() const;

private:
    bool exec(const QString &sql);
    bool createSchema();
    bool moveToDeadLetters(const QueuedJob &job, const QString &reason, qint64 nowMs);
    void recordSample(std::deque<double> &samples, double value);

    struct Counters
    {
        qint64 delivered = 0, retried = 0, released = 0, expired = 0;
        std::deque<double> waits, latencies;
    };
    QString m_connection;
    QString m_path;
    mutable QString m_lastError;
    QHash<QString, RetryPolicy> m_policies;
    QHash<QString, Counters> m_counters;
};

} // namespace drover
