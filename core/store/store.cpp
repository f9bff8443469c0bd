#include "store.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

#include <cmath>
#include <map>

namespace drover {

namespace {

Q_LOGGING_CATEGORY(lcStore, "drover.store")
constexpr int kSchemaVersion = 1;
constexpr int kRowsPerStatement = 100;

QString multiRowInsert(int count)
{
    QString sql = QStringLiteral("INSERT OR REPLACE INTO samples_raw(series, t, v) VALUES ");
    for (int i = 0; i < count; ++i)
        sql += i ? QStringLiteral(",(?,?,?)") : QStringLiteral("(?,?,?)");
    return sql;
}

const char *kSchema[] = {
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT)",
    "CREATE TABLE IF NOT EXISTS series(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
    // Raw 1 s samples: the last hour, so a restart keeps the recent charts. Keyed by time
    // first: every tick appends at the end of one B-tree instead of touching a page per
    // series in a (series, t) index, which made each commit rewrite dozens of pages.
    "CREATE TABLE IF NOT EXISTS samples_raw(t INTEGER NOT NULL, series INTEGER NOT NULL, v REAL NOT NULL, "
    "PRIMARY KEY(t, series)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS samples_10s(series INTEGER NOT NULL, t INTEGER NOT NULL, avg REAL, min REAL, max REAL, "
    "PRIMARY KEY(series, t)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS samples_1m(series INTEGER NOT NULL, t INTEGER NOT NULL, avg REAL, min REAL, max REAL, "
    "PRIMARY KEY(series, t)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS events(id INTEGER PRIMARY KEY, t INTEGER NOT NULL, pool TEXT, replica INTEGER, "
    "kind TEXT, from_state TEXT, to_state TEXT, reason TEXT, correlation_id TEXT)",
    "CREATE INDEX IF NOT EXISTS events_t ON events(t)",
    "CREATE TABLE IF NOT EXISTS desired_state(pool TEXT PRIMARY KEY, replicas INTEGER NOT NULL, tier TEXT, "
    "paused INTEGER NOT NULL DEFAULT 0, manual INTEGER NOT NULL DEFAULT 0, updated INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS alert_silences(id TEXT PRIMARY KEY, matchers TEXT NOT NULL, "
    "starts INTEGER NOT NULL, ends INTEGER NOT NULL, created_by TEXT, comment TEXT)",
    "CREATE TABLE IF NOT EXISTS alert_acks(fingerprint TEXT PRIMARY KEY, t INTEGER NOT NULL, by TEXT)",
};
} // namespace

struct Store::Prepared
{
    explicit Prepared(const QSqlDatabase &db)
        : db(db), tenSeconds(db), minute(db), event(db)
    {
        const QString rollup = QStringLiteral("INSERT OR REPLACE INTO %1(series, t, avg, min, max) VALUES(?, ?, ?, ?, ?)");
        tenSeconds.prepare(rollup.arg(QLatin1String("samples_10s")));
        minute.prepare(rollup.arg(QLatin1String("samples_1m")));
        event.prepare(QStringLiteral("INSERT INTO events(t, pool, replica, kind, from_state, to_state, reason, "
                                     "correlation_id) VALUES(?, ?, ?, ?, ?, ?, ?, ?)"));
    }
    // A multi-row insert per row count (1..kRowsPerStatement), prepared on first use.
    QSqlQuery &insert(int rows)
    {
        auto it = inserts.find(rows);
        if (it == inserts.end()) {
            it = inserts.emplace(rows, QSqlQuery(db)).first;
            it->second.prepare(multiRowInsert(rows));
        }
        return it->second;
    }
    QSqlDatabase db;
    std::map<int, QSqlQuery> inserts;
    QSqlQuery tenSeconds, minute, event;
};

Store::Prepared &Store::prepared()
{
    if (!m_prepared)
        m_prepared = std::make_unique<Prepared>(QSqlDatabase::database(m_connection, false));
    return *m_prepared;
}

Store::Store()
    : m_connection(QStringLiteral("drover-store-") + QUuid::createUuid().toString(QUuid::Id128))
{
}

