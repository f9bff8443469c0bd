// The Capacity tab: a plan made by the real planner from 30 days of growing history shows in
// the projection table, the chart and the recommendations; too little history and no plan yet
// say so instead of a projection; Refresh reaches a real engine (with a store) and its new plan
// comes back into the view.
#include "console_fixture.h"
#include "core/planning/capacity_planner.h"
#include "ui/capacity_view.h"
#include "ui/translations.h"
#include "ui/work_view.h"

#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTranslator>
#include <QTreeWidget>
#include <QtCharts/QLineSeries>
#include <QtTest>
#include <cmath>

using namespace drover;
using namespace drover::ui;
using drover::ui::test::ConsoleFixture;

namespace {

// `days` days of a pool whose jobs grow 3 % a day, two replicas at peak.
CapacityPlan planFromHistory(int days)
{
    PlannerInput in;
    in.asOf = QDate(2026, 6, 1);
    PoolHistory h;
    h.pool = QStringLiteral("mail");
    h.tier = QStringLiteral("standard");
    h.minReplicas = 1;
    h.maxReplicas = 4;
    for (int d = 1; d <= days; ++d) {
        DailyUsage u;
        u.day = in.asOf.addDays(-d);
        u.jobs = 1000 * std::pow(1.03, days - d);
        u.promptTokens = u.jobs * 200;
        u.completionTokens = u.jobs * 50;
        u.peakReplicas = 2;
        u.peakCpuCores = 1.5;
        u.peakMemoryMb = 1024;
        h.days.append(u);
    }
    in.pools.append(h);
    in.prices.promptPer1k = 0.001;
    in.prices.completionPer1k = 0.002;
    in.prices.machine.monthlyPrice = 100;
    return planCapacity(in);
}

Snapshot withPlan(const CapacityPlan &plan, qint64 atMs)
{
    Snapshot s;
    s.sequence = 1;
    s.publishedAtMs = atMs;
    s.capacity = plan;
    s.capacityAtMs = atMs;
    return s;
}

} // namespace

class TestCapacityView : public QObject
{
    Q_OBJECT
private slots:
    void showsTheProjectionsOfAPlan()
    {
        MainWindow window{MainWindowOptions{}};
        CapacityView *view = window.capacityView();
        QVERIFY(view);
        QVERIFY(window.tabs()->indexOf(view) >= 0);
        window.show();

        // Before the engine made a plan.
        QVERIFY(view->stateLabel()->text().contains(QLatin1String("No capacity plan yet")));
        QCOMPARE(view->model()->rowCount(), 0);

        const CapacityPlan plan = planFromHistory(30);
        QVERIFY(plan.enoughHistory);
        QCOMPARE(plan.fleet.size(), 4);
        const qint64 at = QDateTime(QDate(2026, 6, 1), QTime(12, 0), Qt::UTC).toMSecsSinceEpoch();
        window.applySnapshot(withPlan(plan, at));

        // The seed's table: now, then 1, 3, 6 and 12 months.
        QCOMPARE(view->model()->rowCount(), 5);
        const QVector<int> months{0, 1, 3, 6, 12};
        for (int r = 0; r < 5; ++r) {
            const FleetProjection &f = r == 0 ? plan.current : plan.fleet[r - 1];
            QCOMPARE(view->model()->index(r, CapacityModel::When).data(Qt::UserRole).toInt(),
                     months[r]);
            QCOMPARE(view->model()->index(r, CapacityModel::Replicas).data().toInt(), f.replicas);
            QCOMPARE(view->model()->index(r, CapacityModel::Machines).data().toInt(), f.machines);
            QCOMPARE(
                view->model()->index(r, CapacityModel::TotalCost).data(Qt::UserRole).toDouble(),
                f.totalCostPerMonth);
            QVERIFY(!view->model()->index(r, CapacityModel::Memory).data().toString().isEmpty());
        }
        // Growth at 3 % a day: a year from now needs more than today, and it costs something.
        QVERIFY(plan.fleet.last().replicas > plan.current.replicas);
        QVERIFY(plan.fleet.last().totalCostPerMonth > 0);
        QVERIFY(view->model()
                    ->index(4, CapacityModel::When)
                    .data()
                    .toString()
                    .contains(QLatin1String("12")));

        // The chart: one point per horizon for each of replicas, CPU cores and memory.
        const QList<QLineSeries *> series = view->chartSeries();
        QCOMPARE(series.size(), 3);
        for (QLineSeries *s : series)
            QCOMPARE(s->count(), 5);
        QCOMPARE(series[0]->at(4), QPointF(12, plan.fleet.last().replicas));
        QCOMPARE(series[1]->at(0), QPointF(0, plan.current.cpuCores));
        QCOMPARE(series[2]->at(4).y(), plan.fleet.last().memoryMb / 1024.0);

        // Verdict, recommendations, the pool's trend, and when.
        QCOMPARE(view->verdictLabel()->text(), plan.message);
        QVERIFY(!plan.recommendations.isEmpty());
        QCOMPARE(view->recommendations()->count(), plan.recommendations.size());
        QCOMPARE(view->recommendations()->item(0)->text(), plan.recommendations.first());
        QCOMPARE(view->poolsList()->topLevelItemCount(), 1);
        QCOMPARE(view->poolsList()->topLevelItem(0)->text(0), QStringLiteral("mail"));
        QCOMPARE(view->poolsList()->topLevelItem(0)->text(3), plan.pools.first().jobs.description);
        QVERIFY(view->stateLabel()->text().startsWith(QLatin1String("Plan as of")));

        // Every control explains itself.
        for (QWidget *w :
             {static_cast<QWidget *>(view->refreshButton()), static_cast<QWidget *>(view->table()),
              static_cast<QWidget *>(view->recommendations()),
              static_cast<QWidget *>(view->poolsList())}) {
            QVERIFY(!w->toolTip().isEmpty());
            QVERIFY(!w->accessibleName().isEmpty());
        }

        // F5 asks for a new plan while the tab is shown.
        QSignalSpy refresh(view, &CapacityView::refreshRequested);
        window.tabs()->setCurrentWidget(view);
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        view->table()->setFocus();
        QTest::keyClick(view->table(), Qt::Key_F5);
        // A button shortcut clicks it the way a mouse would, pressed for a moment: not at once.
        QTRY_COMPARE_WITH_TIMEOUT(refresh.size(), 1, 5000);

        // Too little history: no made-up projection, the plan says why.
        const CapacityPlan short_ = planFromHistory(3);
        QVERIFY(!short_.enoughHistory);
        window.applySnapshot(withPlan(short_, at + 60000));
        QVERIFY(view->stateLabel()->text().startsWith(QLatin1String("Not enough history yet")));
        QCOMPARE(view->model()->rowCount(), 0);
        for (QLineSeries *s : view->chartSeries())
            QCOMPARE(s->count(), 0);
        QCOMPARE(view->verdictLabel()->text(), short_.message);
        QCOMPARE(view->poolsList()->topLevelItem(0)->text(5), short_.pools.first().note);
    }

