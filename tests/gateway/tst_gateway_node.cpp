// The gateway end to end, driven by the official OpenAI Node client (npm "openai", pinned in
// tests/gateway/node/package-lock.json and installed by a CTest fixture) against a fake
// upstream in this process that records everything it receives. The provider key lives in the
// real keychain (run under tests/run_with_keyring.sh, as CI runs every test).
#include "core/gateway/gateway.h"
#include "core/http/http_server.h"
#include "core/secrets/secret_store.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTimer>
#include <QtTest>

using namespace drover;

namespace {

struct Received
{
    QByteArray method;
    QByteArray path;
    QByteArray authorization;
    QByteArray allHeaders;
    QByteArray body;
    qint64 atMs = 0;
};

QByteArray sse(const QJsonObject &o)
{
    return "data: " + QJsonDocument(o).toJson(QJsonDocument::Compact) + "\n\n";
}

QJsonObject usageJson(const TokenUsage &u)
{
    return QJsonObject{{QStringLiteral("prompt_tokens"), u.prompt},
                       {QStringLiteral("completion_tokens"), u.completion},
                       {QStringLiteral("total_tokens"), u.prompt + u.completion},
                       {QStringLiteral("prompt_tokens_details"), QJsonObject{{QStringLiteral("cached_tokens"), u.cached}}},
                       {QStringLiteral("completion_tokens_details"), QJsonObject{{QStringLiteral("reasoning_tokens"), u.reasoning}}}};
}

// An OpenAI-compatible upstream for the tests: answers what it is told to and records what
// it received.
class FakeUpstream : public QObject
{
public:
    FakeUpstream()
    {
        m_clock.start();
        m_server.route("GET", "/v1/models", [this](const HttpRequest &r, HttpResponder &resp) {
            record(r);
            resp.respond(HttpResponse::json(200, QJsonObject{
                {QStringLiteral("object"), QStringLiteral("list")},
                {QStringLiteral("data"), QJsonArray{QJsonObject{{QStringLiteral("id"), QStringLiteral("fake-model")},
                                                                {QStringLiteral("object"), QStringLiteral("model")},
                                                                {QStringLiteral("created"), 1},
                                                                {QStringLiteral("owned_by"), QStringLiteral("test")}}}}}));
        });
        m_server.route("POST", "/v1/chat/completions", [this](const HttpRequest &r, HttpResponder &resp) {
            record(r);
            chat(r, resp);
        });
        QVERIFY(m_server.listen(0));
        QObject::connect(&m_server, &HttpServer::connectionCountChanged, this, [this](int n) {
            if (n > m_connections)
                ++connectionsOpened;
            m_connections = n;
        });
    }

    QString baseUrl() const { return QStringLiteral("http://127.0.0.1:%1/v1").arg(m_server.port()); }
    qint64 now() const { return m_clock.elapsed(); }

    QList<Received> received;
    TokenUsage usage{17, 23, 5, 7};
    bool completionFromMaxTokens = false; // usage.completion = the request's max_tokens
    int chunkCount = 5;
    int chunkGapMs = 0;
    int answerDelayMs = 0;
    bool usageWithChoices = false;
    int fail429 = 0;              // this many requests get a 429 first
    qint64 retryAfterMs = 300;
    bool insufficientQuota = false;
    int fail500 = 0;
    bool breakOffAnswer = false; // a plain answer's head, part of its body, then a reset
    int streamsFinished = 0;
    int connectionsOpened = 0; // TCP connections the gateway opened to us

private:
    int m_connections = 0;

    void record(const HttpRequest &r)
    {
        Received rec;
        rec.method = r.method;
        rec.path = r.path;
        rec.authorization = r.header("authorization");
        for (const auto &h : r.headers)
            rec.allHeaders += h.first + ": " + h.second + "\n";
        rec.body = r.body;
        rec.atMs = now();
        received.append(rec);
    }

