#include "job_queue.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>
#include <algorithm>
#include <cmath>

namespace drover {

namespace {
constexpr int kSamples = 512;
constexpr int kSchemaVersion = 2; // 2: correlation_id

const char *kSchema[] = {
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT)",
    // seq keeps arrival order within a priority; AUTOINCREMENT so a requeued job never reuses
    // the number of a job that left.
    "CREATE TABLE IF NOT EXISTS jobs(seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL "
    "UNIQUE, "
    "pool TEXT NOT NULL, priority INTEGER NOT NULL, payload TEXT NOT NULL, session_key TEXT, loop "
    "TEXT, "
    "enqueued INTEGER NOT NULL, deadline INTEGER NOT NULL DEFAULT 0, not_before INTEGER NOT NULL "
    "DEFAULT 0, "
    "attempts INTEGER NOT NULL DEFAULT 0, avoid TEXT, last_error TEXT, leased INTEGER NOT NULL "
    "DEFAULT 0)",
    "CREATE INDEX IF NOT EXISTS jobs_next ON jobs(pool, leased, priority DESC, seq)",
    "CREATE TABLE IF NOT EXISTS dead_letters(id TEXT PRIMARY KEY, pool TEXT NOT NULL, priority "
    "INTEGER NOT NULL, "
    "payload TEXT NOT NULL, session_key TEXT, loop TEXT, enqueued INTEGER NOT NULL, deadline "
    "INTEGER NOT NULL, not_before INTEGER NOT NULL DEFAULT 0, "
    "attempts INTEGER NOT NULL, avoid TEXT, last_error TEXT, dead INTEGER NOT NULL, reason TEXT "
    "NOT NULL)",
    "CREATE INDEX IF NOT EXISTS dead_letters_pool ON dead_letters(pool, dead)",
    "CREATE TABLE IF NOT EXISTS loop_state(name TEXT PRIMARY KEY, last_slot INTEGER NOT NULL, "
    "last_run INTEGER NOT NULL)",
};

const QString kJobColumns =
    QStringLiteral("id, pool, priority, payload, session_key, loop, enqueued, deadline, "
                   "not_before, attempts, avoid, last_error, correlation_id");
// One "?" per column of kJobColumns.
const QString kJobPlaceholders = QStringLiteral("?,?,?,?,?,?,?,?,?,?,?,?,?");

QString avoidText(const QVector<int> &avoid)
{
    QStringList parts;
    for (int r : avoid)
        parts.append(QString::number(r));
    return parts.join(QLatin1Char(','));
}

QVector<int> avoidFromText(const QString &text)
{
    QVector<int> out;
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts))
        out.append(part.toInt());
    return out;
}

JobPriority priorityFromInt(int v)
{
    return v >= 2 ? JobPriority::High : v == 1 ? JobPriority::Medium : JobPriority::Low;
}

// Reads kJobColumns starting at column 0.
QueuedJob jobFromQuery(const QSqlQuery &q)
{
    QueuedJob j;
    j.id = q.value(0).toString();
    j.pool = q.value(1).toString();
    j.priority = priorityFromInt(q.value(2).toInt());
    j.payload = QJsonDocument::fromJson(q.value(3).toString().toUtf8()).object();
    j.sessionKey = q.value(4).toString();
    j.loop = q.value(5).toString();
    j.enqueuedMs = q.value(6).toLongLong();
    j.deadlineMs = q.value(7).toLongLong();
    j.notBeforeMs = q.value(8).toLongLong();
    j.attempts = q.value(9).toInt();
    j.avoid = avoidFromText(q.value(10).toString());
    j.lastError = q.value(11).toString();
    j.correlationId = q.value(12).toString();
    return j;
}

void bindJob(QSqlQuery &q, const QueuedJob &j)
{
    q.addBindValue(j.id);
    q.addBindValue(j.pool);
    q.addBindValue(int(j.priority));
    q.addBindValue(QString::fromUtf8(QJsonDocument(j.payload).toJson(QJsonDocument::Compact)));
    q.addBindValue(j.sessionKey);
    q.addBindValue(j.loop);
    q.addBindValue(j.enqueuedMs);
    q.addBindValue(j.deadlineMs);
    q.addBindValue(j.notBeforeMs);
    q.addBindValue(j.attempts);
    q.addBindValue(avoidText(j.avoid));
    q.addBindValue(j.lastError);
    q.addBindValue(j.correlationId);
}

