// The HTTP/1.x request parser: every case is fed whole and one byte at a time, because a
// socket may split a request anywhere.
#include "core/http/http_request_parser.h"

#include <QRandomGenerator>
#include <QtTest>

using namespace drover;

namespace {

struct Outcome
{
    QList<HttpRequest> requests;
    int errorStatus = 0; // 0: no error
    bool partial = false;
};

Outcome run(const QByteArray &bytes, qsizetype chunk, HttpRequestParser::Limits limits = {})
{
    HttpRequestParser parser(limits);
    Outcome out;
    auto drain = [&] {
        for (;;) {
            const HttpRequestParser::Status s = parser.next();
            if (s == HttpRequestParser::Status::RequestReady) {
                out.requests.append(parser.takeRequest());
                continue;
            }
            if (s == HttpRequestParser::Status::Error)
                out.errorStatus = parser.error().status;
            return s;
        }
    };
    for (qsizetype i = 0; i < bytes.size(); i += chunk) {
        parser.feed(QByteArrayView(bytes).sliced(i, qMin(chunk, bytes.size() - i)));
        if (drain() == HttpRequestParser::Status::Error)
            break;
    }
    if (bytes.isEmpty())
        drain();
    out.partial = parser.hasPartialRequest();
    return out;
}

QByteArray get(const QByteArray &path)
{
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
}

} // namespace

class TestHttpRequestParser : public QObject
{
    Q_OBJECT
private slots:
    void singleRequest_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<int>("error");
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("body");

        const QByteArray none;
        QTest::newRow("get") << get("/health/live") << 0 << QByteArray("GET")
                             << QByteArray("/health/live") << none;
        QTest::newRow("query split off")
            << get("/metrics?x=1&y=2") << 0 << QByteArray("GET") << QByteArray("/metrics") << none;
        QTest::newRow("post with body")
            << QByteArray("POST /jobs HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n{\"id\":\"a\"}\n")
            << 0 << QByteArray("POST") << QByteArray("/jobs") << QByteArray("{\"id\":\"a\"}\n");
        QTest::newRow("bare LF line endings")
            << QByteArray("GET / HTTP/1.1\nHost: h\n\n") << 0 << QByteArray("GET")
            << QByteArray("/") << none;
        QTest::newRow("leading empty line tolerated")
            << QByteArray("\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n") << 0 << QByteArray("GET")
            << QByteArray("/") << none;
        QTest::newRow("http/1.0 without host")
            << QByteArray("GET / HTTP/1.0\r\n\r\n") << 0 << QByteArray("GET") << QByteArray("/")
            << none;
        QTest::newRow("absolute form")
            << QByteArray("GET http://127.0.0.1:5/metrics?a HTTP/1.1\r\nHost: h\r\n\r\n") << 0
            << QByteArray("GET") << QByteArray("/metrics") << none;
        QTest::newRow("equal duplicate content-length")
            << QByteArray("POST /j HTTP/1.1\r\nHost: h\r\nContent-Length: 2, 2\r\n\r\nab") << 0
            << QByteArray("POST") << QByteArray("/j") << QByteArray("ab");
        QTest::newRow("options asterisk")
            << QByteArray("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n") << 0 << QByteArray("OPTIONS")
            << QByteArray("*") << none;

        QTest::newRow("chunked body refused")
            << QByteArray("POST /jobs HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "2\r\nab\r\n0\r\n\r\n")
            << 411 << none << none << none;
        QTest::newRow("other transfer coding")
            << QByteArray("POST /jobs HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n")
            << 501 << none << none << none;
        QTest::newRow("te and cl together")
            << QByteArray("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n"
                          "Transfer-Encoding: chunked\r\n\r\nabc")
            << 400 << none << none << none;
        QTest::newRow("conflicting content-length")
            << QByteArray("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n")
            << 400 << none << none << none;
        QTest::newRow("negative content-length")
            << QByteArray("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n") << 400
            << none << none << none;
        QTest::newRow("huge content-length")
            << QByteArray("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999999\r\n\r\n")
            << 413 << none << none << none;
        QTest::newRow("missing host")
            << QByteArray("GET / HTTP/1.1\r\n\r\n") << 400 << none << none << none;
        QTest::newRow("two hosts")
            << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") << 400 << none << none
            << none;
        QTest::newRow("http/2 preface")
            << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") << 505 << none << none << none;
        QTest::newRow("not http") << QByteArray("hello there\r\n\r\n") << 400 << none << none
                                  << none;
        QTest::newRow("tls client hello")
            << QByteArray::fromHex("16030100a5010000a10303") + "\r\n" << 400 << none << none
            << none;
        QTest::newRow("tls client hello, no newline ever")
            << QByteArray::fromHex("160301020001000000") << 400 << none << none << none;
        QTest::newRow("double space")
            << QByteArray("GET  / HTTP/1.1\r\nHost: h\r\n\r\n") << 400 << none << none << none;
        QTest::newRow("space before colon")
            << QByteArray("GET / HTTP/1.1\r\nHost : h\r\n\r\n") << 400 << none << none << none;
        QTest::newRow("obs-fold")
            << QByteArray("GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n") << 400 << none
            << none << none;
        QTest::newRow("nul in header value")
            << QByteArray("GET / HTTP/1.1\r\nHost: h\r\nX: a") + '\0' + "b\r\n\r\n" << 400 << none
            << none << none;
        QTest::newRow("bare cr in header value")
            << QByteArray("GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n") << 400 << none << none
            << none;
        QTest::newRow("header without colon")
            << QByteArray("GET / HTTP/1.1\r\nHost: h\r\nnonsense\r\n\r\n") << 400 << none
            << none << none;
        QTest::newRow("relative target")
            << QByteArray("GET metrics HTTP/1.1\r\nHost: h\r\n\r\n") << 400 << none << none
            << none;
        QTest::newRow("unknown expect")
            << QByteArray("POST / HTTP/1.1\r\nHost: h\r\nExpect: magic\r\nContent-Length: 1\r\n\r\nx")
            << 417 << none << none << none;
        QTest::newRow("too many empty lines")
            << QByteArray("\r\n\r\n\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n") << 400 << none
            << none << none;
    }

