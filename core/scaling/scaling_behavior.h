// HPA v2 `behavior`, after Kubernetes' horizontal.go: stabilization windows over recent
// recommendations and Pods/Percent rate policies over recent scale events, with selectPolicy.
// Time is passed in (milliseconds); the caller keeps the history.
#pragma once

#include "autoscaler_spec.h"

#include <QVector>

namespace drover {

struct Recommendation
{
    qint64 atMs = 0;
    int replicas = 0;
};

struct ScaleEvent
{
    qint64 atMs = 0;
    int from = 0;
    int to = 0;
};

// Stabilization: the scale-up side takes the lowest recommendation (including `desired`) newer
// than now - up window, the scale-down side the highest newer than now - down window; the
// current count is then moved only as far as both allow. Records `desired` in `history` and
// drops entries older than both windows. Returns the stabilized recommendation.
int stabilizeRecommendation(int currentReplicas, int desiredReplicas, qint64 nowMs,
                            const ScalingBehavior &behavior, QVector<Recommendation> *history);

// The most replicas the scale-up policies allow now: for each policy, the count at the start of
// its period (current - added + removed by events newer than now - period) plus Pods, or times
// (1 + Percent/100) rounded up; Max picks the largest, Min the smallest, Disabled returns
// `currentReplicas`.
int scaleUpLimit(int currentReplicas, const QVector<ScaleEvent> &events, const ScalingRules &rules,
                 qint64 nowMs);

// The fewest replicas the scale-down policies allow now (Percent rounds down the kept count, as
// HPA does); Max picks the policy allowing the biggest drop, Min the smallest.
int scaleDownLimit(int currentReplicas, const QVector<ScaleEvent> &events,
                   const ScalingRules &rules, qint64 nowMs);

// Drops events older than every policy period of `behavior`.
void pruneScaleEvents(QVector<ScaleEvent> *events, const ScalingBehavior &behavior, qint64 nowMs);

} // namespace drover
