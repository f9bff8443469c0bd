#include "capacity_feed.h"

#include "pool_series.h"

#include <QDateTime>
#include <QTimeZone>

#include <algorithm>
#include <cmath>

namespace drover {

namespace {


QDate dayOf(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).date();
}

qint64 startOf(const QDate &day)
{
    return QDateTime(day, QTime(0, 0), QTimeZone::utc()).toMSecsSinceEpoch();
}

QString labelled(const QString &series, const QString &pool)
{
    return series + QStringLiteral("{pool=\"%1\"}").arg(pool);
}

} // namespace

QMap<QDate, DailyUsage> dailyUsageFromTotals(const QVector<DailyTotal> &jobsPerSecond,
                                             const QVector<DailyTotal> &promptTokensPerSecond,
                                             const QVector<DailyTotal> &completionTokensPerSecond,
                                             const QVector<DailyTotal> &replicas,
                                             const QVector<DailyTotal> &cpuCores,
                                             const QVector<DailyTotal> &memoryBytes)
{
    QMap<QDate, DailyUsage> out;
    const auto day = [&](const DailyTotal &t) -> DailyUsage & {
        DailyUsage &u = out[dayOf(t.dayStartMs)];
        u.day = dayOf(t.dayStartMs);
        return u;
    };
    const auto finite = [](double v) { return std::isfinite(v) ? v : 0.0; };
    // Days exist where Drover ran the pool: jobs or replicas were recorded.
    for (const DailyTotal &t : jobsPerSecond)
        day(t).jobs = finite(t.sumOfAverages) * 60.0;
    for (const DailyTotal &t : replicas)
        day(t).peakReplicas = int(std::lround(finite(t.max)));
    for (const DailyTotal &t : promptTokensPerSecond)
        if (out.contains(dayOf(t.dayStartMs)))
            day(t).promptTokens = finite(t.sumOfAverages) * 60.0;
    for (const DailyTotal &t : completionTokensPerSecond)
        if (out.contains(dayOf(t.dayStartMs)))
            day(t).completionTokens = finite(t.sumOfAverages) * 60.0;
    for (const DailyTotal &t : cpuCores)
        if (out.contains(dayOf(t.dayStartMs)))
            day(t).peakCpuCores = finite(t.max);
    for (const DailyTotal &t : memoryBytes)
        if (out.contains(dayOf(t.dayStartMs)))
            day(t).peakMemoryMb = finite(t.max) / (1024.0 * 1024.0);
    return out;
}

CapacityPlan CapacityFeed::plan(const Store &store, const Config &config,
                                const PlannerPrices &prices, qint64 nowMs, int historyDays)
{
    const QDate today = dayOf(nowMs);
    const QDate yesterday = today.addDays(-1);
    const QDate oldest = today.addDays(-historyDays);
    PlannerInput input;
    input.asOf = today;
    input.tiers = config.tiers;
    input.prices = prices;
    QSet<QString> pools;
    for (const PoolSpec &spec : config.pools) {
        pools.insert(spec.name);
        PoolDays &p = m_pools[spec.name];
        const QDate from = p.readThrough.isValid() ? std::max(p.readThrough.addDays(1), oldest) : oldest;
        if (from <= yesterday) {
            const qint64 fromMs = startOf(from);
            const qint64 toMs = startOf(today) - 1;
            const auto totals = [&](const QString &series) {
                return store.loadDailyTotals(labelled(series, spec.name), fromMs, toMs);
            };
            const QMap<QDate, DailyUsage> read = dailyUsageFromTotals(
                totals(poolMetricName(PoolMetric::JobsPerSecond)),
                totals(poolMetricName(PoolMetric::PromptTokensPerSecond)),
                totals(poolMetricName(PoolMetric::CompletionTokensPerSecond)),
                totals(QStringLiteral("pool_desired_replicas")),
                totals(poolMetricName(PoolMetric::CpuCores)), totals(QStringLiteral("pool_memory_bytes")));
            for (auto it = read.cbegin(); it != read.cend(); ++it)
                p.days.insert(it.key(), it.value());
            p.readThrough = yesterday;
        }
        // Days that fell out of the window are not planned on any more.
        for (auto it = p.days.begin(); it != p.days.end();)
            it = it.key() < oldest ? p.days.erase(it) : std::next(it);

        PoolHistory h;
        h.pool = spec.name;
        h.tier = spec.tier;
        h.minReplicas = spec.minReplicas;
        h.maxReplicas = spec.maxReplicas;
        h.days = p.days.values();
        input.pools.append(h);
    }
    // Pools removed from the configuration are forgotten.
    for (auto it = m_pools.begin(); it != m_pools.end();)
        it = pools.contains(it.key()) ? std::next(it) : m_pools.erase(it);
    return planCapacity(input);
}

int CapacityFeed::cachedDays() const
{
    int n = 0;
    for (const PoolDays &p : m_pools)
        n += int(p.days.size());
    return n;
}

} // namespace drover
