#include "replica_calculator.h"

#include <QStringList>
#include <cmath>

namespace drover {

bool isUsableReading(double value)
{
    return std::isfinite(value) && value >= 0;
}

namespace {

int ceilToInt(double x)
{
    // A ratio of 2.0000000001 from floating point noise must not add a replica.
    const double rounded = std::ceil(x - 1e-9);
    return rounded > 1e9 ? 1000000000 : int(rounded);
}

} // namespace

ReplicaProposal averageMetricReplicas(int currentReplicas, const QVector<ReplicaReading> &readings,
                                      double target, const Tolerances &tolerances)
{
    ReplicaProposal p;
    if (!(target > 0)) {
        p.note = QStringLiteral("no usable target");
        return p;
    }
    double sum = 0;
    int withValue = 0; // ready replicas with a reading
    int missing = 0;   // ready replicas without one
    int notReady = qMax(0, currentReplicas - int(readings.size()));
    for (const ReplicaReading &r : readings) {
        if (!r.ready)
            ++notReady;
        else if (isUsableReading(r.value)) {
            sum += r.value;
            ++withValue;
        } else
            ++missing;
    }
    if (withValue == 0) {
        // HPA: "did not receive metrics for any ready pods" - no decision from this metric.
        p.note = QStringLiteral("no reading from any ready replica");
        return p;
    }
    p.valid = true;
    p.value = sum / withValue;
    p.ratio = p.value / target;

    const bool rebalanceNotReady = notReady > 0 && p.ratio > 1.0;
    if (!rebalanceNotReady && missing == 0) {
        if (tolerances.isWithin(p.ratio)) {
            p.withinTolerance = true;
            p.replicas = currentReplicas;
            p.note = QStringLiteral("within tolerance");
            return p;
        }
        p.replicas = ceilToInt(p.ratio * withValue);
        return p;
    }

    // Conservative re-run: missing replicas at 100 % of target when heading down, at 0 when
    // heading up; not-ready replicas at 0 when heading up (they will take load once ready).
    double adjustedSum = sum;
    int counted = withValue;
    QStringList notes;
    if (missing > 0) {
        if (p.ratio < 1.0) {
            adjustedSum += missing * target;
            notes << QStringLiteral("%1 without reading counted at target").arg(missing);
        } else {
            notes << QStringLiteral("%1 without reading counted as idle").arg(missing);
        }
        counted += missing;
    }
    if (rebalanceNotReady) {
        counted += notReady;
        notes << QStringLiteral("%1 not ready counted as idle").arg(notReady);
    }
    const double newRatio = adjustedSum / counted / target;
    p.note = notes.join(QStringLiteral(", "));
    if (tolerances.isWithin(newRatio) || (p.ratio < 1.0 && newRatio > 1.0) ||
        (p.ratio > 1.0 && newRatio < 1.0)) {
        // Too small a change, or the adjustment flips the direction: keep what runs.
        p.withinTolerance = tolerances.isWithin(newRatio);
        p.replicas = currentReplicas;
        p.note += QStringLiteral("; no change after the adjustment");
        return p;
    }
    const int proposal = ceilToInt(newRatio * counted);
    if ((newRatio < 1.0 && proposal > currentReplicas) ||
        (newRatio > 1.0 && proposal < currentReplicas)) {
        // Counting differently must not turn a scale-down into a scale-up or the reverse.
        p.replicas = currentReplicas;
        p.note += QStringLiteral("; no change, the count would flip direction");
        return p;
    }
    p.replicas = proposal;
    return p;
}

ReplicaProposal totalMetricReplicas(int currentReplicas, double total, double targetPerReplica,
                                    const Tolerances &tolerances)
{
    ReplicaProposal p;
    if (!(targetPerReplica > 0)) {
        p.note = QStringLiteral("no usable target");
        return p;
    }
    if (!isUsableReading(total)) {
        p.note = QStringLiteral("no reading");
        return p;
    }
    p.valid = true;
    p.value = total;
    if (currentReplicas <= 0) {
        p.ratio = total / targetPerReplica;
        p.replicas = ceilToInt(p.ratio);
        return p;
    }
    p.ratio = total / (targetPerReplica * currentReplicas);
    if (tolerances.isWithin(p.ratio)) {
        p.withinTolerance = true;
        p.replicas = currentReplicas;
        p.note = QStringLiteral("within tolerance");
        return p;
    }
    p.replicas = ceilToInt(total / targetPerReplica);
    return p;
}

ReplicaProposal valueMetricReplicas(int currentReplicas, int readyReplicas, double value,
                                    double target, const Tolerances &tolerances)
{
    ReplicaProposal p;
    if (!(target > 0)) {
        p.note = QStringLiteral("no usable target");
        return p;
    }
    if (!isUsableReading(value)) {
        p.note = QStringLiteral("no reading");
        return p;
    }
    p.valid = true;
    p.value = value;
    p.ratio = value / target;
    if (currentReplicas <= 0) {
        p.replicas = ceilToInt(p.ratio);
        return p;
    }
    if (tolerances.isWithin(p.ratio)) {
        p.withinTolerance = true;
        p.replicas = currentReplicas;
        p.note = QStringLiteral("within tolerance");
        return p;
    }
    if (readyReplicas <= 0) {
        // Nothing ready to measure against: no scale-down on a pool that is still starting.
        p.replicas = currentReplicas;
        p.note = QStringLiteral("no ready replica");
        return p;
    }
    p.replicas = ceilToInt(p.ratio * readyReplicas);
    return p;
}

} // namespace drover
