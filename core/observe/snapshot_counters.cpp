#include "snapshot_counters.h"

namespace drover {

QList<double> engineTickBuckets()
{
    return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
}

SnapshotCounters::SnapshotCounters() : m_ticks(engineTickBuckets()) {}

QString SnapshotCounters::directionOf(const ScalingDecision &d)
{
    if (d.finalReplicas > d.currentReplicas)
        return QStringLiteral("up");
    if (d.finalReplicas < d.currentReplicas)
        return QStringLiteral("down");
    return QStringLiteral("none");
}

void SnapshotCounters::apply(const Snapshot &s)
{
    ++m_snapshots;
    // A snapshot published between ticks (a state change) repeats the last tick's duration;
    // only a new tick is observed.
    if (s.ticks > m_lastTick) {
        m_ticks.observe(s.lastTickSeconds);
        m_lastTick = s.ticks;
    }
    countDecisions(s);
    countTokens(s);
}

void SnapshotCounters::countDecisions(const Snapshot &s)
{
    // scalingDecisions is the recorded history (changes, and a heartbeat of "no change"),
    // newest last and bounded; a decision is new when it is newer than the last one counted
    // for its pool. A pool decides at most once per tick, so (pool, time) identifies one.
    QHash<QString, qint64> newest;
    for (const ScalingRecord &r : s.scalingDecisions) {
        const qint64 at = r.decision.atMs;
        if (at <= m_lastDecisionMs.value(r.pool, -1))
            continue;
        ++m_decisions[{r.pool, directionOf(r.decision),
                       r.decision.driver.isEmpty() ? QStringLiteral("none") : r.decision.driver}];
        newest[r.pool] = qMax(newest.value(r.pool, -1), at);
    }
    for (auto it = newest.cbegin(); it != newest.cend(); ++it)
        m_lastDecisionMs[it.key()] = it.value();
}

void SnapshotCounters::countTokens(const Snapshot &s)
{
    for (const PoolStatus &p : s.pools) {
        for (const ReplicaStatus &r : p.replicas) {
            if (!r.metricsValid)
                continue;
            const QString replicaKey = p.name + QLatin1Char('\x1f') + QString::number(r.index);
            const std::pair<const char *, double> kinds[] = {
                {"prompt", r.promptTokensTotal}, {"completion", r.completionTokensTotal}};
            for (const auto &[kind, total] : kinds) {
                const QString key = replicaKey + QLatin1Char('\x1f') + QLatin1String(kind);
                const auto last = m_lastReplicaTokens.constFind(key);
                const double grown = last == m_lastReplicaTokens.cend() ? total
                                     : total >= *last                   ? total - *last
                                                                        : total; // restarted
                m_lastReplicaTokens[key] = total;
                // Always present once a replica reports, so the series exists at 0 too.
                m_tokens[{p.name, p.tier, QStringLiteral("unknown"), QLatin1String(kind)}] += grown;
            }
        }
    }
}

} // namespace drover