    void chat(const HttpRequest &r, HttpResponder &resp)
    {
        if (insufficientQuota) {
            resp.respond(errorResponse(429, "You exceeded your current quota.", "insufficient_quota",
                                       "insufficient_quota"));
            return;
        }
        if (fail429 > 0) {
            --fail429;
            HttpResponse e = errorResponse(429, "Rate limit reached.", "requests", "rate_limit_exceeded");
            e.setHeader("retry-after-ms", QByteArray::number(retryAfterMs));
            e.setHeader("retry-after", QByteArray::number((retryAfterMs + 999) / 1000));
            resp.respond(e);
            return;
        }
        if (fail500 > 0) {
            --fail500;
            resp.respond(errorResponse(503, "Overloaded.", "server_error", QByteArray()));
            return;
        }
        if (breakOffAnswer) {
            HttpResponse head;
            head.setHeader("Content-Type", "application/json");
            resp.beginStream(head);
            // (No raw string here: moc 6.4 loses its way in one with unbalanced braces.)
            resp.write("{\"id\":\"chatcmpl-fake\",\"choices\":[{\"index\":0,\"mess");
            resp.abort();
            return;
        }
        const QJsonObject body = QJsonDocument::fromJson(r.body).object();
        TokenUsage u = usage;
        if (completionFromMaxTokens)
            u.completion = body.value(QLatin1String("max_tokens")).toInteger();
        const QJsonObject usageObject = usageJson(u);
        if (!body.value(QLatin1String("stream")).toBool()) {
            HttpResponder later = resp;
            QTimer::singleShot(answerDelayMs, this, [later, usageObject]() mutable {
                const QJsonObject message{{QStringLiteral("role"), QStringLiteral("assistant")},
                                          {QStringLiteral("content"), QStringLiteral("Hello, fleet.")}};
                later.respond(HttpResponse::json(200, QJsonObject{
                    {QStringLiteral("id"), QStringLiteral("chatcmpl-fake")},
                    {QStringLiteral("object"), QStringLiteral("chat.completion")},
                    {QStringLiteral("created"), 1},
                    {QStringLiteral("model"), QStringLiteral("fake-model")},
                    {QStringLiteral("choices"), QJsonArray{QJsonObject{{QStringLiteral("index"), 0},
                                                                       {QStringLiteral("message"), message},
                                                                       {QStringLiteral("finish_reason"), QStringLiteral("stop")}}}},
                    {QStringLiteral("usage"), usageObject}}));
            });
            return;
        }
        const bool includeUsage = body.value(QLatin1String("stream_options")).toObject()
                                      .value(QLatin1String("include_usage")).toBool();
        HttpResponse head;
        head.setHeader("Content-Type", "text/event-stream");
        head.setHeader("x-request-id", "req-fake");
        resp.beginStream(head);
        streamStep(resp, 0, includeUsage, usageObject);
    }

    void streamStep(HttpResponder resp, int i, bool includeUsage, QJsonObject usageObject)
    {
        auto chunk = [](const QJsonValue &content, const QJsonValue &finish) {
            QJsonObject delta;
            if (!content.isNull())
                delta.insert(QStringLiteral("content"), content);
            return QJsonObject{{QStringLiteral("id"), QStringLiteral("chatcmpl-fake")},
                               {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
                               {QStringLiteral("created"), 1},
                               {QStringLiteral("model"), QStringLiteral("fake-model")},
                               {QStringLiteral("choices"), QJsonArray{QJsonObject{{QStringLiteral("index"), 0},
                                                                                  {QStringLiteral("delta"), delta},
                                                                                  {QStringLiteral("finish_reason"), finish}}}}};
        };
        if (i < chunkCount) {
            resp.write(sse(chunk(QStringLiteral("w%1 ").arg(i), QJsonValue::Null)));
            QTimer::singleShot(chunkGapMs, this, [=, this] { streamStep(resp, i + 1, includeUsage, usageObject); });
            return;
        }
        QByteArray tail;
        if (usageWithChoices) {
            QJsonObject last = chunk(QJsonValue::Null, QStringLiteral("stop"));
            last.insert(QStringLiteral("usage"), usageObject);
            tail += sse(last);
        } else {
            tail += sse(chunk(QJsonValue::Null, QStringLiteral("stop")));
            if (includeUsage) {
                tail += sse(QJsonObject{{QStringLiteral("id"), QStringLiteral("chatcmpl-fake")},
                                        {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
                                        {QStringLiteral("created"), 1},
                                        {QStringLiteral("model"), QStringLiteral("fake-model")},
                                        {QStringLiteral("choices"), QJsonArray()},
                                        {QStringLiteral("usage"), usageObject}});
            }
        }
        tail += "data: [DONE]\n\n";
        resp.write(tail);
        resp.end();
        ++streamsFinished;
    }

    static HttpResponse errorResponse(int status, const char *message, const char *type,
                                      const QByteArray &code)
    {
        const QJsonObject error{{QStringLiteral("message"), QLatin1String(message)},
                                {QStringLiteral("type"), QLatin1String(type)},
                                {QStringLiteral("code"), code.isEmpty() ? QJsonValue(QJsonValue::Null)
                                                                        : QJsonValue(QString::fromLatin1(code))}};
        return HttpResponse::json(status, QJsonObject{{QStringLiteral("error"), error}});
    }

    HttpServer m_server;
    QElapsedTimer m_clock;
};

QString nodeDir()
{
    return QString::fromLocal8Bit(qgetenv("DROVER_GATEWAY_NODE_DIR"));
}

} // namespace

class TstGatewayNode : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();