Store::~Store()
{
    if (QSqlDatabase::contains(m_connection)) {
        if (isOpen())
            flush();
        m_prepared.reset(); // statements before their connection
        {
            QSqlDatabase db = QSqlDatabase::database(m_connection, false);
            if (db.isOpen())
                db.close();
        }
        QSqlDatabase::removeDatabase(m_connection);
    }
}

bool Store::isOpen() const
{
    return QSqlDatabase::contains(m_connection) && QSqlDatabase::database(m_connection, false).isOpen();
}

bool Store::moveAside(const QString &why, QString *notice)
{
    m_prepared.reset();
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        db.close();
    }
    const QString aside = m_path + QStringLiteral(".broken-")
                          + QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    bool moved = QFile::rename(m_path, aside);
    QFile::rename(m_path + QStringLiteral("-wal"), aside + QStringLiteral("-wal"));
    QFile::rename(m_path + QStringLiteral("-shm"), aside + QStringLiteral("-shm"));
    if (notice)
        *notice = moved ? QStringLiteral("the store %1 %2; it was moved to %3 and Drover starts with an empty history")
                              .arg(m_path, why, aside)
                        : QStringLiteral("the store %1 %2 and could not be moved aside").arg(m_path, why);
    return moved;
}

bool Store::open(const QString &path, QString *notice)
{
    m_path = path;
    QDir().mkpath(QFileInfo(path).absolutePath());
    for (int attempt = 0; attempt < 2; ++attempt) {
        QSqlDatabase db = QSqlDatabase::contains(m_connection)
                              ? QSqlDatabase::database(m_connection, false)
                              : QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
        db.setDatabaseName(path);
        // A second Drover holding the file gets a short wait, not a hang.
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=2000"));
        QString problem;
        if (!db.open()) {
            problem = QStringLiteral("cannot be opened (%1)").arg(db.lastError().text());
        } else {
            QString checkResult;
            {
                QSqlQuery check(db);
                if (check.exec(QStringLiteral("PRAGMA quick_check")) && check.next())
                    checkResult = check.value(0).toString();
                else
                    checkResult = check.lastError().text();
                // The statement must be finished, or SQLite refuses the WAL switch below.
                check.finish();
            }
            if (checkResult != QLatin1String("ok")) {
                problem = QStringLiteral("is corrupt or locked (%1)").arg(checkResult);
            } else if (!createSchema()) {
                problem = QStringLiteral("cannot be written (%1)").arg(m_lastError);
            }
        }
        if (problem.isEmpty())
            return true;
        m_lastError = problem;
        if (attempt == 0 && QFileInfo::exists(path)) {
            moveAside(problem, notice);
            continue;
        }
        if (notice)
            *notice = QStringLiteral("the store %1 %2; history is not kept").arg(path, problem);
        return false;
    }
    return false;
}

void Store::noteWriteFailure()
{
    // Once per episode (a full disk fails every tick), in the log the operator reads.
    if (!m_writeFailing)
        qCWarning(lcStore).noquote() << QStringLiteral("store %1: cannot write (%2); samples are dropped until it can")
                                            .arg(m_path, m_lastError.isEmpty() ? QStringLiteral("write failed") : m_lastError);
    m_writeFailing = true;
}

bool Store::createSchema()
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery q(db);
    // WAL: readers never block the writer; NORMAL: no fsync per commit (a crash may lose the
    // last commit, never corrupt the file).
    for (const char *pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL",
                               "PRAGMA temp_store=MEMORY"}) {
        if (!q.exec(QString::fromLatin1(pragma))) {
            m_lastError = q.lastError().text();
            return false;
        }
    }
    for (const char *statement : kSchema) {
        if (!q.exec(QString::fromLatin1(statement))) {
            m_lastError = q.lastError().text();
            return false;
        }
    }
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO meta(key, value) VALUES('schema_version', ?)"));
    q.addBindValue(kSchemaVersion);
    if (!q.exec()) {
        m_lastError = q.lastError().text();
        return false;
    }
    return true;
}

