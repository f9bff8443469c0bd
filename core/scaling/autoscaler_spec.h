// The autoscaler's tuning for one pool: a plain value with every default in one place, and a
// validator that explains what is wrong in words an operator can act on. The YAML loader fills
// an AutoscalerSpec and calls validateAutoscalerSpec(); nothing here reads files or clocks.
#pragma once

#include <QString>
#include <QStringList>
#include <QVector>
#include <QtGlobal>
#include <optional>

namespace drover {

// The metrics the autoscaler understands, by their YAML names:
//   cpu_percent            per replica, % of the tier's CPU (the HPA "request")
//   memory_percent         per replica, % of the tier's memory
//   queue_depth            the pool's jobs waiting (Drover's queue + what agents report);
//                          as a target: jobs per replica (HPA External AverageValue);
//                          in a rule: the pool total (the seed rule "queue > 100")
//   gpt_tokens_per_second  per replica (HPA Pods AverageValue)
//   job_latency_ms         one value for the pool, e.g. p95 (HPA Object Value)
enum class ScalingMetric
{
    CpuPercent,
    MemoryPercent,
    QueueDepth,
    GptTokensPerSecond,
    JobLatencyMs
};

QString scalingMetricName(ScalingMetric metric);
std::optional<ScalingMetric> scalingMetricFromName(const QString &name);
QStringList scalingMetricNames();

// One HPA target. The proposal for it is ceil(current * value / target) (with the per-kind
// variations HPA has); the largest proposal across targets wins.
struct MetricTarget
{
    QString metric; // a name from scalingMetricNames()
    double target = 0;
};

// HPA v2 HPAScalingPolicy: at most `value` pods, or `value` % of the replicas at the start of
// the period, may be added (or removed) within any `periodMs`.
struct ScalingPolicy
{
    enum class Type
    {
        Pods,
        Percent
    };
    Type type = Type::Pods;
    int value = 0;
    qint64 periodMs = 15000;
};

// HPA v2 selectPolicy: Max takes the policy allowing the biggest change, Min the smallest,
// Disabled turns the direction off.
enum class SelectPolicy
{
    Max,
    Min,
    Disabled
};

// HPA v2 HPAScalingRules for one direction, including the per-direction tolerance.
struct ScalingRules
{
    qint64 stabilizationWindowMs = 0;
    SelectPolicy select = SelectPolicy::Max;
    QVector<ScalingPolicy> policies;
    double tolerance = 0.1; // no change while |ratio - 1| is within this on this side
};

// HPA's defaults: scale up at most max(100 %, 4 pods) per 15 s with no stabilization; scale
// down up to 100 % per 15 s after a 300 s stabilization window.
ScalingRules defaultScaleUpRules();
ScalingRules defaultScaleDownRules();

struct ScalingBehavior
{
    ScalingRules scaleUp = defaultScaleUpRules();
    ScalingRules scaleDown = defaultScaleDownRules();
};

// A threshold rule of the seed policy set: when `metric op threshold` held for every sample
// over `forMs`, change the replica count by `change`, unless a scale in that direction happened
// less than `cooldownMs` ago (scale-in rules: a scale in either direction). A rule that fired
// has spent its evidence: it needs a fresh `for` before it fires again, so an emergency rule
// without cooldown adds at most `change` per `for`, not per tick.
struct ScalingRule
{
    enum class Op
    {
        Above,
        Below
    };
    QString name;
    QString metric;
    Op op = Op::Above;
    double threshold = 0;
    qint64 forMs = 0;
    int change = 0;
    qint64 cooldownMs = 0;
};

// The seed rules: +1 at CPU > 70 % for 2 min, +3 at > 85 % for 1 min, +5 at queue > 100 for
// 2 min (cooldown 60 s); -1 at CPU < 30 % for 10 min, -2 at < 20 % for 15 min (cooldown 300 s);
// emergency +5 at CPU > 95 % for 30 s without cooldown.
QVector<ScalingRule> seedScalingRules();

// A scheduled minimum, KEDA cron-scaler style: active from each `start` occurrence until the
// next `end` occurrence, both five-field cron expressions (minute hour day-of-month month
// day-of-week) read in `timeZone` (IANA id), so "0 8 * * 1-5" is 08:00 local time on both sides
// of a daylight saving change.
struct ScheduleWindow
{
    QString name;
    QString start;
    QString end;
    QString timeZone = QStringLiteral("UTC");
    int minReplicas = 1;
};

// KEDA-style scale to zero: with nothing to do (activation metric <= threshold) for
// `idleCooldownMs` the pool goes to 0; at 0 it wakes to max(1, minReplicas) as soon as the
// activation metric exceeds the threshold. Only queue_depth is observable without replicas.
struct ScaleToZeroSpec
{
    bool enabled = false;
    QString activationMetric = QStringLiteral("queue_depth");
    double activationThreshold = 0;
    qint64 idleCooldownMs = 300000;
};

// KEDA-style fallback: after `failureThreshold` consecutive decisions without any usable metric,
// run `replicas` (within min/max) until metrics return.
struct FallbackSpec
{
    bool enabled = false;
    int failureThreshold = 3;
    int replicas = 1;
};

// Predictive scale-out: Holt's linear trend over the pool's total load of `metric` (per replica
// value x ready replicas, or the queue total), in buckets of `stepMs`. When the load forecast
// `horizonMs` ahead needs more replicas at `threshold` per replica than run now, the floor is
// raised ahead of the breach. A forecast never scales in. Off by default: it acts ahead of
// evidence, so a pool opts in.
struct ForecastSpec
{
    bool enabled = false;
    QString metric = QStringLiteral("cpu_percent");
    double threshold = 70;
    qint64 horizonMs = 300000;
    qint64 stepMs = 30000;
    qint64 minHistoryMs = 600000; // no forecast before this much continuous history
    double alpha = 0.5;           // level smoothing
    double beta = 0.3;            // trend smoothing
};

// What must stay free on the machine before a replica is added.
struct HostFitSpec
{
    double memoryReserveMb = 512; // never plan into the last 512 MB
    double cpuOvercommit = 1.0;   // tier cores may add up to total cores x this
};

struct AutoscalerSpec
{
    int minReplicas = 1;
    int maxReplicas = 10;
    QVector<MetricTarget> metrics; // the HPA path; empty: the rules alone decide
    QVector<ScalingRule> rules = seedScalingRules();
    ScalingBehavior behavior;
    QVector<ScheduleWindow> schedules;
    ScaleToZeroSpec scaleToZero;
    FallbackSpec fallback;
    ForecastSpec forecast;
    HostFitSpec host;
    // A rule's "for" needs continuous evidence: a gap between samples longer than this starts
    // it over.
    qint64 maxSampleGapMs = 30000;
};

// Every problem in `spec`, one sentence each; empty when the spec is usable.
QStringList validateAutoscalerSpec(const AutoscalerSpec &spec);

} // namespace drover
