#include "replica.h"

#include "core/metrics/prometheus_text.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>

namespace drover {

// Failed jobs: agent_jobs_total of every status but "ok". An agent that does not label its
// outcomes says nothing about failures (NaN), rather than "all failed" or "none failed".
static double failedJobs(const PrometheusParseResult &parsed, double total)
{
    for (const PrometheusSample &sample : parsed.samples) {
        if (sample.name == QLatin1String("agent_jobs_total")
            && sample.labels.contains(QStringLiteral("status")))
            return total - parsed.sum(QStringLiteral("agent_jobs_total"),
                                      {{QStringLiteral("status"), QStringLiteral("ok")}});
    }
    return std::numeric_limits<double>::quiet_NaN();
}

namespace {
constexpr int kStartingProbeMs = 100; // readiness is polled fast while starting
constexpr int kCpuOverSamples = 5;    // seconds over the tier's CPU before it is reported
} // namespace

Replica::Replica(ReplicaLaunch launch, QNetworkAccessManager *network, Clock clock,
                 QObject *parent)
    : QObject(parent),
      m_launch(std::move(launch)),
      m_network(network),
      m_clock(std::move(clock)),
      m_log(m_launch.logPath),
      m_probeTimer(new QTimer(this)),
      m_scrapeTimer(new QTimer(this)),
      m_stopTimer(new QTimer(this)),
      m_backoffTimer(new QTimer(this))
{
    m_status.index = m_launch.index;
    m_status.port = m_launch.port;
    m_status.state = ReplicaState::Exited;
    m_status.stateSinceMs = m_clock();
    m_probeTimer->setSingleShot(true);
    connect(m_probeTimer, &QTimer::timeout, this, &Replica::probe);
    m_scrapeTimer->setInterval(int(qMax<qint64>(200, m_launch.scrapeIntervalMs)));
    connect(m_scrapeTimer, &QTimer::timeout, this, &Replica::scrape);
    m_stopTimer->setSingleShot(true);
    connect(m_stopTimer, &QTimer::timeout, this, [this] {
        if (!isRunning())
            return;
        const qint64 elapsed = m_clock() - m_stopStartedMs;
        if (!m_sentTerminate) {
            m_sentTerminate = true;
            m_tree->terminate();
            emit note(index(), QStringLiteral("stop"),
                      QStringLiteral("still running after /shutdown; sent %1")
                          .arg(QStringLiteral(
#ifdef Q_OS_WIN
                              "CTRL_BREAK"
#else
                              "SIGTERM"
#endif
                              )));
            m_stopTimer->start(int(qMax<qint64>(0, m_launch.stopTimeoutMs - elapsed)));
            return;
        }
        m_failReason = QStringLiteral("killed after stop_timeout (%1 ms)").arg(m_launch.stopTimeoutMs);
        emit note(index(), QStringLiteral("stop"), m_failReason);
        m_tree->kill();
    });
    m_backoffTimer->setSingleShot(true);
    connect(m_backoffTimer, &QTimer::timeout, this,
            [this] { start(QStringLiteral("restart after backoff")); });
}

Replica::~Replica()
{
    // Destroyed with Drover or when the pool drops it: never leave the process behind.
    if (isRunning()) {
        m_process->disconnect(this);
        m_tree->kill();
        m_process->waitForFinished(2000);
    }
    cancelNetwork();
}

void Replica::setState(ReplicaState state, const QString &reason)
{
    const ReplicaState from = m_status.state;
    if (from == state && m_status.stateReason == reason)
        return;
    m_status.state = state;
    m_status.stateReason = reason;
    m_status.stateSinceMs = m_clock();
    if (state == ReplicaState::Ready)
        m_readySinceMs = m_status.stateSinceMs;
    emit stateChanged(index(), from, state, reason);
}

void Replica::start(const QString &reason)
{
    if (isRunning())
        return;
    m_backoffTimer->stop();
    m_stopRequested = false;
    m_sentTerminate = false;
    m_failReason.clear();
    m_liveFailures = 0;
    m_notReadySinceMs = 0;
    m_readySinceMs = 0;
    m_lastSample.reset();
    m_cpuOverCount = 0;
    m_status.pid = 0;
    m_status.port = m_launch.port;
    m_status.concurrentTasks = m_launch.concurrentTasks;
    m_status.cpuValid = false;
    m_status.metricsValid = false;
    m_status.metricsError.clear();
    m_status.overCpuQuota = m_status.overMemoryQuota = false;

    if (m_process)
        m_process->deleteLater();
    m_process = new QProcess(this);
    m_process->setProgram(m_launch.program);
    m_process->setArguments(m_launch.args);
    if (!m_launch.workingDir.isEmpty())
        m_process->setWorkingDirectory(m_launch.workingDir);
    QProcessEnvironment env = m_launch.env;
    env.insert(QStringLiteral("DROVER_POOL"), m_launch.pool);
    env.insert(QStringLiteral("DROVER_REPLICA"), QString::number(m_launch.index));
    env.insert(QStringLiteral("DROVER_TIER"), m_launch.tier);
    env.insert(QStringLiteral("DROVER_PORT"), QString::number(m_launch.port));
    env.insert(QStringLiteral("DROVER_CONCURRENT_TASKS"), QString::number(m_launch.concurrentTasks));
    if (m_launch.environmentHook)
        m_launch.environmentHook(m_launch.pool, m_launch.index, m_launch.tier, env);
    m_process->setProcessEnvironment(env);
    m_process->setInputChannelMode(QProcess::ManagedInputChannel);
    m_tree = createProcessTree(m_launch.pool + QLatin1Char('-') + QString::number(index()));
    m_tree->prepare(*m_process, m_launch.limits);

    connect(m_process, &QProcess::started, this, &Replica::onStarted);
    connect(m_process, &QProcess::finished, this, &Replica::onFinished);
    connect(m_process, &QProcess::errorOccurred, this, &Replica::onError);
    connect(m_process, &QProcess::readyReadStandardOutput, this,
            [this] { readOutput(QProcess::StandardOutput); });
    connect(m_process, &QProcess::readyReadStandardError, this,
            [this] { readOutput(QProcess::StandardError); });

    m_status.startedAtMs = m_clock();
    if (m_everStarted)
        ++m_status.restarts;
    m_everStarted = true;
    setState(ReplicaState::Starting, reason);
    m_process->start();
    if (m_process)
        m_process->closeWriteChannel(); // agents read no stdin; EOF rather than a hang
}

void Replica::onStarted()
{
    m_status.pid = m_process->processId();
    m_tree->attach(m_status.pid);
    const LimitsResult limits = m_tree->currentLimits();
    m_status.enforcement = limits.enforcement;
    emit note(index(), QStringLiteral("limits"),
              QStringLiteral("pid %1 on port %2, tier %3: %4")
                  .arg(m_status.pid).arg(m_launch.port).arg(m_launch.tier, limits.detail));
    if (m_launch.health.mode == HealthSpec::Mode::Process) {
        setState(ReplicaState::Ready, QStringLiteral("process running"));
        return;
    }
    m_probeTimer->start(kStartingProbeMs);
    if (m_launch.health.mode == HealthSpec::Mode::Http)
        m_scrapeTimer->start();
}

void Replica::onError(QProcess::ProcessError error)
{
    if (error != QProcess::FailedToStart)
        return; // crashes arrive through finished()
    const QString reason = QStringLiteral("failed to start '%1': %2")
                               .arg(m_launch.program, m_process->errorString());
    m_probeTimer->stop();
    m_scrapeTimer->stop();
    cancelNetwork();
    const bool expected = m_stopRequested;
    m_status.lastExitCode = -1;
    setState(expected ? ReplicaState::Exited : ReplicaState::Crashed, reason);
    emit processGone(index(), expected, -1, reason);
}

void Replica::onFinished(int exitCode, QProcess::ExitStatus exitStatus)
{
    m_probeTimer->stop();
    m_scrapeTimer->stop();
    m_stopTimer->stop();
    cancelNetwork();
    readOutput(QProcess::StandardOutput);
    readOutput(QProcess::StandardError);
    m_log.flushPartial();
    // Children the agent forked are still in its group (or job): they go with it.
    m_tree->kill();
    m_status.lastExitCode = exitCode;
    m_status.cpuValid = false;
    const QString how = exitStatus == QProcess::CrashExit
                            ? QStringLiteral("killed by a signal or crashed")
                            : QStringLiteral("exited with code %1").arg(exitCode);
    QString reason = m_failReason.isEmpty() ? how : m_failReason + QStringLiteral(" (") + how
                                                        + QLatin1Char(')');
    if (m_stopRequested) {
        setState(ReplicaState::Exited, QStringLiteral("stopped (%1): %2").arg(m_stopReason, reason));
        emit processGone(index(), true, exitCode, reason);
        return;
    }
    const bool clean = exitStatus == QProcess::NormalExit && exitCode == 0;
    setState(clean ? ReplicaState::Exited : ReplicaState::Crashed, reason);
    emit processGone(index(), false, exitCode, reason);
}

void Replica::stop(const QString &reason)
{
    m_stopReason = reason;
    if (m_status.state == ReplicaState::Backoff) {
        m_backoffTimer->stop();
        m_stopRequested = true;
        setState(ReplicaState::Exited, QStringLiteral("stopped during backoff (%1)").arg(reason));
        emit processGone(index(), true, m_status.lastExitCode, reason);
        return;
    }
    if (!isRunning()) {
        if (m_status.state != ReplicaState::Exited)
            setState(ReplicaState::Exited, reason);
        emit processGone(index(), true, m_status.lastExitCode, reason);
        return;
    }
    if (m_stopRequested)
        return; // already on its way down
    m_stopRequested = true;
    m_stopStartedMs = m_clock();
    m_probeTimer->stop();
    m_scrapeTimer->stop();
    cancelNetwork();
    setState(ReplicaState::Stopping, reason);

    if (m_launch.health.mode == HealthSpec::Mode::Http && m_launch.port > 0) {
        // The agent's own protocol first: it finishes in-flight work and exits.
        QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/shutdown").arg(m_launch.port)));
        request.setTransferTimeout(int(qMin<qint64>(2000, m_launch.stopTimeoutMs)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        QNetworkReply *reply = m_network->post(request, QByteArray("{}"));
        m_inflight.append(reply);
        connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
        m_stopTimer->start(int(m_launch.stopTimeoutMs / 2));
    } else {
        m_sentTerminate = m_tree->terminate();
        m_stopTimer->start(int(m_launch.stopTimeoutMs));
        if (!m_sentTerminate)
            m_stopTimer->start(0);
    }
}

void Replica::enterBackoff(qint64 delayMs, const QString &reason)
{
    setState(ReplicaState::Backoff, reason);
    m_backoffTimer->start(int(qBound<qint64>(0, delayMs, 24LL * 3600 * 1000)));
}

LimitsResult Replica::applyLimits(const ResourceLimits &limits, const QString &tier, int concurrentTasks)
{
    m_launch.limits = limits;
    m_launch.tier = tier;
    m_launch.concurrentTasks = concurrentTasks;
    m_status.concurrentTasks = concurrentTasks; // the dispatcher's cap changes at once
    m_cpuOverCount = 0;
    m_status.overCpuQuota = m_status.overMemoryQuota = false;
    if (!isRunning() || !m_tree) {
        LimitsResult r;
        r.applied = true;
        r.detail = QStringLiteral("not running; applies at next start");
        return r;
    }
    const LimitsResult r = m_tree->applyLimits(limits);
    m_status.enforcement = r.enforcement;
    return r;
}

void Replica::sample(ProcessStatsReader &reader, qint64 nowMs)
{
    if (!isRunning() || m_status.pid <= 0)
        return;
    const std::optional<ProcessSample> s = reader.read(m_status.pid);
    if (!s)
        return;
    if (m_lastSample) {
        const std::optional<double> cpu = processCpuPercent(*m_lastSample, *s, nowMs - m_lastSampleMs);
        m_status.cpuValid = cpu.has_value();
        m_status.cpuPercent = cpu.value_or(0.0);
    }
    m_lastSample = s;
    m_lastSampleMs = nowMs;
    m_status.rssBytes = s->rssBytes;
    m_status.privateBytes = s->privateBytes;

    // The watchdog for limits the OS does not enforce here (rlimit fallback has no CPU cap).
    const ResourceLimits &limits = m_launch.limits;
    if (m_status.enforcement == LimitEnforcement::Rlimit && limits.cpuCores > 0 && m_status.cpuValid) {
        const bool over = m_status.cpuPercent > limits.cpuCores * 100.0 * 1.1;
        m_cpuOverCount = over ? m_cpuOverCount + 1 : 0;
        const bool flagged = m_cpuOverCount >= kCpuOverSamples;
        if (flagged && !m_status.overCpuQuota)
            emit note(index(), QStringLiteral("quota"),
                      QStringLiteral("CPU %1 % is over the tier's %2 cores for %3 s")
                          .arg(m_status.cpuPercent, 0, 'f', 0).arg(limits.cpuCores)
                          .arg(kCpuOverSamples));
        m_status.overCpuQuota = flagged;
    }
    if (limits.memoryBytes > 0) {
        const bool over = qint64(m_status.privateBytes) > limits.memoryBytes;
        if (over && !m_status.overMemoryQuota)
            emit note(index(), QStringLiteral("quota"),
                      QStringLiteral("private memory %1 MB is over the tier's %2 MB")
                          .arg(m_status.privateBytes / (1024 * 1024))
                          .arg(limits.memoryBytes / (1024 * 1024)));
        m_status.overMemoryQuota = over;
    }
}

QNetworkReply *Replica::get(const QString &path, qint64 timeoutMs)
{
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_launch.port).arg(path)));
    request.setTransferTimeout(int(timeoutMs));
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply *reply = m_network->get(request);
    m_inflight.append(reply);
    return reply;
}

