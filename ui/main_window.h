// The console's shell: lays out the views and routes each snapshot to them. No logic lives
// here beyond choosing what to show; the engine decides, the views render.
#pragma once

#include "core/engine/snapshot.h"

#include <QElapsedTimer>
#include <QMainWindow>

#include <functional>

class QAction;
class QLabel;
class QTabWidget;
class QTimer;

namespace drover::ui {

class AlertsView;
class BottlenecksView;
class CapacityView;
class WorkView;
class ConfigIssuesView;
class EventsView;
class PoolsView;
class NotificationBanner;
class Notifier;
class Dashboard;
class SettingsDialog;

struct MainWindowOptions
{
    bool trayAvailable = false;
    int staleAfterMs = 3000; // no snapshot for this long: the status bar says the data is stale
    QString keychainService = QStringLiteral("Drover"); // where the settings store secrets
    QStringList webhookSecrets; // keychain entries of the configured webhooks' URLs
};

// What the operator chose when quitting while agents run.
enum class QuitChoice { StopAgents, KeepRunning, Cancel };

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(MainWindowOptions options, QWidget *parent = nullptr);
    ~MainWindow() override;

    Dashboard *dashboard() const { return m_dashboard; }
    ConfigIssuesView *configIssuesView() const { return m_configView; }
    PoolsView *poolsView() const { return m_poolsView; }
    EventsView *eventsView() const { return m_eventsView; }
    AlertsView *alertsView() const { return m_alertsView; }
    BottlenecksView *bottlenecksView() const { return m_bottlenecksView; }
    WorkView *workView() const { return m_workView; }
    CapacityView *capacityView() const { return m_capacityView; }
    QAction *pauseAllAction() const { return m_pauseAll; }
    // Tests answer the quit question themselves.
    void setQuitQuestion(std::function<QuitChoice()> ask) { m_askQuit = std::move(ask); }
    // Window geometry, dock/toolbar state, splitters and the selected tab (QSettings).
    void restoreLayout();
    void saveLayout() const;
    NotificationBanner *banner() const { return m_banner; }
    Notifier *notifier() const { return m_notifier; }
    QLabel *engineStatusLabel() const { return m_engineStatus; }
    QTabWidget *tabs() const { return m_tabs; }
    quint64 lastSequence() const { return m_lastSequence; }

public slots:
    void applySnapshot(const drover::Snapshot &snapshot);
    void showReplicaLog(const QString &pool, int index, const QStringList &lines);
    void showCommandRefused(const QString &message);
    // Asks whether to stop the agents (stop / keep running in the tray / cancel).
    void requestQuit();
    // Quits without asking (a timed quit, the session ending): the window then closes for good.
    void quitNow();
    // Hides the window and keeps running in the tray (the first time, says so).
    void closeToTray();
    void showConsole();
    void openPool(const QString &pool);
    // Opens the settings (window-modal, never blocking the event loop); returns the dialog.
    SettingsDialog *openSettings();

signals:
    // Operator commands, routed to the engine by main.cpp.
    void scaleRequested(const QString &pool, int replicas);
    void restartPoolRequested(const QString &pool);
    void tierRequested(const QString &pool, const QString &tier);
    void restartReplicaRequested(const QString &pool, int index);
    void stopReplicaRequested(const QString &pool, int index);
    void logRequested(const QString &pool, int index);
    void pauseAutoscalingRequested(const QString &pool, bool paused);
    void resumeAutoscalingRequested(const QString &pool);
    void acknowledgeRequested(const QString &fingerprint);
    void silenceRequested(const QString &matchers, qint64 durationMs, const QString &comment);
    void expireSilenceRequested(const QString &id);
    void applyRemediationRequested(const QString &signature, const QString &pool);
    void autoRemediationRequested(const QString &signature, bool enabled);
    void requeueDeadLetterRequested(const QString &id);
    void refreshCapacityPlanRequested();
    // The operator chose to stop the agents and quit: main.cpp stops the engine, then quits.
    void quitRequested();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void updateStaleness();
    void announceConfigProblems(const ConfigStatus &status);
    void setUpTrayAndQuit(QAction *quitAction);
    void updateAlertsTab(const Snapshot &snapshot);

    MainWindowOptions m_options;
    QTabWidget *m_tabs;
    Dashboard *m_dashboard;
    PoolsView *m_poolsView;
    EventsView *m_eventsView;
    AlertsView *m_alertsView;
    BottlenecksView *m_bottlenecksView;
    WorkView *m_workView;
    CapacityView *m_capacityView;
    QAction *m_pauseAll = nullptr;
    QStringList m_autoscaledPools;
    std::function<QuitChoice()> m_askQuit;
    bool m_quitting = false;
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
