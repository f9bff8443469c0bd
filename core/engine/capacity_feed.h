// Feeds the capacity planner (core/planning) from the store: each pool's completed days of
// minute rollups become DailyUsage (jobs and GPT tokens integrated from their per-second
// rates, peaks of replicas, CPU cores and memory), and the plan is made as of today.
//
// Days are UTC days. Only completed days count (today is partial), and a completed day never
// changes, so it is read from the store once and kept: a refresh each minute reads nothing
// new until a day ends. SQLite sums each day (Store::loadDailyTotals), so the first read of a
// month is 30 rows per series. Runs in the engine thread (the store's connection lives there).
#pragma once

#include "core/config/config.h"
#include "core/planning/capacity_planner.h"
#include "core/store/store.h"

#include <QDate>
#include <QMap>
#include <QSet>
#include <QString>

namespace drover {

// One pool's days from the daily totals of its series (any may be empty: a pool without tokens
// has no token series). Rates are per second: a minute's average x 60 is what the minute did.
// A day with neither jobs nor replicas recorded is not in the result: Drover did not run the
// pool that day, which is no data, not zero load.
QMap<QDate, DailyUsage> dailyUsageFromTotals(const QVector<DailyTotal> &jobsPerSecond,
                                             const QVector<DailyTotal> &promptTokensPerSecond,
                                             const QVector<DailyTotal> &completionTokensPerSecond,
                                             const QVector<DailyTotal> &replicas,
                                             const QVector<DailyTotal> &cpuCores,
                                             const QVector<DailyTotal> &memoryBytes);

class CapacityFeed
{
public:
    // The plan as of the UTC day of `nowMs`, from up to `historyDays` completed days.
    CapacityPlan plan(const Store &store, const Config &config, const PlannerPrices &prices,
                      qint64 nowMs, int historyDays = 30);

    int cachedDays() const;

private:
    struct PoolDays
    {
        QMap<QDate, DailyUsage> days;
        QDate readThrough; // every completed day up to this one has been read
    };
    QMap<QString, PoolDays> m_pools;
};

} // namespace drover
