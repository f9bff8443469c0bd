#include "main_window.h"

#include "alerts_view.h"
#include "bottlenecks_view.h"
#include "capacity_view.h"
#include "config_issues_view.h"
#include "events_view.h"
#include "notification_banner.h"
#include "notifier.h"
#include "pools_view.h"
#include "dashboard.h"
#include "settings_dialog.h"
#include "theme.h"
#include "work_view.h"

#include <QAction>
#include <QCloseEvent>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QShortcut>
#include <QSplitter>
#include <QApplication>
#include <QDateTime>
#include <QIcon>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace drover::ui {

MainWindow::MainWindow(MainWindowOptions options, QWidget *parent)
    : QMainWindow(parent),
      m_options(options),
      m_tabs(new QTabWidget(this)),
      m_dashboard(new Dashboard(this)),
      m_poolsView(new PoolsView(this)),
      m_eventsView(new EventsView(this)),
      m_alertsView(new AlertsView(this)),
      m_bottlenecksView(new BottlenecksView(this)),
      m_workView(new WorkView(this)),
      m_capacityView(new CapacityView(this)),
      m_configView(new ConfigIssuesView(this)),
      m_banner(new NotificationBanner(this)),
      m_notifier(new Notifier(m_banner, options.trayAvailable, this)),
      m_cpuLabel(new QLabel(this)),
      m_memoryLabel(new QLabel(this)),
      m_fleetLabel(new QLabel(this)),
      m_engineStatus(new QLabel(this)),
      m_staleTimer(new QTimer(this))
{
    setWindowTitle(tr("Drover"));
    setWindowIcon(QIcon(QStringLiteral(":/drover/icons/drover.svg")));
    resize(1100, 700);

    m_tabs->addTab(m_dashboard, tr("&Dashboard"));
    m_tabs->addTab(m_poolsView, tr("&Pools"));
    m_tabs->insertTab(m_tabs->indexOf(m_poolsView) + 1, m_alertsView, tr("&Alerts"));
    m_tabs->insertTab(m_tabs->indexOf(m_alertsView) + 1, m_bottlenecksView, tr("&Bottlenecks"));
    connect(m_bottlenecksView, &BottlenecksView::applyRemediationRequested, this, &MainWindow::applyRemediationRequested);
    connect(m_bottlenecksView, &BottlenecksView::autoRemediationRequested, this, &MainWindow::autoRemediationRequested);
    m_tabs->insertTab(m_tabs->indexOf(m_bottlenecksView) + 1, m_workView, tr("&Work"));
    m_tabs->insertTab(m_tabs->indexOf(m_workView) + 1, m_capacityView, tr("Capacit&y"));
    connect(m_workView, &WorkView::requeueRequested, this, &MainWindow::requeueDeadLetterRequested);
    connect(m_capacityView, &CapacityView::refreshRequested, this, &MainWindow::refreshCapacityPlanRequested);
    m_tabs->addTab(m_eventsView, tr("&Events"));
    m_tabs->addTab(m_configView, tr("&Configuration"));
    connect(m_poolsView, &PoolsView::scaleRequested, this, &MainWindow::scaleRequested);
    connect(m_poolsView, &PoolsView::restartPoolRequested, this, &MainWindow::restartPoolRequested);
    connect(m_poolsView, &PoolsView::tierRequested, this, &MainWindow::tierRequested);
    connect(m_poolsView, &PoolsView::restartReplicaRequested, this, &MainWindow::restartReplicaRequested);
    connect(m_poolsView, &PoolsView::stopReplicaRequested, this, &MainWindow::stopReplicaRequested);
    connect(m_poolsView, &PoolsView::logRequested, this, &MainWindow::logRequested);
    m_tabs->setAccessibleName(tr("Views"));
    m_tabs->setToolTip(tr("Switch views with Ctrl+1 \u2026 Ctrl+9 or Ctrl+Tab"));
    connect(m_poolsView, &PoolsView::pauseAutoscalingRequested, this, &MainWindow::pauseAutoscalingRequested);
    connect(m_poolsView, &PoolsView::resumeAutoscalingRequested, this, &MainWindow::resumeAutoscalingRequested);
    connect(m_alertsView, &AlertsView::acknowledgeRequested, this, &MainWindow::acknowledgeRequested);
    connect(m_alertsView, &AlertsView::silenceRequested, this, &MainWindow::silenceRequested);
    connect(m_alertsView, &AlertsView::expireSilenceRequested, this, &MainWindow::expireSilenceRequested);
    connect(m_alertsView, &AlertsView::openPoolRequested, this, &MainWindow::openPool);
    for (int i = 0; i < 9; ++i) {
        auto *tabKey = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)), this);
        connect(tabKey, &QShortcut::activated, this, [this, i] {
            if (i < m_tabs->count())
                m_tabs->setCurrentIndex(i);
        });
    }

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_banner);
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);

    auto *fileMenu = menuBar()->addMenu(tr("&File"));
    auto *settingsAction = fileMenu->addAction(tr("&Settings\u2026"), this, &MainWindow::openSettings);
    settingsAction->setShortcut(QKeySequence::Preferences);
    settingsAction->setToolTip(tr("Secrets, notifications, theme, language, start at login"));
    fileMenu->addSeparator();
    auto *quitAction = fileMenu->addAction(tr("&Quit"), this, &MainWindow::requestQuit);
    quitAction->setShortcut(QKeySequence::Quit);
    quitAction->setToolTip(tr("Quit Drover; asks whether to stop the agents"));

    m_cpuLabel->setToolTip(tr("Busy share of all CPU cores over the last second"));
    m_memoryLabel->setToolTip(tr("Memory in use (total minus available)"));
    m_engineStatus->setToolTip(tr("Whether the engine is publishing fresh data"));
    m_engineStatus->setText(tr("Engine: starting"));
    statusBar()->addWidget(m_cpuLabel);
    statusBar()->addWidget(m_memoryLabel);
    statusBar()->addWidget(m_fleetLabel);
    m_fleetLabel->setToolTip(tr("Ready replicas of all pools, and pools that need attention"));
    statusBar()->addPermanentWidget(m_engineStatus);

    setUpTrayAndQuit(quitAction);
    m_notifier->setPreferences(UiSettings::load().notifications);

    // Frozen charts that look live are worse than no charts: a cheap UI-side timer notices
    // when snapshots stop arriving.
    m_staleTimer->setInterval(500);
    connect(m_staleTimer, &QTimer::timeout, this, &MainWindow::updateStaleness);
    m_staleTimer->start();
}

