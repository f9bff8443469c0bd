// The reference agent: the HTTP endpoints of the agent contract wired to the job runner, plus
// the lifecycle (starting -> ready -> draining -> stopped).
#pragma once

#include "agent_metrics.h"
#include "agent_options.h"
#include "chaos.h"
#include "job_runner.h"
#include "shutdown_signals.h"

#include "core/http/http_server.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace drover::agent {

class Agent : public QObject
{
    Q_OBJECT
public:
    explicit Agent(AgentOptions options, QObject *parent = nullptr);
    ~Agent() override;

    // Listens and prints the "listening" line. False (with `error`) when the port is taken.
    bool start(QString *error);
    // Graceful stop: not ready, no new jobs, finish the running ones, close, finished(0).
    void beginShutdown(const QString &reason);

signals:
    void finished(int exitCode);

private:
    void handleJobs(const HttpRequest &request, HttpResponder &responder);
    void handleShutdown(const HttpRequest &request, HttpResponder &responder);
    void onShutdownRequested(const QString &source);
    void onDrained();
    bool isReady() const;

    AgentOptions m_options;
    AgentMetrics m_metrics;
    HttpServer m_server;
    JobRunner *m_runner;
    ShutdownSignals m_signals;
    Chaos m_chaos;
    QElapsedTimer m_sinceStart;
    QTimer m_closeDeadline;
    bool m_draining = false;
    QString m_shutdownReason;
    int m_droppedJobs = 0;
    quint64 m_jobSerial = 0;
};

} // namespace drover::agent