qint64 Store::seriesId(const QString &series)
{
    auto it = m_series.find(series);
    if (it != m_series.end())
        return it->id;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT OR IGNORE INTO series(name) VALUES(?)"));
    q.addBindValue(series);
    q.exec();
    q.prepare(QStringLiteral("SELECT id FROM series WHERE name = ?"));
    q.addBindValue(series);
    qint64 id = 0;
    if (q.exec() && q.next())
        id = q.value(0).toLongLong();
    Accumulator acc;
    acc.id = id;
    m_series.insert(series, acc);
    return id;
}

void Store::accumulate(Bucket &b, qint64 width, qint64 id, qint64 timeMs, double value,
                       QVector<PendingRollup> &out)
{
    const qint64 start = timeMs - (timeMs % width);
    if (b.start != start) {
        if (b.count > 0)
            out.append({id, b.start, b.sum / b.count, b.min, b.max});
        b = Bucket{start, 0, value, value, 0};
    }
    b.sum += value;
    b.min = std::min(b.min, value);
    b.max = std::max(b.max, value);
    ++b.count;
}

void Store::addSample(const QString &series, qint64 timeMs, double value)
{
    if (!std::isfinite(value) || !isOpen())
        return;
    const qint64 id = seriesId(series);
    if (!id)
        return;
    Accumulator &acc = m_series[series];
    m_raw.append({id, timeMs, value});
    accumulate(acc.tenSeconds, 10000, id, timeMs, value, m_tenSeconds);
    accumulate(acc.minute, 60000, id, timeMs, value, m_minutes);
}

void Store::addEvent(const SupervisorEvent &event, const QString &correlationId)
{
    m_events.append({event, correlationId});
}

int Store::flush()
{
    if (!isOpen() || (m_raw.isEmpty() && m_tenSeconds.isEmpty() && m_minutes.isEmpty() && m_events.isEmpty()))
        return 0;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!db.transaction()) {
        m_lastError = db.lastError().text();
        noteWriteFailure();
        return 0;
    }
    int rows = 0;
    bool ok = true;
    // Prepared once per flush and executed per row inside one transaction: the cost of a
    // batch is the rows, not the statements.
    Prepared &p = prepared();
    if (!m_raw.isEmpty()) {
        // Many rows per statement: SQLite's per-statement cost, not the rows, dominated a
        // tick's write (one exec per row was ~10 us).
        auto insertRows = [&](QSqlQuery &q, int from, int count) {
            for (int i = 0; i < count; ++i) {
                const RawSample &s = m_raw[from + i];
                q.bindValue(i * 3, s.series);
                q.bindValue(i * 3 + 1, s.timeMs);
                q.bindValue(i * 3 + 2, s.value);
            }
            ok &= q.exec();
            rows += count;
        };
        const int total = int(m_raw.size());
        int done = 0;
        for (; done + kRowsPerStatement <= total; done += kRowsPerStatement)
            insertRows(p.insert(kRowsPerStatement), done, kRowsPerStatement);
        if (done < total)
            insertRows(p.insert(total - done), done, total - done);
    }
    auto writeRollups = [&](QSqlQuery &q, const QVector<PendingRollup> &pending) {
        for (const PendingRollup &r : pending) {
            q.bindValue(0, r.series);
            q.bindValue(1, r.start);
            q.bindValue(2, r.avg);
            q.bindValue(3, r.min);
            q.bindValue(4, r.max);
            ok &= q.exec();
            ++rows;
        }
    };
    writeRollups(p.tenSeconds, m_tenSeconds);
    writeRollups(p.minute, m_minutes);
    for (const StoredEvent &s : std::as_const(m_events)) {
        const SupervisorEvent &e = s.event;
        QSqlQuery &q = p.event;
        q.bindValue(0, e.timeMs);
        q.bindValue(1, e.pool);
        q.bindValue(2, e.replica);
        q.bindValue(3, e.kind);
        q.bindValue(4, e.from);
        q.bindValue(5, e.to);
        q.bindValue(6, e.reason);
        q.bindValue(7, s.correlationId);
        ok &= q.exec();
        ++rows;
    }
    if (!ok || !db.commit()) {
        // Disk full or similar: drop this batch rather than grow without bound; the next
        // flush tries again with new data.
        m_lastError = db.lastError().text();
        db.rollback();
        rows = 0;
        noteWriteFailure();
    } else if (m_writeFailing) {
        m_writeFailing = false;
        qCInfo(lcStore).noquote() << QStringLiteral("store %1: writable again").arg(m_path);
    }
    m_raw.clear();
    m_tenSeconds.clear();
    m_minutes.clear();
    m_events.clear();
    return rows;
}