void Replica::cancelNetwork()
{
    for (const QPointer<QNetworkReply> &reply : std::as_const(m_inflight)) {
        if (reply) {
            reply->disconnect(this);
            reply->abort();
            reply->deleteLater();
        }
    }
    m_inflight.clear();
    m_probing = m_scraping = false;
}

void Replica::probe()
{
    if (!isRunning() || m_stopRequested || m_probing)
        return;
    m_inflight.removeAll(nullptr);
    if (m_launch.health.mode == HealthSpec::Mode::Http)
        probeHttp();
    else if (m_launch.health.mode == HealthSpec::Mode::Tcp)
        probeTcp();
}

void Replica::probeHttp()
{
    m_probing = true;
    QNetworkReply *live = get(m_launch.health.livePath, m_launch.health.timeoutMs);
    connect(live, &QNetworkReply::finished, this, [this, live] {
        live->deleteLater();
        const int code = live->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (code != 200) {
            m_probing = false;
            onProbeResult(false, false,
                          code ? QStringLiteral("%1 answered %2").arg(m_launch.health.livePath).arg(code)
                               : QStringLiteral("%1: %2").arg(m_launch.health.livePath, live->errorString()));
            return;
        }
        QNetworkReply *ready = get(m_launch.health.readyPath, m_launch.health.timeoutMs);
        connect(ready, &QNetworkReply::finished, this, [this, ready] {
            ready->deleteLater();
            m_probing = false;
            const int code = ready->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            onProbeResult(true, code == 200,
                          code ? QStringLiteral("%1 answered %2").arg(m_launch.health.readyPath).arg(code)
                               : QStringLiteral("%1: %2").arg(m_launch.health.readyPath, ready->errorString()));
        });
    });
}

