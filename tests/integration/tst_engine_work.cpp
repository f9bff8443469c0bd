// The engine with its work plane wired in (core/engine/work_wiring.h), against a real
// drover-agent pool: jobs submitted through the intake endpoint (its token from the real
// keychain) run on the agents; their GPT calls go through the gateway to an upstream written
// for this test that records what it received; the snapshot shows the queue, the token rates,
// the breakers and the dead letters; the upstream only ever sees the provider key; a replica
// that goes away loses its token. Then the offline demo: no provider key, and the simulated
// upstream answers a loop's GPT calls. Runs under tests/run_with_keyring.sh.
#include "core/config/config.h"
#include "core/engine/engine.h"
#include "core/http/http_server.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QTemporaryDir>
#include <QUuid>
#include <QtTest>

#include <memory>

using namespace drover;

namespace {

const QByteArray kAgent = DROVER_AGENT_EXE;
constexpr int kSlow = 60000; // generous: a loaded two-core CI machine

// An OpenAI-compatible upstream for the test: answers chat completions with fixed usage and
// records every Authorization header it was sent.
class RecordingUpstream
{
public:
    static constexpr int kPrompt = 11;
    static constexpr int kCompletion = 7;

    RecordingUpstream()
    {
        m_server.route("POST", "/v1/chat/completions",
                       [this](const HttpRequest &request, HttpResponder &responder) {
                           m_authorizations << request.header("authorization");
                           QJsonObject message{{QStringLiteral("role"), QStringLiteral("assistant")},
                                               {QStringLiteral("content"), QStringLiteral("ready")}};
                           QJsonObject choice{{QStringLiteral("index"), 0},
                                              {QStringLiteral("message"), message},
                                              {QStringLiteral("finish_reason"), QStringLiteral("stop")}};
                           QJsonObject usage{{QStringLiteral("prompt_tokens"), kPrompt},
                                             {QStringLiteral("completion_tokens"), kCompletion},
                                             {QStringLiteral("total_tokens"), kPrompt + kCompletion}};
                           QJsonObject body{{QStringLiteral("id"), QStringLiteral("chatcmpl-test")},
                                            {QStringLiteral("object"), QStringLiteral("chat.completion")},
                                            {QStringLiteral("model"), QStringLiteral("gpt-4o-mini")},
                                            {QStringLiteral("choices"), QJsonArray{choice}},
                                            {QStringLiteral("usage"), usage}};
                           responder.respond(HttpResponse::json(200, body));
                       });
    }
    bool listen() { return m_server.listen(0); }
    QString baseUrl() const { return QStringLiteral("http://127.0.0.1:%1/v1").arg(m_server.port()); }
    const QList<QByteArray> &authorizations() const { return m_authorizations; }

private:
    HttpServer m_server;
    QList<QByteArray> m_authorizations;
};

// Keychain entries through a process of its own: the engine uses the keychain in its thread,
// and QtKeychain's one executor per process must not be shared with this thread (see
// tests/support/secret_tool.cpp).
struct ToolResult
{
    int exitCode = -1;
    QString output;
};

ToolResult secretTool(const QString &service, const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(DROVER_SECRET_TOOL), QStringList{service} + args);
    ToolResult r;
    if (!p.waitForFinished(30000))
        return r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.output = QString::fromUtf8(p.readAllStandardOutput());
    return r;
}

struct Reply
{
    int status = 0;
    QByteArray body;
};