void Store::prune(qint64 nowMs)
{
    if (!isOpen())
        return;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery q(db);
    const struct { const char *table; qint64 keep; } tables[] = {
        {"samples_raw", m_retention.rawMs},
        {"samples_10s", m_retention.tenSecondMs},
        {"samples_1m", m_retention.minuteMs},
        {"events", m_retention.minuteMs},
    };
    for (const auto &t : tables) {
        q.prepare(QStringLiteral("DELETE FROM %1 WHERE t < ?").arg(QLatin1String(t.table)));
        q.addBindValue(nowMs - t.keep);
        q.exec();
    }
}

QVector<RollupPoint> Store::load(const QString &series, Resolution resolution, qint64 fromMs, qint64 toMs) const
{
    QVector<RollupPoint> out;
    if (!isOpen())
        return out;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (resolution == Resolution::Raw) {
        q.prepare(QStringLiteral("SELECT s.t, s.v, s.v, s.v FROM samples_raw s JOIN series n ON n.id = s.series "
                                 "WHERE n.name = ? AND s.t >= ? AND s.t <= ? ORDER BY s.t"));
    } else {
        q.prepare(QStringLiteral("SELECT s.t, s.avg, s.min, s.max FROM %1 s JOIN series n ON n.id = s.series "
                                 "WHERE n.name = ? AND s.t >= ? AND s.t <= ? ORDER BY s.t")
                      .arg(resolution == Resolution::TenSeconds ? QLatin1String("samples_10s")
                                                                : QLatin1String("samples_1m")));
    }
    q.addBindValue(series);
    q.addBindValue(fromMs);
    q.addBindValue(toMs);
    if (!q.exec())
        return out;
    while (q.next())
        out.append({q.value(0).toLongLong(), q.value(1).toDouble(), q.value(2).toDouble(), q.value(3).toDouble()});
    return out;
}

QVector<DailyTotal> Store::loadDailyTotals(const QString &series, qint64 fromMs, qint64 toMs) const
{
    QVector<DailyTotal> out;
    if (!isOpen())
        return out;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT (s.t / 86400000) * 86400000 AS d, "
                             "SUM(CASE WHEN s.avg > 0 THEN s.avg ELSE 0 END), MAX(s.max), COUNT(*) "
                             "FROM samples_1m s JOIN series n ON n.id = s.series "
                             "WHERE n.name = ? AND s.t >= ? AND s.t <= ? GROUP BY d ORDER BY d"));
    q.addBindValue(series);
    q.addBindValue(fromMs);
    q.addBindValue(toMs);
    if (!q.exec())
        return out;
    while (q.next())
        out.append({q.value(0).toLongLong(), q.value(1).toDouble(), q.value(2).toDouble(), q.value(3).toInt()});
    return out;
}

QVector<StoredEvent> Store::loadEvents(qint64 fromMs, int limit) const
{
    QVector<StoredEvent> out;
    if (!isOpen())
        return out;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT t, pool, replica, kind, from_state, to_state, reason, correlation_id FROM events "
                             "WHERE t >= ? ORDER BY id LIMIT ?"));
    q.addBindValue(fromMs);
    q.addBindValue(limit);
    if (!q.exec())
        return out;
    while (q.next()) {
        StoredEvent s;
        s.event.timeMs = q.value(0).toLongLong();
        s.event.pool = q.value(1).toString();
        s.event.replica = q.value(2).toInt();
        s.event.kind = q.value(3).toString();
        s.event.from = q.value(4).toString();
        s.event.to = q.value(5).toString();
        s.event.reason = q.value(6).toString();
        s.correlationId = q.value(7).toString();
        out.append(s);
    }
    return out;
}

