// The response parser of core/http's client, table-driven: every response is also fed one byte
// at a time, so no split of the input changes the result.
#include "core/http/http_response_parser.h"

#include <QtTest>

using namespace drover;

namespace {

struct Outcome
{
    HttpResponseParser::Status status = HttpResponseParser::Status::NeedMore;
    int code = 0;
    QByteArray body;
    bool keepAlive = false;
    QByteArray error;
};

// Feeds `wire` in pieces of `step` bytes (0: all at once), then the close when `close`.
Outcome run(const QByteArray &wire, int step, bool close, bool head = false)
{
    HttpResponseParser p;
    p.expectResponseToHead(head);
    Outcome o;
    const int n = step <= 0 ? int(wire.size()) : step;
    for (qsizetype i = 0; i < wire.size() && o.status == HttpResponseParser::Status::NeedMore; i += n) {
        o.status = p.feed(QByteArrayView(wire).sliced(i, qMin<qsizetype>(n, wire.size() - i)));
        o.body += p.takeBody();
    }
    if (close && o.status == HttpResponseParser::Status::NeedMore) {
        o.status = p.finish();
        o.body += p.takeBody();
    }
    o.code = p.head().status;
    o.keepAlive = p.keepAlive();
    o.error = p.errorString();
    return o;
}

} // namespace

class TstHttpResponseParser : public QObject
{
    Q_OBJECT
private slots:
    void parses_data();
    void parses();
    void headersAreKept();
    void reuseForTheNextResponse();
    void streamedBodyIsHandedOutAsItArrives();
    void bytesAfterTheEndMakeTheConnectionUnusable();
    void headLimit();
};

void TstHttpResponseParser::parses_data()
{
    using S = HttpResponseParser::Status;
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<bool>("close"); // the peer closes after sending `wire`
    QTest::addColumn<bool>("head");  // the answer to a HEAD request
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("code");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("keepAlive");

    QTest::newRow("content-length") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
                                    << false << false << int(S::Complete) << 200 << QByteArray("hello") << true;
    QTest::newRow("no reason phrase") << QByteArray("HTTP/1.1 204\r\n\r\n")
                                      << false << false << int(S::Complete) << 204 << QByteArray() << true;
    QTest::newRow("lf only") << QByteArray("HTTP/1.1 200 OK\nContent-Length: 2\n\nhi")
                             << false << false << int(S::Complete) << 200 << QByteArray("hi") << true;
    QTest::newRow("zero length") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
                                 << false << false << int(S::Complete) << 200 << QByteArray() << true;
    QTest::newRow("chunked") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                           "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n")
                             << false << false << int(S::Complete) << 200 << QByteArray("hello, world") << true;
    QTest::newRow("chunked hex upper") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                                     "A\r\n0123456789\r\n0\r\n\r\n")
                                       << false << false << int(S::Complete) << 200 << QByteArray("0123456789") << true;
    QTest::newRow("chunked trailers") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                                    "2\r\nok\r\n0\r\nX-Checksum: 1\r\n\r\n")
                                      << false << false << int(S::Complete) << 200 << QByteArray("ok") << true;
    QTest::newRow("connection close") << QByteArray("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok")
                                      << false << false << int(S::Complete) << 200 << QByteArray("ok") << false;
    QTest::newRow("http/1.0") << QByteArray("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok")
                              << false << false << int(S::Complete) << 200 << QByteArray("ok") << false;
    QTest::newRow("http/1.0 keep-alive") << QByteArray("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nok")
                                         << false << false << int(S::Complete) << 200 << QByteArray("ok") << true;
    QTest::newRow("until close") << QByteArray("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it")
                                 << true << false << int(S::Complete) << 200 << QByteArray("all of it") << false;
    QTest::newRow("until close, not closed yet") << QByteArray("HTTP/1.1 200 OK\r\n\r\nsome")
                                                 << false << false << int(S::NeedMore) << 200 << QByteArray("some") << false;
    QTest::newRow("interim 100 skipped") << QByteArray("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                                                       "HTTP/1.1 201 Created\r\nContent-Length: 1\r\n\r\nx")
                                         << false << false << int(S::Complete) << 201 << QByteArray("x") << true;
    QTest::newRow("head answer has no body") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n")
                                             << false << true << int(S::Complete) << 200 << QByteArray() << true;
    QTest::newRow("304 has no body") << QByteArray("HTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\n\r\n")
                                     << false << false << int(S::Complete) << 304 << QByteArray() << true;
    QTest::newRow("error status with body") << QByteArray("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\nContent-Length: 2\r\n\r\n{}")
                                            << false << false << int(S::Complete) << 429 << QByteArray("{}") << true;

    QTest::newRow("closed mid body") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01234")
                                     << true << false << int(S::Error) << 200 << QByteArray("01234") << false;
    QTest::newRow("closed mid chunk") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel")
                                      << true << false << int(S::Error) << 200 << QByteArray("hel") << false;
    QTest::newRow("closed before answer") << QByteArray() << true << false << int(S::Error) << 0 << QByteArray() << false;
    QTest::newRow("closed mid head") << QByteArray("HTTP/1.1 200 OK\r\nContent-") << true << false << int(S::Error) << 200 << QByteArray() << false;
    QTest::newRow("not http") << QByteArray("\x15\x03\x01\x00\x02\x02\x46") << false << false << int(S::Error) << 0 << QByteArray() << false;
    QTest::newRow("bad status line") << QByteArray("HTTP/1.1 2x0 OK\r\n\r\n") << false << false << int(S::Error) << 0 << QByteArray() << false;
    QTest::newRow("http/2 status line") << QByteArray("HTTP/2 200\r\n\r\n") << false << false << int(S::Error) << 0 << QByteArray() << false;
    QTest::newRow("bad content-length") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 5x\r\n\r\n") << false << false << int(S::Error) << 200 << QByteArray() << false;
    QTest::newRow("bad chunk size") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n") << false << false << int(S::Error) << 200 << QByteArray() << false;
    QTest::newRow("chunk longer than its size") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n")
                                                << false << false << int(S::Error) << 200 << QByteArray("ab") << false;
    QTest::newRow("folded header") << QByteArray("HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\n\r\n") << false << false << int(S::Error) << 200 << QByteArray() << false;
}

