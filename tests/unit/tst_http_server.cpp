// HttpServer over real loopback sockets: routing, keep-alive, pipelining with asynchronous
// handlers, timeouts, the connection cap, and handlers that misbehave.
#include "core/http/http_server.h"

#include <QSignalSpy>
#include <QTcpSocket>
#include <QtTest>

#include <stdexcept>

using namespace drover;

namespace {

// A client in the test's own thread: every wait spins the event loop so the server can work.
class RawClient
{
public:
    explicit RawClient(quint16 port)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        QObject::connect(&m_socket, &QTcpSocket::readyRead, [this] { m_received += m_socket.readAll(); });
    }

    bool waitConnected()
    {
        if (m_socket.state() == QAbstractSocket::ConnectedState)
            return true;
        QSignalSpy spy(&m_socket, &QTcpSocket::connected);
        return spy.wait(5000);
    }

    void send(const QByteArray &bytes) { m_socket.write(bytes); }

    // Waits until `count` complete responses arrived (by Content-Length) or the peer closed.
    bool waitForResponses(int count, int timeoutMs = 5000)
    {
        QDeadlineTimer deadline(timeoutMs);
        QSignalSpy spy(&m_socket, &QTcpSocket::readyRead);
        while (responses().size() < count) {
            if (deadline.hasExpired() || m_socket.state() == QAbstractSocket::UnconnectedState)
                return false;
            spy.wait(int(qMax<qint64>(1, deadline.remainingTime())));
        }
        return true;
    }

    bool waitForDisconnect(int timeoutMs = 5000)
    {
        if (m_socket.state() == QAbstractSocket::UnconnectedState)
            return true;
        QSignalSpy spy(&m_socket, &QTcpSocket::disconnected);
        return spy.wait(timeoutMs) || m_socket.state() == QAbstractSocket::UnconnectedState;
    }

    // Complete responses so far: {status line, headers+body} split by Content-Length.
    QList<QByteArray> responses() const
    {
        QList<QByteArray> out;
        qsizetype pos = 0;
        for (;;) {
            const qsizetype headEnd = m_received.indexOf("\r\n\r\n", pos);
            if (headEnd < 0)
                return out;
            const QByteArray head = m_received.mid(pos, headEnd - pos);
            qsizetype length = 0;
            for (const QByteArray &line : head.split('\n')) {
                if (line.toLower().startsWith("content-length:"))
                    length = line.mid(15).trimmed().toLongLong();
            }
            if (m_received.size() < headEnd + 4 + length)
                return out;
            out.append(m_received.mid(pos, headEnd + 4 + length - pos));
            pos = headEnd + 4 + length;
        }
    }

    static int status(const QByteArray &response) { return response.mid(9, 3).toInt(); }
    static QByteArray body(const QByteArray &response)
    {
        return response.mid(response.indexOf("\r\n\r\n") + 4);
    }

    const QByteArray &received() const { return m_received; }
    QTcpSocket &socket() { return m_socket; }

private:
    QTcpSocket m_socket;
    QByteArray m_received;
};

QByteArray get(const QByteArray &path, const QByteArray &extra = {})
{
    return "GET " + path + " HTTP/1.1\r\nHost: t\r\n" + extra + "\r\n";
}

} // namespace

class TestHttpServer : public QObject
{
    Q_OBJECT
private slots:
    void bindsLoopbackAndPicksAPort()
    {
        HttpServer server;
        QVERIFY(server.listen(0));
        QVERIFY(server.isListening());
        QVERIFY(server.port() != 0);
        // A second server on the same port fails cleanly with a message.
        HttpServer second;
        QVERIFY(!second.listen(server.port()));
        QVERIFY(!second.errorString().isEmpty());
    }

    void routingKeepAliveAndHead()
    {
        HttpServer server;
        server.route("GET", "/hello", [](const HttpRequest &q, HttpResponder &r) {
            r.respond(HttpResponse::text(200, "hello " + q.query));
        });
        server.route("POST", "/echo", [](const HttpRequest &q, HttpResponder &r) {
            r.respond(HttpResponse::text(201, q.body));
        });
        QVERIFY(server.listen());
        RawClient c(server.port());
        QVERIFY(c.waitConnected());
        c.send(get("/hello?x"));
        QVERIFY(c.waitForResponses(1));
        c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc");
        QVERIFY(c.waitForResponses(2));
        c.send(get("/missing"));
        c.send("DELETE /hello HTTP/1.1\r\nHost: t\r\n\r\n");
        c.send("HEAD /hello HTTP/1.1\r\nHost: t\r\n\r\n");
        // HEAD carries Content-Length but no body; our response splitter would wait for it.
        QVERIFY(c.waitForResponses(4));
        QTRY_VERIFY_WITH_TIMEOUT(c.received().endsWith("Connection: keep-alive\r\n\r\n"), 5000);

        const QList<QByteArray> rs = c.responses();
        QCOMPARE(RawClient::status(rs[0]), 200);
        QCOMPARE(RawClient::body(rs[0]), QByteArray("hello x"));
        QCOMPARE(RawClient::status(rs[1]), 201);
        QCOMPARE(RawClient::body(rs[1]), QByteArray("abc"));
        QCOMPARE(RawClient::status(rs[2]), 404);
        QCOMPARE(RawClient::status(rs[3]), 405);
        QVERIFY(rs[3].contains("Allow: GET, HEAD\r\n"));
        QVERIFY(c.received().contains("HTTP/1.1 200 OK\r\n"));
        QCOMPARE(server.connectionCount(), 1); // one connection served all of it
    }

