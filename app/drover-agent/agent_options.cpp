#include "agent_options.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>
#include <functional>

namespace drover::agent {

namespace {

// Strict integer parsing: "12abc", "", "-1" for a count are errors, not 12, 0 or a wrap.
std::optional<qint64> parseInteger(const QString &text, qint64 min, qint64 max)
{
    bool ok = false;
    const qint64 v = text.trimmed().toLongLong(&ok);
    if (!ok || v < min || v > max)
        return std::nullopt;
    return v;
}

QString rangeError(const QString &what, const QString &value, qint64 min, qint64 max)
{
    return QStringLiteral("%1: \"%2\" is not an integer in %3..%4").arg(what, value).arg(min).arg(max);
}

} // namespace

AgentOptionsResult parseAgentOptions(const QStringList &arguments, const QProcessEnvironment &env)
{
    AgentOptionsResult result;
    AgentOptions &o = result.options;

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "drover-agent: Drover's reference agent. Serves /health/live, /health/ready, /metrics, "
        "POST /jobs and POST /shutdown on 127.0.0.1:$DROVER_PORT."));
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("Show this help."));
    const QCommandLineOption version(QStringLiteral("version"), QStringLiteral("Show the version."));
    const QCommandLineOption role(QStringLiteral("role"),
                                  QStringLiteral("Informational role name (mail, browser, ...)."),
                                  QStringLiteral("name"));
    const QCommandLineOption port(QStringLiteral("port"),
                                  QStringLiteral("Listen port; overrides DROVER_PORT. 0 picks one."),
                                  QStringLiteral("port"));
    const QCommandLineOption workers(QStringLiteral("workers"),
                                     QStringLiteral("Jobs processed at once (default 2)."),
                                     QStringLiteral("n"));
    const QCommandLineOption capacity(QStringLiteral("queue-capacity"),
                                      QStringLiteral("Jobs that may wait; more get 429 (default 100)."),
                                      QStringLiteral("n"));
    const QCommandLineOption readyDelay(QStringLiteral("ready-delay-ms"),
                                        QStringLiteral("/health/ready answers 503 this long after start."),
                                        QStringLiteral("ms"));
    const QCommandLineOption cpuDefault(QStringLiteral("cpu-ms-default"),
                                        QStringLiteral("CPU time a job burns when it names none (default 50)."),
                                        QStringLiteral("ms"));
    const QCommandLineOption maxBody(QStringLiteral("max-body-bytes"),
                                     QStringLiteral("Largest accepted request body (default 1048576)."),
                                     QStringLiteral("bytes"));
    const QCommandLineOption gptModel(QStringLiteral("gpt-model"),
                                      QStringLiteral("Model name sent to the chat-completions endpoint."),
                                      QStringLiteral("name"));
    const QCommandLineOption gptTimeout(QStringLiteral("gpt-timeout-ms"),
                                        QStringLiteral("Timeout of one chat-completions call (default 30000)."),
                                        QStringLiteral("ms"));
    const QCommandLineOption crashAfter(QStringLiteral("crash-after-ms"),
                                        QStringLiteral("Test: exit abruptly with code 3 after this long."),
                                        QStringLiteral("ms"));
    const QCommandLineOption ignoreShutdown(QStringLiteral("ignore-shutdown"),
                                            QStringLiteral("Test: ignore POST /shutdown and SIGTERM (a hung agent)."));
    const QCommandLineOption spam(QStringLiteral("stdout-spam-bytes-per-sec"),
                                  QStringLiteral("Test: write this many bytes per second to stdout."),
                                  QStringLiteral("n"));
    const QCommandLineOption forkChild(QStringLiteral("fork-child"),
                                       QStringLiteral("Test: start a child 'sleep 1000' that outlives the agent."));
    const QCommandLineOption exitImmediately(QStringLiteral("exit-immediately"),
                                             QStringLiteral("Test: exit with this code at once."),
                                             QStringLiteral("code"));
    parser.addOptions({help, version, role, port, workers, capacity, readyDelay, cpuDefault,
                       maxBody, gptModel, gptTimeout, crashAfter, ignoreShutdown, spam, forkChild,
                       exitImmediately});

    if (!parser.parse(arguments)) {
        result.error = parser.errorText();
        return result;
    }
    if (!parser.positionalArguments().isEmpty()) {
        result.error = QStringLiteral("unexpected argument \"%1\"").arg(parser.positionalArguments().first());
        return result;
    }
    if (parser.isSet(help) || parser.isSet(version)) {
        QTextStream out(stdout);
        if (parser.isSet(help))
            out << parser.helpText();
        else
            out << QCoreApplication::applicationName() << ' ' << QStringLiteral(DROVER_VERSION) << '\n';
        result.exitNow = true;
        return result;
    }

    // Each integer option: name, bounds, destination. Bounds keep every later computation
    // (timers, thread counts, allocations) in a sane range.
    struct IntOption
    {
        const QCommandLineOption *option;
        qint64 min;
        qint64 max;
        std::function<void(qint64)> apply;
    };
    const IntOption intOptions[] = {
        {&workers, 1, 256, [&](qint64 v) { o.workers = int(v); }},
        {&capacity, 0, 1000000, [&](qint64 v) { o.queueCapacity = int(v); }},
        {&readyDelay, 0, 24LL * 3600 * 1000, [&](qint64 v) { o.readyDelayMs = v; }},
        {&cpuDefault, 0, 600000, [&](qint64 v) { o.cpuMsDefault = int(v); }},
        {&maxBody, 1, 256LL * 1024 * 1024, [&](qint64 v) { o.maxBodyBytes = v; }},
        {&gptTimeout, 1, 3600000, [&](qint64 v) { o.gptTimeoutMs = int(v); }},
        {&crashAfter, 0, 24LL * 3600 * 1000, [&](qint64 v) { o.crashAfterMs = v; }},
        {&spam, 0, 1LL << 30, [&](qint64 v) { o.stdoutSpamBytesPerSec = v; }},
        {&exitImmediately, 0, 255, [&](qint64 v) { o.exitImmediately = int(v); }},
        {&port, 0, 65535, [&](qint64 v) { o.port = quint16(v); }},
    };

    // The environment first, so --port can override DROVER_PORT.
    o.pool = env.value(QStringLiteral("DROVER_POOL"));
    o.tier = env.value(QStringLiteral("DROVER_TIER"));
    const QString replica = env.value(QStringLiteral("DROVER_REPLICA"));
    if (!replica.isEmpty()) {
        const auto v = parseInteger(replica, 0, 1000000);
        if (!v) {
            result.error = rangeError(QStringLiteral("DROVER_REPLICA"), replica, 0, 1000000);
            return result;
        }
        o.replica = int(*v);
    }
    const QString envPort = env.value(QStringLiteral("DROVER_PORT"));
    if (!envPort.isEmpty()) {
        const auto v = parseInteger(envPort, 0, 65535);
        if (!v) {
            result.error = rangeError(QStringLiteral("DROVER_PORT"), envPort, 0, 65535);
            return result;
        }
        o.port = quint16(*v);
    }
    // The tier's concurrent-task cap is the worker count unless --workers says otherwise, so
    // a replica never runs more jobs at once than its tier allows. 0 means no cap from the tier.
    const QString envTasks = env.value(QStringLiteral("DROVER_CONCURRENT_TASKS"));
    if (!envTasks.isEmpty()) {
        const auto v = parseInteger(envTasks, 0, 256);
        if (!v) {
            result.error = rangeError(QStringLiteral("DROVER_CONCURRENT_TASKS"), envTasks, 0, 256);
            return result;
        }
        if (*v > 0)
            o.workers = int(*v);
    }

    for (const IntOption &io : intOptions) {
        if (!parser.isSet(*io.option))
            continue;
        const QString text = parser.value(*io.option);
        const auto v = parseInteger(text, io.min, io.max);
        if (!v) {
            result.error = rangeError(QStringLiteral("--") + io.option->names().constLast(), text,
                                      io.min, io.max);
            return result;
        }
        io.apply(*v);
    }
    o.role = parser.value(role);
    o.ignoreShutdown = parser.isSet(ignoreShutdown);
    o.forkChild = parser.isSet(forkChild);
    if (parser.isSet(gptModel))
        o.gptModel = parser.value(gptModel);

    const QString base = env.value(QStringLiteral("OPENAI_BASE_URL")).trimmed();
    if (!base.isEmpty()) {
        const QUrl url(base, QUrl::StrictMode);
        if (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))
            || url.host().isEmpty()) {
            result.error = QStringLiteral("OPENAI_BASE_URL: \"%1\" is not an http(s) URL").arg(base);
            return result;
        }
        o.gptBaseUrl = url;
        o.gptApiKey = env.value(QStringLiteral("OPENAI_API_KEY")).toUtf8();
    }
    return result;
}

} // namespace drover::agent