    void refreshReachesTheEngine()
    {
        ConsoleFixture c("version: 1\npools: []\n");
        CapacityView *view = c.window.capacityView();
        // The engine plans at its first tick (no history: it says so).
        QTRY_VERIFY_WITH_TIMEOUT(c.last.capacityAtMs > 0, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(
            view->stateLabel()->text().startsWith(QLatin1String("Not enough history yet")), 10000);
        const qint64 first = c.last.capacityAtMs;

        c.window.tabs()->setCurrentWidget(view);
        QVERIFY(view->refreshButton()->isEnabled());
        QTest::mouseClick(view->refreshButton(), Qt::LeftButton);
        QVERIFY(view->stateLabel()->text().contains(QLatin1String("asked for a new plan")));
        // A new plan well before the engine's own minute would make one.
        QTRY_VERIFY_WITH_TIMEOUT(c.last.capacityAtMs > first, 30000);
        QVERIFY(c.last.capacityAtMs - first < 60000);
        QTRY_VERIFY_WITH_TIMEOUT(
            !view->stateLabel()->text().contains(QLatin1String("asked for a new plan")), 10000);
        QVERIFY(view->stateLabel()->text().startsWith(QLatin1String("Not enough history yet")));
        QVERIFY(c.refusals.isEmpty());
    }

    // The new tabs speak German and Simplified Chinese (translations/*.ts, built into :/i18n).
    void newViewsAreTranslated()
    {
        const auto uninstall = [] {
            for (QTranslator *t : qApp->findChildren<QTranslator *>()) {
                qApp->removeTranslator(t);
                delete t;
            }
        };
        QVERIFY(installTranslations(*qApp, QStringLiteral("de")).startsWith(QLatin1String("de")));
        {
            MainWindow window{MainWindowOptions{}};
            QCOMPARE(window.tabs()->tabText(window.tabs()->indexOf(window.capacityView())),
                     QStringLiteral("Kapazi&t\u00e4t"));
            QCOMPARE(window.tabs()->tabText(window.tabs()->indexOf(window.workView())),
                     QStringLiteral("A&uftr\u00e4ge"));
            QCOMPARE(window.capacityView()->refreshButton()->text(),
                     QStringLiteral("Plan aktualisiere&n"));
            QCOMPARE(window.workView()->requeueButton()->text(),
                     QStringLiteral("Erneut ein&reihen"));
            QCOMPARE(window.capacityView()
                         ->model()
                         ->headerData(CapacityModel::Replicas, Qt::Horizontal)
                         .toString(),
                     QStringLiteral("Replikate"));
        }
        uninstall();
        QVERIFY(
            installTranslations(*qApp, QStringLiteral("zh_CN")).startsWith(QLatin1String("zh")));
        {
            MainWindow window{MainWindowOptions{}};
            QCOMPARE(window.tabs()->tabText(window.tabs()->indexOf(window.capacityView())),
                     QStringLiteral("\u5bb9\u91cf(&Y)"));
            QCOMPARE(window.workView()->requeueButton()->text(),
                     QStringLiteral("\u91cd\u65b0\u5165\u961f(&Q)"));
        }
        uninstall();
    }
};

QTEST_MAIN(TestCapacityView)
#include "tst_capacity_view.moc"
