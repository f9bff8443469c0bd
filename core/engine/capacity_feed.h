// Feeds the capacity planner (core/planning) from the store: each pool's completed days of
// minute rollups become DailyUsage (jobs and GPT tokens integrated from their per-second
// rates, peaks of replicas, CPU cores and memory), and the plan is made as of today.
//
// Days are UTC days. Only completed days count (today is partial), and a completed day never
// changes, so it is read from the store once and kept: a refresh each minute reads nothing
// new until a day ends. Runs in the engine thread (the store's connection lives there).
#pragma once

#include "core/config/config.h"
#include "core/planning/capacity_planner.h"
#include "core/store/store.h"

#include <QDate>
#include <QMap>
#include <QSet>
#include <QString>

namespace drover {

// One day of one pool from its minute rollups (any of them may be empty: a pool without
// tokens has no token series). Rates are per second: a minute's average x 60 is what the
// minute did.
DailyUsage dailyUsageFromRollups(const QDate &day, const QVector<RollupPoint> &jobsPerSecond,
                                 const QVector<RollupPoint> &promptTokensPerSecond,
                                 const QVector<RollupPoint> &completionTokensPerSecond,
                                 const QVector<RollupPoint> &replicas,
                                 const QVector<RollupPoint> &cpuCores,
                                 const QVector<RollupPoint> &memoryBytes);

class CapacityFeed
{
public:
    // The plan as of the UTC day of `nowMs`, from up to `historyDays` completed days.
    CapacityPlan plan(const Store &store, const Config &config, const PlannerPrices &prices,
                      qint64 nowMs, int historyDays = 30);

    int cachedDays() const;

private:
    // pool -> day -> usage; a day with no sample at all is kept as "absent" (no entry in
    // m_days, but in m_seen) so it is not read again.
    QMap<QString, QMap<QDate, DailyUsage>> m_days;
    QMap<QString, QSet<QDate>> m_seen;
};

} // namespace drover
