// What the agent reports on /metrics, in the names Drover reads (DESIGN.md, agent contract).
// Lives in the agent's main thread: workers report through queued calls, so no locking.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace drover::agent {

struct AgentIdentity
{
    QString pool;
    int replica = 0;
    QString tier;
    QString role;
};

class AgentMetrics
{
public:
    explicit AgentMetrics(AgentIdentity identity);

    void setQueueDepth(int depth) { m_queueDepth = depth; }
    void setInFlight(int inFlight) { m_inFlight = inFlight; }
    void recordJob(bool ok, double durationSeconds);
    void addGptTokens(qint64 prompt, qint64 completion);

    qint64 jobsOk() const { return m_jobsOk; }
    qint64 jobsError() const { return m_jobsError; }

    // Prometheus text format 0.0.4.
    QByteArray render() const;

private:
    AgentIdentity m_identity;
    int m_queueDepth = 0;
    int m_inFlight = 0;
    qint64 m_jobsOk = 0;
    qint64 m_jobsError = 0;
    qint64 m_promptTokens = 0;
    qint64 m_completionTokens = 0;
    QList<double> m_bucketBounds;      // upper bounds, +Inf excluded
    QList<qint64> m_bucketCounts;      // per bucket (not cumulative); last one is +Inf
    double m_durationSum = 0;
    qint64 m_durationCount = 0;
};

} // namespace drover::agent
