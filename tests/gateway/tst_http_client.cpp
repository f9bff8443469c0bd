// core/http's keep-alive client (the gateway's way to plain-http upstreams) against real
// loopback servers: Drover's own HttpServer where a well-behaved upstream will do, and a
// scripted QTcpServer for upstreams that close, stall, trickle or break off.
#include "core/http/http_client.h"
#include "core/http/http_server.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QtTest>

#include <functional>
#include <memory>

using namespace drover;

namespace {

constexpr int kWaitMs = 15000; // generous: CI machines are loaded

// A raw upstream whose answers the test scripts: the handler gets the socket, the index of
// the connection (0-based, in accept order) and of the request on that connection.
class ScriptedUpstream : public QObject
{
public:
    using Handler = std::function<void(QTcpSocket *socket, int connection, int request)>;

    explicit ScriptedUpstream(Handler handler) : m_handler(std::move(handler))
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                const int index = connections++;
                auto buffer = std::make_shared<QByteArray>();
                auto requests = std::make_shared<int>(0);
                QObject::connect(s, &QTcpSocket::readyRead, s, [=] {
                    *buffer += s->readAll();
                    // Complete requests: head, then Content-Length bytes of body.
                    for (;;) {
                        const qsizetype end = buffer->indexOf("\r\n\r\n");
                        if (end < 0)
                            return;
                        qsizetype length = 0;
                        const QByteArray head = buffer->left(end).toLower();
                        const qsizetype cl = head.indexOf("content-length:");
                        if (cl >= 0)
                            length = head.mid(cl + 15, head.indexOf('\r', cl) - cl - 15).trimmed().toLongLong();
                        if (buffer->size() < end + 4 + length)
                            return;
                        received << buffer->left(end + 4 + length);
                        buffer->remove(0, end + 4 + length);
                        m_handler(s, index, (*requests)++);
                        if (s->state() != QAbstractSocket::ConnectedState)
                            return;
                    }
                });
                QObject::connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
        m_server.listen(QHostAddress::LocalHost);
    }

    quint16 port() const { return m_server.serverPort(); }

    int connections = 0;
    QList<QByteArray> received;

private:
    QTcpServer m_server;
    Handler m_handler;
};

QByteArray okAnswer(const QByteArray &body, const QByteArray &extraHeaders = {})
{
    return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
           + QByteArray::number(body.size()) + "\r\n" + extraHeaders + "\r\n" + body;
}

HttpClientRequest get(const QByteArray &target)
{
    HttpClientRequest r;
    r.method = "GET";
    r.target = target;
    return r;
}

struct Collected
{
    QByteArray body;
    QList<QByteArray> pieces;
};

// Reads the reply's body as it arrives (as the gateway does).
std::shared_ptr<Collected> collect(HttpClientReply *reply)
{
    auto c = std::make_shared<Collected>();
    QObject::connect(reply, &HttpClientReply::readyRead, reply, [reply, c] {
        const QByteArray piece = reply->readAll();
        c->body += piece;
        c->pieces << piece;
    });
    return c;
}

} // namespace

class TstHttpClient : public QObject
{
    Q_OBJECT
private slots:
    void sequentialRequestsReuseOneConnection();
    void concurrentRequestsGetTheirOwnConnections();
    void postSendsBodyAndHeaders();
    void chunkedStreamArrivesPieceByPiece();
    void largeContentLengthBody();
    void connectionCloseIsNotReused();
    void bodyEndedByCloseIsComplete();
    void staleReusedConnectionIsResentOnce();
    void freshConnectionClosedWithoutAnswerFails();
    void closeMidBodyIsAnError();
    void slowTricklingUpstreamIsNotTimedOut();
    void stalledUpstreamTimesOut();
    void refusedConnectionFailsFromTheEventLoop();
    void abortMidStreamDropsTheConnection();
    void idleConnectionClosedByUpstreamIsNotReused();
};