bool Store::saveDesiredState(const DesiredState &state)
{
    if (!isOpen())
        return false;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO desired_state(pool, replicas, tier, paused, manual, updated) "
                             "VALUES(?, ?, ?, ?, ?, ?)"));
    q.addBindValue(state.pool);
    q.addBindValue(state.replicas);
    q.addBindValue(state.tier);
    q.addBindValue(state.autoscalingPaused ? 1 : 0);
    q.addBindValue(state.manualOverride ? 1 : 0);
    q.addBindValue(state.updatedMs);
    if (!q.exec()) {
        m_lastError = q.lastError().text();
        return false;
    }
    return true;
}

QMap<QString, DesiredState> Store::loadDesiredState() const
{
    QMap<QString, DesiredState> out;
    if (!isOpen())
        return out;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT pool, replicas, tier, paused, manual, updated FROM desired_state")))
        return out;
    while (q.next()) {
        DesiredState s;
        s.pool = q.value(0).toString();
        s.replicas = q.value(1).toInt();
        s.tier = q.value(2).toString();
        s.autoscalingPaused = q.value(3).toInt() != 0;
        s.manualOverride = q.value(4).toInt() != 0;
        s.updatedMs = q.value(5).toLongLong();
        out.insert(s.pool, s);
    }
    return out;
}

bool Store::saveSilence(const StoredSilence &silence)
{
    if (!isOpen())
        return false;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO alert_silences(id, matchers, starts, ends, created_by, comment) "
                             "VALUES(?, ?, ?, ?, ?, ?)"));
    q.addBindValue(silence.id);
    q.addBindValue(silence.matchers);
    q.addBindValue(silence.startsAtMs);
    q.addBindValue(silence.endsAtMs);
    q.addBindValue(silence.createdBy);
    q.addBindValue(silence.comment);
    if (!q.exec()) {
        m_lastError = q.lastError().text();
        return false;
    }
    return true;
}

QVector<StoredSilence> Store::loadSilences(qint64 endsAfterMs) const
{
    QVector<StoredSilence> out;
    if (!isOpen())
        return out;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT id, matchers, starts, ends, created_by, comment FROM alert_silences "
                             "WHERE ends > ? ORDER BY starts, id"));
    q.addBindValue(endsAfterMs);
    if (!q.exec())
        return out;
    while (q.next())
        out.append({q.value(0).toString(), q.value(1).toString(), q.value(2).toLongLong(),
                    q.value(3).toLongLong(), q.value(4).toString(), q.value(5).toString()});
    return out;
}

bool Store::saveAcknowledgement(const StoredAcknowledgement &ack)
{
    if (!isOpen())
        return false;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO alert_acks(fingerprint, t, by) VALUES(?, ?, ?)"));
    q.addBindValue(ack.fingerprint);
    q.addBindValue(ack.atMs);
    q.addBindValue(ack.by);
    if (!q.exec()) {
        m_lastError = q.lastError().text();
        return false;
    }
    return true;
}

bool Store::removeAcknowledgement(const QString &fingerprint)
{
    if (!isOpen())
        return false;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("DELETE FROM alert_acks WHERE fingerprint = ?"));
    q.addBindValue(fingerprint);
    if (!q.exec()) {
        m_lastError = q.lastError().text();
        return false;
    }
    return true;
}

QVector<StoredAcknowledgement> Store::loadAcknowledgements() const
{
    QVector<StoredAcknowledgement> out;
    if (!isOpen())
        return out;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (!q.exec(QStringLiteral("SELECT fingerprint, t, by FROM alert_acks ORDER BY t")))
        return out;
    while (q.next())
        out.append({q.value(0).toString(), q.value(1).toLongLong(), q.value(2).toString()});
    return out;
}

QStringList Store::seriesNames() const
{
    QStringList out;
    if (!isOpen())
        return out;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (q.exec(QStringLiteral("SELECT name FROM series ORDER BY name")))
        while (q.next())
            out << q.value(0).toString();
    return out;
}

} // namespace drover
