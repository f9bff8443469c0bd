// The agent contract (DESIGN.md) checked against the real drover-agent executable over real
// loopback HTTP: health, metrics, jobs, backpressure, bad input, graceful and abrupt stops,
// chaos switches, and GPT calls against a fake chat-completions server.
#include "core/http/http_request_parser.h"
#include "core/http/http_server.h"
#include "core/metrics/prometheus_text.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

#include <functional>
#include <memory>

#ifdef Q_OS_UNIX
#include <csignal>
#include <sys/types.h>
#include <unistd.h>
#endif

using namespace drover;

namespace {

constexpr int kStartTimeoutMs = 15000;
constexpr int kJobTimeoutMs = 30000;
constexpr int kExitTimeoutMs = 20000;

// One drover-agent process. Destruction kills whatever is still running.
class AgentUnderTest
{
public:
    ~AgentUnderTest()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    bool start(const QStringList &args, const QMap<QString, QString> &env = {})
    {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.remove(QStringLiteral("OPENAI_BASE_URL"));
        e.remove(QStringLiteral("OPENAI_API_KEY"));
        e.insert(QStringLiteral("DROVER_PORT"), QStringLiteral("0"));
        for (auto it = env.cbegin(); it != env.cend(); ++it)
            e.insert(it.key(), it.value());
        m_process.setProcessEnvironment(e);
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        m_process.setReadChannel(QProcess::StandardOutput);
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, [this] {
            m_stdout += m_process.readAllStandardOutput();
        });
        QObject::connect(&m_process, &QProcess::readyReadStandardError, [this] {
            m_stderr += m_process.readAllStandardError();
        });
        m_process.start(QStringLiteral(DROVER_AGENT_PATH), args);
        return m_process.waitForStarted(kStartTimeoutMs);
    }

    // Waits for the first stdout line and parses it as the listening event.
    bool waitForListening()
    {
        if (!waitForStdout([](const QByteArray &out) { return out.contains('\n'); },
                           kStartTimeoutMs))
            return false;
        const QByteArray line = m_stdout.left(m_stdout.indexOf('\n'));
        m_listening = QJsonDocument::fromJson(line).object();
        m_port = quint16(m_listening.value(QStringLiteral("port")).toInt());
        return m_listening.value(QStringLiteral("event")).toString() == QLatin1String("listening")
               && m_port != 0;
    }

    bool waitForStdout(const std::function<bool(const QByteArray &)> &done, int timeoutMs)
    {
        QDeadlineTimer deadline(timeoutMs);
        QSignalSpy spy(&m_process, &QProcess::readyReadStandardOutput);
        while (!done(m_stdout)) {
            if (deadline.hasExpired() || m_process.state() == QProcess::NotRunning)
                return done(m_stdout);
            spy.wait(int(qMax<qint64>(1, deadline.remainingTime())));
        }
        return true;
    }

    bool waitForExit(int timeoutMs = kExitTimeoutMs)
    {
        if (m_process.state() == QProcess::NotRunning)
            return true;
        QSignalSpy spy(&m_process, &QProcess::finished);
        return spy.wait(timeoutMs) || m_process.state() == QProcess::NotRunning;
    }

    // The stdout events (JSON lines) whose "event" is `name`.
    QList<QJsonObject> events(const QString &name) const
    {
        QList<QJsonObject> out;
        for (const QByteArray &line : m_stdout.split('\n')) {
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            if (o.value(QStringLiteral("event")).toString() == name)
                out.append(o);
        }
        return out;
    }

    QUrl url(const QString &path) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path));
    }

    QProcess &process() { return m_process; }
    quint16 port() const { return m_port; }
    const QJsonObject &listening() const { return m_listening; }
    const QByteArray &standardOutput() const { return m_stdout; }
    QString diagnostics() const
    {
        return QStringLiteral("stdout:\n%1\nstderr:\n%2")
            .arg(QString::fromUtf8(m_stdout.right(2000)), QString::fromUtf8(m_stderr.right(2000)));
    }

