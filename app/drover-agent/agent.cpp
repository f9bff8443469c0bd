#include "agent.h"

#include "event_log.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace drover::agent {

namespace {

// After draining, connections get this long to take their last responses before we exit.
constexpr int kCloseDeadlineMs = 2000;
constexpr qsizetype kMaxJobIdChars = 256;
constexpr qsizetype kMaxPromptChars = 64 * 1024;
constexpr double kMaxJobCpuMs = 600000;

HttpServerOptions serverOptions(const AgentOptions &o)
{
    HttpServerOptions s;
    s.limits.maxBodyBytes = o.maxBodyBytes;
    return s;
}

HttpResponse status(int code, const QString &text)
{
    QJsonObject o;
    o.insert(QStringLiteral("status"), text);
    return HttpResponse::json(code, o);
}

// A job as Drover's dispatcher sends it: {"id":"..","cpu_ms":50,"gpt":false} plus the optional
// "prompt" and "fail". Unknown fields are ignored so newer dispatchers work with this agent.
std::optional<AgentJob> parseJob(const QByteArray &body, qint64 defaultCpuMs, const QString &fallbackId,
                                 QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = QStringLiteral("invalid JSON at offset %1: %2")
                     .arg(parseError.offset)
                     .arg(parseError.errorString());
        return std::nullopt;
    }
    if (!doc.isObject()) {
        *error = QStringLiteral("a job must be a JSON object");
        return std::nullopt;
    }
    const QJsonObject o = doc.object();
    AgentJob job;
    job.cpuMs = defaultCpuMs;
    job.id = fallbackId;

    const QJsonValue id = o.value(QStringLiteral("id"));
    if (id.isString() && !id.toString().isEmpty()) {
        if (id.toString().size() > kMaxJobIdChars) {
            *error = QStringLiteral("\"id\" is longer than %1 characters").arg(kMaxJobIdChars);
            return std::nullopt;
        }
        job.id = id.toString();
    } else if (!id.isUndefined() && !id.isNull() && !id.isString()) {
        *error = QStringLiteral("\"id\" must be a string");
        return std::nullopt;
    }

    const QJsonValue cpu = o.value(QStringLiteral("cpu_ms"));
    if (!cpu.isUndefined()) {
        const double v = cpu.toDouble(-1);
        if (!cpu.isDouble() || !std::isfinite(v) || v < 0 || v > kMaxJobCpuMs) {
            *error = QStringLiteral("\"cpu_ms\" must be a number in 0..%1").arg(kMaxJobCpuMs);
            return std::nullopt;
        }
        job.cpuMs = qint64(v);
    }

    for (const auto &[key, target] : {std::pair{QStringLiteral("gpt"), &job.gpt},
                                      std::pair{QStringLiteral("fail"), &job.fail}}) {
        const QJsonValue v = o.value(key);
        if (v.isUndefined())
            continue;
        if (!v.isBool()) {
            *error = QStringLiteral("\"%1\" must be true or false").arg(key);
            return std::nullopt;
        }
        *target = v.toBool();
    }

    const QJsonValue prompt = o.value(QStringLiteral("prompt"));
    if (!prompt.isUndefined()) {
        if (!prompt.isString() || prompt.toString().size() > kMaxPromptChars) {
            *error = QStringLiteral("\"prompt\" must be a string of at most %1 characters")
                         .arg(kMaxPromptChars);
            return std::nullopt;
        }
        job.prompt = prompt.toString();
    }
    return job;
}

} // namespace

Agent::Agent(AgentOptions options, QObject *parent)
    : QObject(parent),
      m_options(std::move(options)),
      m_metrics(AgentIdentity{m_options.pool, m_options.replica, m_options.tier, m_options.role}),
      m_server(serverOptions(m_options))
{
    std::unique_ptr<GptClient> gpt;
    if (m_options.gptBaseUrl.isValid()) {
        gpt = std::make_unique<GptClient>(m_options.gptBaseUrl, m_options.gptApiKey,
                                          m_options.gptModel, m_options.gptTimeoutMs);
    }
    m_runner = new JobRunner(m_options.workers, m_options.queueCapacity, &m_metrics,
                             std::move(gpt), this);
    connect(m_runner, &JobRunner::drained, this, &Agent::onDrained);
    connect(&m_signals, &ShutdownSignals::received, this, &Agent::onShutdownRequested);

    m_closeDeadline.setSingleShot(true);
    m_closeDeadline.setInterval(kCloseDeadlineMs);
    connect(&m_closeDeadline, &QTimer::timeout, this, [this] { emit finished(0); });
    connect(&m_server, &HttpServer::closed, this, [this] {
        if (m_closeDeadline.isActive()) {
            m_closeDeadline.stop();
            emit finished(0);
        }
    });

    m_server.route("GET", "/health/live", [](const HttpRequest &, HttpResponder &r) {
        r.respond(status(200, QStringLiteral("live")));
    });
    m_server.route("GET", "/health/ready", [this](const HttpRequest &, HttpResponder &r) {
        if (m_draining)
            r.respond(status(503, QStringLiteral("draining")));
        else if (!isReady())
            r.respond(status(503, QStringLiteral("starting")));
        else
            r.respond(status(200, QStringLiteral("ready")));
    });
    m_server.route("GET", "/metrics", [this](const HttpRequest &, HttpResponder &r) {
        r.respond(HttpResponse::text(200, m_metrics.render(),
                                     "text/plain; version=0.0.4; charset=utf-8"));
    });
    m_server.route("POST", "/jobs", [this](const HttpRequest &q, HttpResponder &r) {
        handleJobs(q, r);
    });
    m_server.route("POST", "/shutdown", [this](const HttpRequest &q, HttpResponder &r) {
        handleShutdown(q, r);
    });
}

