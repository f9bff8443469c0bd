// A small HTTP/1.1 client with a keep-alive connection pool, for plain-http upstreams on
// loopback (the gateway's simulated upstream, a local OpenAI-compatible server, benchmarks).
//
// Why not QNetworkAccessManager for these: QNAM runs every HTTP request through its own
// thread and a per-request object graph (a cross-thread round trip or two per request), and
// caps HTTP/1.1 at 6 connections per host. Measured in front of a loopback upstream, that was
// most of the gateway's added latency and cost it 85 % of nginx's throughput
// (docs/benchmarks/gateway.md). HTTPS upstreams keep using QNAM (TLS, HTTP/2, proxies).
//
// What it does: one request at a time per connection (no pipelining); idle connections are
// kept per host:port and reused; bodies framed by Content-Length, chunked encoding or the
// connection's close; the body is handed out as it arrives (streams). A request that fails
// on a reused connection before any byte of the answer arrived is sent once more on a new
// connection: that is the race with an upstream closing an idle connection, and the request
// cannot have been processed when nothing came back (HTTP clients commonly do the same).
//
// Threading: the client, its connections and replies belong to the thread it lives in.
#pragma once

#include "http_request.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

namespace drover {

class HttpClientConnection;

struct HttpClientRequest
{
    QByteArray method = "GET";
    QByteArray target = "/"; // origin form: path and query
    // Host, Content-Length, Transfer-Encoding and Connection are written by the client.
    HttpHeaderList headers;
    QByteArray body;
};

struct HttpClientOptions
{
    int maxIdlePerHost = 64;   // more idle connections than this are closed, not kept
    int idleTimeoutMs = 30000; // an idle pooled connection closes after this
    // No progress (connecting, sending, answer bytes) for this long fails the request with
    // Error::Timeout. 0: no limit.
    int transferTimeoutMs = 0;
};

// One request's answer. Owned by the caller (delete it, or deleteLater(), once finished);
// deleting it before it finished aborts the request.
class HttpClientReply : public QObject
{
    Q_OBJECT
public:
    enum class Error
    {
        None,
        Connection, // refused, reset, closed early, or not a valid HTTP answer
        Timeout,    // no progress for transferTimeoutMs
        Aborted     // abort() was called
    };

    ~HttpClientReply() override;

    int status() const { return m_status; } // 0 until the head arrived
    const HttpHeaderList &headers() const { return m_headers; }
    QByteArray header(QByteArrayView name) const; // first value, case-insensitive
    QByteArray readAll();
    qint64 bytesAvailable() const { return m_body.size(); }
    bool isFinished() const { return m_finished; }
    Error error() const { return m_error; }
    QString errorString() const { return m_errorString; }
    // The request went out on a connection that had carried an earlier one.
    bool reusedConnection() const { return m_reused; }

    // Stops the request; finished() follows at once (error Aborted) unless already finished.
    void abort();

    // One direct listener instead of the signals, for a wrapper that forwards every event (the
    // gateway's upstream reply): per request that saves three connections and a signal hop.
    // With a listener set the signals are not emitted. It must outlive the reply or unset
    // itself (setListener(nullptr)).
    class Listener
    {
    public:
        virtual void replyHeadReceived() = 0;
        virtual void replyReadyRead() = 0;
        virtual void replyFinished() = 0;

    protected:
        ~Listener() = default;
    };
    void setListener(Listener *listener) { m_listener = listener; }

signals:
    void headReceived(); // status() and headers() are known
    void readyRead();    // body bytes arrived
    void finished();     // complete or failed (error()); emitted once

private:
    friend class HttpClient;
    friend class HttpClientConnection;
    HttpClientReply(QString host, quint16 port, QByteArray wire, bool head, QObject *parent);
    void notifyHeadReceived();
    void notifyReadyRead();
    void notifyFinished();

    QString m_host;
    quint16 m_port = 0;
    QByteArray m_wire; // the serialized request, kept for one resend on a stale connection
    bool m_headRequest = false;
    QPointer<HttpClientConnection> m_connection;
    Listener *m_listener = nullptr;
    int m_status = 0;
    HttpHeaderList m_headers;
    QByteArray m_body;
    bool m_headSeen = false;
    bool m_anyByteSeen = false; // of the answer (a resend is allowed only without one)
    bool m_resent = false;
    bool m_reused = false;
    bool m_finished = false;
    Error m_error = Error::None;
    QString m_errorString;
};

class HttpClient : public QObject
{
    Q_OBJECT
public:
    explicit HttpClient(HttpClientOptions options = {}, QObject *parent = nullptr);
    ~HttpClient() override;

    // Sends the request to host:port (an IP address or a host name). The reply's signals are
    // emitted from the event loop, never from inside send().
    HttpClientReply *send(const QString &host, quint16 port, const HttpClientRequest &request);

    const HttpClientOptions &options() const { return m_options; }
    int idleConnectionCount() const;
    // TCP connections opened since the client was created (reuse shows as few).
    qint64 connectionsOpened() const { return m_opened; }

private:
    friend class HttpClientConnection;
    void start(HttpClientReply *reply, bool allowIdle);
    void connectionIdle(HttpClientConnection *connection);
    void connectionClosed(HttpClientConnection *connection);
    void notifyFinished(HttpClientReply *reply);

    HttpClientOptions m_options;
    QHash<QString, QList<HttpClientConnection *>> m_idle; // "host:port" -> idle, last used last
    qint64 m_opened = 0;
    bool m_sending = false; // inside send(): finished() must wait for the event loop
};

} // namespace drover