private:
    QProcess m_process;
    QByteArray m_stdout;
    QByteArray m_stderr;
    QJsonObject m_listening;
    quint16 m_port = 0;
};

struct HttpResult
{
    int status = 0;
    QByteArray body;
    QByteArray contentType;
    QString error;

    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

QByteArray jobJson(const QString &id, int cpuMs, bool gpt = false)
{
    QJsonObject o;
    o.insert(QStringLiteral("id"), id);
    o.insert(QStringLiteral("cpu_ms"), cpuMs);
    o.insert(QStringLiteral("gpt"), gpt);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// A raw exchange on a fresh connection: send bytes, read until the server closes or the
// response is complete (by Content-Length).
// Reads one answer (by its Content-Length), or with untilClose everything until the peer closes
// (pipelined requests whose last one says Connection: close).
QByteArray rawExchange(quint16 port, const QByteArray &bytes, int timeoutMs = 10000,
                       bool untilClose = false)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(timeoutMs))
        return {};
    socket.write(bytes);
    QByteArray received;
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        const qsizetype headerEnd = received.indexOf("\r\n\r\n");
        if (headerEnd >= 0 && !untilClose) {
            const QByteArray head = received.left(headerEnd).toLower();
            const qsizetype cl = head.indexOf("content-length:");
            if (cl >= 0) {
                const qsizetype eol = head.indexOf("\r\n", cl);
                const int length = head.mid(cl + 15, eol < 0 ? -1 : eol - cl - 15).trimmed().toInt();
                if (received.size() >= headerEnd + 4 + length)
                    break;
            }
        }
        if (socket.state() != QAbstractSocket::ConnectedState && socket.bytesAvailable() == 0)
            break;
        if (socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime()))))
            received += socket.readAll();
    }
    received += socket.readAll();
    return received;
}

int rawStatus(const QByteArray &response)
{
    // "HTTP/1.1 400 Bad Request"
    return response.startsWith("HTTP/1.1 ") ? response.mid(9, 3).toInt() : 0;
}

} // namespace

class TestAgentContract : public QObject
{
    Q_OBJECT

private:
    QNetworkAccessManager m_nam;

    HttpResult http(const QByteArray &verb, const QUrl &url, const QByteArray &body = {},
                    int timeoutMs = 10000)
    {
        QNetworkRequest request(url);
        if (!body.isNull())
            request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        request.setTransferTimeout(timeoutMs);
        QNetworkReply *reply = m_nam.sendCustomRequest(request, verb, body);
        if (!reply->isFinished()) {
            QSignalSpy spy(reply, &QNetworkReply::finished);
            spy.wait(timeoutMs + 2000);
        }
        HttpResult r;
        r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        r.body = reply->isReadable() ? reply->readAll() : QByteArray();
        r.contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
        if (reply->error() != QNetworkReply::NoError)
            r.error = reply->errorString();
        reply->deleteLater();
        return r;
    }

    PrometheusParseResult scrape(const AgentUnderTest &agent)
    {
        const HttpResult r = http("GET", agent.url(QStringLiteral("/metrics")));
        if (r.status != 200)
            return {};
        return parsePrometheusText(r.body);
    }

    double metric(const AgentUnderTest &agent, const QString &name, const PrometheusLabels &labels = {})
    {
        return scrape(agent).value(name, labels).value_or(-1);
    }

    static PrometheusLabels status(const char *s)
    {
        return {{QStringLiteral("status"), QString::fromLatin1(s)}};
    }

private slots:
    void initTestCase()
    {
        // An http_proxy in the test environment must not reroute loopback traffic.
        m_nam.setProxy(QNetworkProxy::NoProxy);
        QVERIFY2(QFileInfo::exists(QStringLiteral(DROVER_AGENT_PATH)), DROVER_AGENT_PATH);
    }

