// The Dashboard tab (offscreen): its charts receive points from a real engine supervising a real
// drover-agent pool, switch ranges (the hour comes from a store the test writes with the real
// Store, read through the HistoryReader's thread), stay within one point per pixel column, mark
// scaling changes and alerts on the time axis, and describe values under the mouse.
#include "core/engine/engine.h"
#include "core/store/store.h"
#include "ui/dashboard.h"
#include "ui/dashboard_chart.h"

#include <QApplication>
#include <QComboBox>
#include <QDateTime>
#include <QLabel>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtCharts/QAreaSeries>
#include <QtCharts/QDateTimeAxis>
#include <QtCharts/QLineSeries>
#include <QtTest>

#include <cmath>
#include <limits>

using namespace drover;
using namespace drover::ui;

namespace {
constexpr qint64 kMinute = 60 * 1000;

const QByteArray kPool = "version: 1\npools:\n  - name: p\n    command: AGENT\n"
                         "    replicas: { min: 1, max: 2, initial: 1 }\n    tier: free\n"
                         "    stop_timeout: 5s\n    health: { interval: 300ms }\n";

bool allWithin(const DashboardChart *chart)
{
    for (const QString &name : chart->lineNames())
        if (chart->shownPointCount(name) > chart->pointBudget())
            return false;
    return true;
}
} // namespace

