// The Dashboard tab: CPU, memory, queue depth and GPT token rate over a chosen range.
//
// 5 min comes from the snapshot (the engine's 1 s rings); 1 h, 24 h and 7 d come from the store
// through a HistoryReader in its own thread: the dashboard sends a request and shows the answer
// when it arrives, so the UI thread never touches the disk. Every line is downsampled to the
// plot's width (in the reader for the store, in DashboardChart for the rings). Scaling changes
// and alert transitions are markers on the time axis.
#pragma once

#include "core/engine/snapshot.h"
#include "core/store/history_reader.h"

#include <QHash>
#include <QWidget>

#include <functional>
#include <memory>

class QComboBox;
class QLabel;
class QTimer;

namespace drover::ui {

class DashboardChart;
struct ChartLine;
struct ChartMarker;

class Dashboard : public QWidget
{
    Q_OBJECT
public:
    enum class Range { FiveMinutes, Hour, Day, Week };
    Q_ENUM(Range)

    explicit Dashboard(QWidget *parent = nullptr);
    ~Dashboard() override;

    static qint64 spanMs(Range range);

    void applySnapshot(const drover::Snapshot &snapshot);
    // Where history is read from; applySnapshot sets it from Snapshot::storePath.
    void setStorePath(const QString &path);
    void setRange(Range range); // remembered in QSettings
    Range range() const { return m_range; }

    DashboardChart *cpuChart() const { return m_cpu; }
    DashboardChart *memoryChart() const { return m_memory; }
    DashboardChart *queueChart() const { return m_queue; }
    DashboardChart *tokenChart() const { return m_tokens; }
    QComboBox *rangeSelector() const { return m_rangeBox; }
    QLabel *sourceLabel() const { return m_source; }

signals:
    // A store answer arrived from the reader thread, before it is drawn (the stall benchmark
    // tells the reading apart from the drawing with it).
    void historyArrived(quint64 requestId);
    // A store answer was drawn (tests and the stall benchmark wait for it).
    void historyShown(quint64 requestId);

private:
    void showLive();
    void requestHistory();
    void showHistory(const drover::HistoryAnswer &answer);
    void showMarkers(const QVector<ChartMarker> &markers);
    void drawNext();
    QStringList poolNames() const;

    Range m_range = Range::FiveMinutes;
    QComboBox *m_rangeBox;
    QLabel *m_source;
    DashboardChart *m_cpu;
    DashboardChart *m_memory;
    DashboardChart *m_queue;
    DashboardChart *m_tokens;
    QTimer *m_historyTimer;
    std::unique_ptr<HistoryReader> m_reader;
    quint64 m_pendingId = 0;
    // A store answer is drawn one chart per event-loop turn, so the UI thread is never blocked
    // for all four charts at once (docs/benchmarks/ui.md).
    QVector<std::function<void()>> m_drawQueue;

    // What the live range and the pool list need from the last snapshot (not the whole value).
    QVector<SystemPoint> m_system;
    QVector<PoolSeriesTail> m_poolSeries;
    QVector<ScalingRecord> m_decisions;
    QVector<SupervisorEvent> m_events;
    QStringList m_configPools;
    qint64 m_lastPublishedMs = 0;
};

} // namespace drover::ui
