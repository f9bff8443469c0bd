// The capacity planner on synthetic daily history: exponential, linear, flat and too-short
// histories, projections at 1/3/6/12 months, costs and the plain-language recommendations.
#include "core/planning/capacity_planner.h"

#include <QtTest>
#include <cmath>
#include <functional>

using namespace drover;

namespace {

const QDate kAsOf(2025, 2, 1);

// `days` days of history ending at kAsOf; f(d) gives jobs on day d (0 = oldest); tokens are
// `tokensPerJob` x jobs, 60 % prompt.
PoolHistory history(const QString &pool, int days, const std::function<double(int)> &jobs,
                    int peakReplicas = 2, double tokensPerJob = 1000, int maxReplicas = 10)
{
    PoolHistory h;
    h.pool = pool;
    h.tier = QStringLiteral("basic");
    h.minReplicas = 1;
    h.maxReplicas = maxReplicas;
    for (int d = 0; d < days; ++d) {
        DailyUsage u;
        u.day = kAsOf.addDays(d - (days - 1));
        u.jobs = jobs(d);
        u.promptTokens = 0.6 * tokensPerJob * u.jobs;
        u.completionTokens = 0.4 * tokensPerJob * u.jobs;
        u.peakReplicas = peakReplicas;
        u.peakCpuCores = 0.8 * peakReplicas;
        u.peakMemoryMb = 600.0 * peakReplicas;
        h.days.append(u);
    }
    return h;
}

PlannerInput input(const QVector<PoolHistory> &pools)
{
    PlannerInput in;
    in.asOf = kAsOf;
    in.pools = pools;
    in.tiers = defaultTiers();
    in.prices.promptPer1k = 0.005;
    in.prices.completionPer1k = 0.015;
    in.prices.machine.name = QStringLiteral("workstation");
    in.prices.machine.cores = 8;
    in.prices.machine.memoryMb = 32768;
    in.prices.machine.monthlyPrice = 100;
    return in;
}

bool near(double a, double b, double rel = 1e-6)
{
    return std::abs(a - b) <= rel * std::max(1.0, std::abs(b));
}

QString joined(const QStringList &l)
{
    return l.join(QLatin1Char('\n'));
}

} // namespace

class TestCapacityPlanner : public QObject
{
    Q_OBJECT
private slots:
    void trendModel_data()
    {
        QTest::addColumn<int>("days");
        QTest::addColumn<int>("shape");
        QTest::addColumn<int>("model");
        QTest::newRow("exponential 2 %/day") << 60 << 0 << int(TrendModel::Exponential);
        QTest::newRow("linear +5/day") << 30 << 1 << int(TrendModel::Linear);
        QTest::newRow("flat with noise") << 28 << 2 << int(TrendModel::Flat);
        QTest::newRow("noise without a significant trend") << 14 << 3 << int(TrendModel::Flat);
        QTest::newRow("growth with a zero day: linear fallback")
            << 30 << 4 << int(TrendModel::Linear);
        QTest::newRow("exponential decline") << 45 << 5 << int(TrendModel::Exponential);
        QTest::newRow("all zero") << 20 << 6 << int(TrendModel::Flat);
    }