double percentile(std::deque<double> samples, double q)
{
    if (samples.empty())
        return 0;
    std::sort(samples.begin(), samples.end());
    const size_t i = size_t(std::ceil(q * double(samples.size()))) - 1;
    return samples[std::min(i, samples.size() - 1)];
}

double average(const std::deque<double> &samples)
{
    if (samples.empty())
        return 0;
    double sum = 0;
    for (double v : samples)
        sum += v;
    return sum / double(samples.size());
}
} // namespace

QString jobPriorityName(JobPriority priority)
{
    switch (priority) {
    case JobPriority::High:
        return QStringLiteral("high");
    case JobPriority::Medium:
        return QStringLiteral("medium");
    case JobPriority::Low:
        return QStringLiteral("low");
    }
    return QString();
}

std::optional<JobPriority> jobPriorityFromName(const QString &name)
{
    if (name == QLatin1String("high"))
        return JobPriority::High;
    if (name == QLatin1String("medium"))
        return JobPriority::Medium;
    if (name == QLatin1String("low"))
        return JobPriority::Low;
    return std::nullopt;
}

qint64 retryBackoffMs(const RetryPolicy &policy, int attempt)
{
    const int exponent = std::clamp(attempt - 1, 0, 30);
    const double ms = double(policy.backoffInitialMs) * std::ldexp(1.0, exponent);
    return std::clamp<qint64>(qint64(std::min(ms, double(policy.backoffMaxMs))), 0,
                              policy.backoffMaxMs);
}

JobQueue::JobQueue()
    : m_connection(QStringLiteral("drover-dispatch-") + QUuid::createUuid().toString(QUuid::Id128))
{
}

JobQueue::~JobQueue()
{
    close();
}

void JobQueue::close()
{
    if (!QSqlDatabase::contains(m_connection))
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

bool JobQueue::isOpen() const
{
    return QSqlDatabase::contains(m_connection) &&
           QSqlDatabase::database(m_connection, false).isOpen();
}

bool JobQueue::open(const QString &path, QString *error)
{
    close();
    m_path = path;
    QDir().mkpath(QFileInfo(path).absolutePath());
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=2000"));
        if (!db.open()) {
            m_lastError =
                QStringLiteral("cannot open the job queue %1: %2").arg(path, db.lastError().text());
        } else if (!createSchema()) {
            m_lastError =
                QStringLiteral("cannot prepare the job queue %1: %2").arg(path, m_lastError);
        } else {
            // Deliveries a previous process left open never finished as far as we know: offer
            // those jobs again (an agent may see one twice; at-least-once).
            exec(QStringLiteral("UPDATE jobs SET leased = 0 WHERE leased <> 0"));
            return true;
        }
    }
    if (error)
        *error = m_lastError;
    close();
    return false;
}

bool JobQueue::exec(const QString &sql)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (!q.exec(sql)) {
        m_lastError = q.lastError().text();
        return false;
    }
    return true;
}

bool JobQueue::createSchema()
{
    // WAL + NORMAL: a killed Drover loses nothing committed; a power cut may lose the last
    // commit but never corrupts the file.
    for (const char *pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL"}) {
        if (!exec(QString::fromLatin1(pragma)))
            return false;
    }
    for (const char *statement : kSchema) {
        if (!exec(QString::fromLatin1(statement)))
            return false;
    }
    // Version 2 added the correlation id (a queue written by version 1 gains the column; its
    // jobs keep an empty id).
    for (const char *table : {"jobs", "dead_letters"}) {
        QSqlQuery columns(QSqlDatabase::database(m_connection, false));
        bool present = false;
        if (columns.exec(QStringLiteral("PRAGMA table_info(%1)").arg(QLatin1String(table))))
            while (columns.next())
                present = present || columns.value(1).toString() == QLatin1String("correlation_id");
        columns.finish();
        if (!present &&
            !exec(QStringLiteral("ALTER TABLE %1 ADD COLUMN correlation_id TEXT").arg(QLatin1String(table))))
            return false;
    }
    return exec(
        QStringLiteral("INSERT OR REPLACE INTO meta(key, value) VALUES('schema_version', '%1')")
            .arg(kSchemaVersion));
}

void JobQueue::setRetryPolicy(const QString &pool, const RetryPolicy &policy)
{
    m_policies.insert(pool, policy);
}

RetryPolicy JobQueue::retryPolicy(const QString &pool) const
{
    return m_policies.value(pool);
}

