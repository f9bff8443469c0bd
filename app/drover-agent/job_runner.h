// The agent's work: a bounded queue of jobs, a fixed number of concurrent workers burning CPU
// on a thread pool, and an optional chat-completions call per job.
//
// The runner itself lives in the main (HTTP) thread; only the CPU burn runs on pool threads,
// which report back through queued calls. So the HTTP side never waits on a job.
#pragma once

#include "agent_metrics.h"
#include "gpt_client.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QQueue>
#include <QThreadPool>

#include <memory>

namespace drover::agent {

struct AgentJob
{
    QString id;
    qint64 cpuMs = 0;
    bool gpt = false;
    bool fail = false; // finish as status="error", for tests of error-rate alerts
    QString prompt;
};

class JobRunner : public QObject
{
    Q_OBJECT
public:
    enum class Submit { Accepted, QueueFull, Stopped };

    // `gpt` may be null (no OPENAI_BASE_URL): GPT jobs then only burn CPU.
    JobRunner(int workers, int queueCapacity, AgentMetrics *metrics,
              std::unique_ptr<GptClient> gpt, QObject *parent = nullptr);
    ~JobRunner() override;

    Submit submit(AgentJob job);
    // Accept nothing more; jobs still waiting in the queue are dropped (their count is
    // returned). Jobs already taken by a worker finish; drained() follows (always queued).
    int stopAccepting();
    bool isAccepting() const { return m_accepting; }
    int queued() const { return int(m_queue.size()); }
    int inFlight() const { return int(m_running.size()); }

signals:
    void jobFinished(const QString &id, bool ok);
    void drained();

private:
    struct Running
    {
        AgentJob job;
        QElapsedTimer started;
    };

    void startWaitingJobs();
    void onBurnDone(quint64 key);
    void finish(quint64 key, bool ok);
    void publishGauges();
    void checkDrained();

    int m_workers;
    int m_capacity;
    AgentMetrics *m_metrics;
    std::unique_ptr<GptClient> m_gpt;
    QThreadPool m_pool;
    QQueue<AgentJob> m_queue;
    QHash<quint64, Running> m_running;
    quint64 m_nextKey = 0;
    bool m_accepting = true;
    bool m_drainedSignalled = false;
};

} // namespace drover::agent
