// A small HTTP/1.1 server for Drover's loopback endpoints (the reference agent, /metrics, job
// intake). It listens on 127.0.0.1 only, routes by exact method and path, keeps connections
// alive, answers pipelined requests in order, and defends itself against clients that send
// too much, too little or too slowly.
//
// Qt HttpServer would do most of this but is a 6.4 technology preview that drags in WebSockets;
// the part Drover needs is small enough to own and test (see notes/toolchain.md).
//
// Threading: the server, its connections and every HttpResponder belong to the thread the
// server lives in. Work done elsewhere answers by queueing back to that thread first.
#pragma once

#include "http_request.h"
#include "http_request_parser.h"
#include "http_response.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>

#include <functional>
#include <memory>

class QTcpServer;

namespace drover {

class HttpConnection;
struct HttpExchange;

// The right to answer one request. Copies share that right; the first respond() wins and later
// ones are ignored. A handler may answer at once or keep a copy and answer later (async). If
// every copy is gone without an answer, the client gets a 500 instead of waiting forever.
class HttpResponder
{
public:
    HttpResponder() = default;

    void respond(HttpResponse response);
    bool isAnswered() const;
    // False once the client has disconnected; answering then is harmless but pointless.
    bool isClientConnected() const;

    // A streamed answer instead of respond(): beginStream() sends the status line and headers
    // at once (HTTP/1.1: chunked transfer encoding; HTTP/1.0: the body ends when the
    // connection closes), each write() sends its bytes at once as one chunk, end() completes
    // the response. abort() closes the connection without the final chunk so the client can
    // tell a truncated stream from a complete one; that also happens when every copy of the
    // responder is gone before end(). A client that stops reading while megabytes pile up is
    // disconnected. write() returns false once the stream cannot go on (client gone).
    bool beginStream(const HttpResponse &head);
    bool write(QByteArrayView data);
    void end();
    void abort();
    bool isStreaming() const;
    // `callback` runs once, in the server's thread, if the client disconnects before the
    // answer (or the stream) is complete. Set it before answering.
    void onClientDisconnected(std::function<void()> callback);
    // Bytes written to the client's socket and not yet sent (backpressure for producers).
    qint64 pendingOutputBytes() const;

private:
    friend class HttpConnection;
    explicit HttpResponder(std::shared_ptr<HttpExchange> exchange);
    std::shared_ptr<HttpExchange> m_exchange;
};

using HttpHandler = std::function<void(const HttpRequest &request, HttpResponder &responder)>;

struct HttpServerOptions
{
    HttpRequestParser::Limits limits;
    // A client must deliver a complete request within this time after connecting or after
    // its previous response (slow clients, idle keep-alive connections). Not reset by each
    // byte, so trickling a request ("slowloris") does not keep a connection forever.
    int idleTimeoutMs = 10000;
    // Connections beyond this get a 503 and are closed.
    int maxConnections = 64;
    // Request bytes held across all connections (bodies being received, counted at their
    // Content-Length as soon as the headers announce them, and bodies being handled). The
    // per-request limit alone lets maxConnections x maxBodyBytes pile up. A request that would
    // go beyond it gets `overloaded` (default: a 503 with Retry-After) and its connection is
    // closed. 0: no cap.
    qint64 maxBufferedRequestBytes = 64 * 1024 * 1024;
    // The answer to such a request; the gateway shapes it as an OpenAI error.
    std::function<HttpResponse()> overloaded;
};

class HttpServer : public QObject
{
    Q_OBJECT
public:
    explicit HttpServer(HttpServerOptions options = {}, QObject *parent = nullptr);
    ~HttpServer() override;

    // Exact path match. HEAD falls back to the GET route (without the body); a known path with
    // another method gets 405 with an Allow header, an unknown path 404.
    void route(const QByteArray &method, const QByteArray &path, HttpHandler handler);

    // Listens on 127.0.0.1:port; port 0 picks a free one (read it with port()).
    bool listen(quint16 port = 0);
    bool isListening() const;
    quint16 port() const;
    QString errorString() const;

    // Stops accepting; idle connections close now, busy ones after their current response.
    // closed() follows once no connection is left.
    void close();
    int connectionCount() const { return int(m_connections.size()); }
    // Request bytes held now across connections (see maxBufferedRequestBytes), and how many
    // requests were refused for that cap.
    qint64 bufferedRequestBytes() const { return m_bufferedRequestBytes; }
    qint64 refusedForMemory() const { return m_refusedForMemory; }
    const HttpServerOptions &options() const { return m_options; }

signals:
    void connectionCountChanged(int count);
    void closed();

private:
    friend class HttpConnection;
    void onNewConnection();
    void onConnectionFinished(HttpConnection *connection);
    void dispatch(const HttpRequest &request, HttpResponder &responder);
    bool isClosing() const { return m_closing; }
    // Moves a connection's share of the request-byte budget from `held` to `want`; false
    // (nothing changed) when growing would pass the cap.
    bool rechargeRequestBytes(qint64 held, qint64 want);
    HttpResponse overloadedResponse();

    HttpServerOptions m_options;
    QTcpServer *m_tcp = nullptr;
    QHash<QByteArray, QHash<QByteArray, HttpHandler>> m_routes; // path -> method -> handler
    QSet<HttpConnection *> m_connections;
    bool m_closing = false;
    qint64 m_bufferedRequestBytes = 0;
    qint64 m_refusedForMemory = 0;
};

} // namespace drover
