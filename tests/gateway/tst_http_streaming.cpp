// Streamed responses of core/http (what the gateway forwards SSE with): chunked framing sent
// as written, keep-alive after the end, HTTP/1.0 bodies ended by close, the disconnect
// callback, and a stream whose responder is dropped being cut off rather than completed.
#include "core/http/http_server.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QTcpSocket>
#include <QTimer>
#include <QtTest>

using namespace drover;

namespace {

void spin(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

class Client
{
public:
    explicit Client(quint16 port)
    {
        QObject::connect(&socket, &QTcpSocket::readyRead, [this] {
            received += socket.readAll();
            arrivals << clock.elapsed();
        });
        clock.start();
        socket.connectToHost(QHostAddress::LocalHost, port);
    }
    bool waitFor(const QByteArray &text, int timeoutMs = 5000)
    {
        QElapsedTimer t;
        t.start();
        while (!received.contains(text) && t.elapsed() < timeoutMs)
            spin(5);
        return received.contains(text);
    }
    bool waitClosed(int timeoutMs = 5000)
    {
        QElapsedTimer t;
        t.start();
        while (socket.state() != QAbstractSocket::UnconnectedState && t.elapsed() < timeoutMs)
            spin(5);
        return socket.state() == QAbstractSocket::UnconnectedState;
    }
    QTcpSocket socket;
    QByteArray received;
    QList<qint64> arrivals;
    QElapsedTimer clock;
};

} // namespace

class TstHttpStreaming : public QObject
{
    Q_OBJECT
private slots:
    void chunksLeaveAsWritten()
    {
        HttpServer server;
        HttpResponder kept;
        server.route("GET", "/s", [&](const HttpRequest &, HttpResponder &r) {
            HttpResponse head;
            head.setHeader("Content-Type", "text/event-stream");
            QVERIFY(r.beginStream(head));
            kept = r;
        });
        QVERIFY(server.listen());
        Client c(server.port());
        c.socket.write("GET /s HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(c.waitFor("\r\n\r\n"));
        QVERIFY(c.received.startsWith("HTTP/1.1 200 OK\r\n"));
        QVERIFY(c.received.contains("Transfer-Encoding: chunked\r\n"));
        QVERIFY(!c.received.contains("Content-Length"));
        QVERIFY(kept.write("data: 1\n\n"));
        QVERIFY(c.waitFor("9\r\ndata: 1\n\n\r\n"));
        QVERIFY(kept.write(""));  // no empty chunk: it would end the body
        QVERIFY(kept.write("data: 2\n\n"));
        QVERIFY(c.waitFor("9\r\ndata: 2\n\n\r\n"));
        kept.end();
        QVERIFY(c.waitFor("\r\n0\r\n\r\n"));
        // Kept alive: the next request on the same connection is answered.
        server.route("GET", "/plain", [](const HttpRequest &, HttpResponder &r) {
            r.respond(HttpResponse::text(200, "ok"));
        });
        c.received.clear();
        c.socket.write("GET /plain HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(c.waitFor("\r\n\r\nok"));
    }

    void http10GetsBodyEndedByClose()
    {
        HttpServer server;
        server.route("GET", "/s", [](const HttpRequest &, HttpResponder &r) {
            QVERIFY(r.beginStream(HttpResponse()));
            r.write("abc");
            r.write("def");
            r.end();
        });
        QVERIFY(server.listen());
        Client c(server.port());
        c.socket.write("GET /s HTTP/1.0\r\n\r\n");
        QVERIFY(c.waitClosed());
        QVERIFY(!c.received.contains("chunked"));
        QVERIFY(c.received.endsWith("\r\n\r\nabcdef"));
    }

    void disconnectCallbackAndWriteFails()
    {
        HttpServer server;
        HttpResponder kept;
        int gone = 0;
        server.route("GET", "/s", [&](const HttpRequest &, HttpResponder &r) {
            r.onClientDisconnected([&] { ++gone; });
            r.beginStream(HttpResponse());
            kept = r;
        });
        QVERIFY(server.listen());
        {
            Client c(server.port());
            c.socket.write("GET /s HTTP/1.1\r\nHost: x\r\n\r\n");
            QVERIFY(c.waitFor("\r\n\r\n"));
            c.socket.abort();
        }
        QTRY_COMPARE(gone, 1);
        QVERIFY(!kept.write("late"));
        kept.end(); // harmless
        QCOMPARE(gone, 1);
    }

    void droppedResponderCutsTheStream()
    {
        HttpServer server;
        auto kept = std::make_unique<HttpResponder>();
        server.route("GET", "/s", [&](const HttpRequest &, HttpResponder &r) {
            r.beginStream(HttpResponse());
            r.write("partial");
            *kept = r;
        });
        QVERIFY(server.listen());
        Client c(server.port());
        c.socket.write("GET /s HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(c.waitFor("partial"));
        kept.reset(); // nobody will end it
        QVERIFY(c.waitClosed());
        QVERIFY(!c.received.contains("\r\n0\r\n\r\n")); // truncated, not complete-looking
    }

    void respondAfterBeginStreamIsIgnored()
    {
        HttpServer server;
        server.route("GET", "/s", [](const HttpRequest &, HttpResponder &r) {
            QVERIFY(r.beginStream(HttpResponse()));
            r.respond(HttpResponse::text(500, "no"));
            QVERIFY(!r.beginStream(HttpResponse()));
            r.write("x");
            r.end();
        });
        QVERIFY(server.listen());
        Client c(server.port());
        c.socket.write("GET /s HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(c.waitFor("0\r\n\r\n"));
        QVERIFY(c.received.startsWith("HTTP/1.1 200"));
        QVERIFY(!c.received.contains("500"));
    }
};

QTEST_GUILESS_MAIN(TstHttpStreaming)
#include "tst_http_streaming.moc"