    void trendModel()
    {
        QFETCH(int, days);
        QFETCH(int, shape);
        QFETCH(int, model);
        const std::function<double(int)> shapes[] = {
            [](int d) { return 100.0 * std::pow(1.02, d); },
            [](int d) { return 100.0 + 5.0 * d; },
            [](int d) { return 200.0 + ((d % 3) - 1) * 10.0; },
            [](int d) { return 200.0 + ((d * 7919) % 13 - 6) * 15.0 + 0.2 * d; },
            [](int d) { return d == 3 ? 0.0 : 100.0 + 5.0 * d; },
            [](int d) { return 1000.0 * std::pow(0.97, d); },
            [](int) { return 0.0; },
        };
        QVector<double> x, y;
        for (int d = 0; d < days; ++d) {
            x.append(d - (days - 1));
            y.append(shapes[shape](d));
        }
        const Trend t = fitTrend(x, y);
        QVERIFY2(int(t.model) == model, qPrintable(t.description));
        QVERIFY(t.description.startsWith(trendModelName(t.model)));
        switch (shape) {
        case 0: // exact exponential: rate and today's value are recovered
            QVERIFY(near(t.monthlyGrowth, std::pow(1.02, 30.44) - 1.0));
            QVERIFY(near(t.valueAt(0), 100.0 * std::pow(1.02, days - 1)));
            QVERIFY(near(t.valueAt(10), 100.0 * std::pow(1.02, days - 1 + 10)));
            break;
        case 1:
            QVERIFY(near(t.slope, 5.0));
            QVERIFY(near(t.valueAt(30), 100.0 + 5.0 * (days - 1 + 30)));
            QVERIFY(near(t.r2, 1.0));
            break;
        case 2:
            QVERIFY(std::abs(t.valueAt(365) - 200.0) < 2.0);
            break;
        case 5:
            QVERIFY(t.monthlyGrowth < -0.5);
            QVERIFY(t.valueAt(365) > 0); // never negative
            break;
        default:
            break;
        }
    }

    void exponentialHistoryProjectsAndRecommendsAboveMax()
    {
        // mail: 3 replicas at the peak, max 4, growing 2 %/day (x1.74 in February's 28 days).
        PlannerInput in = input({history(
            QStringLiteral("mail"), 60, [](int d) { return 100.0 * std::pow(1.02, d); }, 3, 1000,
            4)});
        const CapacityPlan plan = planCapacity(in);
        QVERIFY(plan.enoughHistory);
        QCOMPARE(plan.pools.size(), 1);
        const PoolPlan &p = plan.pools.first();
        QCOMPARE(p.jobs.model, TrendModel::Exponential);
        QCOMPARE(p.tokens.model, TrendModel::Exponential);
        QCOMPARE(p.projections.size(), 4);
        const int months[] = {1, 3, 6, 12};
        for (int i = 0; i < 4; ++i) {
            const PoolProjection &pp = p.projections[i];
            QCOMPARE(pp.months, months[i]);
            QCOMPARE(pp.date, kAsOf.addMonths(months[i]));
            const double ratio = std::pow(1.02, kAsOf.daysTo(pp.date));
            QVERIFY(near(pp.jobsPerDay, 100.0 * std::pow(1.02, 59) * ratio));
            QCOMPARE(pp.replicas, int(std::ceil(3 * ratio - 1e-9)));
            QVERIFY(near(pp.cpuCores, 2.4 * ratio));
            QVERIFY(near(pp.memoryMb, 600.0 * pp.replicas));
            QVERIFY(pp.aboveMax);
        }
        QCOMPARE(p.projections[0].replicas, 6);
        QCOMPARE(p.current.replicas, 3);
        // The fleet table has the seed's shape: one row per horizon, growing.
        QCOMPARE(plan.fleet.size(), 4);
        for (int i = 1; i < plan.fleet.size(); ++i) {
            QVERIFY(plan.fleet[i].replicas >= plan.fleet[i - 1].replicas);
            QVERIFY(plan.fleet[i].totalCostPerMonth > plan.fleet[i - 1].totalCostPerMonth);
        }
        const QString recs = joined(plan.recommendations);
        QVERIFY2(recs.contains(
                     QStringLiteral("the mail pool needs 6 replicas by March 2025: above its "
                                    "max of 4; raise max to 6 or move it to premium (3 replicas)")),
                 qPrintable(recs));
        QVERIFY2(recs.contains(QStringLiteral("exponential")), qPrintable(recs));
        // 12 months from 60 days of exponential history: the plan says it is rough.
        QVERIFY2(recs.contains(QStringLiteral("treat them as rough")), qPrintable(recs));
        // It outgrows one 8-core machine at some horizon.
        QVERIFY2(recs.contains(QStringLiteral("plan the extra machine")), qPrintable(recs));
    }