MainWindow::~MainWindow() = default;

void MainWindow::setUpTrayAndQuit(QAction *quitAction)
{
    m_askQuit = [this] {
        QMessageBox box(QMessageBox::Question, tr("Quit Drover"),
                        tr("Stop the agents too?"), QMessageBox::NoButton, this);
        box.setInformativeText(m_notifier->usesTray()
                                   ? tr("Agents run only while Drover runs: quitting stops them. "
                                        "Keep Drover in the tray to leave them running.")
                                   : tr("Agents run only while Drover runs: quitting stops them."));
        QPushButton *stop = box.addButton(tr("&Stop agents and quit"), QMessageBox::DestructiveRole);
        QPushButton *keep = m_notifier->usesTray()
                                ? box.addButton(tr("&Keep running in the tray"), QMessageBox::AcceptRole)
                                : nullptr;
        box.addButton(QMessageBox::Cancel);
        box.setDefaultButton(keep ? keep : qobject_cast<QPushButton *>(box.button(QMessageBox::Cancel)));
        box.exec();
        if (box.clickedButton() == stop)
            return QuitChoice::StopAgents;
        if (keep && box.clickedButton() == keep)
            return QuitChoice::KeepRunning;
        return QuitChoice::Cancel;
    };

    // Pause every pool's autoscaler at once (the tray and the Fleet menu share the action);
    // checked while every autoscaled pool is paused.
    m_pauseAll = new QAction(tr("&Pause all autoscaling"), this);
    m_pauseAll->setCheckable(true);
    m_pauseAll->setToolTip(tr("Stop the autoscaler deciding for every pool; uncheck to resume"));
    m_pauseAll->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));
    connect(m_pauseAll, &QAction::triggered, this, [this](bool paused) {
        for (const QString &pool : m_autoscaledPools)
            emit pauseAutoscalingRequested(pool, paused);
    });
    auto *fleetMenu = menuBar()->addMenu(tr("F&leet"));
    fleetMenu->addAction(m_pauseAll);

    if (m_notifier->usesTray()) {
        auto *trayMenu = new QMenu(this);
        trayMenu->addAction(tr("Open console"), this, &MainWindow::showConsole);
        trayMenu->addAction(m_pauseAll);
        trayMenu->addSeparator();
        trayMenu->addAction(quitAction);
        m_notifier->setTrayMenu(trayMenu);
        connect(m_notifier, &Notifier::activated, this, &MainWindow::showConsole);
    }
    connect(m_notifier, &Notifier::stateChanged, this, [this] { setWindowIcon(m_notifier->icon()); });
    setWindowIcon(m_notifier->icon());
}

