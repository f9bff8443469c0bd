#include "capacity_planner.h"

#include <QLocale>
#include <QMap>
#include <algorithm>
#include <cmath>
#include <limits>

namespace drover {

namespace {

constexpr double kDaysPerMonth = 30.44;

QLocale english()
{
    return QLocale(QLocale::English, QLocale::UnitedStates);
}

QString percentText(double share)
{
    return (share >= 0 ? QStringLiteral("+") : QString()) +
           QString::number(share * 100.0, 'f', std::abs(share) < 0.1 ? 1 : 0) +
           QStringLiteral(" %");
}

QString monthYear(const QDate &d)
{
    return english().toString(d, QStringLiteral("MMMM yyyy"));
}

QString money(const PlannerPrices &p, double v)
{
    return p.currency + english().toString(v, 'f', v < 100 ? 2 : 0);
}

QString gb(double mb)
{
    return QString::number(mb / 1024.0, 'f', mb < 10 * 1024 ? 1 : 0) + QStringLiteral(" GB");
}

int ceilCount(double v)
{
    return int(std::ceil(v - 1e-9));
}

} // namespace

QString trendModelName(TrendModel m)
{
    switch (m) {
    case TrendModel::Exponential:
        return QStringLiteral("exponential");
    case TrendModel::Linear:
        return QStringLiteral("linear");
    case TrendModel::Flat:
        return QStringLiteral("flat");
    }
    return {};
}

double Trend::valueAt(double x) const
{
    switch (model) {
    case TrendModel::Exponential:
        return std::exp(intercept + slope * x);
    case TrendModel::Linear:
        return std::max(0.0, intercept + slope * x); // demand is never negative
    case TrendModel::Flat:
        return intercept;
    }
    return intercept;
}

Trend fitTrend(const QVector<double> &x, const QVector<double> &y, const PlannerTuning &t)
{
    Trend trend;
    const int n = int(std::min(x.size(), y.size()));
    if (n == 0) {
        trend.description = QStringLiteral("flat (no data)");
        return trend;
    }
    double mx = 0, my = 0;
    for (int i = 0; i < n; ++i) {
        mx += x[i];
        my += y[i];
    }
    mx /= n;
    my /= n;
    double sxx = 0, sxy = 0, sst = 0;
    for (int i = 0; i < n; ++i) {
        sxx += (x[i] - mx) * (x[i] - mx);
        sxy += (x[i] - mx) * (y[i] - my);
        sst += (y[i] - my) * (y[i] - my);
    }
    const auto flat = [&](const QString &why) {
        trend.model = TrendModel::Flat;
        trend.intercept = my;
        trend.slope = 0;
        trend.monthlyGrowth = 0;
        trend.r2 = 0;
        trend.description = QStringLiteral("flat (%1)").arg(why);
        return trend;
    };
    if (n < 3 || sxx <= 0 || my <= 0)
        return flat(QStringLiteral("too few points or no volume"));

    // Linear least squares, with the slope's t statistic: a slope the noise explains is flat.
    const double b = sxy / sxx;
    const double a = my - b * mx;
    double sseLin = 0;
    for (int i = 0; i < n; ++i) {
        const double e = y[i] - (a + b * x[i]);
        sseLin += e * e;
    }
    const double se = n > 2 ? std::sqrt(sseLin / (n - 2) / sxx) : 0;
    const double tStat =
        se > 0 ? std::abs(b) / se : (b != 0 ? std::numeric_limits<double>::infinity() : 0.0);
    const double linearMonthly = b * kDaysPerMonth / my;
    if (std::abs(linearMonthly) < t.flatChangePerMonth)
        return flat(QStringLiteral("%1/month").arg(percentText(linearMonthly)));
    if (tStat < t.flatMinTStat)
        return flat(QStringLiteral("no significant trend"));

    // Exponential: least squares on ln y (only when every value is positive); chosen when it
    // fits the original values clearly better than the line (a margin, because at 12 months a
    // wrongly chosen exponential overstates far more than a wrongly chosen line understates).
    bool positive = true;
    for (int i = 0; i < n; ++i)
        positive = positive && y[i] > 0;
    if (positive) {
        double mly = 0;
        for (int i = 0; i < n; ++i)
            mly += std::log(y[i]);
        mly /= n;
        double sxly = 0;
        for (int i = 0; i < n; ++i)
            sxly += (x[i] - mx) * (std::log(y[i]) - mly);
        const double r = sxly / sxx;
        const double c = mly - r * mx;
        double sseExp = 0;
        for (int i = 0; i < n; ++i) {
            const double e = y[i] - std::exp(c + r * x[i]);
            sseExp += e * e;
        }
        if (sseExp < t.exponentialMargin * sseLin) {
            trend.model = TrendModel::Exponential;
            trend.intercept = c;
            trend.slope = r;
            trend.monthlyGrowth = std::exp(r * kDaysPerMonth) - 1.0;
            trend.r2 = sst > 0 ? 1.0 - sseExp / sst : 1.0;
            trend.description = QStringLiteral("exponential, %1/month (R² %2)")
                                    .arg(percentText(trend.monthlyGrowth))
                                    .arg(trend.r2, 0, 'f', 2);
            return trend;
        }
    }
    trend.model = TrendModel::Linear;
    trend.intercept = a;
    trend.slope = b;
    const double now = trend.valueAt(0);
    trend.monthlyGrowth = now > 0 ? trend.valueAt(kDaysPerMonth) / now - 1.0 : 0.0;
    trend.r2 = sst > 0 ? 1.0 - sseLin / sst : 1.0;
    trend.description = QStringLiteral("linear, %1 per day each month (%2/month now, R² %3)")
                            .arg(english().toString(b * kDaysPerMonth, 'f', 0))
                            .arg(percentText(trend.monthlyGrowth))
                            .arg(trend.r2, 0, 'f', 2);
    if (b * kDaysPerMonth >= 0)
        trend.description.replace(QStringLiteral("linear, "), QStringLiteral("linear, +"));
    return trend;
}

namespace {

// The smallest tier above `current` (by CPU cores) on which `replicas` worth of work fits
// within `maxReplicas`; else the largest tier above it. `needed` gets the replica count there.
const TierSpec *tierThatFits(const QList<TierSpec> &tiers, const QString &current, int replicas,
                             int maxReplicas, int *needed)
{
    const TierSpec *cur = nullptr;
    for (const TierSpec &t : tiers)
        cur = t.name == current ? &t : cur;
    if (!cur || cur->cpuCores <= 0)
        return nullptr;
    QVector<const TierSpec *> up;
    for (const TierSpec &t : tiers) {
        if (t.cpuCores > cur->cpuCores)
            up.append(&t);
    }
    std::sort(up.begin(), up.end(),
              [](const TierSpec *a, const TierSpec *b) { return a->cpuCores < b->cpuCores; });
    for (const TierSpec *t : up) {
        *needed = ceilCount(replicas * cur->cpuCores / t->cpuCores);
        if (*needed <= maxReplicas)
            return t;
    }
    if (up.isEmpty())
        return nullptr;
    *needed = ceilCount(replicas * cur->cpuCores / up.last()->cpuCores);
    return up.last();
}

PoolPlan planPool(const PlannerInput &in, const PoolHistory &h, const PlannerTuning &t)
{
    PoolPlan plan;
    plan.pool = h.pool;
    plan.tier = h.tier;
    plan.maxReplicas = h.maxReplicas;

    // One entry per day (duplicates merged), only days up to asOf within the fit window.
    QMap<QDate, DailyUsage> byDay;
    for (const DailyUsage &d : h.days) {
        if (!d.day.isValid() || d.day > in.asOf || d.day.daysTo(in.asOf) >= t.fitWindowDays)
            continue;
        auto it = byDay.find(d.day);
        if (it == byDay.end()) {
            byDay.insert(d.day, d);
            continue;
        }
        it->jobs += d.jobs;
        it->promptTokens += d.promptTokens;
        it->completionTokens += d.completionTokens;
        it->peakReplicas = std::max(it->peakReplicas, d.peakReplicas);
        it->peakCpuCores = std::max(it->peakCpuCores, d.peakCpuCores);
        it->peakMemoryMb = std::max(it->peakMemoryMb, d.peakMemoryMb);
    }
    plan.historyDays = int(byDay.size());
    if (plan.historyDays < t.minHistoryDays) {
        plan.note = QStringLiteral("%1 has %2 day(s) of history; projections need at least %3.")
                        .arg(h.pool)
                        .arg(plan.historyDays)
                        .arg(t.minHistoryDays);
        return plan;
    }
    plan.enoughHistory = true;

    QVector<double> x, jobs, tokens;
    for (auto it = byDay.cbegin(); it != byDay.cend(); ++it) {
        x.append(double(in.asOf.daysTo(it.key()))); // days after asOf (<= 0)
        jobs.append(it->jobs);
        tokens.append(it->promptTokens + it->completionTokens);
    }
    plan.jobs = fitTrend(x, jobs, t);
    plan.tokens = fitTrend(x, tokens, t);

    // Baseline: the peaks of the most recent week of data; the projection scales them by how
    // much demand grows.
    const QList<DailyUsage> all = byDay.values();
    const int from = std::max(0, int(all.size()) - t.baselineDays);
    int baseReplicas = 0;
    double baseCpu = 0, baseMem = 0, prompt = 0, total = 0;
    for (int i = from; i < all.size(); ++i) {
        baseReplicas = std::max(baseReplicas, all[i].peakReplicas);
        baseCpu = std::max(baseCpu, all[i].peakCpuCores);
        baseMem = std::max(baseMem, all[i].peakMemoryMb);
        prompt += all[i].promptTokens;
        total += all[i].promptTokens + all[i].completionTokens;
    }
    plan.promptShare = total > 0 ? prompt / total : 0;

    const double jobsNow = plan.jobs.valueAt(0), tokensNow = plan.tokens.valueAt(0);
    const auto project = [&](int months) {
        PoolProjection p;
        p.months = months;
        p.date = in.asOf.addMonths(months);
        const double days = double(in.asOf.daysTo(p.date));
        p.jobsPerDay = plan.jobs.valueAt(days);
        p.tokensPerDay = plan.tokens.valueAt(days);
        // Demand grows by the faster of jobs and tokens (a pool is sized for both).
        double ratio = 0;
        bool any = false;
        if (jobsNow > 0) {
            ratio = std::max(ratio, p.jobsPerDay / jobsNow);
            any = true;
        }
        if (tokensNow > 0) {
            ratio = std::max(ratio, p.tokensPerDay / tokensNow);
            any = true;
        }
        if (!any)
            ratio = 1.0;
        p.replicas = std::max(h.minReplicas, ceilCount(baseReplicas * ratio));
        p.cpuCores = baseCpu * ratio;
        // Memory is mostly per process: it follows the replica count.
        p.memoryMb = baseReplicas > 0 ? baseMem / baseReplicas * p.replicas : baseMem * ratio;
        p.aboveMax = p.replicas > h.maxReplicas;
        return p;
    };
    plan.current = project(0);
    for (int m : t.horizonsMonths)
        plan.projections.append(project(m));
    return plan;
}

FleetProjection fleetAt(const PlannerInput &in, const QVector<PoolPlan> &pools, int index,
                        const PlannerTuning &t)
{
    FleetProjection f;
    const PlannerPrices &prices = in.prices;
    for (const PoolPlan &p : pools) {
        if (!p.enoughHistory)
            continue;
        const PoolProjection &pp = index < 0 ? p.current : p.projections[index];
        f.months = pp.months;
        f.date = pp.date;
        f.jobsPerDay += pp.jobsPerDay;
        f.tokensPerDay += pp.tokensPerDay;
        f.replicas += pp.replicas;
        f.cpuCores += pp.cpuCores;
        f.memoryMb += pp.memoryMb;
        const double tokensPerMonth = pp.tokensPerDay * kDaysPerMonth;
        f.tokenCostPerMonth +=
            tokensPerMonth / 1000.0 *
            (p.promptShare * prices.promptPer1k + (1.0 - p.promptShare) * prices.completionPer1k);
    }
    const MachineSpec &m = prices.machine;
    const double u = std::clamp(t.machineUtilization, 0.05, 1.0);
    double machines = 0;
    if (m.cores > 0)
        machines = std::max(machines, f.cpuCores / (m.cores * u));
    if (m.memoryMb > 0)
        machines = std::max(machines, f.memoryMb / (m.memoryMb * u));
    f.machines = (f.cpuCores > 0 || f.memoryMb > 0) ? std::max(1, ceilCount(machines)) : 0;
    f.machineCostPerMonth = f.machines * m.monthlyPrice;
    f.totalCostPerMonth = f.tokenCostPerMonth + f.machineCostPerMonth;
    return f;
}

} // namespace

CapacityPlan planCapacity(const PlannerInput &in, const PlannerTuning &t)
{
    CapacityPlan plan;
    plan.asOf = in.asOf;
    int longest = 0;
    for (const PoolHistory &h : in.pools) {
        PoolPlan pp = planPool(in, h, t);
        longest = std::max(longest, pp.historyDays);
        if (pp.enoughHistory)
            plan.enoughHistory = true;
        else
            plan.excludedPools.append(pp.pool);
        plan.pools.append(pp);
    }
    if (!plan.enoughHistory) {
        plan.message = in.pools.isEmpty()
                           ? QStringLiteral("No history yet: projections need at least %1 days.")
                                 .arg(t.minHistoryDays)
                           : QStringLiteral("Not enough history to project: %1 day(s) so far, "
                                            "projections need at least %2.")
                                 .arg(longest)
                                 .arg(t.minHistoryDays);
        for (const PoolPlan &p : plan.pools)
            plan.recommendations.append(p.note);
        return plan;
    }

    plan.current = fleetAt(in, plan.pools, -1, t);
    for (int i = 0; i < t.horizonsMonths.size(); ++i)
        plan.fleet.append(fleetAt(in, plan.pools, i, t));

    // Pools that outgrow their max: the first horizon where they do.
    for (const PoolPlan &p : plan.pools) {
        if (!p.enoughHistory)
            continue;
        const auto over = std::find_if(p.projections.cbegin(), p.projections.cend(),
                                       [](const PoolProjection &pp) { return pp.aboveMax; });
        if (over != p.projections.cend()) {
            QString advice = QStringLiteral("raise max to %1").arg(over->replicas);
            int needed = 0;
            if (const TierSpec *up =
                    tierThatFits(in.tiers, p.tier, over->replicas, p.maxReplicas, &needed)) {
                advice +=
                    needed <= p.maxReplicas
                        ? QStringLiteral(" or move it to %1 (%2 replicas)")
                              .arg(up->name)
                              .arg(needed)
                        : QStringLiteral("; even on %1 it needs %2").arg(up->name).arg(needed);
            }
            plan.recommendations.append(
                QStringLiteral("At the current growth (%1) the %2 pool needs %3 replicas by %4: "
                               "above its max of %5; %6.")
                    .arg(p.jobs.monthlyGrowth >= p.tokens.monthlyGrowth ? p.jobs.description
                                                                        : p.tokens.description,
                         p.pool)
                    .arg(over->replicas)
                    .arg(monthYear(over->date))
                    .arg(p.maxReplicas)
                    .arg(advice));
            continue;
        }
        const PoolProjection &last = p.projections.isEmpty() ? p.current : p.projections.last();
        if (p.jobs.model == TrendModel::Flat && p.tokens.model == TrendModel::Flat) {
            plan.recommendations.append(
                QStringLiteral("The %1 pool is flat: %2 replica(s) suffice through %3.")
                    .arg(p.pool)
                    .arg(last.replicas)
                    .arg(monthYear(last.date)));
        } else if (last.replicas < p.current.replicas) {
            plan.recommendations.append(
                QStringLiteral("The %1 pool shrinks (%2): by %3 it needs %4 replica(s) instead of "
                               "%5; consider lowering its min.")
                    .arg(p.pool, p.jobs.description, monthYear(last.date))
                    .arg(last.replicas)
                    .arg(p.current.replicas));
        } else {
            plan.recommendations.append(
                QStringLiteral("The %1 pool grows (%2) and stays within its max of %3 (%4 "
                               "replica(s) by %5).")
                    .arg(p.pool, p.jobs.description)
                    .arg(p.maxReplicas)
                    .arg(last.replicas)
                    .arg(monthYear(last.date)));
        }
    }

    // The machine: the first horizon that needs more machines than today.
    const MachineSpec &m = in.prices.machine;
    for (const FleetProjection &f : plan.fleet) {
        if (f.machines > std::max(1, plan.current.machines)) {
            plan.recommendations.append(
                QStringLiteral("By %1 the fleet needs %2 CPU cores and %3 of memory: %4 x %5 "
                               "(%6 cores, %7 each, filled to %8 %); plan the extra machine(s) or "
                               "re-tier pools down.")
                    .arg(monthYear(f.date), QString::number(f.cpuCores, 'f', 1), gb(f.memoryMb))
                    .arg(f.machines)
                    .arg(m.name, QString::number(m.cores, 'g', 4), gb(m.memoryMb))
                    .arg(t.machineUtilization * 100.0, 0, 'f', 0));
            break;
        }
    }

    if (!plan.fleet.isEmpty()) {
        QStringList steps;
        for (const FleetProjection &f : plan.fleet)
            steps << QStringLiteral("%1 at %2 month(s)")
                         .arg(money(in.prices, f.totalCostPerMonth))
                         .arg(f.months);
        const FleetProjection &last = plan.fleet.last();
        plan.recommendations.append(
            QStringLiteral("Monthly cost: %1 now, %2 (at %3 months: GPT tokens %4, machines %5).")
                .arg(money(in.prices, plan.current.totalCostPerMonth),
                     steps.join(QStringLiteral(", ")))
                .arg(last.months)
                .arg(money(in.prices, last.tokenCostPerMonth),
                     money(in.prices, last.machineCostPerMonth)));
    }

    // Honesty about extrapolation: a long horizon on a short history is a guess.
    int shortest = std::numeric_limits<int>::max();
    bool exponential = false;
    for (const PoolPlan &p : plan.pools) {
        if (!p.enoughHistory)
            continue;
        shortest = std::min(shortest, p.historyDays);
        exponential = exponential || p.jobs.model == TrendModel::Exponential ||
                      p.tokens.model == TrendModel::Exponential;
    }
    if (!plan.fleet.isEmpty()) {
        const int horizonDays = int(in.asOf.daysTo(plan.fleet.last().date));
        if (horizonDays > t.extrapolationWarnFactor * shortest) {
            plan.recommendations.append(
                QStringLiteral(
                    "The %1-month figures extrapolate %2 days from %3 days of history%4: "
                    "treat them as rough and re-plan monthly.")
                    .arg(plan.fleet.last().months)
                    .arg(horizonDays)
                    .arg(shortest)
                    .arg(exponential ? QStringLiteral(" with exponential growth") : QString()));
        }
    }
    for (const PoolPlan &p : plan.pools) {
        if (!p.enoughHistory)
            plan.recommendations.append(p.note + QStringLiteral(" It is left out of the totals."));
    }

    if (!plan.fleet.isEmpty()) {
        const FleetProjection &last = plan.fleet.last();
        plan.message = QStringLiteral("In %1 months the fleet needs %2 replicas, %3 CPU cores and "
                                      "%4 of memory on %5 machine(s), about %6 a month.")
                           .arg(last.months)
                           .arg(last.replicas)
                           .arg(QString::number(last.cpuCores, 'f', 1), gb(last.memoryMb))
                           .arg(last.machines)
                           .arg(money(in.prices, last.totalCostPerMonth));
    }
    return plan;
}

} // namespace drover