    void asyncAnswersKeepPipelinedOrder()
    {
        HttpServer server;
        QList<HttpResponder> waiting;
        server.route("GET", "/slow", [&](const HttpRequest &, HttpResponder &r) { waiting.append(r); });
        server.route("GET", "/fast", [](const HttpRequest &, HttpResponder &r) {
            r.respond(HttpResponse::text(200, "fast"));
        });
        QVERIFY(server.listen());
        RawClient c(server.port());
        QVERIFY(c.waitConnected());
        c.send(get("/slow") + get("/fast"));
        QTRY_COMPARE_WITH_TIMEOUT(waiting.size(), 1, 5000);
        QVERIFY(!c.waitForResponses(1, 200)); // /fast must not overtake /slow
        waiting.first().respond(HttpResponse::text(200, "slow"));
        waiting.first().respond(HttpResponse::text(500, "second answer is ignored"));
        QVERIFY(c.waitForResponses(2));
        const QList<QByteArray> rs = c.responses();
        QCOMPARE(RawClient::body(rs[0]), QByteArray("slow"));
        QCOMPARE(RawClient::body(rs[1]), QByteArray("fast"));
        QVERIFY(waiting.first().isAnswered());
    }

    void misbehavingHandlersStillAnswer()
    {
        HttpServer server;
        server.route("GET", "/drop", [](const HttpRequest &, HttpResponder &) {});
        server.route("GET", "/throw", [](const HttpRequest &, HttpResponder &) {
            throw std::runtime_error("boom");
        });
        QVERIFY(server.listen());
        RawClient c(server.port());
        QVERIFY(c.waitConnected());
        c.send(get("/drop") + get("/throw") + get("/drop"));
        QVERIFY(c.waitForResponses(3));
        for (const QByteArray &r : c.responses())
            QCOMPARE(RawClient::status(r), 500);
    }

    void answeringAfterTheClientLeftIsHarmless()
    {
        HttpServer server;
        QList<HttpResponder> waiting;
        server.route("GET", "/slow", [&](const HttpRequest &, HttpResponder &r) { waiting.append(r); });
        QVERIFY(server.listen());
        {
            RawClient c(server.port());
            QVERIFY(c.waitConnected());
            c.send(get("/slow"));
            QTRY_COMPARE_WITH_TIMEOUT(waiting.size(), 1, 5000);
            c.socket().abort();
        }
        QTRY_COMPARE_WITH_TIMEOUT(server.connectionCount(), 0, 5000);
        QVERIFY(!waiting.first().isClientConnected());
        waiting.first().respond(HttpResponse::text(200, "nobody listens"));
    }

    void malformedRequestGets400AndClose()
    {
        HttpServer server;
        QVERIFY(server.listen());
        RawClient c(server.port());
        QVERIFY(c.waitConnected());
        c.send("GET / HTTP/1.1\r\nHost: t\r\nBad Header\r\n\r\n");
        QVERIFY(c.waitForResponses(1));
        QCOMPARE(RawClient::status(c.responses().first()), 400);
        QVERIFY(c.responses().first().contains("Connection: close"));
        QVERIFY(c.waitForDisconnect());
    }

    void limitsComeFromTheOptions()
    {
        HttpServerOptions o;
        o.limits.maxBodyBytes = 8;
        HttpServer server(o);
        server.route("POST", "/j", [](const HttpRequest &q, HttpResponder &r) {
            r.respond(HttpResponse::text(200, q.body));
        });
        QVERIFY(server.listen());
        RawClient c(server.port());
        QVERIFY(c.waitConnected());
        c.send("POST /j HTTP/1.1\r\nHost: t\r\nContent-Length: 9\r\n\r\n");
        QVERIFY(c.waitForResponses(1));
        QCOMPARE(RawClient::status(c.responses().first()), 413);
    }