class TestDashboard : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        // Never the operator's settings.
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("drover-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_dashboard"));
        QSettings().clear();
    }

    void chartsReceivePointsFromARealEngineAndPool()
    {
        QTemporaryDir dir;
        QFile f(dir.filePath(QStringLiteral("drover.yaml")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(kPool).replace("AGENT", DROVER_AGENT_EXE));
        f.close();
        EngineOptions options;
        options.tickIntervalMs = 200;
        options.logDir = dir.filePath(QStringLiteral("logs"));
        options.storePath = dir.filePath(QStringLiteral("drover.sqlite"));
        Dashboard dashboard;
        dashboard.resize(1000, 700);
        dashboard.show();
        EngineHost engine(loadConfigFile(f.fileName()), options);
        connect(&engine, &EngineHost::snapshotPublished, &dashboard, &Dashboard::applySnapshot);
        engine.start();

        // The machine's CPU and the pool's own series, from the engine's rings via the snapshot.
        QTRY_VERIFY_WITH_TIMEOUT(dashboard.cpuChart()->shownPointCount(QStringLiteral("Machine")) >= 3, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(dashboard.cpuChart()->shownPointCount(QStringLiteral("p")) >= 3, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(dashboard.queueChart()->shownPointCount(QStringLiteral("p")) >= 1, 60000);
        for (QLineSeries *s : dashboard.cpuChart()->lineSegments(QStringLiteral("Machine")))
            for (const QPointF &p : s->points())
                QVERIFY(p.y() >= 0 && p.y() <= 100);
        // The free tier's budget (100 tokens/min for its one replica) is drawn as a line.
        QTRY_VERIFY_WITH_TIMEOUT(dashboard.tokenChart()->lineNames().contains(QStringLiteral("Tier budget")), 30000);
        const QLineSeries *budget = dashboard.tokenChart()->lineSegments(QStringLiteral("Tier budget")).first();
        QCOMPARE(budget->at(0).y(), 100.0 / 60.0);
        QVERIFY(allWithin(dashboard.cpuChart()));

        // The store the engine writes serves the hour, read beside the running engine.
        QSignalSpy shown(&dashboard, &Dashboard::historyShown);
        dashboard.rangeSelector()->setCurrentIndex(1);
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), 30000);
        QVERIFY2(dashboard.sourceLabel()->text().contains(QLatin1String("1 s")),
                 qPrintable(dashboard.sourceLabel()->text()));
        QVERIFY(dashboard.cpuChart()->shownPointCount(QStringLiteral("p")) >= 1);
        engine.stop();
    }

    void theHourComesFromAPreparedStoreAndTheRangeIsRemembered()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("drover.sqlite"));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        {
            Store store;
            QVERIFY(store.open(path));
            for (qint64 t = now - 55 * kMinute; t < now; t += 1000) {
                const bool spike = t == now - 30 * kMinute;
                store.addSample(QStringLiteral("system_cpu_percent"), t, spike ? 98.0 : 25.0);
                store.addSample(QStringLiteral("pool_cpu_percent{pool=\"mail\"}"), t, 40.0);
                store.addSample(QStringLiteral("queue_depth{pool=\"mail\"}"), t, 7.0);
            }
            SupervisorEvent scaled;
            scaled.timeMs = now - 20 * kMinute;
            scaled.pool = QStringLiteral("mail");
            scaled.kind = QStringLiteral("scaling");
            scaled.from = QStringLiteral("1");
            scaled.to = QStringLiteral("2");
            scaled.reason = QStringLiteral("rule:scale-out (none): CPU above 70 % for 2 min");
            store.addEvent(scaled);
            QVERIFY(store.flush() > 0);
        }

        Dashboard dashboard;
        dashboard.resize(900, 600);
        dashboard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dashboard));
        Snapshot s;
        s.sequence = 1;
        s.publishedAtMs = now;
        s.storePath = path;
        s.config.pools = {QStringLiteral("mail")};
        dashboard.applySnapshot(s);

        QSignalSpy shown(&dashboard, &Dashboard::historyShown);
        dashboard.rangeSelector()->setCurrentIndex(1); // as the operator picks "Last hour"
        QCOMPARE(dashboard.range(), Dashboard::Range::Hour);
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), 30000);
        DashboardChart *cpu = dashboard.cpuChart();
        QCOMPARE(cpu->lineNames(), (QStringList{QStringLiteral("Machine"), QStringLiteral("mail")}));
        // 3300 stored points per series, at most one per pixel column on screen.
        const int machine = cpu->shownPointCount(QStringLiteral("Machine"));
        QVERIFY2(machine > 50 && machine <= cpu->pointBudget(),
                 qPrintable(QStringLiteral("%1 of %2").arg(machine).arg(cpu->pointBudget())));
        QVERIFY(cpu->pointBudget() < 3300);
        QVERIFY(allWithin(cpu));
        double top = 0;
        for (QLineSeries *seg : cpu->lineSegments(QStringLiteral("Machine")))
            for (const QPointF &p : seg->points())
                top = qMax(top, p.y());
        QCOMPARE(top, 98.0); // the spike survives downsampling
        QCOMPARE(dashboard.queueChart()->lineSegments(QStringLiteral("mail")).first()->at(0).y(), 7.0);
        QCOMPARE(cpu->timeAxis()->max().toMSecsSinceEpoch() - cpu->timeAxis()->min().toMSecsSinceEpoch(),
                 Dashboard::spanMs(Dashboard::Range::Hour));
        QCOMPARE(cpu->markerCount(), 1); // the scaling change
        QVERIFY(cpu->describeAt(now - 20 * kMinute).contains(QStringLiteral("1 \u2192 2")));
        QVERIFY(dashboard.sourceLabel()->text().contains(QLatin1String("1 s")));

        // A new dashboard starts where the operator left it.
        QCOMPARE(QSettings().value(QStringLiteral("dashboard/range")).toInt(), 1);
        {
            Dashboard again;
            QCOMPARE(again.range(), Dashboard::Range::Hour);
        }

        // Back to live: the snapshot's rings, not the store.
        dashboard.rangeSelector()->setCurrentIndex(0);
        QCOMPARE(dashboard.range(), Dashboard::Range::FiveMinutes);
        QVERIFY(dashboard.sourceLabel()->text().contains(QLatin1String("Live")));
        QCOMPARE(cpu->timeAxis()->max().toMSecsSinceEpoch() - cpu->timeAxis()->min().toMSecsSinceEpoch(),
                 Dashboard::spanMs(Dashboard::Range::FiveMinutes));
        QCOMPARE(QSettings().value(QStringLiteral("dashboard/range")).toInt(), 0);
    }

    void withoutAStoreTheLongRangesSaySo()
    {
        Dashboard dashboard;
        dashboard.setRange(Dashboard::Range::Day);
        QVERIFY(dashboard.sourceLabel()->text().contains(QLatin1String("No store")));
        dashboard.setRange(Dashboard::Range::FiveMinutes);
    }

    void liveMarkersComeFromDecisionsAndAlertTransitions()
    {
        Dashboard dashboard;
        dashboard.setRange(Dashboard::Range::FiveMinutes);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        Snapshot s;
        s.sequence = 1;
        s.publishedAtMs = now;
        for (int i = 0; i < 120; ++i)
            s.systemHistory.append({now - (119 - i) * 1000, 10.0 + i % 5, 50, 0});
        ScalingRecord changed;
        changed.pool = QStringLiteral("mail");
        changed.applied = true;
        changed.decision.atMs = now - 60000;
        changed.decision.currentReplicas = 2;
        changed.decision.finalReplicas = 4;
        changed.decision.explanation = QStringLiteral("CPU high");
        ScalingRecord heartbeat = changed; // no change: not a marker
        heartbeat.decision.atMs = now - 50000;
        heartbeat.decision.finalReplicas = 2;
        s.scalingDecisions = {changed, heartbeat};
        SupervisorEvent firing;
        firing.timeMs = now - 30000;
        firing.kind = QStringLiteral("alert");
        firing.from = QStringLiteral("pending");
        firing.to = QStringLiteral("firing");
        firing.reason = QStringLiteral("HighCpu {pool=\"mail\"} [high]: CPU 97 %");
        SupervisorEvent pending = firing; // pending is noise on a chart
        pending.timeMs = now - 40000;
        pending.to = QStringLiteral("pending");
        s.recentEvents = {pending, firing};
        dashboard.applySnapshot(s);
        QCOMPARE(dashboard.cpuChart()->markerCount(), 2);
        QCOMPARE(dashboard.tokenChart()->markerCount(), 2);
        const QString tip = dashboard.cpuChart()->describeAt(now - 30000);
        QVERIFY2(tip.contains(QLatin1String("HighCpu")), qPrintable(tip));
        QVERIFY(tip.contains(QLatin1String("Machine: ")));
        QVERIFY(dashboard.cpuChart()->describeAt(now - 60000).contains(QStringLiteral("2 \u2192 4")));
    }

    void aDayOfSecondsIsReducedToThePlotWidthAndKeepsGaps()
    {
        DashboardChart chart(QStringLiteral("t"), QStringLiteral("%"), true);
        chart.resize(700, 300);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        QVector<QPointF> day;
        const double nan = std::numeric_limits<double>::quiet_NaN();
        for (int i = 0; i < 86400; ++i)
            day.append(QPointF(double(i) * 1000, i == 50000 ? 100.0 : 30.0 + (i % 60) / 10.0));
        day[20000].setY(nan); // the engine missed a second: a gap
        chart.setData({{QStringLiteral("cpu"), day}}, 0, 86400LL * 1000);
        const int wide = chart.pointBudget();
        QVERIFY(wide < 700);
        QVERIFY(chart.shownPointCount(QStringLiteral("cpu")) <= wide);
        QCOMPARE(chart.lineSegments(QStringLiteral("cpu")).size(), 2);
        double top = 0;
        for (QLineSeries *s : chart.lineSegments(QStringLiteral("cpu")))
            for (const QPointF &p : s->points())
                top = qMax(top, p.y());
        QCOMPARE(top, 100.0);

        // Narrower plot, fewer points: re-reduced when the plot area shrinks.
        chart.resize(400, 300);
        QTRY_VERIFY_WITH_TIMEOUT(chart.pointBudget() < wide, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(chart.shownPointCount(QStringLiteral("cpu")) <= chart.pointBudget(), 10000);
        // What the mouse shows: the value at that second, or "no data" in the gap.
        QVERIFY(chart.describeAt(50000LL * 1000).contains(QLatin1String("100")));
    }
    void aLargeFleetIsDrawnAsItsBusiestLinesAndABand()
    {
        DashboardChart chart(QStringLiteral("t"), QStringLiteral("%"), true);
        chart.resize(700, 300);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        const qint64 span = 3600LL * 1000;
        QVector<ChartLine> lines;
        QVector<QPointF> machine;
        for (int t = 0; t < 3600; t += 10)
            machine.append(QPointF(t * 1000.0, 50));
        lines.append({QStringLiteral("Machine"), machine, false, true});
        // pool-00 .. pool-19 at a flat 1..20 %, except pool-03, which spikes to 95 % once: its
        // mean stays low, so it is folded, and the band must still reach its spike.
        for (int i = 0; i < 20; ++i) {
            QVector<QPointF> p;
            for (int t = 0; t < 3600; t += 10)
                p.append(QPointF(t * 1000.0, (i == 3 && t == 1800) ? 95.0 : 1.0 + i));
            lines.append({QStringLiteral("pool-%1").arg(i, 2, 10, QLatin1Char('0')), p});
        }
        lines.append({QStringLiteral("Budget"), {QPointF(0, 80), QPointF(double(span), 80)}, true});
        chart.setData(lines, 0, span);

        // The pinned lines, the limit and the five busiest (highest mean) pools are lines.
        QCOMPARE(chart.drawnLineNames(),
                 (QStringList{QStringLiteral("Machine"), QStringLiteral("pool-15"), QStringLiteral("pool-16"),
                              QStringLiteral("pool-17"), QStringLiteral("pool-18"), QStringLiteral("pool-19"),
                              QStringLiteral("Budget")}));
        QCOMPARE(chart.lineNames().size(), 22);
        QCOMPARE(chart.foldedLineCount(), 15);
        QCOMPARE(chart.shownPointCount(QStringLiteral("pool-03")), 0); // in the band
        QVERIFY(chart.lineSegments(QStringLiteral("pool-03")).isEmpty());
        QCOMPARE(chart.shownPointCount(QStringLiteral("nope")), -1);
        QVERIFY(allWithin(&chart));
        QVERIFY(chart.band()->isVisible());
        QVERIFY(chart.band()->name().contains(QLatin1String("15")));
        // The band spans the folded pools: lowest 1 %, highest 15 %, and pool-03's spike.
        const QList<QPointF> upper = chart.band()->upperSeries()->points();
        const QList<QPointF> lower = chart.band()->lowerSeries()->points();
        QVERIFY(!upper.isEmpty() && upper.size() <= chart.pointBudget());
        double top = 0, bottom = 1000;
        for (const QPointF &p : upper)
            top = qMax(top, p.y());
        for (const QPointF &p : lower)
            bottom = qMin(bottom, p.y());
        QCOMPARE(top, 95.0);
        QCOMPARE(bottom, 1.0);
        QCOMPARE(upper.first().y(), 15.0);
        // The tooltip still names values of folded lines (the highest first).
        const QString tip = chart.describeAt(1800LL * 1000);
        QVERIFY2(tip.contains(QLatin1String("pool-03: 95")), qPrintable(tip));

        // The busiest change: the same series objects are renamed, not rebuilt.
        const QLineSeries *slot = chart.lineSegments(QStringLiteral("pool-15")).first();
        std::swap(lines[1].points, lines[16].points); // pool-00 now has pool-15's values
        chart.setData(lines, 0, span);
        QVERIFY(chart.drawnLineNames().contains(QStringLiteral("pool-00")));
        QVERIFY(!chart.drawnLineNames().contains(QStringLiteral("pool-15")));
        QCOMPARE(chart.lineSegments(QStringLiteral("pool-00")).first(), slot);

        // Few lines again: every line is drawn, no band.
        lines.resize(4);
        chart.setData(lines, 0, span);
        QCOMPARE(chart.drawnLineNames().size(), 4);
        QCOMPARE(chart.foldedLineCount(), 0);
        QVERIFY(!chart.band()->isVisible());
    }

    void theTokenChartOfAFleetKeepsTotalsAndBudgetAsLines()
    {
        Dashboard dashboard;
        dashboard.setRange(Dashboard::Range::FiveMinutes);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        Snapshot s;
        s.sequence = 1;
        s.publishedAtMs = now;
        for (int p = 0; p < 30; ++p) {
            PoolSeriesTail tail;
            tail.pool = QStringLiteral("pool-%1").arg(p);
            tail.tokenBudgetPerSecond = 10;
            for (int i = 0; i < 60; ++i) {
                const qint64 t = now - (59 - i) * 1000;
                tail.cpuPercent.append({t, double(p)});
                tail.promptTokensPerSecond.append({t, double(p)});
                tail.completionTokensPerSecond.append({t, 1.0});
            }
            s.poolSeries << tail;
        }
        dashboard.applySnapshot(s);
        DashboardChart *tokens = dashboard.tokenChart();
        const QStringList drawn = tokens->drawnLineNames();
        for (const char *name : {"Total prompt", "Total completion", "Tier budget", "pool-29 prompt"})
            QVERIFY2(drawn.contains(QLatin1String(name)), qPrintable(drawn.join(QLatin1Char(','))));
        QCOMPARE(tokens->lineNames().size(), 63); // 30 x prompt and completion, 2 totals, budget
        QCOMPARE(tokens->foldedLineCount(), 63 - 3 - DashboardChart::kBusiestLines);
        // The total is the sum of every pool, folded or not: 0 + 1 + ... + 29.
        QCOMPARE(tokens->lineSegments(QStringLiteral("Total prompt")).first()->at(0).y(), 435.0);
        QVERIFY(dashboard.cpuChart()->drawnLineNames().contains(QStringLiteral("Machine")));
        QCOMPARE(dashboard.cpuChart()->drawnLineNames().size(), 1 + DashboardChart::kBusiestLines);
    }
};

QTEST_MAIN(TestDashboard)
#include "tst_dashboard.moc"