void TstHttpClient::sequentialRequestsReuseOneConnection()
{
    HttpServer server;
    int served = 0;
    server.route("GET", "/x", [&](const HttpRequest &, HttpResponder &r) {
        r.respond(HttpResponse::text(200, "hello " + QByteArray::number(++served)));
    });
    QVERIFY(server.listen());
    int maxConnections = 0;
    connect(&server, &HttpServer::connectionCountChanged, this,
            [&](int n) { maxConnections = qMax(maxConnections, n); });

    HttpClient client;
    for (int i = 1; i <= 5; ++i) {
        std::unique_ptr<HttpClientReply> reply(client.send(QStringLiteral("127.0.0.1"), server.port(), get("/x")));
        QSignalSpy finished(reply.get(), &HttpClientReply::finished);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kWaitMs);
        QCOMPARE(reply->error(), HttpClientReply::Error::None);
        QCOMPARE(reply->status(), 200);
        QCOMPARE(reply->readAll(), "hello " + QByteArray::number(i));
        QCOMPARE(reply->reusedConnection(), i > 1);
    }
    QCOMPARE(client.connectionsOpened(), 1);
    QCOMPARE(client.idleConnectionCount(), 1);
    QCOMPARE(maxConnections, 1);
}

void TstHttpClient::concurrentRequestsGetTheirOwnConnections()
{
    HttpServer server;
    QList<HttpResponder> waiting;
    server.route("GET", "/slow", [&](const HttpRequest &, HttpResponder &r) { waiting << r; });
    QVERIFY(server.listen());

    HttpClient client;
    for (int round = 0; round < 2; ++round) {
        std::vector<std::unique_ptr<HttpClientReply>> replies;
        for (int i = 0; i < 4; ++i)
            replies.emplace_back(client.send(QStringLiteral("127.0.0.1"), server.port(), get("/slow")));
        // All four are at the server at once: none waits for another's connection.
        QTRY_COMPARE_WITH_TIMEOUT(waiting.size(), 4, kWaitMs);
        for (HttpResponder &r : waiting)
            r.respond(HttpResponse::text(200, "done"));
        waiting.clear();
        for (auto &reply : replies) {
            QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), kWaitMs);
            QCOMPARE(reply->error(), HttpClientReply::Error::None);
            QCOMPARE(reply->readAll(), QByteArray("done"));
            QCOMPARE(reply->reusedConnection(), round == 1);
        }
    }
    QCOMPARE(client.connectionsOpened(), 4);
    QCOMPARE(client.idleConnectionCount(), 4);
}

void TstHttpClient::postSendsBodyAndHeaders()
{
    HttpServer server;
    HttpRequest seen;
    server.route("POST", "/v1/echo", [&](const HttpRequest &req, HttpResponder &r) {
        seen = req;
        r.respond(HttpResponse::text(201, req.body, "application/json"));
    });
    QVERIFY(server.listen());

    HttpClient client;
    HttpClientRequest req;
    req.method = "POST";
    req.target = "/v1/echo?mode=1";
    req.body = R"({"model":"m"})";
    req.headers = {{"Authorization", "Bearer sk-1"},
                   {"Content-Length", "999"},       // framing is the client's: replaced
                   {"X-Evil", "a\r\nInjected: 1"}}; // would split the request: dropped
    std::unique_ptr<HttpClientReply> reply(client.send(QStringLiteral("127.0.0.1"), server.port(), req));
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), kWaitMs);
    QCOMPARE(reply->error(), HttpClientReply::Error::None);
    QCOMPARE(reply->status(), 201);
    QCOMPARE(reply->header("content-type"), QByteArray("application/json"));
    QCOMPARE(reply->readAll(), req.body);
    QCOMPARE(seen.query, QByteArray("mode=1"));
    QCOMPARE(seen.header("authorization"), QByteArray("Bearer sk-1"));
    QCOMPARE(seen.header("host"), "127.0.0.1:" + QByteArray::number(server.port()));
    QCOMPARE(seen.header("content-length"), QByteArray::number(req.body.size()));
    QVERIFY(!seen.hasHeader("injected"));
    QVERIFY(!seen.hasHeader("x-evil"));
}