    void listeningLineAndHealth()
    {
        AgentUnderTest agent;
        QVERIFY(agent.start({QStringLiteral("--role"), QStringLiteral("mail")},
                            {{QStringLiteral("DROVER_POOL"), QStringLiteral("mail")},
                             {QStringLiteral("DROVER_REPLICA"), QStringLiteral("2")},
                             {QStringLiteral("DROVER_TIER"), QStringLiteral("basic")}}));
        QVERIFY2(agent.waitForListening(), qPrintable(agent.diagnostics()));
        const QJsonObject l = agent.listening();
        QCOMPARE(l.value(QStringLiteral("pid")).toInteger(), agent.process().processId());
        QCOMPARE(l.value(QStringLiteral("pool")).toString(), QStringLiteral("mail"));
        QCOMPARE(l.value(QStringLiteral("replica")).toInt(), 2);
        QCOMPARE(l.value(QStringLiteral("tier")).toString(), QStringLiteral("basic"));

        QCOMPARE(http("GET", agent.url(QStringLiteral("/health/live"))).status, 200);
        const HttpResult ready = http("GET", agent.url(QStringLiteral("/health/ready")));
        QCOMPARE(ready.status, 200);
        QCOMPARE(ready.json().value(QStringLiteral("status")).toString(), QStringLiteral("ready"));
        QCOMPARE(http("GET", agent.url(QStringLiteral("/nowhere"))).status, 404);
        QCOMPARE(http("POST", agent.url(QStringLiteral("/health/live")), "{}").status, 405);
        QCOMPARE(http("HEAD", agent.url(QStringLiteral("/health/live"))).status, 200);
    }