std::optional<QueuedJob> JobQueue::enqueue(const JobRequest &request, qint64 nowMs)
{
    QueuedJob j;
    j.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    j.pool = request.pool;
    j.priority = request.priority;
    j.payload = request.payload;
    j.sessionKey = request.sessionKey;
    j.loop = request.loop;
    j.enqueuedMs = nowMs;
    j.deadlineMs = request.deadlineMs;
    // A producer without its own correlation id (a loop) gets the job's id: every job has one.
    j.correlationId = request.correlationId.isEmpty() ? j.id : request.correlationId;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(
        QStringLiteral("INSERT INTO jobs(%1) VALUES(%2)").arg(kJobColumns, kJobPlaceholders));
    bindJob(q, j);
    if (!q.exec()) {
        m_lastError = q.lastError().text();
        return std::nullopt;
    }
    return j;
}

std::optional<QueuedJob> JobQueue::take(const QString &pool, qint64 nowMs)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(
        QStringLiteral("SELECT %1, seq FROM jobs WHERE pool = ? AND leased = 0 AND not_before <= ? "
                       "AND (deadline = 0 OR deadline > ?) ORDER BY priority DESC, seq LIMIT 1")
            .arg(kJobColumns));
    q.addBindValue(pool);
    q.addBindValue(nowMs);
    q.addBindValue(nowMs);
    if (!q.exec()) {
        m_lastError = q.lastError().text();
        return std::nullopt;
    }
    if (!q.next())
        return std::nullopt;
    QueuedJob j = jobFromQuery(q);
    const qint64 seq = q.value(13).toLongLong();
    q.finish();
    QSqlQuery lease(QSqlDatabase::database(m_connection, false));
    lease.prepare(QStringLiteral("UPDATE jobs SET leased = 1 WHERE seq = ?"));
    lease.addBindValue(seq);
    if (!lease.exec()) {
        m_lastError = lease.lastError().text();
        return std::nullopt;
    }
    return j;
}

bool JobQueue::hasReady(const QString &pool, qint64 nowMs) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT 1 FROM jobs WHERE pool = ? AND leased = 0 AND not_before <= ? "
                             "AND (deadline = 0 OR deadline > ?) LIMIT 1"));
    q.addBindValue(pool);
    q.addBindValue(nowMs);
    q.addBindValue(nowMs);
    return q.exec() && q.next();
}

std::optional<QueuedJob> JobQueue::job(const QString &id) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT %1 FROM jobs WHERE id = ?").arg(kJobColumns));
    q.addBindValue(id);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return jobFromQuery(q);
}

void JobQueue::recordSample(std::deque<double> &samples, double value)
{
    samples.push_back(value);
    while (samples.size() > size_t(kSamples))
        samples.pop_front();
}

bool JobQueue::complete(const QString &id, qint64 nowMs, double latencyMs)
{
    const std::optional<QueuedJob> j = job(id);
    if (!j)
        return false;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("DELETE FROM jobs WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec()) {
        m_lastError = q.lastError().text();
        return false;
    }
    Counters &c = m_counters[j->pool];
    ++c.delivered;
    recordSample(c.waits, double(std::max<qint64>(0, nowMs - j->enqueuedMs)));
    if (latencyMs >= 0)
        recordSample(c.latencies, latencyMs);
    return true;
}

bool JobQueue::release(const QString &id, bool full)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("UPDATE jobs SET leased = 0 WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec()) {
        m_lastError = q.lastError().text();
        return false;
    }
    if (q.numRowsAffected() <= 0)
        return false;
    if (!full)
        return true;
    if (const auto j = job(id))
        ++m_counters[j->pool].released;
    return true;
}

bool JobQueue::moveToDeadLetters(const QueuedJob &j, const QString &reason, qint64 nowMs)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    db.transaction();
    QSqlQuery insert(db);
    insert.prepare(QStringLiteral("INSERT OR REPLACE INTO dead_letters(%1, dead, reason) "
                                  "VALUES(%2,?,?)")
                       .arg(kJobColumns, kJobPlaceholders));
    bindJob(insert, j);
    insert.addBindValue(nowMs);
    insert.addBindValue(reason);
    QSqlQuery remove(db);
    remove.prepare(QStringLiteral("DELETE FROM jobs WHERE id = ?"));
    remove.addBindValue(j.id);
    if (!insert.exec() || !remove.exec()) {
        m_lastError =
            insert.lastError().isValid() ? insert.lastError().text() : remove.lastError().text();
        db.rollback();
        return false;
    }
    return db.commit();
}