void TstHttpClient::chunkedStreamArrivesPieceByPiece()
{
    HttpServer server;
    HttpResponder stream;
    server.route("POST", "/stream", [&](const HttpRequest &, HttpResponder &r) {
        HttpResponse head;
        head.setHeader("Content-Type", "text/event-stream");
        r.beginStream(head);
        stream = r;
    });
    QVERIFY(server.listen());

    HttpClient client;
    HttpClientRequest req;
    req.method = "POST";
    req.target = "/stream";
    std::unique_ptr<HttpClientReply> reply(client.send(QStringLiteral("127.0.0.1"), server.port(), req));
    QSignalSpy head(reply.get(), &HttpClientReply::headReceived);
    auto got = collect(reply.get());
    QTRY_COMPARE_WITH_TIMEOUT(head.count(), 1, kWaitMs);
    QCOMPARE(reply->header("content-type"), QByteArray("text/event-stream"));
    // Each event is written only after the previous one reached the client: nothing is held
    // back until the end of the stream.
    const QList<QByteArray> events = {"data: {\"n\":1}\n\n", "data: {\"n\":2}\n\n", "data: [DONE]\n\n"};
    QByteArray expected;
    for (const QByteArray &e : events) {
        QVERIFY(stream.write(e));
        expected += e;
        QTRY_COMPARE_WITH_TIMEOUT(got->body, expected, kWaitMs);
        QVERIFY(!reply->isFinished());
    }
    stream.end();
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), kWaitMs);
    QCOMPARE(reply->error(), HttpClientReply::Error::None);
    QCOMPARE(got->body, expected);
    QVERIFY(got->pieces.size() >= events.size());
    // The chunked framing ended cleanly, so the connection carries the next request.
    QCOMPARE(client.idleConnectionCount(), 1);
    std::unique_ptr<HttpClientReply> next(client.send(QStringLiteral("127.0.0.1"), server.port(), req));
    QSignalSpy nextHead(next.get(), &HttpClientReply::headReceived);
    QTRY_COMPARE_WITH_TIMEOUT(nextHead.count(), 1, kWaitMs);
    QCOMPARE(next->status(), 200);
    QVERIFY(next->reusedConnection());
    stream.end();
    QTRY_VERIFY_WITH_TIMEOUT(next->isFinished(), kWaitMs);
    QCOMPARE(client.connectionsOpened(), 1);
}

void TstHttpClient::largeContentLengthBody()
{
    QByteArray big(3 * 1024 * 1024 + 7, 'x');
    for (int i = 0; i < big.size(); i += 4096)
        big[i] = char('a' + (i / 4096) % 26);
    HttpServer server;
    server.route("GET", "/big", [&](const HttpRequest &, HttpResponder &r) {
        r.respond(HttpResponse::text(200, big, "application/octet-stream"));
    });
    QVERIFY(server.listen());
    HttpClient client;
    std::unique_ptr<HttpClientReply> reply(client.send(QStringLiteral("127.0.0.1"), server.port(), get("/big")));
    auto got = collect(reply.get());
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), kWaitMs);
    QCOMPARE(reply->error(), HttpClientReply::Error::None);
    got->body += reply->readAll();
    QCOMPARE(got->body.size(), big.size());
    QVERIFY(got->body == big);
    QCOMPARE(client.idleConnectionCount(), 1);
}

void TstHttpClient::connectionCloseIsNotReused()
{
    ScriptedUpstream up([](QTcpSocket *s, int, int) {
        s->write(okAnswer("bye", "Connection: close\r\n"));
        s->disconnectFromHost();
    });
    HttpClient client;
    for (int i = 0; i < 2; ++i) {
        std::unique_ptr<HttpClientReply> reply(client.send(QStringLiteral("127.0.0.1"), up.port(), get("/")));
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), kWaitMs);
        QCOMPARE(reply->error(), HttpClientReply::Error::None);
        QCOMPARE(reply->readAll(), QByteArray("bye"));
        QVERIFY(!reply->reusedConnection());
    }
    QCOMPARE(client.connectionsOpened(), 2);
    QCOMPARE(up.connections, 2);
    QCOMPARE(client.idleConnectionCount(), 0);
}

void TstHttpClient::bodyEndedByCloseIsComplete()
{
    ScriptedUpstream up([](QTcpSocket *s, int, int) {
        s->write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\npart one, ");
        s->flush();
        QTimer::singleShot(50, s, [s] {
            s->write("part two");
            s->disconnectFromHost();
        });
    });
    HttpClient client;
    std::unique_ptr<HttpClientReply> reply(client.send(QStringLiteral("127.0.0.1"), up.port(), get("/")));
    auto got = collect(reply.get());
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), kWaitMs);
    QCOMPARE(reply->error(), HttpClientReply::Error::None);
    QCOMPARE(got->body + reply->readAll(), QByteArray("part one, part two"));
    QCOMPARE(client.idleConnectionCount(), 0);
}

