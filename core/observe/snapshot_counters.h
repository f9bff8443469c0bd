// Counters and histograms for /metrics that a single snapshot cannot give: a snapshot holds
// the present (replica totals that reset when a replica restarts, the last decisions, the last
// tick's duration), Prometheus wants monotonic counters and a histogram of every tick. This
// accumulates them from the stream of snapshots, in the order the engine published them.
//
// Plain C++ with no clock and no I/O: tests feed it hand-made snapshots.
#pragma once

#include "core/engine/snapshot.h"
#include "exposition.h"

#include <QHash>
#include <QMap>
#include <QString>

#include <tuple>

namespace drover {

struct ScalingDecisionKey
{
    QString pool;
    QString direction; // up, down, none
    QString reason;    // the winning driver: rule:<name>, metric:<name>, manual, forecast, ...
    bool operator<(const ScalingDecisionKey &o) const
    {
        return std::tie(pool, direction, reason) < std::tie(o.pool, o.direction, o.reason);
    }
};

struct TokenKey
{
    QString pool;
    QString tier;
    QString model; // "unknown" for tokens an agent reports itself (its /metrics has no model)
    QString kind;  // prompt, completion
    bool operator<(const TokenKey &o) const
    {
        return std::tie(pool, tier, model, kind) < std::tie(o.pool, o.tier, o.model, o.kind);
    }
};

// Upper bounds of drover_engine_tick_seconds: a tick normally takes milliseconds; the tail
// shows a store or supervisor that blocks the engine thread.
QList<double> engineTickBuckets();

class SnapshotCounters
{
public:
    SnapshotCounters();

    void apply(const Snapshot &snapshot);

    const QMap<ScalingDecisionKey, quint64> &scalingDecisions() const { return m_decisions; }
    const QMap<TokenKey, double> &gptTokens() const { return m_tokens; }
    const Histogram &tickSeconds() const { return m_ticks; }
    quint64 snapshotsSeen() const { return m_snapshots; }

    static QString directionOf(const ScalingDecision &d);

private:
    void countDecisions(const Snapshot &s);
    void countTokens(const Snapshot &s);

    QMap<ScalingDecisionKey, quint64> m_decisions;
    QHash<QString, qint64> m_lastDecisionMs; // per pool: the newest decision already counted
    QMap<TokenKey, double> m_tokens;
    // The last total each replica reported, per pool/replica/kind: the counter adds what grew,
    // and after a restart (the total went down) the new total.
    QHash<QString, double> m_lastReplicaTokens;
    Histogram m_ticks;
    quint64 m_lastTick = 0;
    quint64 m_snapshots = 0;
};

} // namespace drover