SettingsDialog *MainWindow::openSettings()
{
    auto *dialog = new SettingsDialog(m_options.keychainService,
                                      SettingsDialog::defaultSecrets(m_options.webhookSecrets), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &SettingsDialog::settingsSaved, this, [this](const UiSettings &s) {
        m_notifier->setPreferences(s.notifications);
        applyTheme(s.theme);
    });
    dialog->open();
    return dialog;
}

void MainWindow::showConsole()
{
    showNormal();
    raise();
    activateWindow();
}

void MainWindow::openPool(const QString &pool)
{
    m_tabs->setCurrentWidget(m_poolsView);
    m_poolsView->select(pool);
}

void MainWindow::requestQuit()
{
    switch (m_askQuit()) {
    case QuitChoice::StopAgents:
        m_quitting = true;
        saveLayout();
        emit quitRequested();
        break;
    case QuitChoice::KeepRunning:
        hide();
        break;
    case QuitChoice::Cancel:
        break;
    }
}

void MainWindow::quitNow()
{
    m_quitting = true;
    saveLayout();
    emit quitRequested();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveLayout();
    // Only the operator's own close (the title bar's X: a spontaneous event from the window
    // system) goes to the tray. Programmatic closes are accepted: QGuiApplication::quit() closes
    // every window first and gives up if one refuses, so refusing them would block quitting.
    if (m_quitting || !m_notifier->usesTray() || !event->spontaneous()) {
        event->accept();
        return;
    }
    event->ignore();
    closeToTray();
}

void MainWindow::closeToTray()
{
    // With a tray, closing the window keeps Drover (and its agents) running; say so once.
    hide();
    QSettings settings;
    if (!settings.value(QStringLiteral("tray/closeExplained"), false).toBool()) {
        settings.setValue(QStringLiteral("tray/closeExplained"), true);
        m_notifier->notify(tr("Drover keeps running"),
                           tr("The agents are still supervised. Open the console from the tray icon; "
                              "use Quit in its menu to stop."));
    }
}

void MainWindow::saveLayout() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/tab"), m_tabs->currentIndex());
    for (const QSplitter *split : findChildren<QSplitter *>())
        if (!split->objectName().isEmpty())
            settings.setValue(QStringLiteral("splitters/") + split->objectName(), split->saveState());
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    const int tab = settings.value(QStringLiteral("window/tab"), 0).toInt();
    if (tab >= 0 && tab < m_tabs->count())
        m_tabs->setCurrentIndex(tab);
    for (QSplitter *split : findChildren<QSplitter *>())
        if (!split->objectName().isEmpty())
            split->restoreState(settings.value(QStringLiteral("splitters/") + split->objectName()).toByteArray());
}

