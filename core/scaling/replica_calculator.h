// The HPA v2 replica formula for Drover's metrics, after Kubernetes' replica_calculator.go:
// desired = ceil(current * value / target) with a tolerance dead band, conservative handling of
// missing metrics and not-ready replicas, and a guard against flipping the scale direction.
// Pure functions: no clock, no I/O.
#pragma once

#include <QString>
#include <QVector>

namespace drover {

// HPA's per-direction tolerance: no change while 1 - scaleDown <= ratio <= 1 + scaleUp.
struct Tolerances
{
    double scaleUp = 0.1;
    double scaleDown = 0.1;
    bool isWithin(double ratio) const { return ratio >= 1.0 - scaleDown && ratio <= 1.0 + scaleUp; }
};

// One replica's reading of a per-replica metric. Not finite or negative (a counter reset seen as
// a negative rate) means missing: never "zero load".
struct ReplicaReading
{
    bool ready = true;
    double value = 0;
};

struct ReplicaProposal
{
    bool valid = false; // false: the metric could not be used (see note)
    int replicas = 0;   // the proposal (current replicas when within tolerance)
    double value = 0;   // the observed value (average per ready replica, total, or value)
    double ratio = 0;   // usage ratio before the missing/not-ready adjustment
    bool withinTolerance = false;
    QString note; // why, in words: "within tolerance", "2 missing counted at target", ...
};

// A true reading: finite and not negative.
bool isUsableReading(double value);

// Per-replica averages (cpu_percent, memory_percent of the tier; gpt_tokens_per_second):
// HPA's GetResourceReplicas / calcPlainMetricReplicas. Not-ready replicas are left out, and count
// as 0 when the ready ones ask for a scale-up; ready replicas without a reading count as 100 % of
// target on a scale-down and 0 on a scale-up. `readings` has one entry per replica that exists;
// fewer entries than `currentReplicas` count as not ready (still starting).
ReplicaProposal averageMetricReplicas(int currentReplicas, const QVector<ReplicaReading> &readings,
                                      double target, const Tolerances &tolerances);

// A pool total against a per-replica target (queue_depth): HPA's External AverageValue,
// desired = ceil(total / target) once the ratio total / (target * current) leaves the band.
ReplicaProposal totalMetricReplicas(int currentReplicas, double total, double targetPerReplica,
                                    const Tolerances &tolerances);

// One value for the pool against a target (job_latency_ms): HPA's Object Value,
// desired = ceil(ready * value / target).
ReplicaProposal valueMetricReplicas(int currentReplicas, int readyReplicas, double value,
                                    double target, const Tolerances &tolerances);

} // namespace drover
