#include "history_reader.h"

#include "core/metrics/downsample.h"

#include <QFileInfo>
#include <QHash>
#include <QMap>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

namespace drover {

namespace {
constexpr qint64 kHourMs = 3600LL * 1000;
constexpr qint64 kDayMs = 24 * kHourMs;
constexpr int kMaxEvents = 2000; // markers beyond this would be a solid bar anyway
} // namespace

HistoryResolution resolutionForRange(qint64 spanMs)
{
    if (spanMs <= kHourMs)
        return HistoryResolution::Raw;
    if (spanMs <= kDayMs)
        return HistoryResolution::TenSeconds;
    return HistoryResolution::Minute;
}

HistoryReader::HistoryReader(const QString &storePath, QObject *parent)
    : QObject(parent), m_path(storePath), m_latest(std::make_shared<std::atomic<quint64>>(0))
{
    qRegisterMetaType<drover::HistoryAnswer>();
    m_thread.setObjectName(QStringLiteral("drover-history"));
    m_worker = new HistoryWorker(storePath, m_latest);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &HistoryWorker::answered, this, &HistoryReader::answered, Qt::QueuedConnection);
    m_thread.start(QThread::LowPriority); // the UI and the engine come first
}

HistoryReader::~HistoryReader()
{
    // A query in flight finishes first (SQLite cannot be interrupted from here); the reader
    // runs bounded range queries, so this is short.
    m_thread.quit();
    m_thread.wait();
}

quint64 HistoryReader::request(HistoryRequest request, bool supersede)
{
    request.id = ++m_nextId;
    m_latest->store(request.id);
    HistoryWorker *worker = m_worker;
    QMetaObject::invokeMethod(
        m_worker, [worker, request, supersede] { worker->answer(request, supersede); },
        Qt::QueuedConnection);
    return request.id;
}

HistoryWorker::HistoryWorker(const QString &path, std::shared_ptr<std::atomic<quint64>> latest)
    : m_path(path),
      m_connection(QStringLiteral("drover-history-%1").arg(QUuid::createUuid().toString(QUuid::WithoutBraces))),
      m_latest(std::move(latest))
{
}

HistoryWorker::~HistoryWorker()
{
    if (QSqlDatabase::contains(m_connection)) {
        QSqlDatabase::database(m_connection, false).close();
        QSqlDatabase::removeDatabase(m_connection);
    }
}

bool HistoryWorker::ensureOpen(QString *error)
{
    if (m_open)
        return true;
    if (m_path.isEmpty()) {
        *error = QStringLiteral("no store is configured, so there is no history beyond the live view");
        return false;
    }
    if (!QFileInfo::exists(m_path)) {
        // Read-only must not create an empty database where the engine will write.
        *error = QStringLiteral("the store %1 does not exist (yet)").arg(m_path);
        return false;
    }
    QSqlDatabase db = QSqlDatabase::contains(m_connection)
                          ? QSqlDatabase::database(m_connection, false)
                          : QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    db.setDatabaseName(m_path);
    db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=2000"));
    if (!db.open()) {
        *error = QStringLiteral("the store %1 cannot be opened for reading (%2)")
                     .arg(m_path, db.lastError().text());
        return false;
    }
    m_open = true;
    return true;
}