void Replica::probeTcp()
{
    m_probing = true;
    auto *socket = new QTcpSocket(this);
    auto *timeout = new QTimer(socket);
    timeout->setSingleShot(true);
    auto finish = [this, socket](bool ok, const QString &why) {
        if (!m_probing)
            return;
        m_probing = false;
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
        onProbeResult(ok, ok, why);
    };
    connect(socket, &QTcpSocket::connected, this, [finish] { finish(true, QStringLiteral("port open")); });
    connect(socket, &QTcpSocket::errorOccurred, this,
            [finish, socket] { finish(false, QStringLiteral("port closed: ") + socket->errorString()); });
    connect(timeout, &QTimer::timeout, this,
            [finish] { finish(false, QStringLiteral("port did not accept within the timeout")); });
    timeout->start(int(m_launch.health.timeoutMs));
    socket->connectToHost(QHostAddress::LocalHost, quint16(m_launch.port));
}

void Replica::onProbeResult(bool live, bool ready, const QString &why)
{
    if (!isRunning() || m_stopRequested)
        return;
    const qint64 now = m_clock();
    const HealthSpec &h = m_launch.health;
    switch (m_status.state) {
    case ReplicaState::Starting:
        if (live && ready) {
            setState(ReplicaState::Ready, QStringLiteral("ready (%1)").arg(why));
        } else if (now - m_status.startedAtMs > h.startTimeoutMs) {
            setState(ReplicaState::Unhealthy,
                     QStringLiteral("not ready after %1 ms: %2").arg(h.startTimeoutMs).arg(why));
            emit restartNeeded(index(), m_status.stateReason);
            return;
        }
        break;
    case ReplicaState::Ready:
    case ReplicaState::Unhealthy:
        if (!live) {
            ++m_liveFailures;
            if (m_liveFailures >= h.failureThreshold) {
                setState(ReplicaState::Unhealthy,
                         QStringLiteral("liveness failed %1 times: %2").arg(m_liveFailures).arg(why));
                emit restartNeeded(index(), m_status.stateReason);
                return;
            }
        } else {
            m_liveFailures = 0;
        }
        if (live && ready) {
            m_notReadySinceMs = 0;
            if (m_status.state == ReplicaState::Unhealthy)
                setState(ReplicaState::Ready, QStringLiteral("recovered (%1)").arg(why));
        } else if (live && !ready) {
            // Not ready but alive: no work for it (Kubernetes' readiness); restarted only if it
            // stays that way as long as a start may take.
            if (!m_notReadySinceMs)
                m_notReadySinceMs = now;
            if (m_status.state == ReplicaState::Ready)
                setState(ReplicaState::Unhealthy, QStringLiteral("not ready: %1").arg(why));
            if (now - m_notReadySinceMs > h.startTimeoutMs) {
                emit restartNeeded(index(), QStringLiteral("not ready for %1 ms")
                                                .arg(now - m_notReadySinceMs));
                return;
            }
        }
        break;
    default:
        return;
    }
    m_probeTimer->start(m_status.state == ReplicaState::Starting ? kStartingProbeMs
                                                                   : int(h.intervalMs));
}

