// Values shared by the dispatcher's parts: job priorities, queued jobs, dead letters and the
// retry policy. Plain values only, so they can travel in snapshots to the UI thread.
#pragma once

#include <QJsonObject>
#include <QMetaType>
#include <QString>
#include <QVector>
#include <optional>

namespace drover {

// Higher value = served first. Stored as this integer in the queue database.
enum class JobPriority
{
    Low = 0,
    Medium = 1,
    High = 2
};

QString jobPriorityName(JobPriority priority);
std::optional<JobPriority> jobPriorityFromName(const QString &name); // "high", "medium", "low"

// What a producer (the intake endpoint, the loop scheduler, the engine) asks for.
struct JobRequest
{
    QString pool;
    JobPriority priority = JobPriority::Medium;
    QJsonObject payload;   // sent to the agent as the body of POST /jobs (plus "id")
    QString sessionKey;    // consistent hashing keeps jobs with one key on one replica
    qint64 deadlineMs = 0; // absolute (ms since epoch); 0: none. Past it the job is dead-lettered
    QString loop;          // the loop that produced it, if any
    // Follows the job from intake through dispatch to completion (logs, the agent's
    // X-Correlation-Id header); empty: the job's id is used.
    QString correlationId;
};

struct QueuedJob
{
    QString id;
    QString pool;
    JobPriority priority = JobPriority::Medium;
    QJsonObject payload;
    QString sessionKey;
    QString loop;
    qint64 enqueuedMs = 0;
    qint64 deadlineMs = 0;
    qint64 notBeforeMs = 0; // retry backoff: not dispatched before this
    int attempts = 0;       // failed deliveries so far (429 does not count)
    QVector<int> avoid;     // replicas that failed this job: retries go elsewhere if possible
    QString lastError;
    QString correlationId; // never empty for a queued job
};

struct DeadLetter
{
    QueuedJob job;
    qint64 deadMs = 0;
    QString reason; // "deadline passed after 65 s in the queue", "3 retries failed: ...", ...
};

struct RetryPolicy
{
    int maxRetries = 3;            // failed deliveries beyond the first before a dead letter
    qint64 backoffInitialMs = 500; // the first retry waits this, then 2x, 4x ... up to max
    qint64 backoffMaxMs = 30000;
};

// The wait before retry number `attempt` (1-based): initial * 2^(attempt-1), capped.
qint64 retryBackoffMs(const RetryPolicy &policy, int attempt);

} // namespace drover
