// The console's fleet-wide controls against a real engine running a drover-agent pool
// (offscreen): the Pools view's pause / resume and "hand back to the autoscaler", "pause all
// autoscaling", the quit question wired to the engine; closing to the tray; the window layout
// persisting in QSettings.
#include "console_fixture.h"
#include "ui/alerts_view.h"
#include "ui/bottlenecks_view.h"
#include "ui/notifier.h"
#include "ui/pools_model.h"
#include "ui/pools_view.h"

#include <QAction>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QTabWidget>
#include <QtTest>

using namespace drover;
using namespace drover::ui;
using drover::ui::test::ConsoleFixture;

namespace {

const QByteArray kPool = "version: 1\npools:\n  - name: p\n    command: AGENT\n"
                         "    replicas: { min: 1, max: 4, initial: 1 }\n    tier: free\n"
                         "    stop_timeout: 5s\n    health: { interval: 300ms }\n";

QString mode(const ConsoleFixture &c)
{
    const PoolAutoscaling *a = c.autoscaling(QStringLiteral("p"));
    return a ? a->mode : QString();
}

} // namespace

class TestConsoleControls : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("DroverTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_console_controls"));
        QSettings().clear();
    }

    void autoscalingModesFromThePoolsView()
    {
        ConsoleFixture c(kPool, DROVER_AGENT_EXE);
        PoolsView *view = c.window.poolsView();
        QTRY_COMPARE_WITH_TIMEOUT(mode(c), QStringLiteral("auto"), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(view->model()->pool(QStringLiteral("p")), 10000);
        view->select(QStringLiteral("p"));
        QVERIFY(view->autoscalingLabel()->text().contains(QLatin1String("the autoscaler decides")));
        QVERIFY(!view->handBackButton()->isVisibleTo(view));

        // A manual scale overrides the autoscaler; the view offers to hand the pool back.
        view->replicaSpin()->setValue(2);
        QTest::mouseClick(view->scaleButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(mode(c), QStringLiteral("manual"), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(view->handBackButton()->isVisibleTo(view), 10000);
        QVERIFY(view->autoscalingLabel()->text().contains(QLatin1String("manual count of 2")));
        QTest::mouseClick(view->handBackButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(mode(c), QStringLiteral("auto"), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!view->handBackButton()->isVisibleTo(view), 10000);

        // Pause and resume from the view.
        QTest::mouseClick(view->pauseButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(mode(c), QStringLiteral("paused"), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(view->pauseButton()->text().contains(QLatin1String("Res")), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(c.window.pauseAllAction()->isChecked(), 10000); // its only pool is paused
        QTest::mouseClick(view->pauseButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(mode(c), QStringLiteral("auto"), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!c.window.pauseAllAction()->isChecked(), 10000);

        // "Pause all autoscaling" (tray menu and Fleet menu).
        c.window.pauseAllAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(mode(c), QStringLiteral("paused"), 10000);
        c.window.pauseAllAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(mode(c), QStringLiteral("auto"), 10000);
        QVERIFY2(c.refusals.isEmpty(), qPrintable(c.refusals.join(QLatin1Char('\n'))));
    }

    void quitAsksAndTheChoiceReachesTheEngine()
    {
        ConsoleFixture c(kPool, DROVER_AGENT_EXE);
        QTRY_VERIFY_WITH_TIMEOUT(c.window.poolsView()->model()->pool(QStringLiteral("p"))
                                     && c.window.poolsView()->model()->pool(QStringLiteral("p"))->ready == 1,
                                 30000);
        QSignalSpy quit(&c.window, &MainWindow::quitRequested);
        int asked = 0;
        QuitChoice answer = QuitChoice::Cancel;
        c.window.setQuitQuestion([&] { ++asked; return answer; });

        c.window.requestQuit();
        QCOMPARE(asked, 1);
        QVERIFY(c.window.isVisible());
        QCOMPARE(quit.size(), 0);

        answer = QuitChoice::KeepRunning;
        c.window.requestQuit();
        QVERIFY(!c.window.isVisible()); // Drover stays, in the tray, with its agents
        QVERIFY(c.engine->isRunning());
        const quint64 seq = c.last.sequence;
        QTRY_VERIFY_WITH_TIMEOUT(c.last.sequence > seq, 10000);
        QCOMPARE(c.last.pools.value(0).ready, 1);

        c.window.showConsole();
        answer = QuitChoice::StopAgents;
        const qint64 pid = c.last.pools.value(0).replicas.value(0).pid;
        QVERIFY(pid > 0);
        c.window.requestQuit();
        QCOMPARE(quit.size(), 1);
        QVERIFY(!c.engine->isRunning()); // the engine stopped its agents before quitting
        QVERIFY(!QFile::exists(QStringLiteral("/proc/%1").arg(pid)));
    }

    void remediationCommandsReachTheEngine()
    {
        ConsoleFixture c(kPool, DROVER_AGENT_EXE);
        QTRY_VERIFY_WITH_TIMEOUT(c.last.sequence > 0, 30000);
        // No such finding is active: the engine refuses, and the console shows why.
        emit c.window.applyRemediationRequested(QStringLiteral("queue_backlog"), QStringLiteral("p"));
        QTRY_VERIFY_WITH_TIMEOUT(!c.refusals.isEmpty(), 10000);
        QVERIFY2(c.refusals.first().contains(QLatin1String("no active queue_backlog finding")),
                 qPrintable(c.refusals.first()));
        emit c.window.autoRemediationRequested(QStringLiteral("queue_backlog"), true);
        QTRY_VERIFY_WITH_TIMEOUT(c.last.autoRemediation.contains(QStringLiteral("queue_backlog")), 10000);
        QVERIFY(c.window.bottlenecksView());
    }

    void closingWithATrayKeepsRunningAndSaysSoOnce()
    {
        MainWindowOptions options;
        options.trayAvailable = true;
        MainWindow window(options);
        window.show();
        QSignalSpy notified(window.notifier(), &Notifier::notified);
        // The title bar's X (a spontaneous close) hides the window to the tray.
        window.closeToTray();
        QVERIFY(!window.isVisible());
        QCOMPARE(notified.size(), 1);
        QCOMPARE(notified.first().at(0).toString(), QStringLiteral("Drover keeps running"));
        window.showConsole();
        window.closeToTray();
        QCOMPARE(notified.size(), 1); // the first time only

        // A programmatic close (QGuiApplication::quit() closes every window) is never refused.
        window.showConsole();
        QVERIFY(window.close());
    }

    void layoutPersists()
    {
        {
            MainWindow window{MainWindowOptions{}};
            window.resize(900, 640);
            window.show();
            window.tabs()->setCurrentWidget(window.alertsView());
            QSplitter *split = window.poolsView()->splitter();
            split->setSizes({300, 200});
            window.saveLayout();
        }
        MainWindow again{MainWindowOptions{}};
        again.restoreLayout();
        QCOMPARE(again.tabs()->currentWidget(), again.alertsView());
        QCOMPARE(again.size(), QSize(900, 640));
        const QByteArray saved = QSettings().value(QStringLiteral("splitters/poolsSplitter")).toByteArray();
        QVERIFY(!saved.isEmpty());
        QCOMPARE(again.poolsView()->splitter()->saveState(), saved);
        QVERIFY(!QSettings().value(QStringLiteral("splitters/alertsSplitter")).toByteArray().isEmpty());
    }
};

QTEST_MAIN(TestConsoleControls)
#include "tst_console_controls.moc"
