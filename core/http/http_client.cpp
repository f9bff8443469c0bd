#include "http_client.h"

#include "http_response_parser.h"
#include "lazy_timer.h"
#include "socket_write.h"

#include <QHostAddress>
#include <QNetworkProxy>
#include <QTcpSocket>
#include <QTimer>

namespace drover {

namespace {

bool isLoopbackHost(const QString &host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

bool isSafeHeader(const QByteArray &name, const QByteArray &value)
{
    if (name.isEmpty())
        return false;
    for (char c : name) {
        if (c <= ' ' || c == ':' || c == 0x7f)
            return false;
    }
    for (char c : value) {
        if (c == '\r' || c == '\n' || c == '\0')
            return false;
    }
    return true;
}

bool isClientFramingHeader(QByteArrayView name)
{
    return name.compare("host", Qt::CaseInsensitive) == 0
           || name.compare("content-length", Qt::CaseInsensitive) == 0
           || name.compare("transfer-encoding", Qt::CaseInsensitive) == 0
           || name.compare("connection", Qt::CaseInsensitive) == 0;
}

QByteArray serializeRequest(const QString &host, quint16 port, const HttpClientRequest &r)
{
    QByteArray out;
    out.reserve(256 + r.body.size());
    out += r.method;
    out += ' ';
    out += r.target.isEmpty() ? QByteArray("/") : r.target;
    out += " HTTP/1.1\r\nHost: ";
    const bool ipv6 = host.contains(QLatin1Char(':'));
    if (ipv6)
        out += '[';
    out += host.toLatin1();
    if (ipv6)
        out += ']';
    out += ':';
    out += QByteArray::number(port);
    out += "\r\n";
    for (const auto &h : r.headers) {
        if (isClientFramingHeader(h.first) || !isSafeHeader(h.first, h.second))
            continue;
        out += h.first;
        out += ": ";
        out += h.second;
        out += "\r\n";
    }
    const bool bodyExpected = !r.body.isEmpty() || r.method == "POST" || r.method == "PUT"
                              || r.method == "PATCH";
    if (bodyExpected) {
        out += "Content-Length: ";
        out += QByteArray::number(r.body.size());
        out += "\r\n";
    }
    out += "\r\n";
    out += r.body;
    return out;
}

QString poolKey(const QString &host, quint16 port)
{
    return host + QLatin1Char(':') + QString::number(port);
}

} // namespace

// One TCP connection to an upstream: carries one request at a time, then waits in the pool.
class HttpClientConnection : public QObject
{
public:
    HttpClientConnection(HttpClient *client, const QString &host, quint16 port)
        : QObject(client), m_client(client), m_host(host), m_port(port), m_key(poolKey(host, port)),
          m_timer(this, [this] { onTimer(); })
    {
        m_socket = new QTcpSocket(this);
        if (isLoopbackHost(host))
            m_socket->setProxy(QNetworkProxy::NoProxy); // an http_proxy must not reroute loopback
        connect(m_socket, &QTcpSocket::connected, this, [this] {
            // Requests and answers are small and latency-bound: no Nagle delay.
            m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
            if (m_reply)
                writeRequest();
        });
        connect(m_socket, &QTcpSocket::readyRead, this, [this] { onReadyRead(); });
        connect(m_socket, &QTcpSocket::bytesWritten, this, [this] {
            if (m_reply)
                restartTransferTimer(); // sending a large body is progress too
        });
        connect(m_socket, &QTcpSocket::errorOccurred, this,
                [this](QAbstractSocket::SocketError) { onClosed(); });
        connect(m_socket, &QTcpSocket::stateChanged, this, [this](QAbstractSocket::SocketState s) {
            if (s == QAbstractSocket::UnconnectedState)
                onClosed();
        });
    }

    const QString &key() const { return m_key; }
    bool isUsable() const { return !m_dead && m_socket->state() == QAbstractSocket::ConnectedState; }
    bool hasCarriedRequests() const { return m_requests > 0; }

    void start(HttpClientReply *reply)
    {
        m_reply = reply;
        reply->m_connection = this;
        reply->m_reused = m_requests > 0;
        ++m_requests;
        m_parser.reset();
        m_parser.expectResponseToHead(reply->m_headRequest);
        restartTransferTimer();
        if (m_socket->state() == QAbstractSocket::ConnectedState) {
            writeRequest();
        } else if (m_socket->state() == QAbstractSocket::UnconnectedState) {
            ++m_client->m_opened;
            m_socket->connectToHost(m_host, m_port);
        }
        // Both may fail at once (a refused loopback connect): inside HttpClient::send() the
        // failure is only reported from the event loop (see notifyFinished).
    }

