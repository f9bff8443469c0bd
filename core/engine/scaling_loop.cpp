#include "scaling_loop.h"

#include <cmath>

namespace drover {

namespace {

QString percentText(double v)
{
    return std::isfinite(v) ? QString::number(v, 'f', 0) + QStringLiteral(" %")
                            : QStringLiteral("missing");
}

QString valueText(double v)
{
    return std::isfinite(v) ? QString::number(v, 'g', 4) : QStringLiteral("missing");
}

double average(const QVector<ReplicaSample> &replicas, double ReplicaSample::*field)
{
    double sum = 0;
    int n = 0;
    for (const ReplicaSample &r : replicas) {
        if (r.ready && std::isfinite(r.*field)) {
            sum += r.*field;
            ++n;
        }
    }
    return n ? sum / n : missingValue();
}

} // namespace

ScalingRule scalingRuleFromPolicy(const PolicySpec &policy)
{
    ScalingRule rule;
    rule.name = policy.name;
    rule.metric = policy.metric;
    // The autoscaler's rules are strict comparisons; on measured (continuous) values ">=" and
    // ">" differ only at the exact threshold.
    rule.op =
        policy.op.startsWith(QLatin1Char('<')) ? ScalingRule::Op::Below : ScalingRule::Op::Above;
    rule.threshold = policy.threshold;
    rule.forMs = policy.forMs;
    rule.change = policy.change;
    rule.cooldownMs = policy.cooldownMs;
    return rule;
}

// behavior.scale_up/scale_down from the file: given policies replace HPA's defaults for that
// direction; `select` alone keeps them.
static void applyRatePolicies(const QString &select, const QList<AutoscaleSpec::RatePolicy> &policies,
                              ScalingRules &rules)
{
    if (select == QLatin1String("min"))
        rules.select = SelectPolicy::Min;
    else if (select == QLatin1String("disabled"))
        rules.select = SelectPolicy::Disabled;
    else if (select == QLatin1String("max"))
        rules.select = SelectPolicy::Max;
    if (policies.isEmpty())
        return;
    rules.policies.clear();
    for (const AutoscaleSpec::RatePolicy &p : policies)
        rules.policies.append({p.percent ? ScalingPolicy::Type::Percent : ScalingPolicy::Type::Pods,
                               p.value, p.periodMs});
}

AutoscalerSpec autoscalerSpecForPool(const PoolSpec &pool, const QList<PolicySpec> &policies)
{
    AutoscalerSpec spec;
    spec.minReplicas = pool.minReplicas;
    spec.maxReplicas = pool.maxReplicas;
    const AutoscaleSpec &a = pool.autoscale;
    if (!policies.isEmpty() || a.policies) {
        spec.rules.clear();
        for (const PolicySpec &p : policies) {
            if (!a.policies || a.policies->contains(p.name))
                spec.rules.append(scalingRuleFromPolicy(p));
        }
    }
    for (const AutoscaleMetricSpec &m : a.metrics)
        spec.metrics.append({m.metric, m.target});
    if (a.scaleUpStabilizationMs >= 0)
        spec.behavior.scaleUp.stabilizationWindowMs = a.scaleUpStabilizationMs;
    if (a.scaleDownStabilizationMs >= 0)
        spec.behavior.scaleDown.stabilizationWindowMs = a.scaleDownStabilizationMs;
    if (a.tolerance >= 0) {
        spec.behavior.scaleUp.tolerance = a.tolerance;
        spec.behavior.scaleDown.tolerance = a.tolerance;
    }
    applyRatePolicies(a.scaleUpSelect, a.scaleUpPolicies, spec.behavior.scaleUp);
    applyRatePolicies(a.scaleDownSelect, a.scaleDownPolicies, spec.behavior.scaleDown);
    for (const AutoscaleSpec::Schedule &s : a.schedules)
        spec.schedules.append({s.name, s.start, s.end, s.timeZone, s.minReplicas});
    spec.scaleToZero.enabled = a.scaleToZero;
    spec.scaleToZero.activationMetric = a.activationMetric;
    spec.scaleToZero.activationThreshold = a.activationThreshold;
    spec.scaleToZero.idleCooldownMs = a.scaleToZeroCooldownMs;
    spec.fallback.enabled = a.fallback;
    spec.fallback.failureThreshold = a.fallbackFailures;
    spec.fallback.replicas = a.fallbackReplicas;
    return spec;
}

AutoscalerInput autoscalerInputFor(const PoolStatus &pool, const TierSpec *tier,
                                   const PoolAggregate &aggregate, const HostState &host,
                                   qint64 nowMs)
{
    AutoscalerInput in;
    in.nowMs = nowMs;
    in.currentReplicas = pool.desired;
    in.tierCpuCores = tier ? tier->cpuCores : 0.0;
    in.tierMemoryMb = tier ? double(tier->memoryMb) : 0.0;
    const double memoryBytes = in.tierMemoryMb * 1024.0 * 1024.0;
    for (const ReplicaStatus &r : pool.replicas) {
        // Replicas on their way out are not capacity any more.
        if (r.state == ReplicaState::Stopping || r.state == ReplicaState::Exited)
            continue;
        ReplicaSample s;
        s.ready = r.state == ReplicaState::Ready;
        if (r.cpuValid && in.tierCpuCores > 0)
            s.cpuPercent = r.cpuPercent / in.tierCpuCores;
        const quint64 bytes = r.privateBytes > 0 ? r.privateBytes : r.rssBytes;
        if (r.pid > 0 && bytes > 0 && memoryBytes > 0)
            s.memoryPercent = 100.0 * double(bytes) / memoryBytes;
        s.gptTokensPerSecond = aggregate.replicaTokensPerSecond.value(r.index, missingValue());
        in.replicas.append(s);
    }
    in.queueDepth = aggregate.value(PoolMetric::QueueDepth);
    // The gateway's view: more replicas of a GPT-bound pool only add 429s while the provider
    // throttles ("rate-limited, not capacity-limited").
    in.providerThrottling = aggregate.providerThrottled;
    in.gptBound = aggregate.gptBound;
    in.host = host;
    return in;
}

HostState hostStateFor(const QVector<PoolStatus> &pools, const Config &config, double freeMemoryMb,
                       double logicalCores)
{
    HostState host;
    host.freeMemoryMb = freeMemoryMb;
    host.totalCpuCores = logicalCores > 0 ? logicalCores : missingValue();
    for (const PoolStatus &p : pools) {
        const TierSpec *tier = config.tier(p.tier);
        if (tier)
            host.allocatedCpuCores += tier->cpuCores * p.running;
    }
    return host;
}

QString describeInputs(const AutoscalerInput &in)
{
    int ready = 0;
    for (const ReplicaSample &r : in.replicas)
        ready += r.ready ? 1 : 0;
    return QStringLiteral("cpu %1, memory %2, queue %3, ready %4/%5, host free %6 MB")
        .arg(percentText(average(in.replicas, &ReplicaSample::cpuPercent)),
             percentText(average(in.replicas, &ReplicaSample::memoryPercent)),
             valueText(in.queueDepth))
        .arg(ready)
        .arg(in.currentReplicas)
        .arg(valueText(in.host.freeMemoryMb));
}

ScalingLoop::ScalingLoop(const Config &config) : m_config(config)
{
    for (const PoolSpec &pool : config.pools) {
        PoolState st;
        st.enabled = pool.autoscale.enabled;
        const AutoscalerSpec spec = autoscalerSpecForPool(pool, config.policies);
        QStringList problems = validateAutoscalerSpec(spec);
        for (const ScalingRule &r : spec.rules) {
            if (!scalingMetricFromName(r.metric))
                problems << QStringLiteral("policy \"%1\": the autoscaler cannot measure \"%2\" "
                                           "(known: %3)")
                                .arg(r.name, r.metric,
                                     scalingMetricNames().join(QStringLiteral(", ")));
        }
        if (!problems.isEmpty() && st.enabled) {
            for (const QString &p : std::as_const(problems))
                m_problems << QStringLiteral("pool %1: %2 (not autoscaled)").arg(pool.name, p);
            st.enabled = false;
        }
        st.autoscaler = Autoscaler(spec);
        m_pools.insert(pool.name, st);
    }
}

ScalingLoop::PoolState *ScalingLoop::state(const QString &pool)
{
    const auto it = m_pools.find(pool);
    return it == m_pools.end() ? nullptr : &*it;
}

const ScalingLoop::PoolState *ScalingLoop::state(const QString &pool) const
{
    const auto it = m_pools.constFind(pool);
    return it == m_pools.cend() ? nullptr : &*it;
}

void ScalingLoop::restore(const QString &pool, bool paused, std::optional<int> manualReplicas)
{
    PoolState *st = state(pool);
    if (!st)
        return;
    st->paused = paused;
    if (manualReplicas)
        st->autoscaler.setManualOverride(*manualReplicas);
}

bool ScalingLoop::setManual(const QString &pool, int replicas)
{
    PoolState *st = state(pool);
    if (!st)
        return false;
    st->autoscaler.setManualOverride(replicas);
    return true;
}

bool ScalingLoop::setPaused(const QString &pool, bool paused)
{
    PoolState *st = state(pool);
    if (!st)
        return false;
    st->paused = paused;
    return true;
}

bool ScalingLoop::handBack(const QString &pool, qint64 nowMs)
{
    PoolState *st = state(pool);
    if (!st)
        return false;
    st->paused = false;
    st->autoscaler.clearManualOverride(nowMs);
    return true;
}

bool ScalingLoop::isPaused(const QString &pool) const
{
    const PoolState *st = state(pool);
    return st && st->paused;
}

std::optional<int> ScalingLoop::manualReplicas(const QString &pool) const
{
    const PoolState *st = state(pool);
    return st ? st->autoscaler.manualOverride() : std::nullopt;
}

QVector<ScalingRecord> ScalingLoop::decide(const QVector<PoolStatus> &pools,
                                           const SeriesBook &series, const HostState &host,
                                           qint64 nowMs)
{
    QVector<ScalingRecord> out;
    for (const PoolStatus &p : pools) {
        PoolState *st = state(p.name);
        if (!st || !st->enabled || st->paused)
            continue;
        // The supervisor's range is authoritative (it clamps restored counts to it).
        AutoscalerSpec spec = st->autoscaler.spec();
        if (spec.minReplicas != p.minReplicas || spec.maxReplicas != p.maxReplicas) {
            spec.minReplicas = p.minReplicas;
            spec.maxReplicas = p.maxReplicas;
            st->autoscaler.setSpec(spec);
        }
        ScalingRecord r;
        r.pool = p.name;
        r.decision = st->autoscaler.decide(
            autoscalerInputFor(p, m_config.tier(p.tier), series.latest(p.name), host, nowMs));
        out.append(r);
    }
    return out;
}

bool ScalingLoop::shouldRecord(const ScalingRecord &record, qint64 nowMs, qint64 heartbeatMs)
{
    PoolState *st = state(record.pool);
    if (!st)
        return false;
    const ScalingDecision &d = record.decision;
    // A change that was not applied (a pool in a crash loop refuses every scale) is recorded
    // like "no change": once, then at the heartbeat; otherwise it wrote an event every tick.
    const bool appliedChange = d.changed() && record.applied;
    const bool due = appliedChange || st->lastRecordedMs < 0 || d.driver != st->lastDriver ||
                     d.limit != st->lastLimit || record.refusal != st->lastRefusal ||
                     nowMs - st->lastRecordedMs >= heartbeatMs;
    if (due) {
        st->lastRecordedMs = nowMs;
        st->lastDriver = d.driver;
        st->lastLimit = d.limit;
        st->lastRefusal = record.refusal;
    }
    return due;
}

QVector<PoolAutoscaling> ScalingLoop::status(const QVector<PoolStatus> &pools) const
{
    QVector<PoolAutoscaling> out;
    for (const PoolStatus &p : pools) {
        const PoolState *st = state(p.name);
        if (!st)
            continue;
        PoolAutoscaling a;
        a.pool = p.name;
        a.minReplicas = p.minReplicas;
        a.maxReplicas = p.maxReplicas;
        const std::optional<int> manual = st->autoscaler.manualOverride();
        a.manualReplicas = manual.value_or(-1);
        a.mode = !st->enabled ? QStringLiteral("off")
                 : st->paused ? QStringLiteral("paused")
                 : manual     ? QStringLiteral("manual")
                              : QStringLiteral("auto");
        for (const ScalingRule &r : st->autoscaler.spec().rules)
            a.rules << r.name;
        for (const MetricTarget &t : st->autoscaler.spec().metrics)
            a.metrics << QStringLiteral("%1=%2").arg(t.metric).arg(t.target);
        out.append(a);
    }
    return out;
}

} // namespace drover
