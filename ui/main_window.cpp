#include "main_window.h"

#include "config_issues_view.h"
#include "events_view.h"
#include "notification_banner.h"
#include "notifier.h"
#include "pools_view.h"
#include "resource_chart.h"

#include <QAction>
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
      m_chart(new ResourceChart(this)),
      m_poolsView(new PoolsView(this)),
      m_eventsView(new EventsView(this)),
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

    m_tabs->addTab(m_chart, tr("&Dashboard"));
    m_tabs->addTab(m_poolsView, tr("&Pools"));
    m_tabs->addTab(m_eventsView, tr("&Events"));
    m_tabs->addTab(m_configView, tr("&Configuration"));
    connect(m_poolsView, &PoolsView::scaleRequested, this, &MainWindow::scaleRequested);
    connect(m_poolsView, &PoolsView::restartPoolRequested, this, &MainWindow::restartPoolRequested);
    connect(m_poolsView, &PoolsView::tierRequested, this, &MainWindow::tierRequested);
    connect(m_poolsView, &PoolsView::restartReplicaRequested, this, &MainWindow::restartReplicaRequested);
    connect(m_poolsView, &PoolsView::stopReplicaRequested, this, &MainWindow::stopReplicaRequested);
    connect(m_poolsView, &PoolsView::logRequested, this, &MainWindow::logRequested);
    m_tabs->setAccessibleName(tr("Views"));

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_banner);
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);

    auto *fileMenu = menuBar()->addMenu(tr("&File"));
    auto *quitAction = fileMenu->addAction(tr("&Quit"), qApp, &QApplication::quit);
    quitAction->setShortcut(QKeySequence::Quit);

    m_cpuLabel->setToolTip(tr("Busy share of all CPU cores over the last second"));
    m_memoryLabel->setToolTip(tr("Memory in use (total minus available)"));
    m_engineStatus->setToolTip(tr("Whether the engine is publishing fresh data"));
    m_engineStatus->setText(tr("Engine: starting"));
    statusBar()->addWidget(m_cpuLabel);
    statusBar()->addWidget(m_memoryLabel);
    statusBar()->addWidget(m_fleetLabel);
    m_fleetLabel->setToolTip(tr("Ready replicas of all pools, and pools that need attention"));
    statusBar()->addPermanentWidget(m_engineStatus);

    if (m_notifier->usesTray()) {
        auto *trayMenu = new QMenu(this);
        trayMenu->addAction(tr("Open console"), this, [this] {
            showNormal();
            raise();
            activateWindow();
        });
        trayMenu->addAction(quitAction);
        m_notifier->setTrayMenu(trayMenu);
        connect(m_notifier, &Notifier::activated, this, [this] {
            showNormal();
            raise();
            activateWindow();
        });
    }

    // Frozen charts that look live are worse than no charts: a cheap UI-side timer notices
    // when snapshots stop arriving.
    m_staleTimer->setInterval(500);
    connect(m_staleTimer, &QTimer::timeout, this, &MainWindow::updateStaleness);
    m_staleTimer->start();
}

MainWindow::~MainWindow() = default;

void MainWindow::applySnapshot(const drover::Snapshot &snapshot)
{
    m_sinceSnapshot.start();
    m_lastSequence = snapshot.sequence;
    m_chart->setHistory(snapshot.systemHistory);
    m_poolsView->setSnapshot(snapshot);
    m_eventsView->setEvents(snapshot.recentEvents);
    m_configView->setStatus(snapshot.config);
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
