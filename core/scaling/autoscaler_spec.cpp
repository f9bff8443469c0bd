#include "autoscaler_spec.h"

#include "scale_schedule.h"

#include <cmath>

namespace drover {

namespace {

struct MetricNameEntry
{
    ScalingMetric metric;
    const char *name;
};

const MetricNameEntry kMetricNames[] = {
    {ScalingMetric::CpuPercent, "cpu_percent"},
    {ScalingMetric::MemoryPercent, "memory_percent"},
    {ScalingMetric::QueueDepth, "queue_depth"},
    {ScalingMetric::GptTokensPerSecond, "gpt_tokens_per_second"},
    {ScalingMetric::JobLatencyMs, "job_latency_ms"},
};

constexpr qint64 kSecond = 1000;
constexpr qint64 kMinute = 60 * kSecond;

} // namespace

QString scalingMetricName(ScalingMetric metric)
{
    for (const MetricNameEntry &e : kMetricNames) {
        if (e.metric == metric)
            return QLatin1String(e.name);
    }
    return {};
}

std::optional<ScalingMetric> scalingMetricFromName(const QString &name)
{
    for (const MetricNameEntry &e : kMetricNames) {
        if (name == QLatin1String(e.name))
            return e.metric;
    }
    return std::nullopt;
}

QStringList scalingMetricNames()
{
    QStringList names;
    for (const MetricNameEntry &e : kMetricNames)
        names << QLatin1String(e.name);
    return names;
}

ScalingRules defaultScaleUpRules()
{
    ScalingRules r;
    r.stabilizationWindowMs = 0;
    r.select = SelectPolicy::Max;
    r.policies = {{ScalingPolicy::Type::Percent, 100, 15 * kSecond},
                  {ScalingPolicy::Type::Pods, 4, 15 * kSecond}};
    return r;
}

ScalingRules defaultScaleDownRules()
{
    ScalingRules r;
    r.stabilizationWindowMs = 300 * kSecond;
    r.select = SelectPolicy::Max;
    r.policies = {{ScalingPolicy::Type::Percent, 100, 15 * kSecond}};
    return r;
}

QVector<ScalingRule> seedScalingRules()
{
    using Op = ScalingRule::Op;
    const QString cpu = QStringLiteral("cpu_percent");
    const QString queue = QStringLiteral("queue_depth");
    return {
        {QStringLiteral("scale-out"), cpu, Op::Above, 70, 2 * kMinute, 1, 60 * kSecond},
        {QStringLiteral("scale-out-fast"), cpu, Op::Above, 85, 1 * kMinute, 3, 60 * kSecond},
        {QStringLiteral("scale-out-max"), queue, Op::Above, 100, 2 * kMinute, 5, 60 * kSecond},
        {QStringLiteral("scale-in"), cpu, Op::Below, 30, 10 * kMinute, -1, 300 * kSecond},
        {QStringLiteral("scale-in-safe"), cpu, Op::Below, 20, 15 * kMinute, -2, 300 * kSecond},
        {QStringLiteral("emergency"), cpu, Op::Above, 95, 30 * kSecond, 5, 0},
    };
}

namespace {

void checkRules(const ScalingRules &rules, const QString &direction, QStringList *problems)
{
    const auto add = [&](const QString &text) {
        *problems << QStringLiteral("behavior.%1: %2").arg(direction, text);
    };
    if (rules.stabilizationWindowMs < 0 || rules.stabilizationWindowMs > 3600 * kSecond)
        add(QStringLiteral("the stabilization window must be between 0 and 3600 s"));
    if (!std::isfinite(rules.tolerance) || rules.tolerance < 0 || rules.tolerance >= 1)
        add(QStringLiteral("the tolerance must be at least 0 and below 1 (0.1 is 10 %)"));
    if (rules.select != SelectPolicy::Disabled && rules.policies.isEmpty())
        add(QStringLiteral("needs at least one policy, or select_policy Disabled"));
    const bool down = direction == QLatin1String("scale_down");
    for (const ScalingPolicy &p : rules.policies) {
        const bool percent = p.type == ScalingPolicy::Type::Percent;
        if (p.value <= 0)
            add(QStringLiteral("a %1 policy needs a value above 0")
                    .arg(percent ? QStringLiteral("Percent") : QStringLiteral("Pods")));
        // Removing more than all replicas makes no sense; growing by more than 100 % per period
        // does (HPA's own examples use 900 %), so only scale-down is capped.
        if (percent && down && p.value > 100)
            add(QStringLiteral("a Percent policy cannot remove more than 100 % (got %1 %)")
                    .arg(p.value));
        if (p.periodMs <= 0 || p.periodMs > 1800 * kSecond)
            add(QStringLiteral("a policy period must be between 1 and 1800 s"));
    }
}

} // namespace

QStringList validateAutoscalerSpec(const AutoscalerSpec &spec)
{
    QStringList problems;
    if (spec.minReplicas < 0)
        problems
            << QStringLiteral("min_replicas must not be negative (got %1)").arg(spec.minReplicas);
    if (spec.maxReplicas < 1)
        problems
            << QStringLiteral("max_replicas must be at least 1 (got %1)").arg(spec.maxReplicas);
    if (spec.minReplicas > spec.maxReplicas)
        problems << QStringLiteral("min_replicas (%1) is greater than max_replicas (%2)")
                        .arg(spec.minReplicas)
                        .arg(spec.maxReplicas);
    if (spec.minReplicas == 0 && !spec.scaleToZero.enabled)
        problems << QStringLiteral("min_replicas 0 needs scale_to_zero (with an activation "
                                   "threshold); otherwise use 1");

    const QString known = scalingMetricNames().join(QStringLiteral(", "));
    for (const MetricTarget &t : spec.metrics) {
        if (!scalingMetricFromName(t.metric))
            problems << QStringLiteral("unknown metric \"%1\" (known: %2)").arg(t.metric, known);
        if (!std::isfinite(t.target) || t.target <= 0)
            problems << QStringLiteral("metric \"%1\": the target must be above 0 (got %2)")
                            .arg(t.metric)
                            .arg(t.target);
    }
    for (int i = 0; i < spec.metrics.size(); ++i) {
        for (int j = i + 1; j < spec.metrics.size(); ++j) {
            if (spec.metrics[i].metric == spec.metrics[j].metric)
                problems << QStringLiteral("metric \"%1\" has more than one target")
                                .arg(spec.metrics[i].metric);
        }
    }

    for (const ScalingRule &r : spec.rules) {
        const QString who =
            r.name.isEmpty() ? QStringLiteral("a rule") : QStringLiteral("rule \"%1\"").arg(r.name);
        if (!scalingMetricFromName(r.metric))
            problems << QStringLiteral("%1: unknown metric \"%2\" (known: %3)")
                            .arg(who, r.metric, known);
        if (!std::isfinite(r.threshold) || r.threshold < 0)
            problems << QStringLiteral("%1: the threshold must not be negative").arg(who);
        if (r.change == 0)
            problems
                << QStringLiteral("%1: change must be +N (scale out) or -N (scale in)").arg(who);
        if (r.forMs < 0)
            problems << QStringLiteral("%1: \"for\" must not be negative").arg(who);
        if (r.cooldownMs < 0)
            problems << QStringLiteral("%1: the cooldown must not be negative").arg(who);
    }

    checkRules(spec.behavior.scaleUp, QStringLiteral("scale_up"), &problems);
    checkRules(spec.behavior.scaleDown, QStringLiteral("scale_down"), &problems);

    for (const ScheduleWindow &w : spec.schedules) {
        problems << scheduleWindowProblems(w);
        if (w.minReplicas > spec.maxReplicas)
            problems << QStringLiteral("schedule \"%1\": min_replicas %2 is above max_replicas %3")
                            .arg(w.name)
                            .arg(w.minReplicas)
                            .arg(spec.maxReplicas);
    }

    if (spec.scaleToZero.enabled) {
        const auto m = scalingMetricFromName(spec.scaleToZero.activationMetric);
        if (m != ScalingMetric::QueueDepth)
            problems << QStringLiteral("scale_to_zero: the activation metric must be queue_depth "
                                       "(the only one observable without replicas), got \"%1\"")
                            .arg(spec.scaleToZero.activationMetric);
        if (!std::isfinite(spec.scaleToZero.activationThreshold) ||
            spec.scaleToZero.activationThreshold < 0)
            problems << QStringLiteral("scale_to_zero: the activation threshold must not be "
                                       "negative");
        if (spec.scaleToZero.idleCooldownMs < 0)
            problems << QStringLiteral("scale_to_zero: the cooldown must not be negative");
    }

    if (spec.fallback.enabled) {
        if (spec.fallback.failureThreshold < 1)
            problems << QStringLiteral("fallback: failure_threshold must be at least 1");
        if (spec.fallback.replicas < 0)
            problems << QStringLiteral("fallback: replicas must not be negative");
    }

    if (spec.forecast.enabled) {
        const auto m = scalingMetricFromName(spec.forecast.metric);
        if (!m)
            problems << QStringLiteral("forecast: unknown metric \"%1\" (known: %2)")
                            .arg(spec.forecast.metric, known);
        else if (*m == ScalingMetric::JobLatencyMs)
            problems << QStringLiteral("forecast: job_latency_ms does not add up across replicas; "
                                       "forecast a load metric instead");
        if (!std::isfinite(spec.forecast.threshold) || spec.forecast.threshold <= 0)
            problems << QStringLiteral("forecast: the threshold must be above 0");
        if (spec.forecast.horizonMs <= 0 || spec.forecast.stepMs <= 0 ||
            spec.forecast.minHistoryMs < 0)
            problems << QStringLiteral("forecast: horizon and step must be above 0, the minimum "
                                       "history not negative");
        if (!(spec.forecast.alpha > 0 && spec.forecast.alpha <= 1) ||
            !(spec.forecast.beta > 0 && spec.forecast.beta <= 1))
            problems << QStringLiteral("forecast: alpha and beta must be in (0, 1]");
    }
    if (!(spec.host.cpuOvercommit > 0) || !(spec.host.memoryReserveMb >= 0))
        problems << QStringLiteral("host: the CPU overcommit must be above 0 and the memory "
                                   "reserve not negative");
    if (spec.maxSampleGapMs <= 0)
        problems << QStringLiteral("max_sample_gap must be above 0");
    return problems;
}

} // namespace drover
