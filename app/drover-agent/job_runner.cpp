#include "job_runner.h"

#include "cpu_burn.h"

namespace drover::agent {

JobRunner::JobRunner(int workers, int queueCapacity, AgentMetrics *metrics,
                     std::unique_ptr<GptClient> gpt, QObject *parent)
    : QObject(parent),
      m_workers(qMax(1, workers)),
      m_capacity(qMax(0, queueCapacity)),
      m_metrics(metrics),
      m_gpt(std::move(gpt))
{
    m_pool.setMaxThreadCount(m_workers);
    publishGauges();
}

JobRunner::~JobRunner()
{
    // Burns still running post back to us; wait for them before our members go away (their
    // queued calls are then dropped with this object).
    m_pool.waitForDone();
}

JobRunner::Submit JobRunner::submit(AgentJob job)
{
    if (!m_accepting)
        return Submit::Stopped;
    // A free worker takes the job at once; only jobs that must wait count against capacity.
    if (inFlight() >= m_workers && queued() >= m_capacity)
        return Submit::QueueFull;
    m_queue.enqueue(std::move(job));
    startWaitingJobs();
    publishGauges();
    return Submit::Accepted;
}

void JobRunner::startWaitingJobs()
{
    while (inFlight() < m_workers && !m_queue.isEmpty()) {
        const quint64 key = ++m_nextKey;
        Running &r = m_running[key];
        r.job = m_queue.dequeue();
        r.started.start();
        const qint64 cpuMs = r.job.cpuMs;
        m_pool.start([this, key, cpuMs] {
            burnCpu(cpuMs);
            QMetaObject::invokeMethod(this, [this, key] { onBurnDone(key); }, Qt::QueuedConnection);
        });
    }
}

void JobRunner::onBurnDone(quint64 key)
{
    const auto it = m_running.constFind(key);
    if (it == m_running.constEnd())
        return;
    if (!it->job.gpt || !m_gpt) {
        finish(key, !it->job.fail);
        return;
    }
    const bool fail = it->job.fail;
    const QString prompt = it->job.prompt.isEmpty()
                               ? QStringLiteral("Reply with one word: ready?")
                               : it->job.prompt;
    // m_gpt is our member: the callback cannot outlive this object.
    m_gpt->complete(prompt, [this, key, fail](const GptResult &result) {
        if (result.ok)
            m_metrics->addGptTokens(result.promptTokens, result.completionTokens);
        else
            qWarning("drover-agent: chat-completions call failed: %s", qPrintable(result.error));
        finish(key, result.ok && !fail);
    });
}

void JobRunner::finish(quint64 key, bool ok)
{
    const auto it = m_running.find(key);
    if (it == m_running.end())
        return;
    const QString id = it->job.id;
    m_metrics->recordJob(ok, double(it->started.nsecsElapsed()) / 1e9);
    m_running.erase(it);
    startWaitingJobs();
    publishGauges();
    emit jobFinished(id, ok);
    checkDrained();
}

int JobRunner::stopAccepting()
{
    const int dropped = queued();
    m_accepting = false;
    m_queue.clear();
    publishGauges();
    // Queued so a caller answering an HTTP request gets to write its answer first.
    QMetaObject::invokeMethod(this, &JobRunner::checkDrained, Qt::QueuedConnection);
    return dropped;
}

void JobRunner::checkDrained()
{
    if (m_accepting || m_drainedSignalled || !m_running.isEmpty())
        return;
    m_drainedSignalled = true;
    emit drained();
}

void JobRunner::publishGauges()
{
    m_metrics->setQueueDepth(queued());
    m_metrics->setInFlight(inFlight());
}

} // namespace drover::agent
