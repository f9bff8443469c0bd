// The SSE parser and the gateway's usage filter: any split of the input, usage-only chunk
// removal, a final chunk with usage and choices, CRLF, cumulative usage, Responses API events.
#include "core/gateway/sse_stream.h"

#include <QtTest>

using namespace drover;

namespace {

QByteArray chunk(const QByteArray &content)
{
    return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
           "\"delta\":{\"content\":\"" + content + "\"},\"finish_reason\":null}],\"usage\":null}\n\n";
}

const QByteArray kUsageOnly =
    "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":"
    "{\"prompt_tokens\":11,\"completion_tokens\":7,\"total_tokens\":18,"
    "\"prompt_tokens_details\":{\"cached_tokens\":3},"
    "\"completion_tokens_details\":{\"reasoning_tokens\":2}}}\n\n";
const QByteArray kUsageWithChoices =
    "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
    "\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,"
    "\"completion_tokens\":9,\"total_tokens\":14}}\n\n";
const QByteArray kDone = "data: [DONE]\n\n";

QByteArray feedInPieces(UsageStreamFilter &f, const QByteArray &input, const QList<int> &cuts)
{
    QByteArray out;
    int pos = 0;
    for (int cut : cuts) {
        out += f.feed(QByteArrayView(input).sliced(pos, cut - pos));
        pos = cut;
    }
    out += f.feed(QByteArrayView(input).sliced(pos));
    out += f.finish();
    return out;
}

} // namespace

class TstSseStream : public QObject
{
    Q_OBJECT
private slots:
    void parserSplitsEvents()
    {
        SseParser p;
        p.feed("event: x\ndata: a\ndata: b\n\n: comment\n\ndata: c\r\n\r\ndata: partial");
        SseEvent e;
        QVERIFY(p.next(&e));
        QCOMPARE(e.event, QByteArray("x"));
        QCOMPARE(e.data, QByteArray("a\nb"));
        QCOMPARE(e.raw, QByteArray("event: x\ndata: a\ndata: b\n\n"));
        QVERIFY(p.next(&e));
        QCOMPARE(e.data, QByteArray());
        QVERIFY(p.next(&e));
        QCOMPARE(e.data, QByteArray("c"));
        QCOMPARE(e.raw, QByteArray("data: c\r\n\r\n"));
        QVERIFY(!p.next(&e));
        QCOMPARE(p.takeRemainder(), QByteArray("data: partial"));
    }

    // Every single split point, and byte by byte: the output and usage never depend on how
    // the network cut the stream.
    void anySplitGivesTheSameResult_data()
    {
        QTest::addColumn<bool>("drop");
        QTest::newRow("gateway asked for usage") << true;
        QTest::newRow("client asked for usage") << false;
    }
    void anySplitGivesTheSameResult()
    {
        QFETCH(bool, drop);
        const QByteArray input = chunk("Hel") + chunk("lo") + kUsageOnly + kDone;
        const QByteArray expected = drop ? chunk("Hel") + chunk("lo") + kDone : input;
        for (int cut = 0; cut <= input.size(); ++cut) {
            UsageStreamFilter f(drop);
            QCOMPARE(feedInPieces(f, input, {cut}), expected);
            const TokenUsage u = f.takeUsageDelta();
            QCOMPARE(u.prompt, 11);
            QCOMPARE(u.completion, 7);
            QCOMPARE(u.cached, 3);
            QCOMPARE(u.reasoning, 2);
            QVERIFY(f.sawDone());
        }
        UsageStreamFilter f(drop);
        QList<int> everyByte;
        for (int i = 1; i < input.size(); ++i)
            everyByte << i;
        QCOMPARE(feedInPieces(f, input, everyByte), expected);
        QCOMPARE(f.usage().total(), 18);
    }

    void eventsLeaveAsSoonAsComplete()
    {
        UsageStreamFilter f(true);
        QCOMPARE(f.feed(chunk("a").left(10)), QByteArray());
        QCOMPARE(f.feed(chunk("a").mid(10)), chunk("a")); // complete: forwarded at once
        QCOMPARE(f.feed(kUsageOnly), QByteArray());       // dropped, but counted
        QCOMPARE(f.takeUsageDelta().total(), 18);
        QCOMPARE(f.takeUsageDelta().total(), 0);          // taken once
        QCOMPARE(f.eventsDropped(), 1);
    }

    void usageWithChoicesIsForwardedAndCounted()
    {
        UsageStreamFilter f(true);
        const QByteArray out = f.feed(chunk("x") + kUsageWithChoices + kDone);
        QCOMPARE(out, chunk("x") + kUsageWithChoices + kDone);
        const TokenUsage u = f.takeUsageDelta();
        QCOMPARE(u.prompt, 5);
        QCOMPARE(u.completion, 9);
    }

    void cumulativeUsageIsCountedOnce()
    {
        UsageStreamFilter f(false);
        f.feed("data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1}}\n\n");
        f.feed("data: {\"choices\":[{\"delta\":{\"content\":\"b\"}}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2}}\n\n");
        f.feed("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":3}}\n\n");
        const TokenUsage u = f.takeUsageDelta();
        QCOMPARE(u.prompt, 5);
        QCOMPARE(u.completion, 3);
    }

    void responsesApiCompletedEvent()
    {
        UsageStreamFilter f(false);
        const QByteArray ev = "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"Hi there\"}\n\n"
                              "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"usage\":"
                              "{\"input_tokens\":12,\"output_tokens\":4,\"input_tokens_details\":{\"cached_tokens\":8},"
                              "\"output_tokens_details\":{\"reasoning_tokens\":1}}}}\n\n";
        QCOMPARE(f.feed(ev), ev);
        const TokenUsage u = f.takeUsageDelta();
        QCOMPARE(u.prompt, 12);
        QCOMPARE(u.completion, 4);
        QCOMPARE(u.cached, 8);
        QCOMPARE(u.reasoning, 1);
        QCOMPARE(f.generatedChars(), 8);
    }

    void unterminatedLastEventIsPassedOnAndCounted()
    {
        UsageStreamFilter f(false);
        QByteArray last = kUsageWithChoices;
        last.chop(2); // EOF instead of the blank line
        QCOMPARE(f.feed(last), QByteArray());
        QCOMPARE(f.finish(), last);
        QCOMPARE(f.takeUsageDelta().total(), 14);
    }

    void generatedCharsForEstimates()
    {
        UsageStreamFilter f(true);
        f.feed(chunk("abcd") + chunk("efgh"));
        QCOMPARE(f.generatedChars(), 8);
        QVERIFY(!f.hasUsage());
    }

    void garbageIsPassedThrough()
    {
        UsageStreamFilter f(true);
        const QByteArray in = "data: not json\n\nretry: 100\n\n";
        QCOMPARE(f.feed(in), in);
    }
};

QTEST_APPLESS_MAIN(TstSseStream)
#include "tst_sse_stream.moc"