Reply post(QNetworkAccessManager &nam, const QUrl &url, const QByteArray &authorization,
           const QByteArray &body)
{
    QNetworkRequest r(url);
    r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    r.setRawHeader("Authorization", authorization);
    r.setTransferTimeout(30000);
    QNetworkReply *reply = nam.post(r, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    finished.wait(40000);
    Reply out;
    out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    out.body = reply->readAll();
    reply->deleteLater();
    return out;
}

// The environment a replica process was started with (Linux: /proc).
QMap<QByteArray, QByteArray> processEnvironment(qint64 pid)
{
    QMap<QByteArray, QByteArray> env;
    QFile f(QStringLiteral("/proc/%1/environ").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return env;
    for (const QByteArray &entry : f.readAll().split('\0')) {
        const int eq = entry.indexOf('=');
        if (eq > 0)
            env.insert(entry.left(eq), entry.mid(eq + 1));
    }
    return env;
}

// The engine in its own thread, as the application runs it; the test reads its snapshots.
struct Console
{
    std::unique_ptr<EngineHost> host;
    Snapshot last;
    QHash<QString, double> maxQueueDepth;
    QHash<QString, double> maxTokensPerSecond;
    QStringList refusals;

    Console(QTemporaryDir &dir, const QByteArray &yaml, const QString &secretService)
    {
        const QString path = dir.filePath(QStringLiteral("drover.yaml"));
        QFile f(path);
        f.open(QIODevice::WriteOnly);
        f.write(yaml);
        f.close();
        ConfigLoadResult config = loadConfigFile(path);
        for (const ConfigIssue &i : config.issues)
            qWarning() << i.toString();
        EngineOptions o;
        o.tickIntervalMs = 500;
        o.storePath = dir.filePath(QStringLiteral("drover.sqlite"));
        o.logDir = dir.filePath(QStringLiteral("logs"));
        o.secretService = secretService;
        host = std::make_unique<EngineHost>(config, o);
        QObject::connect(host.get(), &EngineHost::snapshotPublished, host.get(),
                         [this](const Snapshot &s) {
                             last = s;
                             for (const PoolWorkView &w : s.work) {
                                 maxQueueDepth[w.pool] = qMax(maxQueueDepth.value(w.pool), w.queueDepth);
                                 maxTokensPerSecond[w.pool] =
                                     qMax(maxTokensPerSecond.value(w.pool), w.tokensPerSecond);
                             }
                         });
        QObject::connect(host.get(), &EngineHost::commandRefused, host.get(),
                         [this](const QString &m) { refusals << m; });
        host->start();
    }
    ~Console() { host->stop(); }

    const PoolStatus *pool(const QString &name) const
    {
        for (const PoolStatus &p : last.pools)
            if (p.name == name)
                return &p;
        return nullptr;
    }
    const PoolWorkView *work(const QString &name) const
    {
        for (const PoolWorkView &w : last.work)
            if (w.pool == name)
                return &w;
        return nullptr;
    }
    int readyIn(const QString &name) const
    {
        const PoolStatus *p = pool(name);
        return p ? p->ready : 0;
    }
    QString breakerOf(const QString &name, int replica) const
    {
        if (const PoolWorkView *w = work(name))
            for (const ReplicaWorkView &r : w->replicas)
                if (r.replica == replica)
                    return r.breaker;
        return {};
    }
    QStringList deadLetterIds(const QString &name) const
    {
        QStringList ids;
        for (const DeadLetterView &d : last.deadLetters)
            if (d.pool == name)
                ids << d.id;
        return ids;
    }
};

QString uniqueService()
{
    return QStringLiteral("Drover-test-") + QUuid::createUuid().toString(QUuid::Id128);
}

} // namespace

class TestEngineWork : public QObject
{
    Q_OBJECT
private slots:
    void jobsRunThroughTheGatewayAndTheSnapshotShowsThem()
    {
        RecordingUpstream upstream;
        QVERIFY(upstream.listen());
        const QString service = uniqueService();
        const QString providerKey = QStringLiteral("sk-test-") + QUuid::createUuid().toString(QUuid::Id128);
        QCOMPARE(secretTool(service, {QStringLiteral("set"), QStringLiteral("test_provider_key"), providerKey})
                     .exitCode,
                 0);

        // Pool p: two agents, one job at a time each, so 16 jobs of 300 ms queue up in Drover.
        // Pool broken: its "agent" serves nothing (ready as a process), so every POST /jobs
        // fails and its breaker opens after 5 failures; no retries, so each is a dead letter.
        const QByteArray yaml = QByteArray(
            "version: 1\n"
            "tiers:\n"
            "  work: { cpu_cores: 1, memory_mb: 0, concurrent_tasks: 1, gpt_tokens_per_min: 1000000 }\n"
            "pools:\n"
            "  - name: p\n"
            "    command: AGENT\n"
            "    replicas: { min: 1, max: 2, initial: 2 }\n"
            "    tier: work\n"
            "    stop_timeout: 5s\n"
            "    scrape_interval: 250ms\n"
            "    health: { interval: 300ms, timeout: 1s, failure_threshold: 2 }\n"
            "    autoscale: { enabled: false }\n"
            "  - name: broken\n"
            "    command: /bin/sleep\n"
            "    args: ['600']\n"
            "    replicas: { min: 1, max: 1, initial: 1 }\n"
            "    tier: work\n"
            "    stop_timeout: 2s\n"
            "    health: { mode: process }\n"
            "    autoscale: { enabled: false }\n"
            "gateway:\n"
            "  upstream: UPSTREAM\n"
            "  provider_key: test_provider_key\n"
            "dispatch:\n"
            "  retry_backoff: 100ms\n"
            "  request_timeout: 5s\n"
            "  pools: { p: { balancer: round_robin }, broken: { max_retries: 0 } }\n"
            "  loops: []\n")
            .replace("AGENT", kAgent)
            .replace("UPSTREAM", upstream.baseUrl().toUtf8());

        QTemporaryDir dir;
        Console c(dir, yaml, service);
        QTRY_VERIFY_WITH_TIMEOUT(c.readyIn(QStringLiteral("p")) == 2, kSlow);
        QTRY_VERIFY_WITH_TIMEOUT(c.last.dispatch.intakeReady, kSlow);
        QVERIFY(c.last.gateway.running);
        QVERIFY(c.last.gateway.port > 0);
        // The provider key was found: the configured upstream answers, not the simulated one.
        QTRY_VERIFY_WITH_TIMEOUT(c.last.gateway.simulatedReason.isEmpty() && !c.last.gateway.simulated
                                     && c.last.gateway.upstream.startsWith(upstream.baseUrl()),
                                 kSlow);

        // Each replica got the gateway's address and a token of its own, never the key.
        QStringList tokens;
        for (const ReplicaStatus &r : c.pool(QStringLiteral("p"))->replicas) {
            const QMap<QByteArray, QByteArray> env = processEnvironment(r.pid);
            QCOMPARE(env.value("OPENAI_BASE_URL"),
                     QStringLiteral("http://127.0.0.1:%1/v1").arg(c.last.gateway.port).toUtf8());
            const QByteArray token = env.value("OPENAI_API_KEY");
            QVERIFY2(token.startsWith("drv-"), token.constData());
            QVERIFY(!token.contains(providerKey.toUtf8()));
            tokens << QString::fromLatin1(token);
        }
        QCOMPARE(tokens.size(), 2);
        QVERIFY(tokens[0] != tokens[1]);

        // Jobs through the intake endpoint, with the token the operator would use.
        const QString intakeToken =
            secretTool(service, {QStringLiteral("get"), QStringLiteral("dispatch-intake-token")}).output;
        QCOMPARE(intakeToken.size(), 64);
        QNetworkAccessManager nam;
        nam.setProxy(QNetworkProxy::NoProxy);
        const QUrl jobsUrl(QStringLiteral("http://127.0.0.1:%1/v1/pools/p/jobs").arg(c.last.dispatch.intakePort));
        const int jobs = 16;
        for (int i = 0; i < jobs; ++i) {
            const Reply r = post(nam, jobsUrl, "Bearer " + intakeToken.toUtf8(),
                                 R"({"priority":"high","job":{"gpt":true,"cpu_ms":300}})");
            QCOMPARE(r.status, 202);
        }
        // The queue was measured while it drained, and the gateway metered the calls.
        QTRY_VERIFY_WITH_TIMEOUT(c.maxQueueDepth.value(QStringLiteral("p")) > 0, kSlow);
        QTRY_VERIFY_WITH_TIMEOUT(upstream.authorizations().size() >= jobs, kSlow);
        QTRY_VERIFY_WITH_TIMEOUT(c.maxTokensPerSecond.value(QStringLiteral("p")) > 0, kSlow);
        QTRY_VERIFY_WITH_TIMEOUT(c.last.gateway.tokensPerSecondByPool.value(QStringLiteral("p")) > 0
                                     || c.last.gateway.promptTokens >= jobs * RecordingUpstream::kPrompt,
                                 kSlow);
        // Counts match the upstream's usage exactly.
        QTRY_COMPARE_WITH_TIMEOUT(c.last.gateway.promptTokens,
                                  qint64(upstream.authorizations().size()) * RecordingUpstream::kPrompt,
                                  kSlow);
        QCOMPARE(c.last.gateway.completionTokens,
                 qint64(upstream.authorizations().size()) * RecordingUpstream::kCompletion);
        QTRY_COMPARE_WITH_TIMEOUT(c.work(QStringLiteral("p"))->delivered, qint64(jobs), kSlow);
        QCOMPARE(c.work(QStringLiteral("p"))->algorithm, QStringLiteral("round_robin"));
        // The upstream saw the provider key, and only it.
        for (const QByteArray &auth : upstream.authorizations()) {
            QCOMPARE(auth, "Bearer " + providerKey.toUtf8());
            QVERIFY(!auth.contains("drv-"));
        }

        // A command from the UI: submitJob.
        c.host->submitJob(QStringLiteral("p"), QJsonObject{{QStringLiteral("cpu_ms"), 5}},
                          QStringLiteral("low"));
        QTRY_COMPARE_WITH_TIMEOUT(c.work(QStringLiteral("p"))->delivered, qint64(jobs + 1), kSlow);
        c.host->submitJob(QStringLiteral("nosuchpool"), {}, QStringLiteral("low"));
        QTRY_VERIFY_WITH_TIMEOUT(!c.refusals.isEmpty(), kSlow);
        QVERIFY2(c.refusals.last().contains(QLatin1String("nosuchpool")), qPrintable(c.refusals.last()));

        // The failing replica: five failed deliveries open its breaker; each job is a dead
        // letter (no retries for this pool).
        QTRY_VERIFY_WITH_TIMEOUT(c.readyIn(QStringLiteral("broken")) == 1, kSlow);
        QTRY_COMPARE_WITH_TIMEOUT(c.breakerOf(QStringLiteral("broken"), 0), QStringLiteral("closed"), kSlow);
        const QUrl brokenUrl(
            QStringLiteral("http://127.0.0.1:%1/v1/pools/broken/jobs").arg(c.last.dispatch.intakePort));
        for (int i = 0; i < 6; ++i)
            QCOMPARE(post(nam, brokenUrl, "Bearer " + intakeToken.toUtf8(), R"({"job":{}})").status, 202);
        QTRY_COMPARE_WITH_TIMEOUT(c.breakerOf(QStringLiteral("broken"), 0), QStringLiteral("open"), kSlow);
        QTRY_VERIFY_WITH_TIMEOUT(c.deadLetterIds(QStringLiteral("broken")).size() >= 5, kSlow);
        QVERIFY(c.work(QStringLiteral("broken"))->deadLetters >= 5);
        // The sixth waits for the breaker's half-open trial.
        QTRY_VERIFY_WITH_TIMEOUT(c.work(QStringLiteral("broken"))->waiting >= 1, kSlow);

        // The operator requeues one: it leaves the dead letters and waits in the queue.
        const QString requeued = c.deadLetterIds(QStringLiteral("broken")).first();
        c.host->requeueDeadLetter(requeued);
        QTRY_VERIFY_WITH_TIMEOUT(!c.deadLetterIds(QStringLiteral("broken")).contains(requeued), kSlow);
        c.host->requeueDeadLetter(QStringLiteral("no-such-id"));
        QTRY_VERIFY_WITH_TIMEOUT(c.refusals.last().contains(QLatin1String("no-such-id")), kSlow);

        // A replica that goes away loses its token: the gateway answers 401 to it.
        const QUrl gatewayChat(
            QStringLiteral("http://127.0.0.1:%1/v1/chat/completions").arg(c.last.gateway.port));
        const QByteArray chat = R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]})";
        QCOMPARE(post(nam, gatewayChat, "Bearer " + tokens[1].toUtf8(), chat).status, 200);
        c.host->stopReplica(QStringLiteral("p"), 1, QStringLiteral("test: scale in"));
        QTRY_VERIFY_WITH_TIMEOUT(c.pool(QStringLiteral("p"))->replicas.size() == 1, kSlow);
        QTRY_COMPARE_WITH_TIMEOUT(post(nam, gatewayChat, "Bearer " + tokens[1].toUtf8(), chat).status,
                                  401, kSlow);
        QCOMPARE(post(nam, gatewayChat, "Bearer " + tokens[0].toUtf8(), chat).status, 200);

        secretTool(service, {QStringLiteral("remove"), QStringLiteral("test_provider_key")});
        secretTool(service, {QStringLiteral("remove"), QStringLiteral("dispatch-intake-token")});
    }

    void offlineDemoWithoutAProviderKeyUsesTheSimulatedUpstream()
    {
        // A real provider URL but no key in the keychain: the simulated upstream answers, the
        // snapshot says so, and a loop's GPT jobs move the token counters.
        const QByteArray yaml = QByteArray(
            "version: 1\n"
            "pools:\n"
            "  - name: demo\n"
            "    command: AGENT\n"
            "    replicas: { min: 1, max: 1, initial: 1 }\n"
            "    tier: basic\n"
            "    stop_timeout: 5s\n"
            "    scrape_interval: 250ms\n"
            "    health: { interval: 300ms, timeout: 1s, failure_threshold: 2 }\n"
            "    autoscale: { enabled: false }\n"
            "gateway:\n"
            "  upstream: https://api.openai.com/v1\n"
            "  provider_key: no_such_key\n"
            "  completion_estimate: 64\n"
            "dispatch:\n"
            "  intake: false\n"
            "  loops:\n"
            "    - { name: demo, pool: demo, every: 1s, jitter: 0s, run_at_first_start: true,"
            " payload: { gpt: true, cpu_ms: 5 } }\n")
            .replace("AGENT", kAgent);
        QTemporaryDir dir;
        Console c(dir, yaml, uniqueService());
        QTRY_VERIFY_WITH_TIMEOUT(c.readyIn(QStringLiteral("demo")) == 1, kSlow);
        QTRY_VERIFY_WITH_TIMEOUT(c.last.gateway.simulated, kSlow);
        QCOMPARE(c.last.gateway.upstream, QStringLiteral("simulated"));
        QVERIFY2(c.last.gateway.simulatedReason.contains(QLatin1String("key")),
                 qPrintable(c.last.gateway.simulatedReason));
        QTRY_VERIFY_WITH_TIMEOUT(c.maxTokensPerSecond.value(QStringLiteral("demo")) > 0, kSlow);
        QVERIFY(c.last.gateway.promptTokens > 0);
        QVERIFY(c.last.gateway.completionTokens > 0);
        QVERIFY(c.work(QStringLiteral("demo"))->delivered > 0);
    }
};

QTEST_GUILESS_MAIN(TestEngineWork)
#include "tst_engine_work.moc"
