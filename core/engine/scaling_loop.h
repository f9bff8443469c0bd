// The autoscaling step of the engine tick: one core/scaling Autoscaler per pool, fed from the
// engine's series and the supervisor's status, with the operator's modes (manual override,
// pause) on top. It decides and says what to record; the engine applies the counts through the
// supervisor and writes the records to the store.
#pragma once

#include "core/config/config.h"
#include "core/scaling/autoscaler.h"
#include "pool_series.h"
#include "snapshot.h"

#include <QMap>
#include <optional>

namespace drover {

// The autoscaler's rule for a `policies:` entry (">", ">=" scale on above, "<", "<=" below).
ScalingRule scalingRuleFromPolicy(const PolicySpec &policy);
// The autoscaler's tuning for a pool: its `autoscale:` block, the `policies:` it selects (all of
// them by default; the seed rules when the file has none), its min and max.
AutoscalerSpec autoscalerSpecForPool(const PoolSpec &pool, const QList<PolicySpec> &policies);

// The autoscaler's view of one pool this tick: per-replica CPU as a share of the tier's cores and
// memory as a share of the tier's memory, the queue, the host. Missing readings stay NaN.
AutoscalerInput autoscalerInputFor(const PoolStatus &pool, const TierSpec *tier,
                                   const PoolAggregate &aggregate, const HostState &host,
                                   qint64 nowMs);

// The machine as the autoscaler's host cap sees it: free memory, logical cores, and the tier
// cores of every running replica of every pool.
HostState hostStateFor(const QVector<PoolStatus> &pools, const Config &config, double freeMemoryMb,
                       double logicalCores);

// "cpu 82 %, memory 40 %, queue 130, ready 3/4" for events and logs.
QString describeInputs(const AutoscalerInput &input);

class ScalingLoop
{
public:
    explicit ScalingLoop(const Config &config);

    // Configuration problems, one sentence each (a pool with an unusable spec is not autoscaled).
    QStringList problems() const { return m_problems; }

    // State restored from the store at start.
    void restore(const QString &pool, bool paused, std::optional<int> manualReplicas);

    // The operator set the count: the autoscaler holds it until handed back.
    bool setManual(const QString &pool, int replicas);
    // Paused pools are not decided at all; resuming a pause keeps a manual override.
    bool setPaused(const QString &pool, bool paused);
    // Hands the pool back to the autoscaler: no pause, no override.
    bool handBack(const QString &pool, qint64 nowMs);

    bool isPaused(const QString &pool) const;
    std::optional<int> manualReplicas(const QString &pool) const;

    // One decision per autoscaled, unpaused pool.
    QVector<ScalingRecord> decide(const QVector<PoolStatus> &pools, const SeriesBook &series,
                                  const HostState &host, qint64 nowMs);
    // Whether a decision goes to the store and the snapshot's history: a change, a different
    // driver or limit than the last recorded one, or `heartbeatMs` since it.
    bool shouldRecord(const ScalingRecord &record, qint64 nowMs, qint64 heartbeatMs = 10000);

    QVector<PoolAutoscaling> status(const QVector<PoolStatus> &pools) const;

private:
    struct PoolState
    {
        bool enabled = true;
        bool paused = false;
        Autoscaler autoscaler;
        qint64 lastRecordedMs = -1;
        QString lastDriver;
        LimitReason lastLimit = LimitReason::None;
        QString lastRefusal;
    };
    PoolState *state(const QString &pool);
    const PoolState *state(const QString &pool) const;

    Config m_config;
    QMap<QString, PoolState> m_pools;
    QStringList m_problems;
};

} // namespace drover