    void linearHistory()
    {
        PlannerInput in = input({history(
            QStringLiteral("crm"), 30, [](int d) { return 100.0 + 5.0 * d; }, 2, 1000, 20)});
        const CapacityPlan plan = planCapacity(in);
        QVERIFY(plan.enoughHistory);
        const PoolPlan &p = plan.pools.first();
        QCOMPARE(p.jobs.model, TrendModel::Linear);
        QVERIFY(near(p.current.jobsPerDay, 245.0));
        for (const PoolProjection &pp : p.projections) {
            const double jobs = 245.0 + 5.0 * kAsOf.daysTo(pp.date);
            QVERIFY(near(pp.jobsPerDay, jobs));
            QCOMPARE(pp.replicas, int(std::ceil(2 * jobs / 245.0 - 1e-9)));
            QVERIFY(!pp.aboveMax);
        }
        const QString recs = joined(plan.recommendations);
        QVERIFY2(recs.contains(QStringLiteral("The crm pool grows (linear")), qPrintable(recs));
        QVERIFY2(recs.contains(QStringLiteral("stays within its max of 20")), qPrintable(recs));
    }

    void flatHistoryKeepsTodaysCapacity()
    {
        PlannerInput in = input({history(
            QStringLiteral("loops"), 28, [](int d) { return 200.0 + ((d % 3) - 1) * 10.0; }, 3)});
        const CapacityPlan plan = planCapacity(in);
        QVERIFY(plan.enoughHistory);
        const PoolPlan &p = plan.pools.first();
        QCOMPARE(p.jobs.model, TrendModel::Flat);
        QCOMPARE(p.tokens.model, TrendModel::Flat);
        for (const PoolProjection &pp : p.projections) {
            QCOMPARE(pp.replicas, 3);
            QVERIFY(near(pp.cpuCores, 2.4));
        }
        QVERIFY(joined(plan.recommendations)
                    .contains(QStringLiteral(
                        "The loops pool is flat: 3 replica(s) suffice through February 2026")));
        QVERIFY(!joined(plan.recommendations).contains(QStringLiteral("exponential")));
        QVERIFY(!joined(plan.recommendations).contains(QStringLiteral("above its max")));
    }

    void tooShortHistorySaysSo_data()
    {
        QTest::addColumn<int>("days");
        QTest::newRow("no pools") << -1;
        QTest::newRow("1 day") << 1;
        QTest::newRow("6 days") << 6;
    }

    void tooShortHistorySaysSo()
    {
        QFETCH(int, days);
        QVector<PoolHistory> pools;
        if (days >= 0)
            pools.append(history(QStringLiteral("mail"), days,
                                 [](int d) { return 100.0 * std::pow(1.5, d); }));
        const CapacityPlan plan = planCapacity(input(pools));
        QVERIFY(!plan.enoughHistory);
        QVERIFY(plan.fleet.isEmpty());
        QCOMPARE(plan.current.replicas, 0);
        QVERIFY2(plan.message.contains(QStringLiteral("at least 7 days")) ||
                     plan.message.contains(QStringLiteral("at least 7.")),
                 qPrintable(plan.message));
        for (const PoolPlan &p : plan.pools) {
            QVERIFY(!p.enoughHistory);
            QVERIFY(p.projections.isEmpty());
            QVERIFY(p.note.contains(QStringLiteral("%1 day(s) of history").arg(days)));
        }
    }

    void sevenDaysIsEnough()
    {
        const CapacityPlan plan = planCapacity(
            input({history(QStringLiteral("mail"), 7, [](int d) { return 100.0 + 10 * d; })}));
        QVERIFY(plan.enoughHistory);
        QCOMPARE(plan.fleet.size(), 4);
    }

