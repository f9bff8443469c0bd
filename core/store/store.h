// Drover's store: SQLite through Qt Sql in WAL mode. Samples (1 s raw for the last hour, 10 s
// and 1 min rollups for days and weeks), events, and the operator's desired state per pool,
// which is restored at start so the fleet comes back as the operator left it.
//
// It lives in the engine thread (the connection is per thread). Writes are batched: the engine
// queues samples and events during a tick and flush() writes them in one transaction.
#pragma once

#include "core/metrics/series_ring.h"
#include "core/supervisor/supervisor_types.h"

#include <QHash>
#include <QMap>
#include <QString>
#include <QVector>

#include <memory>
#include <optional>

namespace drover {

struct StoreRetention
{
    qint64 rawMs = 3600LL * 1000;
    qint64 tenSecondMs = 24LL * 3600 * 1000;
    qint64 minuteMs = 30LL * 24 * 3600 * 1000;
};

struct DesiredState
{
    QString pool;
    int replicas = 0;
    QString tier;
    bool autoscalingPaused = false;
    bool manualOverride = false;
    qint64 updatedMs = 0;
};

// An operator's silence, kept so it still mutes after a restart (Alertmanager keeps its
// silences on disk for the same reason).
struct StoredSilence
{
    QString id;
    QString matchers; // pool="mail", alertname=~"High.*"
    qint64 startsAtMs = 0;
    qint64 endsAtMs = 0;
    QString createdBy;
    QString comment;
};

// An operator's acknowledgement of an alert instance, by the alert's stable fingerprint.
struct StoredAcknowledgement
{
    QString fingerprint;
    qint64 atMs = 0;
    QString by;
};

struct StoredEvent
{
    SupervisorEvent event;
    QString correlationId;
};

enum class Resolution { Raw, TenSeconds, Minute };

struct DailyTotal
{
    qint64 dayStartMs = 0;   // 00:00 UTC
    double sumOfAverages = 0; // of the positive minute averages (x 60: a rate's daily count)
    double max = 0;          // the day's highest minute maximum
    int minutes = 0;         // minute rollups present
};

struct RollupPoint
{
    qint64 timeMs = 0; // bucket start
    double avg = 0;
    double min = 0;
    double max = 0;
};

class Store
{
public:
    Store();
    ~Store();
    Store(const Store &) = delete;
    Store &operator=(const Store &) = delete;

    // Opens (creating if needed) the database at `path`. A file that is corrupt or locked by
    // another process is moved aside (path.broken-<time>) and a new one is started: Drover
    // runs with an empty history rather than not at all. `notice` says what happened.
    bool open(const QString &path, QString *notice = nullptr);
    bool isOpen() const;
    QString path() const { return m_path; }
    QString lastError() const { return m_lastError; }
    void setRetention(const StoreRetention &retention) { m_retention = retention; }

    // Queues; nothing touches the disk until flush().
    void addSample(const QString &series, qint64 timeMs, double value);
    void addEvent(const SupervisorEvent &event, const QString &correlationId = QString());
    // One transaction for everything queued; returns the number of rows written.
    int flush();
    // Deletes what is older than the retention (call about once a minute).
    void prune(qint64 nowMs);

    QVector<RollupPoint> load(const QString &series, Resolution resolution, qint64 fromMs, qint64 toMs) const;
    // Per UTC day of the minute rollups in [fromMs, toMs]: aggregated by SQLite, so a month of
    // one series is 30 rows, not 43,200 (the capacity planner's daily history).
    QVector<DailyTotal> loadDailyTotals(const QString &series, qint64 fromMs, qint64 toMs) const;
    QVector<StoredEvent> loadEvents(qint64 fromMs, int limit) const;

    bool saveDesiredState(const DesiredState &state);
    QMap<QString, DesiredState> loadDesiredState() const;

    QStringList seriesNames() const;

    // Silences and acknowledgements: written at once (an operator's action is rare and must
    // not wait for the next flush), read back at start.
    bool saveSilence(const StoredSilence &silence);
    QVector<StoredSilence> loadSilences(qint64 endsAfterMs) const; // not yet ended, by start
    bool saveAcknowledgement(const StoredAcknowledgement &ack);
    bool removeAcknowledgement(const QString &fingerprint);
    QVector<StoredAcknowledgement> loadAcknowledgements() const;

private:
    struct Bucket
    {
        qint64 start = -1;
        double sum = 0;
        double min = 0;
        double max = 0;
        int count = 0;
    };
    struct PendingRollup
    {
        qint64 series;
        qint64 start;
        double avg, min, max;
    };
    struct Accumulator
    {
        qint64 id = 0;
        Bucket tenSeconds;
        Bucket minute;
    };
    bool createSchema();
    qint64 seriesId(const QString &series);
    void accumulate(Bucket &bucket, qint64 width, qint64 id, qint64 timeMs, double value,
                    QVector<PendingRollup> &out);
    bool moveAside(const QString &why, QString *notice);
    void noteWriteFailure();

    // Statements prepared once per connection: parsing SQL every flush showed up in profiles.
    struct Prepared;
    std::unique_ptr<Prepared> m_prepared;
    Prepared &prepared();

    QString m_connection;
    QString m_path;
    QString m_lastError;
    StoreRetention m_retention;
    QHash<QString, Accumulator> m_series;
    struct RawSample
    {
        qint64 series;
        qint64 timeMs;
        double value;
    };
    QVector<RawSample> m_raw;
    QVector<PendingRollup> m_tenSeconds;
    QVector<PendingRollup> m_minutes;
    QVector<StoredEvent> m_events;
    bool m_writeFailing = false; // a flush failed (disk full?) and none succeeded since
};

} // namespace drover
