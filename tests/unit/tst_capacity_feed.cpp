// The capacity planner fed from a real store: minute rollups of two weeks of synthetic pool
// history become daily usage (jobs and tokens integrated from their rates, peaks of replicas,
// cores and memory), and the plan projects them. Completed days are read once.
#include "core/engine/capacity_feed.h"
#include "core/engine/pool_series.h"

#include <QDateTime>
#include <QTemporaryDir>
#include <QTimeZone>
#include <QtTest>

using namespace drover;

namespace {

constexpr qint64 kMinute = 60 * 1000;
constexpr qint64 kDay = 24 * 60 * kMinute;

QString labelled(const QString &series, const QString &pool)
{
    return series + QStringLiteral("{pool=\"%1\"}").arg(pool);
}

qint64 dayStart(const QDate &d)
{
    return QDateTime(d, QTime(0, 0), QTimeZone::utc()).toMSecsSinceEpoch();
}

} // namespace

class TestCapacityFeed : public QObject
{
    Q_OBJECT
private slots:
    // SQLite sums each UTC day of minute rollups; the feed turns rates into daily counts.
    void dailyTotalsIntegrateRatesAndTakePeaks()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        Store store;
        QVERIFY(store.open(dir.filePath(QStringLiteral("drover.sqlite"))));
        const QDate day(2026, 11, 1);
        const qint64 t0 = dayStart(day);
        // Day 1: ten minutes at 2 jobs/s (one sample a minute), replicas 2 then 4 at 23:59.
        for (int m = 0; m < 10; ++m) {
            store.addSample(QStringLiteral("jobs"), t0 + m * kMinute, 2);
            store.addSample(QStringLiteral("replicas"), t0 + m * kMinute, 2);
        }
        store.addSample(QStringLiteral("replicas"), t0 + kDay - kMinute, 4);
        // Day 2: five minutes at 1 job/s, and 0 jobs/s for five more (an idle pool is 0, not
        // missing); the sample after closes the last minute's rollup.
        for (int m = 0; m <= 10; ++m)
            store.addSample(QStringLiteral("jobs"), t0 + kDay + m * kMinute, m < 5 ? 1 : 0);
        store.addSample(QStringLiteral("replicas"), t0 + kDay + 10 * kMinute, 3);
        QVERIFY(store.flush() > 0);

        const QVector<DailyTotal> jobs = store.loadDailyTotals(QStringLiteral("jobs"), t0, t0 + 2 * kDay - 1);
        QCOMPARE(jobs.size(), 2);
        QCOMPARE(jobs[0].dayStartMs, t0);
        QCOMPARE(jobs[0].minutes, 10);
        QCOMPARE(jobs[0].sumOfAverages, 20.0);
        QCOMPARE(jobs[1].dayStartMs, t0 + kDay);
        QCOMPARE(jobs[1].sumOfAverages, 5.0);
        const QVector<DailyTotal> replicas = store.loadDailyTotals(QStringLiteral("replicas"), t0, t0 + 2 * kDay - 1);
        QCOMPARE(replicas.size(), 1); // day 2's only minute is still open (not a rollup yet)
        QCOMPARE(replicas[0].max, 4.0);