void TstHttpClient::staleReusedConnectionIsResentOnce()
{
    // The first connection answers once, then closes on the next request without a word (an
    // upstream closing an idle connection just as it was reused). The client sends that
    // request again on a new connection, where it is answered.
    ScriptedUpstream up([](QTcpSocket *s, int connection, int request) {
        if (connection == 0 && request == 1) {
            s->abort();
            return;
        }
        s->write(okAnswer("answer " + QByteArray::number(connection) + "/" + QByteArray::number(request)));
    });
    HttpClient client;
    std::unique_ptr<HttpClientReply> first(client.send(QStringLiteral("127.0.0.1"), up.port(), get("/")));
    QTRY_VERIFY_WITH_TIMEOUT(first->isFinished(), kWaitMs);
    QCOMPARE(first->readAll(), QByteArray("answer 0/0"));

    std::unique_ptr<HttpClientReply> second(client.send(QStringLiteral("127.0.0.1"), up.port(), get("/")));
    QSignalSpy finished(second.get(), &HttpClientReply::finished);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kWaitMs);
    QCOMPARE(second->error(), HttpClientReply::Error::None);
    QCOMPARE(second->readAll(), QByteArray("answer 1/0"));
    QCOMPARE(up.connections, 2);
    QCOMPARE(up.received.size(), 3); // sent twice, answered once
    QCOMPARE(client.connectionsOpened(), 2);
}

void TstHttpClient::freshConnectionClosedWithoutAnswerFails()
{
    // On a new connection a close without an answer is the upstream's answer: no resend.
    ScriptedUpstream up([](QTcpSocket *s, int, int) { s->abort(); });
    HttpClient client;
    std::unique_ptr<HttpClientReply> reply(client.send(QStringLiteral("127.0.0.1"), up.port(), get("/")));
    QSignalSpy finished(reply.get(), &HttpClientReply::finished);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kWaitMs);
    QCOMPARE(reply->error(), HttpClientReply::Error::Connection);
    QCOMPARE(reply->status(), 0);
    QVERIFY(!reply->errorString().isEmpty());
    QCOMPARE(up.received.size(), 1);
    QCOMPARE(client.idleConnectionCount(), 0);
}

void TstHttpClient::closeMidBodyIsAnError()
{
    ScriptedUpstream up([](QTcpSocket *s, int, int) {
        s->write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789");
        s->flush();
        s->disconnectFromHost();
    });
    HttpClient client;
    std::unique_ptr<HttpClientReply> reply(client.send(QStringLiteral("127.0.0.1"), up.port(), get("/")));
    auto got = collect(reply.get());
    QSignalSpy finished(reply.get(), &HttpClientReply::finished);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kWaitMs);
    QCOMPARE(reply->error(), HttpClientReply::Error::Connection);
    QCOMPARE(reply->status(), 200);
    QCOMPARE(got->body + reply->readAll(), QByteArray("0123456789"));
    QVERIFY2(reply->errorString().contains(QLatin1String("before the end of the body")),
             qPrintable(reply->errorString()));
    QCOMPARE(up.received.size(), 1); // a partial answer is never resent
}

void TstHttpClient::slowTricklingUpstreamIsNotTimedOut()
{
    // Eight chunks 300 ms apart take 2.4 s in all, longer than the 2 s transfer timeout:
    // the timeout is about progress, not about the whole answer.
    ScriptedUpstream up([](QTcpSocket *s, int, int) {
        s->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        s->flush();
        auto n = std::make_shared<int>(0);
        auto *timer = new QTimer(s);
        QObject::connect(timer, &QTimer::timeout, s, [s, n, timer] {
            if (++*n <= 8) {
                s->write("2\r\nc" + QByteArray::number(*n) + "\r\n");
            } else {
                s->write("0\r\n\r\n");
                timer->stop();
            }
            s->flush();
        });
        timer->start(300);
    });
    HttpClientOptions o;
    o.transferTimeoutMs = 2000;
    HttpClient client(o);
    std::unique_ptr<HttpClientReply> reply(client.send(QStringLiteral("127.0.0.1"), up.port(), get("/")));
    auto got = collect(reply.get());
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), kWaitMs);
    QCOMPARE(reply->error(), HttpClientReply::Error::None);
    QCOMPARE(got->body + reply->readAll(), QByteArray("c1c2c3c4c5c6c7c8"));
    QVERIFY(got->pieces.size() >= 2);
}

