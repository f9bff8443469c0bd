// One running copy of a pool's command: its process, health checks, metrics scrape, log
// capture and stop sequence. Lives in the engine thread. The pool decides what happens after
// a crash; the replica only reports it.
#pragma once

#include "core/config/config.h"
#include "core/platform/process_stats.h"
#include "core/platform/process_tree.h"
#include "log_capture.h"
#include "replica_environment.h"
#include "supervisor_types.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QProcess>
#include <QProcessEnvironment>

#include <functional>
#include <memory>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

namespace drover {

struct ReplicaLaunch
{
    QString pool;
    int index = 0;
    int port = 0;
    QString program;
    QStringList args;
    QString workingDir;
    QProcessEnvironment env; // already holds resolved secrets; never logged
    QString tier;
    int concurrentTasks = 0; // the tier's cap; passed as DROVER_CONCURRENT_TASKS
    ResourceLimits limits;
    HealthSpec health;
    qint64 stopTimeoutMs = 10000;
    qint64 scrapeIntervalMs = 2000;
    QString logPath;
    ReplicaEnvironmentHook environmentHook; // may be empty
};

class Replica : public QObject
{
    Q_OBJECT
public:
    using Clock = std::function<qint64()>;

    Replica(ReplicaLaunch launch, QNetworkAccessManager *network, Clock clock,
            QObject *parent = nullptr);
    ~Replica() override;

    void start(const QString &reason);
    // Graceful stop (DESIGN.md order): POST /shutdown, SIGTERM/CTRL_BREAK at half the stop
    // timeout, hard kill of the tree at the stop timeout.
    void stop(const QString &reason);
    // The crash was handled by the pool and a restart is scheduled.
    void enterBackoff(qint64 delayMs, const QString &reason);
    void setPort(int port) { m_launch.port = port; }
    void setEnvironment(const QProcessEnvironment &env) { m_launch.env = env; }
    LimitsResult applyLimits(const ResourceLimits &limits, const QString &tier, int concurrentTasks);

    // Reads the process's CPU and memory (once a second from the engine tick).
    void sample(ProcessStatsReader &reader, qint64 nowMs);

    int index() const { return m_launch.index; }
    int port() const { return m_launch.port; }
    ReplicaState state() const { return m_status.state; }
    bool isRunning() const { return m_process && m_process->state() != QProcess::NotRunning; }
    qint64 readySinceMs() const { return m_readySinceMs; }
    const ReplicaStatus &status() const { return m_status; }
    QStringList recentLog() const { return m_log.recentLines(); }
    QString logPath() const { return m_log.filePath(); }
    const ReplicaLaunch &launch() const { return m_launch; }

signals:
    void stateChanged(int index, drover::ReplicaState from, drover::ReplicaState to,
                      const QString &reason);
    // The process is gone. `expected` is true when it was asked to stop.
    void processGone(int index, bool expected, int exitCode, const QString &reason);
    // Failed liveness checks or never became ready: the pool should restart it.
    void restartNeeded(int index, const QString &reason);
    void note(int index, const QString &kind, const QString &message); // events that are not transitions

private:
    void setState(ReplicaState state, const QString &reason);
    void onStarted();
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void onError(QProcess::ProcessError error);
    void probe();
    void probeHttp();
    void probeTcp();
    void onProbeResult(bool live, bool ready, const QString &why);
    void scrape();
    void readOutput(QProcess::ProcessChannel channel);
    QNetworkReply *get(const QString &path, qint64 timeoutMs);
    void cancelNetwork();

    ReplicaLaunch m_launch;
    QNetworkAccessManager *m_network;
    Clock m_clock;
    ReplicaStatus m_status;
    LogCapture m_log;
    std::unique_ptr<ProcessTree> m_tree;
    QProcess *m_process = nullptr;
    QTimer *m_probeTimer;
    QTimer *m_scrapeTimer;
    QTimer *m_stopTimer;
    QTimer *m_backoffTimer;
    QList<QPointer<QNetworkReply>> m_inflight;
    bool m_probing = false;
    bool m_scraping = false;
    int m_liveFailures = 0;
    qint64 m_notReadySinceMs = 0;
    qint64 m_readySinceMs = 0;
    qint64 m_stopStartedMs = 0;
    bool m_stopRequested = false;
    bool m_everStarted = false;
    bool m_sentTerminate = false;
    QString m_stopReason;
    QString m_failReason; // why the process is about to be gone (failed start, kill)
    std::optional<ProcessSample> m_lastSample;
    qint64 m_lastSampleMs = 0;
    int m_cpuOverCount = 0;
};

} // namespace drover