        const QMap<QDate, DailyUsage> usage = dailyUsageFromTotals(jobs, {}, {}, replicas, {}, {});
        QCOMPARE(usage.size(), 2);
        QCOMPARE(usage.first().day, day);
        QCOMPARE(usage.first().jobs, 1200.0); // 10 minutes x 60 s x 2 jobs/s
        QCOMPARE(usage.first().peakReplicas, 4);
        QCOMPARE(usage.last().jobs, 300.0);
        // Tokens without a day of jobs or replicas do not invent a day.
        const QMap<QDate, DailyUsage> lone =
            dailyUsageFromTotals({}, {{t0 + 5 * kDay, 10, 10, 1}}, {}, {}, {}, {});
        QVERIFY(lone.isEmpty());
    }

    void planFromStoredHistory()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        Store store;
        QVERIFY(store.open(dir.filePath(QStringLiteral("drover.sqlite"))));

        // 14 completed days of pool "mail": jobs grow from 1.0 to 2.3 jobs/s (+0.1 per day),
        // 20 prompt and 10 completion tokens/s, 2 replicas, 1 core, 1 GiB. One sample a minute
        // for the first six hours of each day (the rest of the day: Drover was not running).
        const QDate today(2026, 11, 20);
        const qint64 now = dayStart(today) + 3 * 3600 * 1000;
        for (int back = 14; back >= 1; --back) {
            const QDate day = today.addDays(-back);
            const double rate = 1.0 + 0.1 * (14 - back);
            for (qint64 t = dayStart(day); t < dayStart(day) + 6 * 3600 * 1000; t += kMinute) {
                store.addSample(labelled(poolMetricName(PoolMetric::JobsPerSecond), QStringLiteral("mail")), t, rate);
                store.addSample(labelled(poolMetricName(PoolMetric::PromptTokensPerSecond), QStringLiteral("mail")), t, 20);
                store.addSample(labelled(poolMetricName(PoolMetric::CompletionTokensPerSecond), QStringLiteral("mail")), t, 10);
                store.addSample(labelled(QStringLiteral("pool_desired_replicas"), QStringLiteral("mail")), t, 2);
                store.addSample(labelled(poolMetricName(PoolMetric::CpuCores), QStringLiteral("mail")), t, 1);
                store.addSample(labelled(QStringLiteral("pool_memory_bytes"), QStringLiteral("mail")), t, 1024.0 * 1024 * 1024);
            }
            QVERIFY(store.flush() > 0);
        }
        // Today's samples are partial and must not count.
        store.addSample(labelled(poolMetricName(PoolMetric::JobsPerSecond), QStringLiteral("mail")), dayStart(today) + kMinute, 1000);
        store.flush();

        Config config;
        config.tiers = defaultTiers();
        PoolSpec mail;
        mail.name = QStringLiteral("mail");
        mail.tier = QStringLiteral("basic");
        mail.minReplicas = 1;
        mail.maxReplicas = 10;
        config.pools = {mail, PoolSpec{}};
        config.pools[1].name = QStringLiteral("idle"); // no history at all
        config.pools[1].tier = QStringLiteral("free");

        PlannerPrices prices;
        prices.promptPer1k = 0.001;
        prices.completionPer1k = 0.002;
        prices.machine.monthlyPrice = 100;

        CapacityFeed feed;
        const CapacityPlan plan = feed.plan(store, config, prices, now);
        QCOMPARE(plan.asOf, today);
        QVERIFY2(plan.enoughHistory, qPrintable(plan.message));
        // The last minute of each six-hour run closes its rollup only when the next sample
        // arrives, so a day holds 359 or 360 minutes; 13 of the 14 days are complete for sure.
        QCOMPARE(feed.cachedDays(), 14);
        QCOMPARE(plan.pools.size(), 2);
        const PoolPlan &p = plan.pools.at(0);
        QCOMPARE(p.pool, QStringLiteral("mail"));
        QVERIFY(p.enoughHistory);
        QCOMPARE(p.historyDays, 14);
        QVERIFY2(p.jobs.monthlyGrowth > 0.3, qPrintable(p.jobs.description)); // +0.1 jobs/s a day
        QCOMPARE(p.projections.size(), 4);
        QVERIFY(p.projections.at(3).jobsPerDay > p.projections.at(0).jobsPerDay);
        QVERIFY(!plan.pools.at(1).enoughHistory);
        QCOMPARE(plan.excludedPools, QStringList{QStringLiteral("idle")});
        QCOMPARE(plan.fleet.size(), 4);
        QCOMPARE(plan.fleet.at(0).months, 1);
        QCOMPARE(plan.fleet.at(3).months, 12);
        QVERIFY(plan.fleet.at(0).tokenCostPerMonth > 0);
        QVERIFY(plan.fleet.at(0).machineCostPerMonth > 0);
        QVERIFY(!plan.recommendations.isEmpty());
        // Yesterday's jobs: 2.3 jobs/s for about six hours (rollups round to the minute).
        // The planner's "current" level is its fit; check the day as stored instead.
        const QVector<RollupPoint> yesterday =
            store.load(labelled(poolMetricName(PoolMetric::JobsPerSecond), QStringLiteral("mail")),
                       Resolution::Minute, dayStart(today.addDays(-1)), dayStart(today) - 1);
        QVERIFY(yesterday.size() >= 359);

        // A second plan a minute later reads nothing new and says the same.
        const CapacityPlan again = feed.plan(store, config, prices, now + kMinute);
        QCOMPARE(again.pools.at(0).historyDays, 14);
        QCOMPARE(again.fleet.at(1).replicas, plan.fleet.at(1).replicas);
    }
};

QTEST_GUILESS_MAIN(TestCapacityFeed)
#include "tst_capacity_feed.moc"