void TstHttpResponseParser::parses()
{
    QFETCH(QByteArray, wire);
    QFETCH(bool, close);
    QFETCH(bool, head);
    QFETCH(int, status);
    QFETCH(int, code);
    QFETCH(QByteArray, body);
    QFETCH(bool, keepAlive);
    for (int step : {0, 1, 3}) {
        const Outcome o = run(wire, step, close, head);
        const QByteArray where = "step " + QByteArray::number(step) + ": " + o.error;
        QVERIFY2(int(o.status) == status, where.constData());
        if (o.status == HttpResponseParser::Status::Error) {
            QVERIFY2(!o.error.isEmpty(), where.constData());
            QVERIFY(!o.keepAlive);
            continue;
        }
        QVERIFY2(o.code == code, where.constData());
        QVERIFY2(o.body == body, where.constData());
        QVERIFY2(o.keepAlive == keepAlive, where.constData());
    }
    // A malformed answer can be rejected before its head is complete; where it got to is
    // only compared for answers that have one.
    if (status != int(HttpResponseParser::Status::Error) || code == 0)
        return;
    QCOMPARE(run(wire, 0, close, head).code, code);
}

void TstHttpResponseParser::headersAreKept()
{
    HttpResponseParser p;
    QCOMPARE(p.feed("HTTP/1.1 200 OK\r\nContent-Type:  text/event-stream \r\nX-Request-Id: req_1\r\n"
                    "Content-Length: 0\r\n\r\n"),
             HttpResponseParser::Status::Complete);
    QCOMPARE(p.head().header("content-type"), QByteArray("text/event-stream"));
    QCOMPARE(p.head().header("X-REQUEST-ID"), QByteArray("req_1"));
    QCOMPARE(p.head().headers.size(), 3);
    QCOMPARE(p.head().headers.at(1).first, QByteArray("X-Request-Id")); // names as sent
}

void TstHttpResponseParser::reuseForTheNextResponse()
{
    HttpResponseParser p;
    QCOMPARE(p.feed("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na"), HttpResponseParser::Status::Complete);
    QCOMPARE(p.takeBody(), QByteArray("a"));
    QVERIFY(p.keepAlive());
    p.reset();
    QVERIFY(!p.hasHead());
    QCOMPARE(p.feed("HTTP/1.1 404 Not Found\r\nContent-Length: 1\r\n\r\nb"), HttpResponseParser::Status::Complete);
    QCOMPARE(p.head().status, 404);
    QCOMPARE(p.takeBody(), QByteArray("b"));
}

void TstHttpResponseParser::streamedBodyIsHandedOutAsItArrives()
{
    HttpResponseParser p;
    QCOMPARE(p.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"), HttpResponseParser::Status::NeedMore);
    QVERIFY(p.hasHead());
    QCOMPARE(p.takeBody(), QByteArray());
    QCOMPARE(p.feed("b\r\ndata: one\n\n\r\n"), HttpResponseParser::Status::NeedMore);
    QCOMPARE(p.takeBody(), QByteArray("data: one\n\n"));
    // Half a chunk is handed out too: the SSE layer reassembles events.
    QCOMPARE(p.feed("b\r\ndata:"), HttpResponseParser::Status::NeedMore);
    QCOMPARE(p.takeBody(), QByteArray("data:"));
    QCOMPARE(p.feed(" two\n\n\r\n0\r\n\r\n"), HttpResponseParser::Status::Complete);
    QCOMPARE(p.takeBody(), QByteArray(" two\n\n"));
    QVERIFY(p.keepAlive());
}

void TstHttpResponseParser::bytesAfterTheEndMakeTheConnectionUnusable()
{
    HttpResponseParser p;
    QCOMPARE(p.feed("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\naEXTRA"), HttpResponseParser::Status::Complete);
    QVERIFY(!p.keepAlive());
    HttpResponseParser q;
    QCOMPARE(q.feed("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na"), HttpResponseParser::Status::Complete);
    QVERIFY(q.keepAlive());
    QCOMPARE(q.feed("late"), HttpResponseParser::Status::Complete);
    QVERIFY(!q.keepAlive());
}

void TstHttpResponseParser::headLimit()
{
    HttpResponseParser::Limits limits;
    limits.maxHeaderBytes = 1024;
    HttpResponseParser p(limits);
    QCOMPARE(p.feed("HTTP/1.1 200 OK\r\n"), HttpResponseParser::Status::NeedMore);
    HttpResponseParser::Status s = HttpResponseParser::Status::NeedMore;
    for (int i = 0; i < 100 && s == HttpResponseParser::Status::NeedMore; ++i)
        s = p.feed("X-Filler: " + QByteArray(40, 'f') + "\r\n");
    QCOMPARE(s, HttpResponseParser::Status::Error);
    QVERIFY(p.errorString().contains("too large"));
    // One endless header line is caught as well, before its end arrives.
    HttpResponseParser q(limits);
    QCOMPARE(q.feed("HTTP/1.1 200 OK\r\nX-Long: " + QByteArray(2000, 'a')), HttpResponseParser::Status::Error);
}

QTEST_GUILESS_MAIN(TstHttpResponseParser)
#include "tst_http_response_parser.moc"