    void plainCompletionIsCountedExactly();
    void streamArrivesChunkByChunk();
    void streamWithClientRequestedUsage();
    void streamUsageChunkWithChoices();
    void disconnectMidStreamIsStillCounted();
    void unknownTokenGets401();
    void budget429MakesClientWait();
    void requestLargerThanBucketIsNotRetried();
    void concurrentRequestsStayWithinBucket();
    void upstream429IsRetriedAndMarksThrottle();
    void insufficientQuotaIsNotRetried();
    void modelsAreForwarded();
    void upstreamConnectionIsReused();
    void answerBrokenOffUpstreamIs502();
    void simulatedUpstreamWithoutKey();

private:
    std::unique_ptr<GatewayHost> startGateway(GatewayOptions o);
    QJsonObject runNode(QJsonObject args, int timeoutMs = 60000);
    GatewayStats waitForStats(const std::function<bool(const GatewayStats &)> &ready,
                              int timeoutMs = 10000);
    static QString sanitize(const QString &s) { return s; }

    QString m_service;
    QByteArray m_providerKey;
    std::unique_ptr<FakeUpstream> m_fake;
    std::unique_ptr<GatewayHost> m_host;
    QByteArray m_token;
};

void TstGatewayNode::initTestCase()
{
    QVERIFY2(!nodeDir().isEmpty(), "DROVER_GATEWAY_NODE_DIR is not set (the CTest fixture installs the client there)");
    QVERIFY2(QFile::exists(nodeDir() + QStringLiteral("/node_modules/openai/package.json")),
             "the openai npm package is not installed (run the gateway_node_install fixture)");
    // A unique keychain service per run, so parallel runs and earlier runs never mix.
    m_service = QStringLiteral("drover-test-gateway-%1-%2")
                    .arg(QCoreApplication::applicationPid())
                    .arg(QRandomGenerator::global()->generate());
    m_providerKey = "sk-test-provider-" + QByteArray::number(QRandomGenerator::global()->generate64(), 16);
    SecretStore store(m_service);
    bool done = false, ok = false;
    QString error;
    store.write(QStringLiteral("openai_api_key"), QString::fromLatin1(m_providerKey),
                [&](bool success, const QString &e) { done = true; ok = success; error = e; });
    QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
    QVERIFY2(ok, qPrintable(QStringLiteral("keychain write failed (run under tests/run_with_keyring.sh): ") + error));
}

void TstGatewayNode::cleanupTestCase()
{
    SecretStore store(m_service);
    bool done = false;
    store.remove(QStringLiteral("openai_api_key"), [&](bool, const QString &) { done = true; });
    QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
}

void TstGatewayNode::init()
{
    m_fake = std::make_unique<FakeUpstream>();
}

void TstGatewayNode::cleanup()
{
    m_host.reset();
    m_fake.reset();
}

std::unique_ptr<GatewayHost> TstGatewayNode::startGateway(GatewayOptions o)
{
    o.secretService = m_service;
    if (o.upstream == QLatin1String("fake"))
        o.upstream = m_fake->baseUrl();
    o.publishIntervalMs = 50;
    o.retryBackoffMs = 50;
    auto host = std::make_unique<GatewayHost>(o);
    if (!host->start())
        qWarning("gateway did not start: %s", qPrintable(host->errorString()));
    m_token = host->issueToken(QStringLiteral("crawl"), 0, QStringLiteral("free"));
    return host;
}

QJsonObject TstGatewayNode::runNode(QJsonObject args, int timeoutMs)
{
    if (!args.contains(QLatin1String("baseURL")))
        args.insert(QStringLiteral("baseURL"), m_host->baseUrl().toString());
    if (!args.contains(QLatin1String("apiKey")))
        args.insert(QStringLiteral("apiKey"), QString::fromLatin1(m_token));
    QProcess p;
    p.setWorkingDirectory(nodeDir());
    p.setProgram(QStringLiteral("node"));
    p.setArguments({nodeDir() + QStringLiteral("/client.mjs"),
                    QString::fromUtf8(QJsonDocument(args).toJson(QJsonDocument::Compact))});
    // An event loop, not qWait: the fake upstream lives in this thread and must answer promptly.
    QEventLoop loop;
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    connect(&p, &QProcess::finished, &loop, &QEventLoop::quit);
    connect(&p, &QProcess::errorOccurred, &loop, &QEventLoop::quit);
    p.start();
    loop.exec();
    if (p.state() != QProcess::NotRunning) {
        p.kill();
        p.waitForFinished();
        qWarning("node timed out");
        return {};
    }
    const QByteArray err = p.readAllStandardError();
    if (!err.isEmpty())
        qWarning("node stderr: %s", err.constData());
    const QByteArray out = p.readAllStandardOutput();
    return QJsonDocument::fromJson(out).object();
}

GatewayStats TstGatewayNode::waitForStats(const std::function<bool(const GatewayStats &)> &ready,
                                          int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!ready(m_host->stats()) && t.elapsed() < timeoutMs) {
        QEventLoop loop;
        QTimer::singleShot(20, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return m_host->stats();
}

namespace {

void verifyCounters(const TokenCounters &c, const TokenUsage &u, int line)
{
    const QByteArray where = "counters at line " + QByteArray::number(line);
    QVERIFY2(c.prompt == u.prompt, where.constData());
    QVERIFY2(c.completion == u.completion, where.constData());
    QVERIFY2(c.cached == u.cached, where.constData());
    QVERIFY2(c.reasoning == u.reasoning, where.constData());
}

} // namespace

void TstGatewayNode::plainCompletionIsCountedExactly()
{
    m_host = startGateway(GatewayOptions{.upstream = QStringLiteral("fake")});
    QVERIFY(m_host->port());
    const QJsonObject r = runNode({{QStringLiteral("scenario"), QStringLiteral("plain")},
                                   {QStringLiteral("model"), QStringLiteral("gpt-4o")}});
    QVERIFY2(r.value(QLatin1String("ok")).toBool(), QJsonDocument(r).toJson().constData());
    QCOMPARE(r.value(QLatin1String("content")).toString(), QStringLiteral("Hello, fleet."));
    const QJsonObject usage = r.value(QLatin1String("usage")).toObject();
    QCOMPARE(usage.value(QLatin1String("prompt_tokens")).toInt(), 17);

    // The upstream saw the provider key and never the agent's token.
    QCOMPARE(m_fake->received.size(), 1);
    const Received &rec = m_fake->received.first();
    QCOMPARE(rec.path, QByteArray("/v1/chat/completions"));
    QCOMPARE(rec.authorization, "Bearer " + m_providerKey);
    QVERIFY(!rec.allHeaders.contains(m_token));
    QVERIFY(!rec.body.contains(m_token));
    // And the client never sees the provider key.
    const QByteArray seen = QJsonDocument(r).toJson();
    QVERIFY(!seen.contains(m_providerKey));

    const GatewayStats s = waitForStats([](const GatewayStats &s) { return s.usage.total.requests == 1 && s.usage.total.prompt > 0; });
    QVERIFY(!s.simulated);
    verifyCounters(s.usage.total, m_fake->usage, __LINE__);
    verifyCounters(s.usage.byReplica.value(QStringLiteral("crawl/0")), m_fake->usage, __LINE__);
    verifyCounters(s.usage.byPool.value(QStringLiteral("crawl")), m_fake->usage, __LINE__);
    verifyCounters(s.usage.byTier.value(QStringLiteral("free")), m_fake->usage, __LINE__);
    verifyCounters(s.usage.byModel.value(QStringLiteral("gpt-4o")), m_fake->usage, __LINE__);
    QCOMPARE(s.usage.total.estimatedRequests, 0);
    QVERIFY(!s.upstream.contains(QString::fromLatin1(m_providerKey)));
    QVERIFY(!s.throttle.lastError.contains(QString::fromLatin1(m_providerKey)));
}

void TstGatewayNode::streamArrivesChunkByChunk()
{
    m_fake->chunkCount = 6;
    m_fake->chunkGapMs = 150;
    m_host = startGateway(GatewayOptions{.upstream = QStringLiteral("fake")});
    const QJsonObject r = runNode({{QStringLiteral("scenario"), QStringLiteral("stream")}});
    QVERIFY2(r.value(QLatin1String("ok")).toBool(), QJsonDocument(r).toJson().constData());
    const QJsonArray chunks = r.value(QLatin1String("chunks")).toArray();
    // 6 content chunks and the finish chunk; the usage-only chunk the gateway asked for is gone.
    QCOMPARE(chunks.size(), 7);
    QList<double> contentTimes;
    for (const QJsonValue &c : chunks) {
        QVERIFY(c.toObject().value(QLatin1String("usage")).isNull());
        if (!c.toObject().value(QLatin1String("content")).isNull())
            contentTimes << c.toObject().value(QLatin1String("t")).toDouble();
    }
    QCOMPARE(contentTimes.size(), 6);
    // Spaced by 150 ms at the source, so spaced at the client: nothing was held back.
    for (int i = 1; i < contentTimes.size(); ++i) {
        const double gap = contentTimes[i] - contentTimes[i - 1];
        QVERIFY2(gap > 90, qPrintable(QStringLiteral("chunk %1 came %2 ms after the previous").arg(i).arg(gap)));
    }
    QVERIFY(contentTimes.last() - contentTimes.first() > 600);
    const QJsonObject log = r.value(QLatin1String("fetchLog")).toArray().first().toObject();
    QCOMPARE(log.value(QLatin1String("headers")).toObject().value(QLatin1String("transfer-encoding")).toString(),
             QStringLiteral("chunked"));

    // Upstream: asked for usage on the client's behalf.
    QCOMPARE(m_fake->received.size(), 1);
    const QJsonObject sent = QJsonDocument::fromJson(m_fake->received.first().body).object();
    QVERIFY(sent.value(QLatin1String("stream_options")).toObject().value(QLatin1String("include_usage")).toBool());
    QCOMPARE(m_fake->received.first().authorization, "Bearer " + m_providerKey);

    const GatewayStats s = waitForStats([](const GatewayStats &s) { return s.usage.total.prompt > 0 && s.activeRequests == 0; });
    verifyCounters(s.usage.byReplica.value(QStringLiteral("crawl/0")), m_fake->usage, __LINE__);
    QCOMPARE(s.usage.total.estimatedRequests, 0);
}

void TstGatewayNode::streamWithClientRequestedUsage()
{
    m_host = startGateway(GatewayOptions{.upstream = QStringLiteral("fake")});
    const QJsonObject r = runNode({{QStringLiteral("scenario"), QStringLiteral("stream")},
                                   {QStringLiteral("includeUsage"), true}});
    QVERIFY2(r.value(QLatin1String("ok")).toBool(), QJsonDocument(r).toJson().constData());
    const QJsonArray chunks = r.value(QLatin1String("chunks")).toArray();
    // The client asked for usage: it gets the usage-only chunk.
    const QJsonObject last = chunks.last().toObject();
    QCOMPARE(last.value(QLatin1String("choices")).toInt(), 0);
    QCOMPARE(last.value(QLatin1String("usage")).toObject().value(QLatin1String("completion_tokens")).toInt(), 23);
    const GatewayStats s = waitForStats([](const GatewayStats &s) { return s.usage.total.prompt > 0; });
    verifyCounters(s.usage.total, m_fake->usage, __LINE__);
}

void TstGatewayNode::streamUsageChunkWithChoices()
{
    m_fake->usageWithChoices = true;
    m_host = startGateway(GatewayOptions{.upstream = QStringLiteral("fake")});
    const QJsonObject r = runNode({{QStringLiteral("scenario"), QStringLiteral("stream")}});
    QVERIFY2(r.value(QLatin1String("ok")).toBool(), QJsonDocument(r).toJson().constData());
    const QJsonArray chunks = r.value(QLatin1String("chunks")).toArray();
    QCOMPARE(chunks.size(), 6); // 5 content + the finish chunk that also carries usage
    QCOMPARE(chunks.last().toObject().value(QLatin1String("choices")).toInt(), 1);
    const GatewayStats s = waitForStats([](const GatewayStats &s) { return s.usage.total.prompt > 0; });
    verifyCounters(s.usage.total, m_fake->usage, __LINE__);
}

void TstGatewayNode::disconnectMidStreamIsStillCounted()
{
    m_fake->chunkCount = 8;
    m_fake->chunkGapMs = 100;
    m_host = startGateway(GatewayOptions{.upstream = QStringLiteral("fake")});
    const QJsonObject r = runNode({{QStringLiteral("scenario"), QStringLiteral("stream")},
                                   {QStringLiteral("abortAfter"), 2}});
    QVERIFY2(r.value(QLatin1String("ok")).toBool(), QJsonDocument(r).toJson().constData());
    QCOMPARE(r.value(QLatin1String("chunks")).toArray().size(), 2);
    QCOMPARE(m_fake->streamsFinished, 0); // the client left long before the end
    // The gateway reads on to the usage chunk although nobody listens any more.
    const GatewayStats s = waitForStats([](const GatewayStats &s) { return s.usage.total.prompt > 0 && s.activeRequests == 0; });
    QCOMPARE(m_fake->streamsFinished, 1);
    verifyCounters(s.usage.byReplica.value(QStringLiteral("crawl/0")), m_fake->usage, __LINE__);
    QCOMPARE(s.usage.total.estimatedRequests, 0);
}

void TstGatewayNode::unknownTokenGets401()
{
    m_host = startGateway(GatewayOptions{.upstream = QStringLiteral("fake")});
    const QByteArray unknown = "drv-" + QByteArray(64, 'a');
    QJsonObject r = runNode({{QStringLiteral("scenario"), QStringLiteral("plain")},
                             {QStringLiteral("apiKey"), QString::fromLatin1(unknown)},
                             {QStringLiteral("maxRetries"), 2}});
    QVERIFY(!r.value(QLatin1String("ok")).toBool());
    QJsonObject error = r.value(QLatin1String("error")).toObject();
    QCOMPARE(error.value(QLatin1String("status")).toInt(), 401);
    QCOMPARE(error.value(QLatin1String("code")).toString(), QStringLiteral("invalid_api_key"));
    QCOMPARE(r.value(QLatin1String("fetchLog")).toArray().size(), 1); // 401 is not retried

    // A revoked token is unknown too; so is no token, and the provider's own key.
    QVERIFY(m_host->revokeToken(m_token));
    r = runNode({{QStringLiteral("scenario"), QStringLiteral("models")}});
    QCOMPARE(r.value(QLatin1String("error")).toObject().value(QLatin1String("status")).toInt(), 401);
    r = runNode({{QStringLiteral("scenario"), QStringLiteral("plain")},
                 {QStringLiteral("apiKey"), QString::fromLatin1(m_providerKey)}});
    QCOMPARE(r.value(QLatin1String("error")).toObject().value(QLatin1String("status")).toInt(), 401);
    QVERIFY(m_fake->received.isEmpty());
    const GatewayStats s = waitForStats([](const GatewayStats &s) { return s.unauthorized >= 3; });
    QCOMPARE(s.unauthorized, 3);
}

void TstGatewayNode::budget429MakesClientWait()
{
    // 6000 tokens a minute = 100 a second. The first call is billed 5980 (the fake reports
    // that), leaving 20; the second needs its estimate (~125) and must wait about a second.
    m_fake->usage = TokenUsage{5920, 60, 0, 0};
    GatewayOptions o{.upstream = QStringLiteral("fake")};
    o.tierBudgets.insert(QStringLiteral("free"), TierBudget{6000, 0});
    m_host = startGateway(o);
    const QJsonObject r = runNode({{QStringLiteral("scenario"), QStringLiteral("sequence")},
                                   {QStringLiteral("count"), 2},
                                   {QStringLiteral("maxTokens"), 100},
                                   {QStringLiteral("maxRetries"), 2}});
    QVERIFY2(r.value(QLatin1String("ok")).toBool(), QJsonDocument(r).toJson().constData());
    const QJsonArray calls = r.value(QLatin1String("calls")).toArray();
    QVERIFY(calls[0].toObject().value(QLatin1String("ok")).toBool());
    QVERIFY2(calls[1].toObject().value(QLatin1String("ok")).toBool(), QJsonDocument(r).toJson().constData());

    const QJsonArray log = r.value(QLatin1String("fetchLog")).toArray();
    QCOMPARE(log.size(), 3); // 200, 429, 200
    QCOMPARE(log[1].toObject().value(QLatin1String("status")).toInt(), 429);
    const QJsonObject h = log[1].toObject().value(QLatin1String("headers")).toObject();
    const double waitMs = h.value(QLatin1String("retry-after-ms")).toString().toDouble();
    QVERIFY2(waitMs > 200 && waitMs < 3000, qPrintable(QString::number(waitMs)));
    QCOMPARE(h.value(QLatin1String("retry-after")).toString(), QString::number(qCeil(waitMs / 1000)));
    QCOMPARE(h.value(QLatin1String("x-ratelimit-limit-tokens")).toString(), QStringLiteral("6000"));
    QVERIFY(h.contains(QLatin1String("x-ratelimit-remaining-tokens")));
    QVERIFY(h.contains(QLatin1String("x-ratelimit-reset-tokens")));
    QVERIFY(!h.contains(QLatin1String("x-should-retry")));
    // The client waited as told before trying again, and then got in.
    const double waited = log[2].toObject().value(QLatin1String("sent")).toDouble()
                          - log[1].toObject().value(QLatin1String("received")).toDouble();
    QVERIFY2(waited >= waitMs - 5, qPrintable(QStringLiteral("waited %1 of %2 ms").arg(waited).arg(waitMs)));
    QCOMPARE(log[2].toObject().value(QLatin1String("status")).toInt(), 200);
    QCOMPARE(m_fake->received.size(), 2);
    const GatewayStats s = waitForStats([](const GatewayStats &s) { return s.usage.total.rejected == 1 && s.usage.total.requests == 2 && s.activeRequests == 0; });
    QCOMPARE(s.usage.byTier.value(QStringLiteral("free")).rejected, 1);
}

void TstGatewayNode::requestLargerThanBucketIsNotRetried()
{
    GatewayOptions o{.upstream = QStringLiteral("fake")};
    o.tierBudgets.insert(QStringLiteral("free"), TierBudget{1000, 0});
    m_host = startGateway(o);
    const QJsonObject r = runNode({{QStringLiteral("scenario"), QStringLiteral("plain")},
                                   {QStringLiteral("maxTokens"), 5000},
                                   {QStringLiteral("maxRetries"), 3}});
    QVERIFY(!r.value(QLatin1String("ok")).toBool());
    QCOMPARE(r.value(QLatin1String("error")).toObject().value(QLatin1String("status")).toInt(), 429);
    const QJsonArray log = r.value(QLatin1String("fetchLog")).toArray();
    QCOMPARE(log.size(), 1); // x-should-retry: false is obeyed
    QCOMPARE(log[0].toObject().value(QLatin1String("headers")).toObject().value(QLatin1String("x-should-retry")).toString(),
             QStringLiteral("false"));
    QVERIFY(m_fake->received.isEmpty());
}

void TstGatewayNode::concurrentRequestsStayWithinBucket()
{
    // 20 requests at once against 3000 tokens; each estimated at about 230 and billed exactly
    // its max_tokens + 30 by the fake, answered after 300 ms so that all are in flight together.
    m_fake->usage = TokenUsage{30, 0, 0, 0};
    m_fake->completionFromMaxTokens = true;
    m_fake->answerDelayMs = 300;
    GatewayOptions o{.upstream = QStringLiteral("fake")};
    o.tierBudgets.insert(QStringLiteral("free"), TierBudget{3000, 0});
    m_host = startGateway(o);
    QElapsedTimer t;
    t.start();
    const QJsonObject r = runNode({{QStringLiteral("scenario"), QStringLiteral("concurrent")},
                                   {QStringLiteral("count"), 20},
                                   {QStringLiteral("maxTokens"), 200}});
    const double elapsedMs = double(t.elapsed());
    QVERIFY2(r.value(QLatin1String("ok")).toBool(), QJsonDocument(r).toJson().constData());
    int admitted = 0, refused = 0;
    qint64 used = 0;
    for (const QJsonValue &v : r.value(QLatin1String("results")).toArray()) {
        const QJsonObject o2 = v.toObject();
        if (o2.value(QLatin1String("ok")).toBool()) {
            ++admitted;
            used += o2.value(QLatin1String("usage")).toObject().value(QLatin1String("total_tokens")).toInteger();
        } else {
            QCOMPARE(o2.value(QLatin1String("error")).toObject().value(QLatin1String("status")).toInt(), 429);
            ++refused;
        }
    }
    QCOMPARE(admitted + refused, 20);
    QVERIFY(admitted >= 5);
    QVERIFY(refused >= 1);
    QCOMPARE(m_fake->received.size(), admitted);
    const QByteArray anyBody = m_fake->received.first().body;
    const double estimate = double((anyBody.size() + 3) / 4 + 200 + 16); // + headroom for JSON differences
    const double allowance = 3000 + 3000.0 * elapsedMs / 60000.0 + estimate;
    QVERIFY2(used <= allowance, qPrintable(QStringLiteral("used %1 > %2").arg(used).arg(allowance)));
    const GatewayStats s = waitForStats([&](const GatewayStats &s) { return s.usage.total.total() == used && s.activeRequests == 0; });
    QCOMPARE(s.usage.total.total(), used);
    QCOMPARE(s.usage.total.rejected, refused);
}

void TstGatewayNode::upstream429IsRetriedAndMarksThrottle()
{
    m_fake->fail429 = 1;
    m_fake->retryAfterMs = 400;
    m_host = startGateway(GatewayOptions{.upstream = QStringLiteral("fake")});
    QElapsedTimer t;
    t.start();
    const QJsonObject r = runNode({{QStringLiteral("scenario"), QStringLiteral("plain")}});
    QVERIFY2(r.value(QLatin1String("ok")).toBool(), QJsonDocument(r).toJson().constData());
    QCOMPARE(r.value(QLatin1String("fetchLog")).toArray().size(), 1); // the gateway retried, not the client
    QCOMPARE(m_fake->received.size(), 2);
    const qint64 gap = m_fake->received[1].atMs - m_fake->received[0].atMs;
    QVERIFY2(gap >= 395, qPrintable(QString::number(gap))); // followed Retry-After
    const GatewayStats s = waitForStats([](const GatewayStats &s) { return s.throttle.retries >= 1 && s.usage.total.prompt > 0; });
    QCOMPARE(s.throttle.upstream429, 1);
    QCOMPARE(s.throttle.retries, 1);
    QVERIFY(s.throttle.throttledUntilMs > 0);
    QVERIFY(!s.throttle.insufficientQuota);

    // 5xx before the first byte is retried too.
    m_fake->fail500 = 1;
    const QJsonObject r2 = runNode({{QStringLiteral("scenario"), QStringLiteral("plain")}});
    QVERIFY2(r2.value(QLatin1String("ok")).toBool(), QJsonDocument(r2).toJson().constData());
    const GatewayStats s2 = waitForStats([](const GatewayStats &s) { return s.throttle.upstream5xx >= 1; });
    QCOMPARE(s2.throttle.upstream5xx, 1);
}

void TstGatewayNode::insufficientQuotaIsNotRetried()
{
    m_fake->insufficientQuota = true;
    m_host = startGateway(GatewayOptions{.upstream = QStringLiteral("fake")});
    const QJsonObject r = runNode({{QStringLiteral("scenario"), QStringLiteral("plain")},
                                   {QStringLiteral("maxRetries"), 2}});
    QVERIFY(!r.value(QLatin1String("ok")).toBool());
    const QJsonObject error = r.value(QLatin1String("error")).toObject();
    QCOMPARE(error.value(QLatin1String("status")).toInt(), 429);
    QCOMPARE(error.value(QLatin1String("code")).toString(), QStringLiteral("insufficient_quota"));
    QCOMPARE(r.value(QLatin1String("fetchLog")).toArray().size(), 1);
    QCOMPARE(m_fake->received.size(), 1);
    const GatewayStats s = waitForStats([](const GatewayStats &s) { return s.throttle.insufficientQuota; });
    QVERIFY(s.throttle.insufficientQuota);
    QCOMPARE(s.throttle.retries, 0);
}

void TstGatewayNode::modelsAreForwarded()
{
    m_host = startGateway(GatewayOptions{.upstream = QStringLiteral("fake")});
    const QJsonObject r = runNode({{QStringLiteral("scenario"), QStringLiteral("models")}});
    QVERIFY2(r.value(QLatin1String("ok")).toBool(), QJsonDocument(r).toJson().constData());
    QCOMPARE(r.value(QLatin1String("ids")).toArray().first().toString(), QStringLiteral("fake-model"));
    QCOMPARE(m_fake->received.first().authorization, "Bearer " + m_providerKey);
}

void TstGatewayNode::upstreamConnectionIsReused()
{
    // Sequential requests from two client processes: the gateway's keep-alive pool carries
    // them all over one upstream connection (the benchmark's main saving).
    m_host = startGateway(GatewayOptions{.upstream = QStringLiteral("fake")});
    for (int run = 0; run < 2; ++run) {
        const QJsonObject r = runNode({{QStringLiteral("scenario"), QStringLiteral("sequence")},
                                       {QStringLiteral("count"), 3}});
        const QJsonArray calls = r.value(QLatin1String("calls")).toArray();
        QCOMPARE(calls.size(), 3);
        for (const QJsonValue &c : calls)
            QVERIFY2(c.toObject().value(QLatin1String("ok")).toBool(), QJsonDocument(r).toJson().constData());
    }
    const QJsonObject r = runNode({{QStringLiteral("scenario"), QStringLiteral("stream")}});
    QVERIFY2(r.value(QLatin1String("ok")).toBool(), QJsonDocument(r).toJson().constData());
    QCOMPARE(m_fake->received.size(), 7);
    QCOMPARE(m_fake->connectionsOpened, 1);
    const GatewayStats s = waitForStats([](const GatewayStats &s) { return s.usage.total.requests == 7 && s.activeRequests == 0; });
    QCOMPARE(s.usage.total.requests, 7);
    QCOMPARE(s.usage.total.errors, 0);
}

void TstGatewayNode::answerBrokenOffUpstreamIs502()
{
    // Head and half a body, then the upstream is gone: the client gets an error, never the
    // truncated body as a 200, and the gateway does not send the request again (the upstream
    // may have processed it).
    m_host = startGateway(GatewayOptions{.upstream = QStringLiteral("fake")});
    m_fake->breakOffAnswer = true;
    const QJsonObject r = runNode({{QStringLiteral("scenario"), QStringLiteral("plain")}});
    QVERIFY2(!r.value(QLatin1String("ok")).toBool(), QJsonDocument(r).toJson().constData());
    QCOMPARE(r.value(QLatin1String("error")).toObject().value(QLatin1String("status")).toInt(), 502);
    QCOMPARE(m_fake->received.size(), 1);
    const GatewayStats s = waitForStats([](const GatewayStats &s) { return s.usage.total.errors == 1 && s.activeRequests == 0; });
    QCOMPARE(s.usage.total.errors, 1);
    QVERIFY(s.throttle.upstreamNetworkErrors >= 1);
    QVERIFY(s.throttle.lastError.startsWith(QLatin1String("answer broken")));
}

void TstGatewayNode::simulatedUpstreamWithoutKey()
{
    GatewayOptions o{.upstream = QStringLiteral("fake")};
    o.providerKeyName = QStringLiteral("no-such-key");
    o.simulated.chunkIntervalMs = 5;
    // One request per 5 s: the second call (a new node process, which takes a second or more
    // to start on a loaded machine) meets a real 429 and the gateway waits out its Retry-After.
    o.simulated.requestsPerMinute = 12;
    m_host = startGateway(o);
    QJsonObject r = runNode({{QStringLiteral("scenario"), QStringLiteral("plain")},
                             {QStringLiteral("maxTokens"), 12}});
    QVERIFY2(r.value(QLatin1String("ok")).toBool(), QJsonDocument(r).toJson().constData());
    const qint64 prompt = r.value(QLatin1String("usage")).toObject().value(QLatin1String("prompt_tokens")).toInteger();
    QVERIFY(prompt > 0);
    QCOMPARE(r.value(QLatin1String("usage")).toObject().value(QLatin1String("completion_tokens")).toInt(), 12);
    r = runNode({{QStringLiteral("scenario"), QStringLiteral("stream")}, {QStringLiteral("maxTokens"), 8}});
    QVERIFY2(r.value(QLatin1String("ok")).toBool(), QJsonDocument(r).toJson().constData());
    QCOMPARE(r.value(QLatin1String("chunks")).toArray().size(), 10); // role + 8 words + finish
    QVERIFY(m_fake->received.isEmpty());
    const GatewayStats s = waitForStats([](const GatewayStats &s) { return s.usage.total.requests == 2 && s.activeRequests == 0; });
    QVERIFY(s.simulated);
    QCOMPARE(s.upstream, QStringLiteral("simulated"));
    QVERIFY(s.simulatedReason.contains(QLatin1String("keychain")));
    QCOMPARE(s.usage.total.completion, 20);
    QVERIFY(s.throttle.upstream429 >= 1); // the simulated provider's limit, retried by the gateway
    QCOMPARE(s.usage.total.estimatedRequests, 0);
}

QTEST_GUILESS_MAIN(TstGatewayNode)
#include "tst_gateway_node.moc"
