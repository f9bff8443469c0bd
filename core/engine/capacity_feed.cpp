#include "capacity_feed.h"

#include "pool_series.h"

#include <QDateTime>
#include <QSet>
#include <QTimeZone>

#include <algorithm>
#include <cmath>

namespace drover {

namespace {

constexpr qint64 kDayMs = 24LL * 3600 * 1000;

double integrate(const QVector<RollupPoint> &perSecond)
{
    double total = 0;
    for (const RollupPoint &p : perSecond) {
        if (std::isfinite(p.avg) && p.avg > 0)
            total += p.avg * 60.0;
    }
    return total;
}

double peak(const QVector<RollupPoint> &points)
{
    double best = 0;
    for (const RollupPoint &p : points) {
        if (std::isfinite(p.max))
            best = std::max(best, p.max);
    }
    return best;
}

QString labelled(const QString &series, const QString &pool)
{
    return series + QStringLiteral("{pool=\"%1\"}").arg(pool);
}

} // namespace

DailyUsage dailyUsageFromRollups(const QDate &day, const QVector<RollupPoint> &jobsPerSecond,
                                 const QVector<RollupPoint> &promptTokensPerSecond,
                                 const QVector<RollupPoint> &completionTokensPerSecond,
                                 const QVector<RollupPoint> &replicas,
                                 const QVector<RollupPoint> &cpuCores,
                                 const QVector<RollupPoint> &memoryBytes)
{
    DailyUsage u;
    u.day = day;
    u.jobs = integrate(jobsPerSecond);
    u.promptTokens = integrate(promptTokensPerSecond);
    u.completionTokens = integrate(completionTokensPerSecond);
    u.peakReplicas = int(std::lround(peak(replicas)));
    u.peakCpuCores = peak(cpuCores);
    u.peakMemoryMb = peak(memoryBytes) / (1024.0 * 1024.0);
    return u;
}

CapacityPlan CapacityFeed::plan(const Store &store, const Config &config,
                                const PlannerPrices &prices, qint64 nowMs, int historyDays)
{
    const QDate today = QDateTime::fromMSecsSinceEpoch(nowMs, QTimeZone::utc()).date();
    PlannerInput input;
    input.asOf = today;
    input.tiers = config.tiers;
    input.prices = prices;
    QSet<QString> pools;
    for (const PoolSpec &spec : config.pools) {
        pools.insert(spec.name);
        QMap<QDate, DailyUsage> &days = m_days[spec.name];
        QSet<QDate> &seen = m_seen[spec.name];
        for (int back = historyDays; back >= 1; --back) {
            const QDate day = today.addDays(-back);
            if (seen.contains(day))
                continue;
            seen.insert(day);
            const qint64 from = QDateTime(day, QTime(0, 0), QTimeZone::utc()).toMSecsSinceEpoch();
            const qint64 to = from + kDayMs - 1;
            const auto load = [&](const QString &series) {
                return store.load(labelled(series, spec.name), Resolution::Minute, from, to);
            };
            const QVector<RollupPoint> jobs = load(poolMetricName(PoolMetric::JobsPerSecond));
            const QVector<RollupPoint> replicas = load(QStringLiteral("pool_desired_replicas"));
            if (jobs.isEmpty() && replicas.isEmpty())
                continue; // Drover did not run this pool that day: no data, not zero load
            days.insert(day, dailyUsageFromRollups(
                                 day, jobs, load(poolMetricName(PoolMetric::PromptTokensPerSecond)),
                                 load(poolMetricName(PoolMetric::CompletionTokensPerSecond)), replicas,
                                 load(poolMetricName(PoolMetric::CpuCores)),
                                 load(QStringLiteral("pool_memory_bytes"))));
        }
        // Days that fell out of the window are not planned on any more.
        const QDate oldest = today.addDays(-historyDays);
        for (auto it = days.begin(); it != days.end();)
            it = it.key() < oldest ? days.erase(it) : std::next(it);
        for (auto it = seen.begin(); it != seen.end();)
            it = *it < oldest ? seen.erase(it) : std::next(it);

        PoolHistory h;
        h.pool = spec.name;
        h.tier = spec.tier;
        h.minReplicas = spec.minReplicas;
        h.maxReplicas = spec.maxReplicas;
        h.days = days.values();
        input.pools.append(h);
    }
    // Pools removed from the configuration are forgotten.
    for (auto it = m_days.begin(); it != m_days.end();)
        it = pools.contains(it.key()) ? std::next(it) : m_days.erase(it);
    for (auto it = m_seen.begin(); it != m_seen.end();)
        it = pools.contains(it.key()) ? std::next(it) : m_seen.erase(it);
    return planCapacity(input);
}

int CapacityFeed::cachedDays() const
{
    int n = 0;
    for (const auto &days : m_days)
        n += int(days.size());
    return n;
}

} // namespace drover