    void fixedPortFromEnvironment()
    {
        // Find a free port the way Drover reserves one, then hand it over.
        quint16 port = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            port = probe.serverPort();
        }
        AgentUnderTest agent;
        QVERIFY(agent.start({}, {{QStringLiteral("DROVER_PORT"), QString::number(port)}}));
        QVERIFY2(agent.waitForListening(), qPrintable(agent.diagnostics()));
        QCOMPARE(agent.port(), port);
        QCOMPARE(http("GET", agent.url(QStringLiteral("/health/live"))).status, 200);
    }

    void readyOnlyAfterTheReadyDelay()
    {
        AgentUnderTest agent;
        QVERIFY(agent.start({QStringLiteral("--ready-delay-ms"), QStringLiteral("1500")}));
        QVERIFY2(agent.waitForListening(), qPrintable(agent.diagnostics()));
        QCOMPARE(http("GET", agent.url(QStringLiteral("/health/live"))).status, 200);
        const HttpResult starting = http("GET", agent.url(QStringLiteral("/health/ready")));
        QCOMPARE(starting.status, 503);
        QCOMPARE(starting.json().value(QStringLiteral("status")).toString(),
                 QStringLiteral("starting"));
        QTRY_COMPARE_WITH_TIMEOUT(http("GET", agent.url(QStringLiteral("/health/ready"))).status,
                                  200, 15000);
    }

    void metricsAreValidPrometheusText()
    {
        AgentUnderTest agent;
        QVERIFY(agent.start({}, {{QStringLiteral("DROVER_POOL"), QStringLiteral("a \"quoted\" pool")}}));
        QVERIFY2(agent.waitForListening(), qPrintable(agent.diagnostics()));
        const HttpResult r = http("GET", agent.url(QStringLiteral("/metrics")));
        QCOMPARE(r.status, 200);
        QVERIFY(r.contentType.startsWith("text/plain"));
        const PrometheusParseResult m = parsePrometheusText(r.body);
        QVERIFY2(m.ok(), qPrintable(m.errors.value(0).toString()));
        QCOMPARE(m.typeOf(QStringLiteral("agent_queue_depth")), PrometheusType::Gauge);
        QCOMPARE(m.typeOf(QStringLiteral("agent_in_flight")), PrometheusType::Gauge);
        QCOMPARE(m.typeOf(QStringLiteral("agent_jobs_total")), PrometheusType::Counter);
        QCOMPARE(m.typeOf(QStringLiteral("agent_gpt_tokens_total")), PrometheusType::Counter);
        QCOMPARE(m.typeOf(QStringLiteral("agent_job_duration_seconds_bucket")),
                 PrometheusType::Histogram);
        QCOMPARE(m.value(QStringLiteral("agent_queue_depth")), 0.0);
        QCOMPARE(m.value(QStringLiteral("agent_jobs_total"), status("ok")), 0.0);
        QCOMPARE(m.value(QStringLiteral("agent_jobs_total"), status("error")), 0.0);
        QCOMPARE(m.value(QStringLiteral("agent_gpt_tokens_total"),
                         {{QStringLiteral("kind"), QStringLiteral("prompt")}}),
                 0.0);
        QCOMPARE(m.value(QStringLiteral("agent_gpt_tokens_total"),
                         {{QStringLiteral("kind"), QStringLiteral("completion")}}),
                 0.0);
        const auto h = m.histogram(QStringLiteral("agent_job_duration_seconds"));
        QVERIFY(h);
        QVERIFY(std::isinf(h->buckets.last().upperBound));
        QCOMPARE(h->count, 0.0);
        // The pool name with quotes survives escaping.
        bool found = false;
        for (const PrometheusSample &s : m.samples) {
            if (s.name == QLatin1String("agent_info"))
                found = s.labels.value(QStringLiteral("pool")) == QLatin1String("a \"quoted\" pool");
        }
        QVERIFY(found);
    }

    void acceptedJobsAreProcessedAndCounted()
    {
        AgentUnderTest agent;
        QVERIFY(agent.start({QStringLiteral("--workers"), QStringLiteral("2")}));
        QVERIFY2(agent.waitForListening(), qPrintable(agent.diagnostics()));
        constexpr int kJobs = 5;
        for (int i = 0; i < kJobs; ++i) {
            const QString id = QStringLiteral("job-%1").arg(i);
            const HttpResult r = http("POST", agent.url(QStringLiteral("/jobs")), jobJson(id, 20));
            QCOMPARE(r.status, 202);
            QCOMPARE(r.json().value(QStringLiteral("id")).toString(), id);
        }
        // A job without an id gets one.
        const HttpResult anonymous = http("POST", agent.url(QStringLiteral("/jobs")), "{}");
        QCOMPARE(anonymous.status, 202);
        QVERIFY(!anonymous.json().value(QStringLiteral("id")).toString().isEmpty());

        QTRY_COMPARE_WITH_TIMEOUT(metric(agent, QStringLiteral("agent_jobs_total"), status("ok")),
                                  double(kJobs + 1), kJobTimeoutMs);
        const PrometheusParseResult m = scrape(agent);
        QCOMPARE(m.value(QStringLiteral("agent_queue_depth")), 0.0);
        QCOMPARE(m.value(QStringLiteral("agent_in_flight")), 0.0);
        QCOMPARE(m.value(QStringLiteral("agent_jobs_total"), status("error")), 0.0);
        const auto h = m.histogram(QStringLiteral("agent_job_duration_seconds"));
        QVERIFY(h);
        QCOMPARE(h->count, double(kJobs + 1));
        QVERIFY(h->sum >= kJobs * 0.020 * 0.5); // CPU time >= wall time fraction; generous
    }

    void failingJobsAreCountedAsErrors()
    {
        AgentUnderTest agent;
        QVERIFY(agent.start({}));
        QVERIFY2(agent.waitForListening(), qPrintable(agent.diagnostics()));
        QCOMPARE(http("POST", agent.url(QStringLiteral("/jobs")), R"({"id":"f","cpu_ms":1,"fail":true})")
                     .status,
                 202);
        QTRY_COMPARE_WITH_TIMEOUT(metric(agent, QStringLiteral("agent_jobs_total"), status("error")),
                                  1.0, kJobTimeoutMs);
    }

    void fullQueueAnswers429()
    {
        AgentUnderTest agent;
        // One worker busy for a long time, room for two waiting jobs.
        QVERIFY(agent.start({QStringLiteral("--workers"), QStringLiteral("1"),
                             QStringLiteral("--queue-capacity"), QStringLiteral("2")}));
        QVERIFY2(agent.waitForListening(), qPrintable(agent.diagnostics()));
        const QUrl jobs = agent.url(QStringLiteral("/jobs"));
        QCOMPARE(http("POST", jobs, jobJson(QStringLiteral("running"), 60000)).status, 202);
        QCOMPARE(http("POST", jobs, jobJson(QStringLiteral("waiting-1"), 1)).status, 202);
        QCOMPARE(http("POST", jobs, jobJson(QStringLiteral("waiting-2"), 1)).status, 202);
        const HttpResult full = http("POST", jobs, jobJson(QStringLiteral("rejected"), 1));
        QCOMPARE(full.status, 429);
        QVERIFY(full.json().contains(QStringLiteral("error")));

        const PrometheusParseResult m = scrape(agent);
        QCOMPARE(m.value(QStringLiteral("agent_queue_depth")), 2.0);
        QCOMPARE(m.value(QStringLiteral("agent_in_flight")), 1.0);
        QCOMPARE(http("GET", agent.url(QStringLiteral("/health/live"))).status, 200);
    }

    void badRequestsAre400AndTheAgentKeepsServing_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("truncated json") << QByteArray("{\"id\":");
        QTest::newRow("not json") << QByteArray("hello");
        QTest::newRow("array") << QByteArray("[1,2,3]");
        QTest::newRow("cpu_ms not a number") << QByteArray(R"({"cpu_ms":"lots"})");
        QTest::newRow("cpu_ms negative") << QByteArray(R"({"cpu_ms":-5})");
        QTest::newRow("gpt not a bool") << QByteArray(R"({"gpt":"yes"})");
        QTest::newRow("id not a string") << QByteArray(R"({"id":{"a":1}})");
        QTest::newRow("binary") << QByteArray::fromHex("00ff10fe80");
        QTest::newRow("empty") << QByteArray("");
    }

    void badRequestsAre400AndTheAgentKeepsServing()
    {
        QFETCH(QByteArray, body);
        AgentUnderTest agent;
        QVERIFY(agent.start({}));
        QVERIFY2(agent.waitForListening(), qPrintable(agent.diagnostics()));
        const HttpResult r = http("POST", agent.url(QStringLiteral("/jobs")), body);
        QCOMPARE(r.status, 400);
        QVERIFY(r.json().contains(QStringLiteral("error")));
        QCOMPARE(http("GET", agent.url(QStringLiteral("/health/live"))).status, 200);
        QCOMPARE(http("POST", agent.url(QStringLiteral("/jobs")), jobJson(QStringLiteral("ok"), 1)).status,
                 202);
    }

    void malformedHttpIsRefusedAndTheAgentKeepsServing()
    {
        AgentUnderTest agent;
        QVERIFY(agent.start({}));
        QVERIFY2(agent.waitForListening(), qPrintable(agent.diagnostics()));
        QCOMPARE(rawStatus(rawExchange(agent.port(), "NOT HTTP AT ALL\r\n\r\n")), 400);
        QCOMPARE(rawStatus(rawExchange(agent.port(), QByteArray::fromHex("160301020001000000"))), 400);
        QCOMPARE(rawStatus(rawExchange(agent.port(),
                                       "POST /jobs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked"
                                       "\r\n\r\n5\r\nhello\r\n0\r\n\r\n")),
                 411);
        QCOMPARE(rawStatus(rawExchange(agent.port(),
                                       "POST /jobs HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000"
                                       "\r\n\r\n")),
                 413);
        // Pipelined requests on one connection are answered in order.
        const QByteArray two = rawExchange(
            agent.port(), "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n"
                          "GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            10000, /*untilClose=*/true);
        QCOMPARE(rawStatus(two), 200);
        QVERIFY2(two.indexOf("HTTP/1.1 404") > two.indexOf("HTTP/1.1 200"), two.constData());
        QCOMPARE(http("GET", agent.url(QStringLiteral("/health/live"))).status, 200);
    }

    void shutdownFinishesInFlightJobsAndExitsZero()
    {
        AgentUnderTest agent;
        QVERIFY(agent.start({QStringLiteral("--workers"), QStringLiteral("2")}));
        QVERIFY2(agent.waitForListening(), qPrintable(agent.diagnostics()));
        QCOMPARE(http("POST", agent.url(QStringLiteral("/jobs")), jobJson(QStringLiteral("a"), 700)).status,
                 202);
        QCOMPARE(http("POST", agent.url(QStringLiteral("/jobs")), jobJson(QStringLiteral("b"), 700)).status,
                 202);
        QCOMPARE(metric(agent, QStringLiteral("agent_in_flight")), 2.0);

        const HttpResult r = http("POST", agent.url(QStringLiteral("/shutdown")), "{}");
        QCOMPARE(r.status, 202);
        // The jobs burn 700 ms of CPU each, so the agent is certainly still draining here.
        QCOMPARE(http("GET", agent.url(QStringLiteral("/health/ready"))).status, 503);
        QCOMPARE(http("POST", agent.url(QStringLiteral("/jobs")), jobJson(QStringLiteral("late"), 1)).status,
                 503);

        QVERIFY2(agent.waitForExit(), qPrintable(agent.diagnostics()));
        QCOMPARE(agent.process().exitStatus(), QProcess::NormalExit);
        QCOMPARE(agent.process().exitCode(), 0);
        const QList<QJsonObject> stopped = agent.events(QStringLiteral("stopped"));
        QCOMPARE(stopped.size(), 1);
        QCOMPARE(stopped.first().value(QStringLiteral("jobs_ok")).toInt(), 2);
    }

#ifdef Q_OS_UNIX
    void sigtermIsAGracefulStop_data()
    {
        QTest::addColumn<int>("signo");
        QTest::newRow("SIGTERM") << int(SIGTERM);
        QTest::newRow("SIGINT") << int(SIGINT);
    }

    void sigtermIsAGracefulStop()
    {
        QFETCH(int, signo);
        AgentUnderTest agent;
        QVERIFY(agent.start({}));
        QVERIFY2(agent.waitForListening(), qPrintable(agent.diagnostics()));
        QCOMPARE(http("POST", agent.url(QStringLiteral("/jobs")), jobJson(QStringLiteral("a"), 300)).status,
                 202);
        QCOMPARE(::kill(pid_t(agent.process().processId()), signo), 0);
        QVERIFY2(agent.waitForExit(), qPrintable(agent.diagnostics()));
        QCOMPARE(agent.process().exitStatus(), QProcess::NormalExit);
        QCOMPARE(agent.process().exitCode(), 0);
        const QList<QJsonObject> stopped = agent.events(QStringLiteral("stopped"));
        QCOMPARE(stopped.size(), 1);
        QCOMPARE(stopped.first().value(QStringLiteral("jobs_ok")).toInt(), 1);
    }

    void ignoreShutdownMakesAHungAgent()
    {
        AgentUnderTest agent;
        QVERIFY(agent.start({QStringLiteral("--ignore-shutdown")}));
        QVERIFY2(agent.waitForListening(), qPrintable(agent.diagnostics()));
        QCOMPARE(http("POST", agent.url(QStringLiteral("/shutdown")), "{}").status, 202);
        agent.process().terminate(); // SIGTERM
        QVERIFY(agent.waitForStdout(
            [](const QByteArray &out) { return out.count("shutdown_ignored") >= 2; }, 10000));
        QCOMPARE(http("GET", agent.url(QStringLiteral("/health/ready"))).status, 200);
        QCOMPARE(agent.process().state(), QProcess::Running);
    }

    void forkChildSurvivesTheAgentInItsProcessGroup()
    {
        AgentUnderTest agent;
        QVERIFY(agent.start({QStringLiteral("--fork-child")}));
        QVERIFY2(agent.waitForListening(), qPrintable(agent.diagnostics()));
        QVERIFY(agent.waitForStdout([](const QByteArray &out) { return out.contains("\"child\""); },
                                    10000));
        const auto childPid = pid_t(agent.events(QStringLiteral("child")).first()
                                        .value(QStringLiteral("pid")).toInteger());
        QVERIFY(childPid > 0);
        struct ChildReaper
        {
            pid_t pid;
            ~ChildReaper() { ::kill(pid, SIGKILL); }
        } reaper{childPid};
        const auto agentPid = pid_t(agent.process().processId());
        QCOMPARE(::getpgid(childPid), ::getpgid(agentPid));

        agent.process().kill();
        QVERIFY(agent.waitForExit());
        QCOMPARE(::kill(childPid, 0), 0); // still there: only a process-group kill reaches it
    }
#endif

    void crashAfterExitsNonZero()
    {
        AgentUnderTest agent;
        QVERIFY(agent.start({QStringLiteral("--crash-after-ms"), QStringLiteral("300")}));
        QVERIFY2(agent.waitForListening(), qPrintable(agent.diagnostics()));
        QVERIFY2(agent.waitForExit(), qPrintable(agent.diagnostics()));
        QCOMPARE(agent.process().exitStatus(), QProcess::NormalExit);
        QCOMPARE(agent.process().exitCode(), 3);
    }

    void exitImmediately()
    {
        AgentUnderTest agent;
        QVERIFY(agent.start({QStringLiteral("--exit-immediately"), QStringLiteral("7")}));
        QVERIFY(agent.waitForExit());
        QCOMPARE(agent.process().exitCode(), 7);
        QVERIFY(agent.standardOutput().isEmpty());
    }

    void usageErrorsExitTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("port");
        QTest::newRow("bad DROVER_PORT") << QStringList() << QStringLiteral("http");
        QTest::newRow("port out of range") << QStringList() << QStringLiteral("70000");
        QTest::newRow("bad workers") << QStringList{QStringLiteral("--workers"), QStringLiteral("0")}
                                     << QStringLiteral("0");
        QTest::newRow("unknown option") << QStringList{QStringLiteral("--frobnicate")}
                                        << QStringLiteral("0");
    }

    void usageErrorsExitTwo()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, port);
        AgentUnderTest agent;
        QVERIFY(agent.start(args, {{QStringLiteral("DROVER_PORT"), port}}));
        QVERIFY(agent.waitForExit());
        QCOMPARE(agent.process().exitCode(), 2);
    }

    void stdoutSpamWritesAtTheRequestedRate()
    {
        AgentUnderTest agent;
        QVERIFY(agent.start({QStringLiteral("--stdout-spam-bytes-per-sec"), QStringLiteral("200000")}));
        QVERIFY2(agent.waitForListening(), qPrintable(agent.diagnostics()));
        QElapsedTimer clock;
        clock.start();
        QVERIFY(agent.waitForStdout([](const QByteArray &out) { return out.size() >= 100000; },
                                    15000));
        // 100 kB at 200 kB/s cannot arrive much faster than 0.5 s.
        QVERIFY2(clock.elapsed() >= 350, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(http("GET", agent.url(QStringLiteral("/health/live"))).status, 200);
    }

    void gptJobsCallTheChatEndpointAndCountTokens()
    {
        // The fake upstream: OpenAI's chat-completions shape, fixed usage numbers.
        HttpServer fake;
        QList<HttpRequest> seen;
        int upstreamStatus = 200;
        fake.route("POST", "/v1/chat/completions", [&](const HttpRequest &q, HttpResponder &r) {
            seen.append(q);
            QJsonObject usage{{QStringLiteral("prompt_tokens"), 11},
                              {QStringLiteral("completion_tokens"), 7},
                              {QStringLiteral("total_tokens"), 18}};
            QJsonObject message{{QStringLiteral("role"), QStringLiteral("assistant")},
                                {QStringLiteral("content"), QStringLiteral("ready")}};
            QJsonObject choice{{QStringLiteral("index"), 0}, {QStringLiteral("message"), message}};
            QJsonObject body{{QStringLiteral("id"), QStringLiteral("chatcmpl-test")},
                             {QStringLiteral("object"), QStringLiteral("chat.completion")},
                             {QStringLiteral("choices"), QJsonArray{choice}},
                             {QStringLiteral("usage"), usage}};
            r.respond(upstreamStatus == 200 ? HttpResponse::json(200, body)
                                            : HttpResponse::error(upstreamStatus, "upstream down"));
        });
        QVERIFY(fake.listen(0));

        AgentUnderTest agent;
        QVERIFY(agent.start({}, {{QStringLiteral("OPENAI_BASE_URL"),
                                  QStringLiteral("http://127.0.0.1:%1/v1/").arg(fake.port())},
                                 {QStringLiteral("OPENAI_API_KEY"), QStringLiteral("replica-token")}}));
        QVERIFY2(agent.waitForListening(), qPrintable(agent.diagnostics()));
        QCOMPARE(agent.listening().value(QStringLiteral("gpt")).toBool(), true);

        const QUrl jobs = agent.url(QStringLiteral("/jobs"));
        QCOMPARE(http("POST", jobs, jobJson(QStringLiteral("g1"), 1, true)).status, 202);
        QCOMPARE(http("POST", jobs, jobJson(QStringLiteral("g2"), 1, true)).status, 202);
        QCOMPARE(http("POST", jobs, jobJson(QStringLiteral("plain"), 1, false)).status, 202);
        QTRY_COMPARE_WITH_TIMEOUT(metric(agent, QStringLiteral("agent_jobs_total"), status("ok")),
                                  3.0, kJobTimeoutMs);
        const PrometheusParseResult m = scrape(agent);
        QCOMPARE(m.value(QStringLiteral("agent_gpt_tokens_total"),
                         {{QStringLiteral("kind"), QStringLiteral("prompt")}}),
                 22.0);
        QCOMPARE(m.value(QStringLiteral("agent_gpt_tokens_total"),
                         {{QStringLiteral("kind"), QStringLiteral("completion")}}),
                 14.0);
        QCOMPARE(seen.size(), 2);
        for (const HttpRequest &q : seen) {
            QCOMPARE(q.header("authorization"), QByteArray("Bearer replica-token"));
            const QJsonObject body = QJsonDocument::fromJson(q.body).object();
            QVERIFY(body.value(QStringLiteral("messages")).isArray());
            QVERIFY(!body.value(QStringLiteral("model")).toString().isEmpty());
        }

        // An upstream failure is a failed job, and no tokens are invented.
        upstreamStatus = 503;
        QCOMPARE(http("POST", jobs, jobJson(QStringLiteral("g3"), 1, true)).status, 202);
        QTRY_COMPARE_WITH_TIMEOUT(metric(agent, QStringLiteral("agent_jobs_total"), status("error")),
                                  1.0, kJobTimeoutMs);
        QCOMPARE(metric(agent, QStringLiteral("agent_gpt_tokens_total"),
                        {{QStringLiteral("kind"), QStringLiteral("prompt")}}),
                 22.0);
    }
};

QTEST_GUILESS_MAIN(TestAgentContract)
#include "tst_agent_contract.moc"
