// One client connection of HttpServer (internal): feeds the parser, runs one request at a
// time, writes responses in request order, and enforces timeouts and output backpressure.
#pragma once

#include "http_request_parser.h"
#include "http_response.h"
#include "lazy_timer.h"

#include <QObject>
#include <QPointer>

#include <QTimer>

#include <functional>
#include <memory>

class QTcpSocket;

namespace drover {

class HttpConnection;
class HttpServer;

// Shared by the copies of one HttpResponder.
struct HttpExchange
{
    QPointer<HttpConnection> connection;
    quint64 serial = 0;
    bool answered = false;  // respond() or beginStream() happened
    bool streaming = false; // the answer is a stream that is still open
    std::function<void()> onDisconnected; // called once if the client leaves before the end

    ~HttpExchange();
};

class HttpConnection : public QObject
{
    Q_OBJECT
public:
    HttpConnection(QTcpSocket *socket, HttpServer *server);
    ~HttpConnection() override;

    // Called by the exchange of request `serial`; stale serials are ignored.
    void finishExchange(quint64 serial, const HttpResponse &response);
    // Streaming answers (see HttpResponder): head at once, then chunks, then the end.
    bool beginStream(quint64 serial, const HttpResponse &head);
    bool writeStream(quint64 serial, QByteArrayView data);
    void endStream(quint64 serial);
    void abortStream(quint64 serial);
    qint64 pendingOutputBytes() const;
    // The server is closing: close now if idle, else after the current response.
    void closeWhenIdle();
    bool isConnected() const;

signals:
    void finished(drover::HttpConnection *connection);

private:
    void onReadyRead();
    void processBuffered();
    void dispatch(HttpRequest request);
    void exchangeDone(bool close);
    void sendErrorAndClose(int status, const QByteArray &message);
    void writeResponse(const QByteArray &bytes, bool close);
    void beginClose();
    void onIdleTimeout();
    void scheduleResume();
    bool rechargeRequestBytes();
    void releaseHandledBody();

    QTcpSocket *m_socket;
    HttpServer *m_server;
    HttpRequestParser m_parser;
    LazyTimer m_idleTimer;
    quint64 m_serial = 0;
    bool m_busy = false;        // a handler owes an answer
    bool m_inProcess = false;   // inside processBuffered(): answers must not recurse into it
    bool m_resumeQueued = false;
    bool m_closing = false;     // no more requests; the socket closes after flushing
    bool m_closeWhenIdle = false;
    bool m_sentContinue = false;
    bool m_currentIsHead = false;
    bool m_currentKeepAlive = true;
    int m_currentVersionMinor = 1;
    bool m_streaming = false;        // a stream head was sent and its end not yet
    bool m_streamChunked = true;     // HTTP/1.0 clients get an unframed body ended by close
    std::weak_ptr<HttpExchange> m_currentExchange;
    bool m_finishedEmitted = false;
    // This connection's share of the server's request-byte budget: what the parser holds or
    // was promised (Content-Length), plus the body of the request being handled.
    QPointer<HttpServer> m_serverGuard; // null while the server itself is being destroyed
    qint64 m_chargedBytes = 0;
    qint64 m_handledBodyBytes = 0;
};

} // namespace drover