    void expectContinue()
    {
        HttpServer server;
        server.route("POST", "/j", [](const HttpRequest &q, HttpResponder &r) {
            r.respond(HttpResponse::text(200, q.body));
        });
        QVERIFY(server.listen());
        RawClient c(server.port());
        QVERIFY(c.waitConnected());
        c.send("POST /j HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
        QTRY_VERIFY_WITH_TIMEOUT(c.received().startsWith("HTTP/1.1 100 Continue\r\n\r\n"), 5000);
        c.send("body");
        QTRY_VERIFY_WITH_TIMEOUT(c.received().endsWith("\r\n\r\nbody"), 5000);
        QVERIFY(c.received().contains("HTTP/1.1 200 OK"));
    }

    void slowAndIdleClientsAreDropped()
    {
        HttpServerOptions o;
        o.idleTimeoutMs = 300;
        HttpServer server(o);
        server.route("GET", "/", [](const HttpRequest &, HttpResponder &r) {
            r.respond(HttpResponse::text(200, "ok"));
        });
        QVERIFY(server.listen());

        // Idle: nothing sent, closed silently.
        RawClient idle(server.port());
        QVERIFY(idle.waitConnected());
        QVERIFY(idle.waitForDisconnect());
        QVERIFY(idle.received().isEmpty());

        // Slow: a request that never completes gets 408. Bytes keep trickling in, which must
        // not extend the deadline.
        RawClient slow(server.port());
        QVERIFY(slow.waitConnected());
        QElapsedTimer clock;
        clock.start();
        const QByteArray partial = "GET / HTTP/1.1\r\nHost: t\r\nX-Slow: ";
        slow.send(partial);
        QDeadlineTimer trickle(5000);
        QSignalSpy disconnected(&slow.socket(), &QTcpSocket::disconnected);
        while (slow.socket().state() == QAbstractSocket::ConnectedState && !trickle.hasExpired()) {
            slow.send("a");
            disconnected.wait(50); // the pace of the trickle, not a synchronisation
        }
        QVERIFY(clock.elapsed() < 3000);
        QCOMPARE(RawClient::status(slow.received()), 408);

        // After a response, a keep-alive connection gets the same time for its next request.
        RawClient kept(server.port());
        QVERIFY(kept.waitConnected());
        kept.send(get("/"));
        QVERIFY(kept.waitForResponses(1));
        QVERIFY(kept.waitForDisconnect());
        QCOMPARE(kept.responses().size(), 1);
    }

    void connectionCapAnswers503()
    {
        HttpServerOptions o;
        o.maxConnections = 2;
        HttpServer server(o);
        server.route("GET", "/", [](const HttpRequest &, HttpResponder &r) {
            r.respond(HttpResponse::text(200, "ok"));
        });
        QVERIFY(server.listen());
        RawClient a(server.port());
        RawClient b(server.port());
        QVERIFY(a.waitConnected());
        QVERIFY(b.waitConnected());
        QTRY_COMPARE_WITH_TIMEOUT(server.connectionCount(), 2, 5000);
        RawClient c(server.port());
        QVERIFY(c.waitConnected());
        QVERIFY(c.waitForResponses(1));
        QCOMPARE(RawClient::status(c.responses().first()), 503);
        QVERIFY(c.waitForDisconnect());
        // The two admitted connections still work.
        a.send(get("/"));
        QVERIFY(a.waitForResponses(1));
        QCOMPARE(RawClient::status(a.responses().first()), 200);
    }

    void closeLetsBusyConnectionsFinish()
    {
        HttpServer server;
        QList<HttpResponder> waiting;
        server.route("GET", "/slow", [&](const HttpRequest &, HttpResponder &r) { waiting.append(r); });
        QVERIFY(server.listen());
        const quint16 port = server.port();
        RawClient idle(port);
        RawClient busy(port);
        QVERIFY(idle.waitConnected());
        QVERIFY(busy.waitConnected());
        busy.send(get("/slow"));
        QTRY_COMPARE_WITH_TIMEOUT(waiting.size(), 1, 5000);

        QSignalSpy closed(&server, &HttpServer::closed);
        server.close();
        QVERIFY(!server.isListening());
        QVERIFY(idle.waitForDisconnect());
        QCOMPARE(closed.count(), 0); // the busy one is still owed its answer
        waiting.first().respond(HttpResponse::text(200, "last"));
        QVERIFY(busy.waitForResponses(1));
        QVERIFY(busy.responses().first().contains("Connection: close"));
        QTRY_COMPARE_WITH_TIMEOUT(closed.count(), 1, 5000);
        QCOMPARE(server.connectionCount(), 0);
    }

    void responseHeadersCannotSplitTheResponse()
    {
        HttpServer server;
        server.route("GET", "/", [](const HttpRequest &, HttpResponder &r) {
            HttpResponse resp = HttpResponse::text(200, "x");
            resp.setHeader("X-Evil", "a\r\nSet-Cookie: stolen");
            resp.setHeader("Content-Length", "999");
            resp.setHeader("X-Fine", "yes");
            r.respond(resp);
        });
        QVERIFY(server.listen());
        RawClient c(server.port());
        QVERIFY(c.waitConnected());
        c.send(get("/"));
        QVERIFY(c.waitForResponses(1));
        const QByteArray r = c.responses().first();
        QVERIFY(!r.contains("Set-Cookie"));
        QVERIFY(!r.contains("999"));
        QVERIFY(r.contains("X-Fine: yes\r\n"));
        QCOMPARE(RawClient::body(r), QByteArray("x"));
    }
};

QTEST_GUILESS_MAIN(TestHttpServer)
#include "tst_http_server.moc"
