// Reads chart history from the store for the console, off the UI thread.
//
// A HistoryReader owns a QThread with its own read-only SQLite connection to the store (WAL
// lets it read beside the engine's writer without blocking it). The UI sends a request (series,
// range, points it can draw) and gets plain values back by queued signal; it never waits.
// Answers are downsampled in the reader thread (min/max per bucket over the stored min/max, so
// spikes survive) to at most the requested number of points per series.
#pragma once

#include "core/supervisor/supervisor_types.h"

#include <QMetaType>
#include <QObject>
#include <QPointF>
#include <QThread>
#include <QVector>

#include <atomic>
#include <memory>

namespace drover {

// A series computed in the reader: the sum of stored series at each time they share (the
// total token rate of all pools). Rollups contribute their averages.
struct HistorySum
{
    QString name;
    QStringList members;
};

struct HistoryRequest
{
    quint64 id = 0;      // filled by HistoryReader::request
    QStringList series;  // store names: "system_cpu_percent", "queue_depth{pool=\"mail\"}"
    qint64 fromMs = 0;
    qint64 toMs = 0;
    QVector<HistorySum> sums; // answered after `series`, in this order
    int maxPoints = 1000; // per series, gap markers included
    bool withEvents = true; // scaling changes and alert transitions in the range
};

struct HistorySeries
{
    QString name;
    QVector<QPointF> points; // x: ms since the epoch, y: value; NaN y: a gap
};

struct HistoryAnswer
{
    quint64 id = 0;
    qint64 fromMs = 0;
    qint64 toMs = 0;
    QString resolution;            // "1 s", "10 s" or "1 min": what the store had for the range
    QVector<HistorySeries> series; // `series` then `sums`, in request order; no data: no points
    QVector<SupervisorEvent> events; // scaling changes and alert transitions, oldest first
    QString error;                 // empty: fine; else what failed, naming the store
};

class HistoryWorker;

class HistoryReader : public QObject
{
    Q_OBJECT
public:
    // `storePath`: the SQLite file the engine writes (Snapshot::storePath).
    explicit HistoryReader(const QString &storePath, QObject *parent = nullptr);
    ~HistoryReader() override; // stops the thread and waits for it

    QString storePath() const { return m_path; }

    // Queues the request and returns its id at once. Requests still waiting when a newer one
    // arrives are dropped unanswered when `supersede` is true: a chart switching ranges wants
    // the last answer, not every one in between.
    quint64 request(HistoryRequest request, bool supersede = true);

signals:
    void answered(const drover::HistoryAnswer &answer);

private:
    QString m_path;
    QThread m_thread;
    HistoryWorker *m_worker = nullptr; // lives in m_thread, deleted when it finishes
    std::shared_ptr<std::atomic<quint64>> m_latest;
    quint64 m_nextId = 0;
};

// Which stored resolution serves a range: 1 s samples for up to an hour, 10 s rollups for up
// to a day, 1 min rollups beyond (the store's retention of each).
enum class HistoryResolution { Raw, TenSeconds, Minute };
HistoryResolution resolutionForRange(qint64 spanMs);

// The worker; public only so the meta-object system can see it. Use HistoryReader.
class HistoryWorker : public QObject
{
    Q_OBJECT
public:
    HistoryWorker(const QString &path, std::shared_ptr<std::atomic<quint64>> latest);
    ~HistoryWorker() override;
    void answer(const HistoryRequest &request, bool supersede);

signals:
    void answered(const drover::HistoryAnswer &answer);

private:
    bool ensureOpen(QString *error);

    QString m_path;
    QString m_connection;
    bool m_open = false;
    std::shared_ptr<std::atomic<quint64>> m_latest;
};

} // namespace drover

Q_DECLARE_METATYPE(drover::HistoryAnswer)