JobQueue::FailResult JobQueue::fail(const QString &id, int replica, const QString &error,
                                    qint64 nowMs)
{
    FailResult result;
    std::optional<QueuedJob> j = job(id);
    if (!j)
        return result;
    const RetryPolicy policy = retryPolicy(j->pool);
    j->attempts += 1;
    j->lastError = error;
    if (replica >= 0 && !j->avoid.contains(replica))
        j->avoid.append(replica);
    if (j->attempts > policy.maxRetries) {
        result.reason = QStringLiteral("%1 deliveries failed (max retries %2); last: %3")
                            .arg(j->attempts)
                            .arg(policy.maxRetries)
                            .arg(error);
        result.outcome = moveToDeadLetters(*j, result.reason, nowMs) ? FailOutcome::DeadLettered
                                                                     : FailOutcome::Unknown;
        result.job = *j;
        return result;
    }
    j->notBeforeMs = nowMs + retryBackoffMs(policy, j->attempts);
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(
        QStringLiteral("UPDATE jobs SET attempts = ?, avoid = ?, last_error = ?, not_before = ?, "
                       "leased = 0 WHERE id = ?"));
    q.addBindValue(j->attempts);
    q.addBindValue(avoidText(j->avoid));
    q.addBindValue(j->lastError);
    q.addBindValue(j->notBeforeMs);
    q.addBindValue(id);
    if (!q.exec()) {
        m_lastError = q.lastError().text();
        return result;
    }
    ++m_counters[j->pool].retried;
    result.outcome = FailOutcome::Retry;
    result.notBeforeMs = j->notBeforeMs;
    result.job = *j;
    return result;
}

bool JobQueue::reject(const QString &id, const QString &reason, qint64 nowMs)
{
    std::optional<QueuedJob> j = job(id);
    if (!j)
        return false;
    j->attempts += 1;
    j->lastError = reason;
    return moveToDeadLetters(*j, reason, nowMs);
}

QVector<DeadLetter> JobQueue::expire(qint64 nowMs)
{
    QVector<DeadLetter> out;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    // Leased jobs are out for delivery; their answer decides (an accepted job is not expired).
    q.prepare(
        QStringLiteral("SELECT %1 FROM jobs WHERE leased = 0 AND deadline > 0 AND deadline <= ?")
            .arg(kJobColumns));
    q.addBindValue(nowMs);
    if (!q.exec())
        return out;
    QVector<QueuedJob> expired;
    while (q.next())
        expired.append(jobFromQuery(q));
    q.finish();
    for (const QueuedJob &j : std::as_const(expired)) {
        DeadLetter d;
        d.job = j;
        d.deadMs = nowMs;
        d.reason = QStringLiteral("deadline passed after %1 s in the queue (%2 failed deliveries)")
                       .arg(double(nowMs - j.enqueuedMs) / 1000.0, 0, 'f', 1)
                       .arg(j.attempts);
        if (moveToDeadLetters(j, d.reason, nowMs)) {
            ++m_counters[j.pool].expired;
            out.append(d);
        }
    }
    return out;
}

QVector<DeadLetter> JobQueue::deadLetters(const QString &pool, int limit) const
{
    QVector<DeadLetter> out;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT %1, dead, reason FROM dead_letters WHERE (? = '' OR pool = ?) "
                             "ORDER BY dead DESC, id LIMIT ?")
                  .arg(kJobColumns));
    q.addBindValue(pool.isNull() ? QStringLiteral("") : pool);
    q.addBindValue(pool.isNull() ? QStringLiteral("") : pool);
    q.addBindValue(limit);
    if (!q.exec()) {
        m_lastError = q.lastError().text();
        return out;
    }
    while (q.next()) {
        DeadLetter d;
        d.job = jobFromQuery(q);
        d.deadMs = q.value(13).toLongLong();
        d.reason = q.value(14).toString();
        out.append(d);
    }
    return out;
}

std::optional<QueuedJob> JobQueue::requeue(const QString &id, qint64 nowMs, qint64 deadlineMs)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT %1 FROM dead_letters WHERE id = ?").arg(kJobColumns));
    q.addBindValue(id);
    if (!q.exec() || !q.next())
        return std::nullopt;
    QueuedJob j = jobFromQuery(q);
    q.finish();
    j.enqueuedMs = nowMs;
    j.deadlineMs = deadlineMs;
    j.notBeforeMs = 0;
    j.attempts = 0;
    j.avoid.clear();
    db.transaction();
    QSqlQuery insert(db);
    insert.prepare(
        QStringLiteral("INSERT INTO jobs(%1) VALUES(%2)").arg(kJobColumns, kJobPlaceholders));
    bindJob(insert, j);
    QSqlQuery remove(db);
    remove.prepare(QStringLiteral("DELETE FROM dead_letters WHERE id = ?"));
    remove.addBindValue(id);
    if (!insert.exec() || !remove.exec()) {
        m_lastError =
            insert.lastError().isValid() ? insert.lastError().text() : remove.lastError().text();
        db.rollback();
        return std::nullopt;
    }
    if (!db.commit())
        return std::nullopt;
    return j;
}