void TstHttpClient::stalledUpstreamTimesOut()
{
    ScriptedUpstream up([](QTcpSocket *s, int, int) {
        s->write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01234"); // and then nothing
        s->flush();
    });
    HttpClientOptions o;
    o.transferTimeoutMs = 300;
    HttpClient client(o);
    std::unique_ptr<HttpClientReply> reply(client.send(QStringLiteral("127.0.0.1"), up.port(), get("/")));
    QSignalSpy finished(reply.get(), &HttpClientReply::finished);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kWaitMs);
    QCOMPARE(reply->error(), HttpClientReply::Error::Timeout);
    QCOMPARE(reply->status(), 200);
    QCOMPARE(client.idleConnectionCount(), 0);
}

void TstHttpClient::refusedConnectionFailsFromTheEventLoop()
{
    quint16 closedPort = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        closedPort = probe.serverPort();
    }
    HttpClient client;
    std::unique_ptr<HttpClientReply> reply(client.send(QStringLiteral("127.0.0.1"), closedPort, get("/")));
    // Connected only now, after send() returned: the failure must still be heard.
    QSignalSpy finished(reply.get(), &HttpClientReply::finished);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kWaitMs);
    QCOMPARE(reply->error(), HttpClientReply::Error::Connection);
    QCOMPARE(reply->status(), 0);
}

void TstHttpClient::abortMidStreamDropsTheConnection()
{
    HttpServer server;
    HttpResponder stream;
    bool clientLeft = false;
    server.route("GET", "/stream", [&](const HttpRequest &, HttpResponder &r) {
        r.onClientDisconnected([&] { clientLeft = true; });
        r.beginStream(HttpResponse{});
        r.write("first");
        stream = r;
    });
    server.route("GET", "/x", [&](const HttpRequest &, HttpResponder &r) {
        r.respond(HttpResponse::text(200, "x"));
    });
    QVERIFY(server.listen());

    HttpClient client;
    std::unique_ptr<HttpClientReply> reply(client.send(QStringLiteral("127.0.0.1"), server.port(), get("/stream")));
    QSignalSpy finished(reply.get(), &HttpClientReply::finished);
    auto got = collect(reply.get());
    QTRY_COMPARE_WITH_TIMEOUT(got->body, QByteArray("first"), kWaitMs);
    reply->abort();
    QCOMPARE(finished.count(), 1);
    QCOMPARE(reply->error(), HttpClientReply::Error::Aborted);
    reply->abort();
    QCOMPARE(finished.count(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(clientLeft, kWaitMs);
    QCOMPARE(client.idleConnectionCount(), 0);

    // A half-read answer cannot be followed by another on that connection: a new one opens.
    std::unique_ptr<HttpClientReply> next(client.send(QStringLiteral("127.0.0.1"), server.port(), get("/x")));
    QTRY_VERIFY_WITH_TIMEOUT(next->isFinished(), kWaitMs);
    QCOMPARE(next->readAll(), QByteArray("x"));
    QVERIFY(!next->reusedConnection());
    QCOMPARE(client.connectionsOpened(), 2);
}

void TstHttpClient::idleConnectionClosedByUpstreamIsNotReused()
{
    HttpServerOptions so;
    so.idleTimeoutMs = 200; // the server closes idle keep-alive connections quickly
    HttpServer server(so);
    server.route("GET", "/x", [&](const HttpRequest &, HttpResponder &r) {
        r.respond(HttpResponse::text(200, "x"));
    });
    QVERIFY(server.listen());
    HttpClient client;
    std::unique_ptr<HttpClientReply> first(client.send(QStringLiteral("127.0.0.1"), server.port(), get("/x")));
    QTRY_VERIFY_WITH_TIMEOUT(first->isFinished(), kWaitMs);
    QCOMPARE(client.idleConnectionCount(), 1);
    // The client notices the close while the connection waits in its pool.
    QTRY_COMPARE_WITH_TIMEOUT(client.idleConnectionCount(), 0, kWaitMs);
    std::unique_ptr<HttpClientReply> second(client.send(QStringLiteral("127.0.0.1"), server.port(), get("/x")));
    QTRY_VERIFY_WITH_TIMEOUT(second->isFinished(), kWaitMs);
    QCOMPARE(second->error(), HttpClientReply::Error::None);
    QCOMPARE(second->readAll(), QByteArray("x"));
    QVERIFY(!second->reusedConnection());
    QCOMPARE(client.connectionsOpened(), 2);
}

QTEST_GUILESS_MAIN(TstHttpClient)
#include "tst_http_client.moc"
