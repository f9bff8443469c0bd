// The console window against a real engine (offscreen): the chart receives points, config
// problems are shown, notifications fall back to the banner without a tray, and the status
// bar says when data goes stale.
#include "core/engine/engine.h"
#include "ui/config_issues_view.h"
#include "ui/main_window.h"
#include "ui/notification_banner.h"
#include "ui/notifier.h"
#include "ui/dashboard.h"
#include "ui/dashboard_chart.h"
#include "ui/translations.h"

#include <QApplication>
#include <QLabel>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTranslator>
#include <QTreeWidget>
#include <QtCharts/QLineSeries>
#include <QtTest>

using namespace drover;
using namespace drover::ui;

class TestMainWindow : public QObject
{
    Q_OBJECT
private slots:
    void chartReceivesPointsFromARealEngine()
    {
        MainWindow window(MainWindowOptions{});
        window.show();
        EngineOptions options;
        options.tickIntervalMs = 50;
        options.useStore = false;
        EngineHost engine(parseConfig("version: 1\n", QStringLiteral("t.yaml")), options);
        connect(&engine, &EngineHost::snapshotPublished, &window, &MainWindow::applySnapshot);
        engine.start();
        window.dashboard()->setRange(Dashboard::Range::FiveMinutes);
        DashboardChart *cpu = window.dashboard()->cpuChart();
        const QString machine = QStringLiteral("Machine");
        QTRY_VERIFY_WITH_TIMEOUT(cpu->shownPointCount(machine) >= 3, 10000);
        QVERIFY(window.dashboard()->memoryChart()->shownPointCount(machine) >= 3);
        for (QLineSeries *s : cpu->lineSegments(machine))
            for (const QPointF &p : s->points())
                QVERIFY(p.y() >= 0 && p.y() <= 100);
        QVERIFY(window.engineStatusLabel()->text().contains(QLatin1String("live")));
        engine.stop();
    }

    void chartShowsExactlyTheHistoryItIsGiven()
    {
        Dashboard dashboard;
        dashboard.setRange(Dashboard::Range::FiveMinutes);
        Snapshot s;
        for (int i = 0; i < 10; ++i)
            s.systemHistory.append({1000000 + i * 1000, double(i * 10), 50.0, 0});
        s.publishedAtMs = s.systemHistory.last().timeMs;
        dashboard.applySnapshot(s);
        DashboardChart *cpu = dashboard.cpuChart();
        const QString machine = QStringLiteral("Machine");
        QCOMPARE(cpu->shownPointCount(machine), 10);
        QCOMPARE(cpu->lineSegments(machine).first()->at(9), QPointF(1009000, 90));
        s.systemHistory.remove(0, 5);
        dashboard.applySnapshot(s); // a shorter history replaces, never appends
        QCOMPARE(cpu->shownPointCount(machine), 5);
        QCOMPARE(cpu->lineSegments(machine).first()->at(0).y(), 50.0);
    }

    void configProblemsAreListedAndAnnouncedWithoutATray()
    {
        MainWindow window(MainWindowOptions{false, 3000});
        QVERIFY(!window.notifier()->usesTray());
        const ConfigLoadResult r = loadConfigFile(QStringLiteral(DROVER_TEST_DATA_DIR "/config/bad_pool.yaml"));
        Snapshot s;
        s.sequence = 1;
        s.config.file = r.config.sourceFile;
        s.config.issues = r.issues;
        s.config.refusedPools = r.refusedPools;
        s.config.pools = {QStringLiteral("good")};
        window.show();
        window.applySnapshot(s);
        QCOMPARE(window.configIssuesView()->issueCount(), r.issues.size());
        const QString location = window.configIssuesView()->tree()->topLevelItem(0)->text(1);
        QVERIFY2(location.endsWith(QLatin1String("bad_pool.yaml:7:15")), qPrintable(location));
        QVERIFY(window.banner()->isVisible());
        QVERIFY(window.banner()->text().contains(QLatin1String("problem")));
        QVERIFY(window.tabs()->tabText(window.tabs()->indexOf(window.configIssuesView())).contains(QString::number(r.issues.size())));

        // The same status again must not rebuild the list (selection survives ticks).
        window.configIssuesView()->tree()->setCurrentItem(
            window.configIssuesView()->tree()->topLevelItem(1));
        s.sequence = 2;
        window.applySnapshot(s);
        QCOMPARE(window.configIssuesView()->tree()->currentItem(),
                 window.configIssuesView()->tree()->topLevelItem(1));
    }

    void statusBarSaysStaleWhenSnapshotsStop()
    {
        MainWindow window(MainWindowOptions{false, 300});
        Snapshot s;
        s.sequence = 1;
        s.publishedAtMs = QDateTime::currentMSecsSinceEpoch();
        window.applySnapshot(s);
        QVERIFY(!window.engineStatusLabel()->text().contains(QLatin1String("STALE")));
        QTRY_VERIFY_WITH_TIMEOUT(window.engineStatusLabel()->text().contains(QLatin1String("STALE")),
                                 5000);
        window.applySnapshot(s);
        QVERIFY(!window.engineStatusLabel()->text().contains(QLatin1String("STALE")));
    }

    void germanTranslationIsLoadedAndUsed()
    {
        const QString loaded = installTranslations(*qApp, QStringLiteral("de"));
        QVERIFY2(loaded.startsWith(QLatin1String("de")), qPrintable(loaded));
        MainWindow window(MainWindowOptions{});
        QCOMPARE(window.tabs()->tabText(window.tabs()->indexOf(window.configIssuesView())), QStringLiteral("&Konfiguration"));
        const QString message = QCoreApplication::translate("DroverConfig",
                                                            "the configuration file does not exist");
        QCOMPARE(message, QStringLiteral("die Konfigurationsdatei existiert nicht"));
        // And back: no translation for a language Drover does not ship.
        for (QTranslator *t : qApp->findChildren<QTranslator *>()) {
            qApp->removeTranslator(t);
            delete t;
        }
        QVERIFY(installTranslations(*qApp, QStringLiteral("xx")).isEmpty());
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