Agent::~Agent()
{
    // The runner first: it waits for running burns and drops GPT callbacks, all of which
    // refer to the metrics that are about to go.
    delete m_runner;
}

bool Agent::start(QString *error)
{
    if (!m_server.listen(m_options.port)) {
        *error = QStringLiteral("cannot listen on 127.0.0.1:%1: %2")
                     .arg(m_options.port)
                     .arg(m_server.errorString());
        return false;
    }
    m_sinceStart.start();

    QJsonObject listening;
    listening.insert(QStringLiteral("event"), QStringLiteral("listening"));
    listening.insert(QStringLiteral("port"), int(m_server.port()));
    listening.insert(QStringLiteral("pid"), QCoreApplication::applicationPid());
    listening.insert(QStringLiteral("pool"), m_options.pool);
    listening.insert(QStringLiteral("replica"), m_options.replica);
    listening.insert(QStringLiteral("tier"), m_options.tier);
    listening.insert(QStringLiteral("role"), m_options.role);
    listening.insert(QStringLiteral("gpt"), m_options.gptBaseUrl.isValid());
    printEvent(listening);

    if (m_options.forkChild) {
        const qint64 pid = m_chaos.forkChild();
        if (pid < 0) {
            printErrorEvent(QStringLiteral("--fork-child: could not start 'sleep 1000'"));
        } else {
            QJsonObject child;
            child.insert(QStringLiteral("event"), QStringLiteral("child"));
            child.insert(QStringLiteral("pid"), pid);
            printEvent(child);
        }
    }
    if (m_options.crashAfterMs)
        m_chaos.crashAfter(*m_options.crashAfterMs);
    if (m_options.stdoutSpamBytesPerSec > 0)
        m_chaos.spamStdout(m_options.stdoutSpamBytesPerSec);
    if (!m_signals.isValid())
        printErrorEvent(QStringLiteral("signal handlers not installed; use POST /shutdown"));
    return true;
}

bool Agent::isReady() const
{
    return m_sinceStart.isValid() && m_sinceStart.elapsed() >= m_options.readyDelayMs;
}

void Agent::handleJobs(const HttpRequest &request, HttpResponder &responder)
{
    if (m_draining || !m_runner->isAccepting()) {
        responder.respond(HttpResponse::error(503, "draining, not accepting jobs"));
        return;
    }
    QString error;
    const QString fallbackId = QStringLiteral("job-%1-%2")
                                   .arg(QCoreApplication::applicationPid())
                                   .arg(++m_jobSerial);
    std::optional<AgentJob> job = parseJob(request.body, m_options.cpuMsDefault, fallbackId, &error);
    if (!job) {
        responder.respond(HttpResponse::error(400, error.toUtf8()));
        return;
    }
    const QString id = job->id;
    switch (m_runner->submit(std::move(*job))) {
    case JobRunner::Submit::Accepted: {
        QJsonObject o;
        o.insert(QStringLiteral("id"), id);
        responder.respond(HttpResponse::json(202, o));
        return;
    }
    case JobRunner::Submit::QueueFull: {
        HttpResponse r = HttpResponse::error(429, "queue full");
        r.setHeader("Retry-After", "1");
        responder.respond(r);
        return;
    }
    case JobRunner::Submit::Stopped:
        responder.respond(HttpResponse::error(503, "draining, not accepting jobs"));
        return;
    }
}

void Agent::handleShutdown(const HttpRequest &, HttpResponder &responder)
{
    // A hung agent (--ignore-shutdown) says yes and then does nothing, which is the case the
    // supervisor's escalation must handle.
    responder.respond(status(202, QStringLiteral("draining")));
    onShutdownRequested(QStringLiteral("POST /shutdown"));
}

void Agent::onShutdownRequested(const QString &source)
{
    if (m_options.ignoreShutdown) {
        QJsonObject o;
        o.insert(QStringLiteral("event"), QStringLiteral("shutdown_ignored"));
        o.insert(QStringLiteral("source"), source);
        printEvent(o);
        return;
    }
    beginShutdown(source);
}

void Agent::beginShutdown(const QString &reason)
{
    if (m_draining)
        return;
    m_draining = true;
    m_shutdownReason = reason;
    m_droppedJobs = m_runner->stopAccepting();
    QJsonObject o;
    o.insert(QStringLiteral("event"), QStringLiteral("draining"));
    o.insert(QStringLiteral("reason"), reason);
    o.insert(QStringLiteral("in_flight"), m_runner->inFlight());
    o.insert(QStringLiteral("dropped"), m_droppedJobs);
    printEvent(o);
}

void Agent::onDrained()
{
    QJsonObject o;
    o.insert(QStringLiteral("event"), QStringLiteral("stopped"));
    o.insert(QStringLiteral("reason"), m_shutdownReason);
    o.insert(QStringLiteral("jobs_ok"), m_metrics.jobsOk());
    o.insert(QStringLiteral("jobs_error"), m_metrics.jobsError());
    o.insert(QStringLiteral("dropped"), m_droppedJobs);
    printEvent(o);
    m_closeDeadline.start();
    m_server.close();
}

} // namespace drover::agent