void Replica::scrape()
{
    if (!isRunning() || m_stopRequested || m_scraping || m_status.state == ReplicaState::Starting)
        return;
    m_scraping = true;
    QNetworkReply *reply = get(QStringLiteral("/metrics"), qMin<qint64>(2000, m_launch.scrapeIntervalMs));
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        m_scraping = false;
        const int code = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        QString error;
        if (code != 200) {
            error = code ? QStringLiteral("/metrics answered %1").arg(code)
                         : QStringLiteral("/metrics: %1").arg(reply->errorString());
        } else {
            // Bounded read: a runaway /metrics page must not eat Drover's memory.
            const QByteArray body = reply->read(4 * 1024 * 1024);
            const PrometheusParseResult parsed = parsePrometheusText(body);
            if (parsed.samples.isEmpty() && !parsed.errors.isEmpty()) {
                error = QStringLiteral("/metrics is not Prometheus text: %1")
                            .arg(parsed.errors.first().toString());
            } else {
                m_status.metricsValid = true;
                m_status.queueDepth = parsed.sum(QStringLiteral("agent_queue_depth"));
                m_status.inFlight = parsed.sum(QStringLiteral("agent_in_flight"));
                m_status.jobsTotal = parsed.sum(QStringLiteral("agent_jobs_total"));
                m_status.jobsFailedTotal = failedJobs(parsed, m_status.jobsTotal);
                m_status.promptTokensTotal = parsed.sum(QStringLiteral("agent_gpt_tokens_total"),
                                                        {{QStringLiteral("kind"), QStringLiteral("prompt")}});
                m_status.completionTokensTotal = parsed.sum(
                    QStringLiteral("agent_gpt_tokens_total"),
                    {{QStringLiteral("kind"), QStringLiteral("completion")}});
            }
        }
        if (error != m_status.metricsError && !error.isEmpty())
            emit note(index(), QStringLiteral("metrics"), error);
        if (!error.isEmpty())
            m_status.metricsValid = false;
        m_status.metricsError = error;
    });
}

void Replica::readOutput(QProcess::ProcessChannel channel)
{
    if (!m_process)
        return;
    m_process->setReadChannel(channel);
    const QByteArray data = m_process->readAll();
    if (data.isEmpty())
        return;
    m_log.feed(channel == QProcess::StandardOutput ? "out" : "err", data, m_clock());
    const qint64 dropped = m_log.throttledBytes();
    // One event when an agent first floods; the running count is in the status and the log
    // itself says how much each second lost. An event per second would flood the events view.
    if (dropped > 0 && m_status.logBytesDropped == 0)
        emit note(index(), QStringLiteral("log"),
                  QStringLiteral("output over %1 bytes/s: the excess is counted and dropped")
                      .arg(m_log.limits().maxBytesPerSecond));
    m_status.logBytesDropped = dropped;
}

} // namespace drover