void MainWindow::updateAlertsTab(const Snapshot &snapshot)
{
    m_bottlenecksView->setAutoRemediation(snapshot.autoRemediation);
    m_bottlenecksView->setSnapshot(snapshot);
    m_tabs->setTabText(m_tabs->indexOf(m_bottlenecksView),
                       snapshot.bottlenecks.isEmpty() ? tr("&Bottlenecks")
                                                      : tr("&Bottlenecks (%1)").arg(snapshot.bottlenecks.size()));
    m_alertsView->setSnapshot(snapshot);
    m_notifier->setAlerts(snapshot.activeAlerts);
    m_notifier->deliver(snapshot.notifications);
    int firing = 0;
    for (const AlertView &a : snapshot.activeAlerts)
        firing += a.state == QLatin1String("firing") ? 1 : 0;
    m_tabs->setTabText(m_tabs->indexOf(m_alertsView), firing ? tr("&Alerts (%1)").arg(firing) : tr("&Alerts"));
    m_tabs->setTabToolTip(m_tabs->indexOf(m_alertsView), m_notifier->statusText());

    m_autoscaledPools.clear();
    bool allPaused = !snapshot.autoscaling.isEmpty();
    for (const PoolAutoscaling &a : snapshot.autoscaling) {
        if (a.mode == QLatin1String("off"))
            continue;
        m_autoscaledPools << a.pool;
        allPaused = allPaused && a.mode == QLatin1String("paused");
    }
    m_pauseAll->setEnabled(!m_autoscaledPools.isEmpty());
    m_pauseAll->setChecked(allPaused && !m_autoscaledPools.isEmpty());
}

void MainWindow::applySnapshot(const drover::Snapshot &snapshot)
{
    m_sinceSnapshot.start();
    m_lastSequence = snapshot.sequence;
    m_dashboard->applySnapshot(snapshot);
    m_poolsView->setSnapshot(snapshot);
    m_eventsView->setEvents(snapshot.recentEvents);
    m_configView->setStatus(snapshot.config);
    updateAlertsTab(snapshot);
    m_workView->setSnapshot(snapshot);
    m_capacityView->setSnapshot(snapshot);
    int ready = 0, desired = 0, trouble = 0;
    for (const PoolStatus &p : snapshot.pools) {
        ready += p.ready;
        desired += p.desired;
        trouble += p.state == PoolState::CrashLoop || p.state == PoolState::Error ? 1 : 0;
    }
    m_fleetLabel->setText(trouble ? tr("Replicas %1/%2 ready, %3 pool(s) need attention").arg(ready).arg(desired).arg(trouble)
                                  : tr("Replicas %1/%2 ready").arg(ready).arg(desired));

    const QLocale locale;
    m_cpuLabel->setText(snapshot.cpuValid
                            ? tr("CPU %1 %").arg(locale.toString(snapshot.cpuPercent, 'f', 1))
                            : tr("CPU measuring\u2026"));
    if (snapshot.memoryTotalBytes) {
        m_memoryLabel->setText(tr("Memory %1 of %2")
                                   .arg(locale.formattedDataSize(qint64(snapshot.memoryUsedBytes)),
                                        locale.formattedDataSize(qint64(snapshot.memoryTotalBytes))));
    }
    m_engineStatus->setText(tr("Engine: live, updated %1")
                                .arg(QDateTime::fromMSecsSinceEpoch(snapshot.publishedAtMs)
                                         .toString(QStringLiteral("HH:mm:ss"))));
    m_engineStatus->setStyleSheet(QString());
    announceConfigProblems(snapshot.config);
}

void MainWindow::showReplicaLog(const QString &pool, int index, const QStringList &lines)
{
    m_poolsView->showReplicaLog(pool, index, lines);
}

void MainWindow::showCommandRefused(const QString &message)
{
    m_notifier->notify(tr("Command refused"), message);
    m_workView->commandRefused(message);
    m_capacityView->commandRefused();
    statusBar()->showMessage(tr("Refused: %1").arg(message), 10000);
}

void MainWindow::updateStaleness()
{
    if (!m_sinceSnapshot.isValid() || m_sinceSnapshot.elapsed() < m_options.staleAfterMs)
        return;
    m_engineStatus->setText(tr("Engine: STALE, no data for %1 s")
                                .arg(m_sinceSnapshot.elapsed() / 1000));
    m_engineStatus->setStyleSheet(QStringLiteral("color: #c0392b; font-weight: bold;"));
}

void MainWindow::announceConfigProblems(const ConfigStatus &status)
{
    if (m_configAnnounced || status.issues.isEmpty())
        return;
    m_configAnnounced = true;
    m_tabs->setTabText(m_tabs->indexOf(m_configView),
                       tr("&Configuration (%1)").arg(status.issues.size()));
    m_notifier->notify(tr("Configuration problems"),
                       tr("%n problem(s) in %1; see the Configuration tab.", nullptr,
                          int(status.issues.size()))
                           .arg(status.file));
}

} // namespace drover::ui
