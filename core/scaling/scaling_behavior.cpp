#include "scaling_behavior.h"

#include <algorithm>
#include <climits>
#include <cmath>

namespace drover {

int stabilizeRecommendation(int currentReplicas, int desiredReplicas, qint64 nowMs,
                            const ScalingBehavior &behavior, QVector<Recommendation> *history)
{
    const qint64 upCutoff = nowMs - behavior.scaleUp.stabilizationWindowMs;
    const qint64 downCutoff = nowMs - behavior.scaleDown.stabilizationWindowMs;
    int upRecommendation = desiredReplicas;
    int downRecommendation = desiredReplicas;
    for (const Recommendation &r : std::as_const(*history)) {
        // Strictly newer than the cutoff, as HPA's timestamp.After(cutoff).
        if (r.atMs > upCutoff)
            upRecommendation = std::min(upRecommendation, r.replicas);
        if (r.atMs > downCutoff)
            downRecommendation = std::max(downRecommendation, r.replicas);
    }
    int recommendation = currentReplicas;
    if (recommendation < upRecommendation)
        recommendation = upRecommendation;
    if (recommendation > downRecommendation)
        recommendation = downRecommendation;

    const qint64 oldest = std::min(upCutoff, downCutoff);
    history->erase(std::remove_if(history->begin(), history->end(),
                                  [oldest](const Recommendation &r) { return r.atMs <= oldest; }),
                   history->end());
    history->append({nowMs, desiredReplicas});
    return recommendation;
}

namespace {

struct PeriodChange
{
    int added = 0;
    int removed = 0;
};

PeriodChange changeWithin(const QVector<ScaleEvent> &events, qint64 periodMs, qint64 nowMs)
{
    PeriodChange c;
    const qint64 cutoff = nowMs - periodMs;
    for (const ScaleEvent &e : events) {
        if (e.atMs <= cutoff)
            continue;
        if (e.to > e.from)
            c.added += e.to - e.from;
        else
            c.removed += e.from - e.to;
    }
    return c;
}

} // namespace

int scaleUpLimit(int currentReplicas, const QVector<ScaleEvent> &events, const ScalingRules &rules,
                 qint64 nowMs)
{
    if (rules.select == SelectPolicy::Disabled || rules.policies.isEmpty())
        return currentReplicas;
    const bool pickMin = rules.select == SelectPolicy::Min;
    long long result = pickMin ? LLONG_MAX : LLONG_MIN;
    for (const ScalingPolicy &policy : rules.policies) {
        const PeriodChange c = changeWithin(events, policy.periodMs, nowMs);
        const long long periodStart = currentReplicas - c.added + c.removed;
        long long proposed = periodStart;
        if (policy.type == ScalingPolicy::Type::Pods)
            proposed = periodStart + policy.value;
        else // rounded up, or a small pool at a low percentage could never grow
            proposed = (long long)std::ceil(double(periodStart) * (1.0 + policy.value / 100.0));
        result = pickMin ? std::min(result, proposed) : std::max(result, proposed);
    }
    return int(std::clamp<long long>(result, 0, INT_MAX));
}

int scaleDownLimit(int currentReplicas, const QVector<ScaleEvent> &events,
                   const ScalingRules &rules, qint64 nowMs)
{
    if (rules.select == SelectPolicy::Disabled || rules.policies.isEmpty())
        return currentReplicas;
    // For scale-down the policy allowing the biggest change produces the smallest count.
    const bool pickMinChange = rules.select == SelectPolicy::Min;
    long long result = pickMinChange ? LLONG_MIN : LLONG_MAX;
    for (const ScalingPolicy &policy : rules.policies) {
        const PeriodChange c = changeWithin(events, policy.periodMs, nowMs);
        const long long periodStart = currentReplicas - c.added + c.removed;
        long long proposed = periodStart;
        if (policy.type == ScalingPolicy::Type::Pods)
            proposed = periodStart - policy.value;
        else
            proposed = (long long)(double(periodStart) * (1.0 - policy.value / 100.0));
        result = pickMinChange ? std::max(result, proposed) : std::min(result, proposed);
    }
    return int(std::clamp<long long>(result, 0, INT_MAX));
}

void pruneScaleEvents(QVector<ScaleEvent> *events, const ScalingBehavior &behavior, qint64 nowMs)
{
    qint64 longest = 0;
    for (const ScalingPolicy &p : behavior.scaleUp.policies)
        longest = std::max(longest, p.periodMs);
    for (const ScalingPolicy &p : behavior.scaleDown.policies)
        longest = std::max(longest, p.periodMs);
    const qint64 cutoff = nowMs - longest;
    events->erase(std::remove_if(events->begin(), events->end(),
                                 [cutoff](const ScaleEvent &e) { return e.atMs <= cutoff; }),
                  events->end());
}

} // namespace drover
