// Usage parsing (Chat Completions, Embeddings, Responses API shapes) and the ledger's
// counters by replica, pool, tier, model and kind.
#include "core/gateway/usage.h"

#include <QJsonDocument>
#include <QtTest>

#include <limits>

using namespace drover;

namespace {
QJsonObject json(const char *text)
{
    return QJsonDocument::fromJson(text).object();
}
} // namespace

class TstGatewayUsage : public QObject
{
    Q_OBJECT
private slots:
    void parsesChatUsage()
    {
        const auto u = usageOfResponse(json(R"({"usage":{"prompt_tokens":100,"completion_tokens":40,
            "total_tokens":140,"prompt_tokens_details":{"cached_tokens":64},
            "completion_tokens_details":{"reasoning_tokens":12}}})"));
        QVERIFY(u);
        QCOMPARE(u->prompt, 100);
        QCOMPARE(u->completion, 40);
        QCOMPARE(u->cached, 64);
        QCOMPARE(u->reasoning, 12);
        QVERIFY(!u->estimated);
    }

    void parsesEmbeddingsUsage()
    {
        const auto u = usageOfResponse(json(R"({"usage":{"prompt_tokens":8,"total_tokens":8}})"));
        QVERIFY(u);
        QCOMPARE(u->prompt, 8);
        QCOMPARE(u->completion, 0);
    }

    void parsesResponsesUsage()
    {
        const auto u = usageOfResponse(json(R"({"usage":{"input_tokens":30,"output_tokens":9,
            "input_tokens_details":{"cached_tokens":0},"output_tokens_details":{"reasoning_tokens":4}}})"));
        QVERIFY(u);
        QCOMPARE(u->prompt, 30);
        QCOMPARE(u->completion, 9);
        QCOMPARE(u->reasoning, 4);
    }

    void noUsage()
    {
        QVERIFY(!usageOfResponse(json(R"({"usage":null})")));
        QVERIFY(!usageOfResponse(json(R"({"choices":[]})")));
        QVERIFY(!usageOfResponse(json(R"({"usage":{"foo":1}})")));
    }

    void accumulatorCountsGrowthOnly()
    {
        UsageAccumulator acc;
        QCOMPARE(acc.observe({10, 1, 0, 0}).completion, 1);
        const TokenUsage d = acc.observe({10, 5, 0, 0});
        QCOMPARE(d.prompt, 0);
        QCOMPARE(d.completion, 4);
        QVERIFY(acc.observe({10, 5, 0, 0}).isZero()); // a repeated report adds nothing
    }

    void absurdCountsAreBounded()
    {
        // Found by fuzz_sse_stream: INT64_MIN after a positive count overflowed the difference.
        const QByteArray body = R"({"usage":{"prompt_tokens":-9223372036854775808,
            "completion_tokens":9223372036854775707}})";
        for (const std::optional<TokenUsage> &u :
             {usageOfResponse(json(body.constData())), usageOfResponseBody(body)}) {
            QVERIFY(u);
            QCOMPARE(u->prompt, 0);
            QCOMPARE(u->completion, 1'000'000'000'000);
        }
        UsageAccumulator acc;
        QCOMPARE(acc.observe({1000, 0, 0, 0}).prompt, 1000);
        QCOMPARE(acc.observe({std::numeric_limits<qint64>::min(), 0, 0, 0}).prompt, 0);
        QCOMPARE(acc.observe({1500, 0, 0, 0}).prompt, 500);
    }

    void ledgerCountsByEveryKey()
    {
        UsageLedger ledger;
        const UsageKey a{QStringLiteral("crawl"), 0, QStringLiteral("free"), QStringLiteral("gpt-4o")};
        const UsageKey b{QStringLiteral("crawl"), 1, QStringLiteral("premium"), QStringLiteral("gpt-4o-mini")};
        ledger.countRequest(a);
        ledger.addUsage(a, {100, 20, 50, 5});
        ledger.countRequest(b);
        ledger.addUsage(b, {10, 2, 0, 0});
        TokenUsage guess{7, 3, 0, 0, true};
        ledger.addUsage(b, guess);
        ledger.countEstimatedRequest(b);
        ledger.countRejected(a);

        const UsageTotals &t = ledger.totals();
        QCOMPARE(t.total.prompt, 117);
        QCOMPARE(t.total.completion, 25);
        QCOMPARE(t.total.cached, 50);
        QCOMPARE(t.total.reasoning, 5);
        QCOMPARE(t.total.estimatedTokens, 10);
        QCOMPARE(t.total.requests, 2);
        QCOMPARE(t.total.rejected, 1);
        QCOMPARE(t.byReplica.value(QStringLiteral("crawl/0")).total(), 120);
        QCOMPARE(t.byReplica.value(QStringLiteral("crawl/1")).total(), 22);
        QCOMPARE(t.byReplica.value(QStringLiteral("crawl/1")).estimatedRequests, 1);
        QCOMPARE(t.byPool.value(QStringLiteral("crawl")).total(), 142);
        QCOMPARE(t.byTier.value(QStringLiteral("free")).cached, 50);
        QCOMPARE(t.byTier.value(QStringLiteral("premium")).prompt, 17);
        QCOMPARE(t.byModel.value(QStringLiteral("gpt-4o")).reasoning, 5);
        QCOMPARE(t.byModel.value(QStringLiteral("gpt-4o-mini")).completion, 5);
    }
};

QTEST_APPLESS_MAIN(TstGatewayUsage)
#include "tst_gateway_usage.moc"