    // The reply gave up (abort or deletion): the answer is not read to its end, so the
    // connection cannot carry another request.
    void dropReply()
    {
        m_reply = nullptr;
        close();
    }

    void close()
    {
        if (m_dead)
            return;
        m_dead = true;
        m_timer.stop();
        m_socket->abort();
        m_client->connectionClosed(this);
        deleteLater();
    }

    void becomeIdle()
    {
        m_timer.start(m_client->m_options.idleTimeoutMs);
    }

private:
    void writeRequest()
    {
        // Out now rather than when the event loop next polls the socket.
        writeToSocketNow(m_socket, m_reply->m_wire);
    }

    void restartTransferTimer()
    {
        const int ms = m_client->m_options.transferTimeoutMs;
        if (ms > 0)
            m_timer.start(ms);
        else
            m_timer.stop();
    }

    void onTimer()
    {
        if (!m_reply) {
            close(); // idle for too long
            return;
        }
        fail(HttpClientReply::Error::Timeout,
             QStringLiteral("no answer from the upstream for %1 ms").arg(m_client->m_options.transferTimeoutMs));
    }

    void onReadyRead()
    {
        const QByteArray data = m_socket->readAll();
        if (!m_reply) {
            // An idle connection that talks is out of step (or the server says goodbye in
            // a 408): it cannot carry another request safely.
            if (!data.isEmpty())
                close();
            return;
        }
        feed(data);
    }

    void feed(const QByteArray &data)
    {
        if (data.isEmpty())
            return;
        QPointer<HttpClientReply> reply = m_reply;
        reply->m_anyByteSeen = true;
        restartTransferTimer();
        const HttpResponseParser::Status status = m_parser.feed(data);
        if (status == HttpResponseParser::Status::Error) {
            fail(HttpClientReply::Error::Connection,
                 QStringLiteral("invalid answer from the upstream: %1")
                     .arg(QString::fromLatin1(m_parser.errorString())));
            return;
        }
        if (!deliver(reply))
            return;
        if (status == HttpResponseParser::Status::Complete)
            succeed(reply);
    }

    // Head and body bytes to the reply. False when the reply went away while being told.
    bool deliver(const QPointer<HttpClientReply> &reply)
    {
        if (m_parser.hasHead() && !reply->m_headSeen) {
            reply->m_headSeen = true;
            reply->m_status = m_parser.head().status;
            reply->m_headers = m_parser.head().headers;
            reply->notifyHeadReceived();
            if (!reply || m_reply != reply)
                return false;
        }
        if (m_parser.bufferedBody() > 0) {
            reply->m_body += m_parser.takeBody();
            reply->notifyReadyRead();
            if (!reply || m_reply != reply)
                return false;
        }
        return true;
    }

    void succeed(const QPointer<HttpClientReply> &reply)
    {
        m_reply = nullptr;
        reply->m_connection = nullptr;
        reply->m_finished = true;
        m_timer.stop();
        // Back to the pool before the reply's owner hears of it, so a follow-up request
        // sent from the finished() handler can already reuse this connection.
        if (m_parser.keepAlive() && isUsable())
            m_client->connectionIdle(this);
        else
            close();
        m_client->notifyFinished(reply);
    }

    void fail(HttpClientReply::Error error, const QString &message)
    {
        HttpClientReply *reply = m_reply;
        m_reply = nullptr;
        close();
        if (!reply)
            return;
        reply->m_connection = nullptr;
        reply->m_finished = true;
        reply->m_error = error;
        reply->m_errorString = message;
        m_client->notifyFinished(reply);
    }

    void onClosed()
    {
        if (m_dead)
            return;
        if (!m_reply) {
            close();
            return;
        }
        // What arrived before the close still counts (the last bytes of a body ended by it).
        if (m_socket->bytesAvailable() > 0) {
            QPointer<HttpClientConnection> self(this);
            feed(m_socket->readAll());
            if (!self || m_dead || !m_reply)
                return;
        }
        QPointer<HttpClientReply> reply = m_reply;
        if (!reply->m_anyByteSeen && reply->m_reused && !reply->m_resent) {
            // The upstream closed an idle connection as we reused it: nothing was processed.
            reply->m_resent = true;
            m_reply = nullptr;
            reply->m_connection = nullptr;
            close();
            m_client->start(reply, false);
            return;
        }
        const QString socketError = m_socket->errorString();
        const HttpResponseParser::Status status = m_parser.finish();
        if (status == HttpResponseParser::Status::Complete) {
            if (deliver(reply))
                succeed(reply);
            return;
        }
        fail(HttpClientReply::Error::Connection,
             reply->m_anyByteSeen ? QString::fromLatin1(m_parser.errorString()) : socketError);
    }