    void singleRequest()
    {
        QFETCH(QByteArray, raw);
        QFETCH(int, error);
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, body);
        for (qsizetype chunk : {raw.size(), qsizetype(1), qsizetype(7)}) {
            const Outcome o = run(raw, qMax<qsizetype>(1, chunk));
            QCOMPARE(o.errorStatus, error);
            if (error != 0) {
                QVERIFY(o.requests.isEmpty());
                continue;
            }
            QCOMPARE(o.requests.size(), 1);
            QCOMPARE(o.requests[0].method, method);
            QCOMPARE(o.requests[0].path, path);
            QCOMPARE(o.requests[0].body, body);
            QVERIFY(!o.partial);
        }
    }

    void headersAndVersion()
    {
        const Outcome o = run("GET /a?b=c HTTP/1.0\r\nHost:   h  \r\nX-Thing:\tv1 \r\n"
                              "connection: Keep-Alive\r\n\r\n",
                              1);
        QCOMPARE(o.requests.size(), 1);
        const HttpRequest &r = o.requests[0];
        QCOMPARE(r.versionMinor, 0);
        QCOMPARE(r.target, QByteArray("/a?b=c"));
        QCOMPARE(r.query, QByteArray("b=c"));
        QCOMPARE(r.header("HOST"), QByteArray("h"));
        QCOMPARE(r.header("x-thing"), QByteArray("v1"));
        QVERIFY(r.keepAlive()); // 1.0 with keep-alive
        QVERIFY(!r.hasHeader("missing"));

        const Outcome c = run("GET / HTTP/1.1\r\nHost: h\r\nConnection: foo, close\r\n\r\n", 3);
        QCOMPARE(c.requests.size(), 1);
        QVERIFY(!c.requests[0].keepAlive());
        QVERIFY(run(get("/"), 100).requests[0].keepAlive());
        QVERIFY(!run("GET / HTTP/1.0\r\n\r\n", 100).requests[0].keepAlive());
    }

    void pipelined_data()
    {
        QTest::addColumn<int>("chunk");
        QTest::newRow("all at once") << 100000;
        QTest::newRow("byte by byte") << 1;
        QTest::newRow("odd splits") << 13;
    }

    void pipelined()
    {
        QFETCH(int, chunk);
        const QByteArray raw = get("/one")
                               + "POST /two HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"
                               + get("/three")
                               + "POST /four HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n"
                               + "GET /fi"; // an incomplete fifth
        const Outcome o = run(raw, chunk);
        QCOMPARE(o.errorStatus, 0);
        QCOMPARE(o.requests.size(), 4);
        QCOMPARE(o.requests[0].path, QByteArray("/one"));
        QCOMPARE(o.requests[1].path, QByteArray("/two"));
        QCOMPARE(o.requests[1].body, QByteArray("hello"));
        QCOMPARE(o.requests[2].path, QByteArray("/three"));
        QCOMPARE(o.requests[3].path, QByteArray("/four"));
        QVERIFY(o.requests[3].body.isEmpty());
        QVERIFY(o.partial);
    }

    void errorAfterGoodRequestsKeepsThem()
    {
        const Outcome o = run(get("/ok") + "BROKEN\r\n\r\n" + get("/never"), 1);
        QCOMPARE(o.requests.size(), 1);
        QCOMPARE(o.errorStatus, 400);
    }

    void errorIsFinal()
    {
        HttpRequestParser p;
        p.feed("garbage garbage\r\n");
        QCOMPARE(p.next(), HttpRequestParser::Status::Error);
        p.feed(get("/"));
        QCOMPARE(p.next(), HttpRequestParser::Status::Error);
        QCOMPARE(p.error().status, 400);
        QVERIFY(!p.error().message.isEmpty());
    }

    void limits_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<int>("error");
        HttpRequestParser::Limits d;

        QTest::newRow("request line at limit")
            << "GET /" + QByteArray(d.maxRequestLineBytes - 16, 'a') + " HTTP/1.1\r\nHost: h\r\n\r\n"
            << 0;
        QTest::newRow("request line too long")
            << "GET /" + QByteArray(d.maxRequestLineBytes, 'a') + " HTTP/1.1\r\nHost: h\r\n\r\n"
            << 414;
        QTest::newRow("endless request line")
            << "GET /" + QByteArray(d.maxRequestLineBytes * 3, 'a') << 414;
        QTest::newRow("headers just fit")
            << "GET / HTTP/1.1\r\nHost: h\r\nX: " + QByteArray(d.maxHeaderBytes - 40, 'v')
                   + "\r\n\r\n"
            << 0;
        QTest::newRow("headers too large")
            << "GET / HTTP/1.1\r\nHost: h\r\nX: " + QByteArray(d.maxHeaderBytes, 'v') + "\r\n\r\n"
            << 431;
        QTest::newRow("endless header line")
            << "GET / HTTP/1.1\r\nX: " + QByteArray(d.maxHeaderBytes * 2, 'v') << 431;
        QByteArray many = "GET / HTTP/1.1\r\nHost: h\r\n";
        for (int i = 0; i < d.maxHeaderCount; ++i)
            many += "X-" + QByteArray::number(i) + ": 1\r\n";
        QTest::newRow("too many headers") << many + "\r\n" << 431;
        QTest::newRow("body too large (by header, before any body byte)")
            << "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: "
                   + QByteArray::number(d.maxBodyBytes + 1) + "\r\n\r\n"
            << 413;
    }

    void limits()
    {
        QFETCH(QByteArray, raw);
        QFETCH(int, error);
        QCOMPARE(run(raw, raw.size()).errorStatus, error);
        QCOMPARE(run(raw, 997).errorStatus, error);
    }

    void configurableBodyLimit()
    {
        HttpRequestParser::Limits small;
        small.maxBodyBytes = 10;
        const QByteArray ok = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123456789";
        const Outcome a = run(ok, 1, small);
        QCOMPARE(a.errorStatus, 0);
        QCOMPARE(a.requests.size(), 1);
        QCOMPARE(run("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n", 1, small).errorStatus,
                 413);
    }

    void expectContinue()
    {
        HttpRequestParser p;
        p.feed("POST /jobs HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
        QCOMPARE(p.next(), HttpRequestParser::Status::NeedMore);
        QVERIFY(p.expectsContinue());
        p.feed("ab");
        QCOMPARE(p.next(), HttpRequestParser::Status::NeedMore);
        p.feed("c");
        QCOMPARE(p.next(), HttpRequestParser::Status::RequestReady);
        QVERIFY(!p.expectsContinue());
        QCOMPARE(p.takeRequest().body, QByteArray("abc"));
    }

    void partialRequestTracking()
    {
        HttpRequestParser p;
        QVERIFY(!p.hasPartialRequest());
        p.feed("GE");
        QCOMPARE(p.next(), HttpRequestParser::Status::NeedMore);
        QVERIFY(p.hasPartialRequest());
        p.feed("T / HTTP/1.1\r\nHost: h\r\n\r\n");
        QCOMPARE(p.next(), HttpRequestParser::Status::RequestReady);
        p.takeRequest();
        QCOMPARE(p.next(), HttpRequestParser::Status::NeedMore);
        QVERIFY(!p.hasPartialRequest());
        QCOMPARE(p.bufferedBytes(), 0);
    }

    void longKeepAliveSessionDoesNotGrowTheBuffer()
    {
        HttpRequestParser p;
        const QByteArray one = "POST /jobs HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\n"
                               + QByteArray(100, 'x');
        for (int i = 0; i < 5000; ++i) {
            p.feed(one);
            QCOMPARE(p.next(), HttpRequestParser::Status::RequestReady);
            QCOMPARE(p.takeRequest().body.size(), 100);
        }
        QCOMPARE(p.bufferedBytes(), 0);
    }

    // A small in-process fuzz: random bytes and mutated requests must end in a request, a
    // clean error or "need more", never a crash or a hang.
    void randomInputNeverCrashes()
    {
        QRandomGenerator rng(20240601);
        const QByteArray seed = "POST /jobs?x=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n"
                                "Expect: 100-continue\r\nConnection: keep-alive\r\n\r\nbody";
        for (int round = 0; round < 3000; ++round) {
            QByteArray input;
            if (round % 2 == 0) {
                input.resize(rng.bounded(1, 300));
                for (char &c : input)
                    c = char(rng.bounded(256));
            } else {
                input = seed + seed;
                const int mutations = rng.bounded(1, 6);
                for (int m = 0; m < mutations; ++m)
                    input[rng.bounded(int(input.size()))] = char(rng.bounded(256));
            }
            HttpRequestParser::Limits limits;
            limits.maxHeaderBytes = 64;
            limits.maxRequestLineBytes = 48;
            limits.maxHeaderCount = 3;
            const Outcome o = run(input, rng.bounded(1, 40), limits);
            QVERIFY(o.errorStatus == 0 || (o.errorStatus >= 400 && o.errorStatus < 600));
        }
    }
};

QTEST_GUILESS_MAIN(TestHttpRequestParser)
#include "tst_http_request_parser.moc"
