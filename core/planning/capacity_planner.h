// The capacity planner: from stored daily history per pool (jobs, GPT tokens, peak replicas,
// peak CPU cores and memory) it fits a growth trend, projects what the fleet needs at 1, 3, 6
// and 12 months, prices it and says in plain words what to change.
//
// A pure function of history, tiers, prices and `asOf` (the planner never reads the clock).
// Too little history (fewer than minHistoryDays days) gives a plan that says so, never a
// made-up projection. The model and its limits: docs/capacity.md.
#pragma once

#include "core/config/config.h"

#include <QDate>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVector>

namespace drover {

struct DailyUsage
{
    QDate day;
    double jobs = 0;         // jobs completed that day
    double promptTokens = 0; // GPT tokens that day
    double completionTokens = 0;
    int peakReplicas = 0;
    double peakCpuCores = 0; // highest CPU use of the pool, in cores
    double peakMemoryMb = 0; // highest memory use of the pool (all replicas)
};

struct PoolHistory
{
    QString pool;
    QString tier; // current tier name (for "move it to premium")
    int minReplicas = 1;
    int maxReplicas = 1;
    QVector<DailyUsage> days; // any order; entries for the same day are merged
};

struct MachineSpec
{
    QString name = QStringLiteral("machine");
    double cores = 16;
    double memoryMb = 64 * 1024;
    double monthlyPrice = 0;
};

struct PlannerPrices
{
    QString currency = QStringLiteral("$");
    double promptPer1k = 0;     // per 1,000 prompt tokens
    double completionPer1k = 0; // per 1,000 completion tokens
    MachineSpec machine;        // what the fleet runs on, priced per month
};

struct PlannerTuning
{
    int minHistoryDays = 7;
    int fitWindowDays = 90; // fit only the most recent days
    QVector<int> horizonsMonths = {1, 3, 6, 12};
    int baselineDays = 7;               // peaks (replicas, CPU, memory) of the last week
    double exponentialMargin = 0.9;     // exponential must cut the linear error to this share
    double flatChangePerMonth = 0.05;   // a trend under 5 % of the mean per month is flat ...
    double flatMinTStat = 2.0;          // ... and so is a slope not significant at about 95 %
    double machineUtilization = 0.8;    // fill machines to this share of cores and memory
    double extrapolationWarnFactor = 4; // warn past this multiple of the history span
};

struct PlannerInput
{
    QDate asOf; // "today": projections start here
    QVector<PoolHistory> pools;
    QList<TierSpec> tiers;
    PlannerPrices prices;
};

enum class TrendModel
{
    Exponential,
    Linear,
    Flat
};
QString trendModelName(TrendModel m); // "exponential", "linear", "flat"

struct Trend
{
    TrendModel model = TrendModel::Flat;
    // Exponential: value(x) = exp(intercept + slope x); linear: intercept + slope x;
    // flat: intercept. x = days after asOf (history is at x <= 0).
    double intercept = 0;
    double slope = 0;
    double monthlyGrowth = 0; // relative change over one month at asOf (0.12: +12 %/month)
    double r2 = 0;            // of the chosen model, in the original units
    QString description;      // "exponential, +12 %/month (R² 0.98)"

    double valueAt(double daysAfterAsOf) const;
};

struct PoolProjection
{
    int months = 0;
    QDate date;
    double jobsPerDay = 0;
    double tokensPerDay = 0;
    int replicas = 0;
    double cpuCores = 0;
    double memoryMb = 0;
    bool aboveMax = false; // replicas above the pool's max
};

struct PoolPlan
{
    QString pool;
    QString tier;
    int maxReplicas = 1;
    int historyDays = 0;
    bool enoughHistory = false;
    QString note; // why there is no projection, when there is none
    Trend jobs;
    Trend tokens;
    double promptShare = 0; // of tokens, from the recent history (for pricing)
    PoolProjection current; // months = 0: today's fitted level and the last week's peaks
    QVector<PoolProjection> projections; // one per horizon
};

struct FleetProjection
{
    int months = 0;
    QDate date;
    double jobsPerDay = 0;
    double tokensPerDay = 0;
    int replicas = 0;
    double cpuCores = 0;
    double memoryMb = 0;
    int machines = 0;
    double tokenCostPerMonth = 0;
    double machineCostPerMonth = 0;
    double totalCostPerMonth = 0;
};

struct CapacityPlan
{
    QDate asOf;
    bool enoughHistory = false; // at least one pool could be projected
    QString message;            // a one-line verdict (or why there is no projection)
    QVector<PoolPlan> pools;
    QStringList excludedPools;      // too little history: not in the fleet totals
    FleetProjection current;        // months = 0
    QVector<FleetProjection> fleet; // one per horizon (the seed's projection table)
    QStringList recommendations;
};

// Fits one series (x: days after asOf, <= 0; y: values). Least squares on ln y for exponential
// growth (all y > 0), least squares on y for linear; flat when the slope is small or not
// significant. Exposed for tests and for the autoscaler's predictive scale-out.
Trend fitTrend(const QVector<double> &x, const QVector<double> &y,
               const PlannerTuning &tuning = {});

CapacityPlan planCapacity(const PlannerInput &input, const PlannerTuning &tuning = {});

} // namespace drover
