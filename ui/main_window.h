// The console's shell: lays out the views and routes each snapshot to them. No logic lives
// here beyond choosing what to show; the engine decides, the views render.
#pragma once

#include "core/engine/snapshot.h"

#include <QElapsedTimer>
#include <QMainWindow>

class QLabel;
class QTabWidget;
class QTimer;

namespace drover::ui {

class ConfigIssuesView;
class EventsView;
class PoolsView;
class NotificationBanner;
class Notifier;
class ResourceChart;

struct MainWindowOptions
{
    bool trayAvailable = false;
    int staleAfterMs = 3000; // no snapshot for this long: the status bar says the data is stale
};

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(MainWindowOptions options, QWidget *parent = nullptr);
    ~MainWindow() override;

    ResourceChart *resourceChart() const { return m_chart; }
    ConfigIssuesView *configIssuesView() const { return m_configView; }
    PoolsView *poolsView() const { return m_poolsView; }
    EventsView *eventsView() const { return m_eventsView; }
    NotificationBanner *banner() const { return m_banner; }
    Notifier *notifier() const { return m_notifier; }
    QLabel *engineStatusLabel() const { return m_engineStatus; }
    QTabWidget *tabs() const { return m_tabs; }
    quint64 lastSequence() const { return m_lastSequence; }

public slots:
    void applySnapshot(const drover::Snapshot &snapshot);
    void showReplicaLog(const QString &pool, int index, const QStringList &lines);
    void showCommandRefused(const QString &message);

signals:
    // Operator commands, routed to the engine by main.cpp.
    void scaleRequested(const QString &pool, int replicas);
    void restartPoolRequested(const QString &pool);
    void tierRequested(const QString &pool, const QString &tier);
    void restartReplicaRequested(const QString &pool, int index);
    void stopReplicaRequested(const QString &pool, int index);
    void logRequested(const QString &pool, int index);

private:
    void updateStaleness();
    void announceConfigProblems(const ConfigStatus &status);

    MainWindowOptions m_options;
    QTabWidget *m_tabs;
    ResourceChart *m_chart;
    PoolsView *m_poolsView;
    EventsView *m_eventsView;
    ConfigIssuesView *m_configView;
    NotificationBanner *m_banner;
    Notifier *m_notifier;
    QLabel *m_cpuLabel;
    QLabel *m_memoryLabel;
    QLabel *m_fleetLabel;
    QLabel *m_engineStatus;
    QTimer *m_staleTimer;
    QElapsedTimer m_sinceSnapshot;
    quint64 m_lastSequence = 0;
    bool m_configAnnounced = false;
};

} // namespace drover::ui