void HistoryWorker::answer(const HistoryRequest &request, bool supersede)
{
    if (supersede && request.id < m_latest->load())
        return; // a newer request is queued behind this one
    HistoryAnswer out;
    out.id = request.id;
    out.fromMs = request.fromMs;
    out.toMs = request.toMs;
    for (const QString &name : request.series)
        out.series.append(HistorySeries{name, {}});
    if (!ensureOpen(&out.error)) {
        emit answered(out);
        return;
    }
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);

    // Every name the answer needs, sums' members included; a name the store has never seen
    // simply has no data.
    QStringList names = request.series;
    for (const HistorySum &sum : request.sums)
        for (const QString &member : sum.members)
            if (!names.contains(member))
                names << member;
    QHash<qint64, int> slotOfId;
    {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        if (!q.exec(QStringLiteral("SELECT id, name FROM series"))) {
            out.error = QStringLiteral("the store %1 cannot be read (%2)").arg(m_path, q.lastError().text());
            emit answered(out);
            return;
        }
        while (q.next()) {
            const int slot = int(names.indexOf(q.value(1).toString()));
            if (slot >= 0)
                slotOfId.insert(q.value(0).toLongLong(), slot);
        }
    }

    const HistoryResolution resolution = resolutionForRange(request.toMs - request.fromMs);
    QVector<QVector<QPointF>> envelope(names.size());    // min and max of each stored point
    QVector<QMap<qint64, double>> average(names.size()); // for sums
    if (!slotOfId.isEmpty()) {
        QStringList ids;
        for (auto it = slotOfId.cbegin(); it != slotOfId.cend(); ++it)
            ids << QString::number(it.key());
        QSqlQuery q(db);
        q.setForwardOnly(true);
        // Ids are integers from the store itself, so putting them in the text is safe. The raw
        // table is keyed by time first: one range scan serves all series at once.
        QString sql;
        switch (resolution) {
        case HistoryResolution::Raw:
            out.resolution = QStringLiteral("1 s");
            sql = QStringLiteral("SELECT series, t, v, v, v FROM samples_raw WHERE t >= ? AND t <= ? "
                                 "AND series IN (%1) ORDER BY t");
            break;
        case HistoryResolution::TenSeconds:
            out.resolution = QStringLiteral("10 s");
            sql = QStringLiteral("SELECT series, t, min, max, avg FROM samples_10s WHERE series IN (%1) "
                                 "AND t >= ? AND t <= ? ORDER BY series, t");
            break;
        case HistoryResolution::Minute:
            out.resolution = QStringLiteral("1 min");
            sql = QStringLiteral("SELECT series, t, min, max, avg FROM samples_1m WHERE series IN (%1) "
                                 "AND t >= ? AND t <= ? ORDER BY series, t");
            break;
        }
        q.prepare(sql.arg(ids.join(QLatin1Char(','))));
        q.addBindValue(request.fromMs);
        q.addBindValue(request.toMs);
        if (!q.exec()) {
            out.error = QStringLiteral("the store %1 cannot be read (%2)").arg(m_path, q.lastError().text());
            emit answered(out);
            return;
        }
        const bool wantSums = !request.sums.isEmpty();
        while (q.next()) {
            const int slot = slotOfId.value(q.value(0).toLongLong());
            const qint64 t = q.value(1).toLongLong();
            const double lo = q.value(2).toDouble();
            const double hi = q.value(3).toDouble();
            // A rollup contributes its extremes, so the envelope of the raw data survives.
            envelope[slot].append(QPointF(double(t), lo));
            if (hi != lo)
                envelope[slot].append(QPointF(double(t), hi));
            if (wantSums)
                average[slot].insert(t, q.value(4).toDouble());
        }
    }
    const int buckets = qMax(1, request.maxPoints / 2);
    const double from = double(request.fromMs);
    const double to = double(request.toMs);
    for (int i = 0; i < request.series.size(); ++i)
        out.series[i].points = minMaxPerBucket(envelope[i], from, to, buckets);
    for (const HistorySum &sum : request.sums) {
        // What was measured at each time (a pool added later counts from then on).
        QMap<qint64, double> total;
        for (const QString &member : sum.members) {
            const QMap<qint64, double> &values = average[names.indexOf(member)];
            for (auto it = values.cbegin(); it != values.cend(); ++it)
                total[it.key()] += it.value();
        }
        QVector<QPointF> points;
        points.reserve(total.size());
        for (auto it = total.cbegin(); it != total.cend(); ++it)
            points.append(QPointF(double(it.key()), it.value()));
        out.series.append(HistorySeries{sum.name, minMaxPerBucket(points, from, to, buckets)});
    }

    if (request.withEvents) {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        // Scaling rows with from == to are the "no change" heartbeat, not a marker.
        q.prepare(QStringLiteral("SELECT t, pool, replica, kind, from_state, to_state, reason FROM events "
                                 "WHERE t >= ? AND t <= ? AND ((kind = 'scaling' AND from_state <> to_state) "
                                 "OR (kind = 'alert' AND to_state IN ('firing', 'resolved'))) "
                                 "ORDER BY t LIMIT ?"));
        q.addBindValue(request.fromMs);
        q.addBindValue(request.toMs);
        q.addBindValue(kMaxEvents);
        if (q.exec()) {
            while (q.next()) {
                SupervisorEvent e;
                e.timeMs = q.value(0).toLongLong();
                e.pool = q.value(1).toString();
                e.replica = q.value(2).toInt();
                e.kind = q.value(3).toString();
                e.from = q.value(4).toString();
                e.to = q.value(5).toString();
                e.reason = q.value(6).toString();
                out.events.append(e);
            }
        } else {
            out.error = QStringLiteral("the events of the store %1 cannot be read (%2)")
                            .arg(m_path, q.lastError().text());
        }
    }
    emit answered(out);
}

} // namespace drover