bool JobQueue::discardDeadLetter(const QString &id)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("DELETE FROM dead_letters WHERE id = ?"));
    q.addBindValue(id);
    return q.exec() && q.numRowsAffected() > 0;
}

int JobQueue::depth(const QString &pool) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM jobs WHERE pool = ?"));
    q.addBindValue(pool);
    return q.exec() && q.next() ? q.value(0).toInt() : 0;
}

QueueStats JobQueue::stats(const QString &pool, qint64 nowMs) const
{
    QueueStats s;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery q(db);
    q.prepare(
        QStringLiteral("SELECT leased, priority, COUNT(*), MIN(enqueued) FROM jobs WHERE pool = ? "
                       "GROUP BY leased, priority"));
    q.addBindValue(pool);
    if (q.exec()) {
        qint64 oldest = -1;
        while (q.next()) {
            const bool leased = q.value(0).toInt() != 0;
            const int count = q.value(2).toInt();
            if (leased) {
                s.delivering += count;
                continue;
            }
            s.waiting += count;
            switch (priorityFromInt(q.value(1).toInt())) {
            case JobPriority::High:
                s.waitingHigh += count;
                break;
            case JobPriority::Medium:
                s.waitingMedium += count;
                break;
            case JobPriority::Low:
                s.waitingLow += count;
                break;
            }
            const qint64 enqueued = q.value(3).toLongLong();
            if (oldest < 0 || enqueued < oldest)
                oldest = enqueued;
        }
        s.oldestWaitMs = oldest < 0 ? 0 : std::max<qint64>(0, nowMs - oldest);
    }
    QSqlQuery d(db);
    d.prepare(QStringLiteral("SELECT COUNT(*) FROM dead_letters WHERE pool = ?"));
    d.addBindValue(pool);
    if (d.exec() && d.next())
        s.deadLetters = d.value(0).toInt();
    const auto it = m_counters.constFind(pool);
    if (it != m_counters.constEnd()) {
        s.delivered = it->delivered;
        s.retried = it->retried;
        s.released = it->released;
        s.expired = it->expired;
        s.waitAvgMs = average(it->waits);
        s.waitP95Ms = percentile(it->waits, 0.95);
        s.latencyAvgMs = average(it->latencies);
        s.latencyP95Ms = percentile(it->latencies, 0.95);
    }
    return s;
}

QStringList JobQueue::pools() const
{
    QStringList out;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (q.exec(QStringLiteral(
            "SELECT pool FROM jobs UNION SELECT pool FROM dead_letters ORDER BY 1"))) {
        while (q.next())
            out.append(q.value(0).toString());
    }
    return out;
}

QSet<QString> JobQueue::queuedLoops() const
{
    QSet<QString> out;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (q.exec(QStringLiteral(
            "SELECT DISTINCT loop FROM jobs WHERE loop IS NOT NULL AND loop <> ''"))) {
        while (q.next())
            out.insert(q.value(0).toString());
    }
    return out;
}

bool JobQueue::saveLoopRecord(const QString &loop, const LoopRecord &record)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral(
        "INSERT OR REPLACE INTO loop_state(name, last_slot, last_run) VALUES(?, ?, ?)"));
    q.addBindValue(loop);
    q.addBindValue(record.lastSlotMs);
    q.addBindValue(record.lastRunMs);
    if (!q.exec()) {
        m_lastError = q.lastError().text();
        return false;
    }
    return true;
}

QHash<QString, LoopRecord> JobQueue::loadLoopRecords() const
{
    QHash<QString, LoopRecord> out;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (q.exec(QStringLiteral("SELECT name, last_slot, last_run FROM loop_state"))) {
        while (q.next()) {
            LoopRecord r;
            r.lastSlotMs = q.value(1).toLongLong();
            r.lastRunMs = q.value(2).toLongLong();
            out.insert(q.value(0).toString(), r);
        }
    }
    return out;
}

} // namespace drover
