// Which pools the provider throttles: the gateway knows each request's pool from its replica
// token, so an upstream 429 is counted against that pool (TokenCounters::upstream429) and only
// that pool is marked throttled until the provider's reset (GatewayThrottle::
// poolThrottledUntilMs). The engine holds scale-out of exactly those pools. A real loopback
// upstream refuses one model with 429s and answers the other.
#include "core/gateway/gateway.h"
#include "core/http/http_client.h"
#include "core/http/http_server.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QtTest>

using namespace drover;

namespace {

constexpr int kWaitMs = 15000;

HttpResponse upstreamAnswer(const HttpRequest &request)
{
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    const QString model = body.value(QLatin1String("model")).toString();
    if (model == QLatin1String("gpt-4o")) {
        // A per-model limit: this model's calls are refused, the other model's are not.
        const QJsonObject error{
            {QStringLiteral("message"), QStringLiteral("Rate limit reached for gpt-4o.")},
            {QStringLiteral("type"), QStringLiteral("requests")},
            {QStringLiteral("code"), QStringLiteral("rate_limit_exceeded")}};
        HttpResponse r = HttpResponse::json(429, QJsonObject{{QStringLiteral("error"), error}});
        r.setHeader("retry-after-ms", "60000");
        return r;
    }
    const QJsonObject usage{{QStringLiteral("prompt_tokens"), 7},
                            {QStringLiteral("completion_tokens"), 3},
                            {QStringLiteral("total_tokens"), 10}};
    return HttpResponse::json(
        200, QJsonObject{{QStringLiteral("id"), QStringLiteral("chatcmpl-1")},
                         {QStringLiteral("object"), QStringLiteral("chat.completion")},
                         {QStringLiteral("model"), model},
                         {QStringLiteral("usage"), usage}});
}

} // namespace

class TestGatewayPoolThrottle : public QObject
{
    Q_OBJECT

private slots:
    void upstream429sAreAttributedToTheirPool()
    {
        HttpServer upstream;
        int upstreamCalls = 0;
        upstream.route("POST", "/v1/chat/completions",
                       [&](const HttpRequest &r, HttpResponder &resp) {
                           ++upstreamCalls;
                           resp.respond(upstreamAnswer(r));
                       });
        QVERIFY(upstream.listen());

        GatewayOptions o;
        o.upstream = QStringLiteral("http://127.0.0.1:%1/v1").arg(upstream.port());
        o.maxUpstreamRetries = 0; // each 429 goes to the client: one upstream call each
        o.publishIntervalMs = 10;
        auto tokens = std::make_shared<GatewayTokens>();
        Gateway gateway(o, tokens);
        QSignalSpy published(&gateway, &Gateway::statsPublished);
        gateway.start();
        QVERIFY(gateway.port() != 0);
        gateway.setProviderKey(true, QStringLiteral("sk-test-provider"), QString());
        const QByteArray mail = tokens->issue(QStringLiteral("mail"), 0, QStringLiteral("small"));
        const QByteArray web = tokens->issue(QStringLiteral("web"), 0, QStringLiteral("small"));

        HttpClient client;
        auto call = [&](const QByteArray &token, const char *model) {
            HttpClientRequest r;
            r.method = "POST";
            r.target = "/v1/chat/completions";
            r.headers = {{"Authorization", "Bearer " + token},
                         {"Content-Type", "application/json"}};
            const QJsonObject message{{QStringLiteral("role"), QStringLiteral("user")},
                                      {QStringLiteral("content"), QStringLiteral("hi")}};
            r.body =
                QJsonDocument(QJsonObject{{QStringLiteral("model"), QString::fromLatin1(model)},
                                          {QStringLiteral("messages"), QJsonArray{message}},
                                          {QStringLiteral("max_tokens"), 3}})
                    .toJson(QJsonDocument::Compact);
            HttpClientReply *reply = client.send(QStringLiteral("127.0.0.1"), gateway.port(), r);
            QSignalSpy finished(reply, &HttpClientReply::finished);
            if (!finished.wait(kWaitMs))
                return -1;
            const int status = reply->status();
            reply->deleteLater();
            return status;
        };
        // The mail pool's agents use the throttled model, the web pool's the other one.
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(call(mail, "gpt-4o"), 429);
            QCOMPARE(call(web, "gpt-4o-mini"), 200);
        }
        QCOMPARE(upstreamCalls, 6);

        const GatewayStats s = gateway.currentStats();
        QCOMPARE(s.throttle.upstream429, 3);
        QCOMPARE(s.usage.byPool.value(QStringLiteral("mail")).upstream429, 3);
        QCOMPARE(s.usage.byPool.value(QStringLiteral("web")).upstream429, 0);
        QCOMPARE(s.usage.byPool.value(QStringLiteral("web")).prompt, 21);
        QCOMPARE(s.usage.byReplica.value(QStringLiteral("mail/0")).upstream429, 3);
        QCOMPARE(s.usage.byModel.value(QStringLiteral("gpt-4o")).upstream429, 3);
        // Only the throttled pool waits for the provider's reset (60 s ahead).
        QVERIFY(s.throttle.poolThrottledUntilMs.contains(QStringLiteral("mail")));
        QVERIFY(!s.throttle.poolThrottledUntilMs.contains(QStringLiteral("web")));
        QVERIFY(s.throttle.poolThrottledUntilMs.value(QStringLiteral("mail")) > s.atMs + 30000);

        // The published snapshot (what the engine reads) carries the same.
        auto lastPublished = [&] {
            return published.isEmpty() ? GatewayStats()
                                       : published.last().at(0).value<GatewayStats>();
        };
        QTRY_VERIFY_WITH_TIMEOUT(
            lastPublished().usage.byPool.value(QStringLiteral("mail")).upstream429 == 3, kWaitMs);
        const GatewayStats p = lastPublished();
        QVERIFY(p.throttle.poolThrottledUntilMs.contains(QStringLiteral("mail")));
        QVERIFY(!p.throttle.poolThrottledUntilMs.contains(QStringLiteral("web")));
        gateway.stop();
    }
};

QTEST_GUILESS_MAIN(TestGatewayPoolThrottle)
#include "tst_gateway_pool_throttle.moc"
