#include "agent_metrics.h"

#include "core/metrics/prometheus_text.h"

#include <QStringList>

#include <limits>

namespace drover::agent {

AgentMetrics::AgentMetrics(AgentIdentity identity)
    : m_identity(std::move(identity)),
      // Prometheus' default buckets: jobs range from milliseconds (tiny CPU jobs) to seconds.
      m_bucketBounds{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}
{
    m_bucketCounts.fill(0, m_bucketBounds.size() + 1);
}

void AgentMetrics::recordJob(bool ok, double durationSeconds)
{
    (ok ? m_jobsOk : m_jobsError) += 1;
    qsizetype i = 0;
    while (i < m_bucketBounds.size() && durationSeconds > m_bucketBounds[i])
        ++i;
    ++m_bucketCounts[i];
    m_durationSum += durationSeconds;
    ++m_durationCount;
}

void AgentMetrics::addGptTokens(qint64 prompt, qint64 completion)
{
    // Usage numbers come from a remote server: never let a negative one run a counter backwards.
    m_promptTokens += qMax<qint64>(0, prompt);
    m_completionTokens += qMax<qint64>(0, completion);
}

QByteArray AgentMetrics::render() const
{
    QByteArray out;
    auto family = [&out](const char *name, const char *type, const char *help) {
        out += QByteArray("# HELP ") + name + ' ' + help + "\n# TYPE " + name + ' ' + type + '\n';
    };
    auto sample = [&out](const QByteArray &nameAndLabels, double value) {
        out += nameAndLabels + ' ' + prometheusFormatValue(value) + '\n';
    };
    auto label = [](const char *name, const QString &value) {
        return QByteArray(name) + "=\"" + prometheusEscapeLabelValue(value).toUtf8() + '"';
    };

    family("agent_info", "gauge", "Identity of this agent replica (always 1).");
    sample("agent_info{" + label("pool", m_identity.pool) + ','
               + label("replica", QString::number(m_identity.replica)) + ','
               + label("tier", m_identity.tier) + ',' + label("role", m_identity.role) + '}',
           1);

    family("agent_queue_depth", "gauge", "Jobs accepted and waiting for a worker.");
    sample("agent_queue_depth", m_queueDepth);

    family("agent_in_flight", "gauge", "Jobs being processed right now.");
    sample("agent_in_flight", m_inFlight);

    family("agent_jobs_total", "counter", "Jobs finished, by outcome.");
    sample("agent_jobs_total{status=\"ok\"}", double(m_jobsOk));
    sample("agent_jobs_total{status=\"error\"}", double(m_jobsError));

    family("agent_job_duration_seconds", "histogram",
           "Time from a worker taking a job to its completion.");
    qint64 cumulative = 0;
    for (qsizetype i = 0; i < m_bucketCounts.size(); ++i) {
        cumulative += m_bucketCounts[i];
        const double bound = i < m_bucketBounds.size() ? m_bucketBounds[i]
                                                       : std::numeric_limits<double>::infinity();
        sample("agent_job_duration_seconds_bucket{le=\"" + prometheusFormatValue(bound) + "\"}",
               double(cumulative));
    }
    sample("agent_job_duration_seconds_sum", m_durationSum);
    sample("agent_job_duration_seconds_count", double(m_durationCount));

    family("agent_gpt_tokens_total", "counter",
           "Tokens used by chat-completions calls, from the responses' usage.");
    sample("agent_gpt_tokens_total{kind=\"prompt\"}", double(m_promptTokens));
    sample("agent_gpt_tokens_total{kind=\"completion\"}", double(m_completionTokens));
    return out;
}

} // namespace drover::agent