    void duplicateAndFutureDaysAreHandled()
    {
        PoolHistory h = history(QStringLiteral("mail"), 6, [](int) { return 100.0; });
        // The same six days again (merged, not counted twice as days) and a day after asOf.
        h.days += history(QStringLiteral("mail"), 6, [](int) { return 100.0; }).days;
        DailyUsage future = h.days.first();
        future.day = kAsOf.addDays(3);
        h.days.append(future);
        const CapacityPlan plan = planCapacity(input({h}));
        QVERIFY(!plan.enoughHistory);
        QCOMPARE(plan.pools.first().historyDays, 6);
    }

    void poolsWithTooLittleHistoryAreLeftOutOfTotals()
    {
        PlannerInput in = input({history(
                                     QStringLiteral("mail"), 30, [](int) { return 500.0; }, 2),
                                 history(
                                     QStringLiteral("voice"), 3, [](int) { return 500.0; }, 5)});
        const CapacityPlan plan = planCapacity(in);
        QVERIFY(plan.enoughHistory);
        QCOMPARE(plan.excludedPools, QStringList{QStringLiteral("voice")});
        QCOMPARE(plan.fleet.first().replicas, 2); // voice's 5 are not in the totals
        QVERIFY(
            joined(plan.recommendations).contains(QStringLiteral("voice has 3 day(s) of history")));
        QVERIFY(joined(plan.recommendations).contains(QStringLiteral("left out of the totals")));
    }

    void costs()
    {
        // Flat: 1,000 jobs/day x 1,000 tokens (60 % prompt), 4 replicas, 3.2 cores, 2,400 MB.
        PlannerInput in = input({history(
            QStringLiteral("mail"), 14, [](int) { return 1000.0; }, 4)});
        const CapacityPlan plan = planCapacity(in);
        QVERIFY(plan.enoughHistory);
        // 1e6 tokens/day x 30.44 days = 30,440 k tokens: 0.6 x $0.005 + 0.4 x $0.015 = $0.009/k.
        const double tokenCost = 30440.0 * 0.009;
        for (const FleetProjection &f : QVector<FleetProjection>{plan.current} + plan.fleet) {
            QVERIFY2(near(f.tokenCostPerMonth, tokenCost),
                     qPrintable(QString::number(f.tokenCostPerMonth)));
            QCOMPARE(f.machines, 1); // 3.2 cores, 2.3 GB: one 8-core / 32 GB machine at 80 %
            QVERIFY(near(f.machineCostPerMonth, 100.0));
            QVERIFY(near(f.totalCostPerMonth, tokenCost + 100.0));
        }
        QVERIFY2(joined(plan.recommendations).contains(QStringLiteral("Monthly cost: $374 now")),
                 qPrintable(joined(plan.recommendations)));

        // Machines follow cores: 20 replicas x 0.8 = 16 cores needs 16 / (8 x 0.8) = 2.5 -> 3.
        in = input({history(
            QStringLiteral("mail"), 14, [](int) { return 1000.0; }, 20)});
        in.prices.promptPer1k = 0;
        in.prices.completionPer1k = 0;
        const CapacityPlan big = planCapacity(in);
        QCOMPARE(big.current.machines, 3);
        QVERIFY(near(big.current.totalCostPerMonth, 300.0));
        // ... or memory, when it is the tighter one: 20 x 600 MB in 4 GB machines at 80 %.
        in.prices.machine.cores = 64;
        in.prices.machine.memoryMb = 4096;
        QCOMPARE(planCapacity(in).current.machines, int(std::ceil(12000.0 / (4096 * 0.8))));
    }

    void isAPureFunction()
    {
        const PlannerInput in =
            input({history(QStringLiteral("mail"), 40, [](int d) { return 50.0 + 3 * d; })});
        const CapacityPlan a = planCapacity(in), b = planCapacity(in);
        QCOMPARE(a.message, b.message);
        QCOMPARE(a.recommendations, b.recommendations);
        QCOMPARE(a.fleet.last().replicas, b.fleet.last().replicas);
    }
};

QTEST_GUILESS_MAIN(TestCapacityPlanner)
#include "tst_capacity_planner.moc"