    HttpClient *m_client;
    QString m_host;
    quint16 m_port;
    QString m_key;
    QTcpSocket *m_socket = nullptr;
    LazyTimer m_timer; // transfer timeout while busy, idle timeout while pooled
    HttpResponseParser m_parser;
    HttpClientReply *m_reply = nullptr;
    int m_requests = 0;
    bool m_dead = false;
};

// ---------------------------------------------------------------------------------------------

HttpClientReply::HttpClientReply(QString host, quint16 port, QByteArray wire, bool head,
                                 QObject *parent)
    : QObject(parent), m_host(std::move(host)), m_port(port), m_wire(std::move(wire)),
      m_headRequest(head)
{
}

HttpClientReply::~HttpClientReply()
{
    if (!m_finished && m_connection)
        m_connection->dropReply();
}

QByteArray HttpClientReply::header(QByteArrayView name) const
{
    for (const auto &h : m_headers) {
        if (name.compare(h.first, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

QByteArray HttpClientReply::readAll()
{
    return std::exchange(m_body, QByteArray());
}

void HttpClientReply::abort()
{
    if (m_finished)
        return;
    m_finished = true;
    m_error = Error::Aborted;
    m_errorString = QStringLiteral("the request was aborted");
    if (HttpClientConnection *c = m_connection.data()) {
        m_connection = nullptr;
        c->dropReply();
    }
    notifyFinished();
}

void HttpClientReply::notifyHeadReceived()
{
    if (m_listener)
        m_listener->replyHeadReceived();
    else
        emit headReceived();
}

void HttpClientReply::notifyReadyRead()
{
    if (m_listener)
        m_listener->replyReadyRead();
    else
        emit readyRead();
}

void HttpClientReply::notifyFinished()
{
    if (m_listener)
        m_listener->replyFinished();
    else
        emit finished();
}

// ---------------------------------------------------------------------------------------------

HttpClient::HttpClient(HttpClientOptions options, QObject *parent)
    : QObject(parent), m_options(options)
{
    m_options.maxIdlePerHost = qMax(0, m_options.maxIdlePerHost);
    m_options.idleTimeoutMs = qMax(1, m_options.idleTimeoutMs);
}

HttpClient::~HttpClient()
{
    // Connections are children and go with us; replies still running lose their connection
    // (QPointer) and are never finished, as with a destroyed QNetworkAccessManager.
    m_idle.clear();
}

HttpClientReply *HttpClient::send(const QString &host, quint16 port, const HttpClientRequest &request)
{
    auto *reply = new HttpClientReply(host, port, serializeRequest(host, port, request),
                                      request.method == "HEAD", this);
    m_sending = true;
    start(reply, true);
    m_sending = false;
    return reply;
}

void HttpClient::notifyFinished(HttpClientReply *reply)
{
    if (!m_sending) {
        reply->notifyFinished();
        return;
    }
    // The caller of send() has not connected to the reply yet.
    QPointer<HttpClientReply> guard(reply);
    QMetaObject::invokeMethod(
        this,
        [guard] {
            if (guard)
                guard->notifyFinished();
        },
        Qt::QueuedConnection);
}

void HttpClient::start(HttpClientReply *reply, bool allowIdle)
{
    HttpClientConnection *connection = nullptr;
    if (allowIdle) {
        auto it = m_idle.find(poolKey(reply->m_host, reply->m_port));
        while (it != m_idle.end() && !it->isEmpty()) {
            HttpClientConnection *c = it->takeLast(); // the most recently used is the likeliest alive
            if (c->isUsable()) {
                connection = c;
                break;
            }
            c->close();
            it = m_idle.find(poolKey(reply->m_host, reply->m_port));
        }
    }
    if (!connection) {
        connection = new HttpClientConnection(this, reply->m_host, reply->m_port);
    }
    connection->start(reply);
}

void HttpClient::connectionIdle(HttpClientConnection *connection)
{
    QList<HttpClientConnection *> &idle = m_idle[connection->key()];
    if (idle.size() >= m_options.maxIdlePerHost) {
        connection->close();
        return;
    }
    idle.append(connection);
    connection->becomeIdle();
}

void HttpClient::connectionClosed(HttpClientConnection *connection)
{
    auto it = m_idle.find(connection->key());
    if (it != m_idle.end())
        it->removeOne(connection);
}

int HttpClient::idleConnectionCount() const
{
    int n = 0;
    for (const auto &list : m_idle)
        n += int(list.size());
    return n;
}

} // namespace drover
