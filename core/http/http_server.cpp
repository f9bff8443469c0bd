#include "http_server.h"

#include "http_connection.h"

#include <QTcpServer>
#include <QTcpSocket>

#include <algorithm>

namespace drover {

HttpServer::HttpServer(HttpServerOptions options, QObject *parent)
    : QObject(parent), m_options(options), m_tcp(new QTcpServer(this))
{
    m_options.idleTimeoutMs = qMax(1, m_options.idleTimeoutMs);
    m_options.maxConnections = qMax(1, m_options.maxConnections);
    connect(m_tcp, &QTcpServer::newConnection, this, &HttpServer::onNewConnection);
}

HttpServer::~HttpServer()
{
    // Connections are children and go with us; their responders see a null connection.
    for (HttpConnection *c : std::as_const(m_connections))
        disconnect(c, nullptr, this, nullptr);
}

void HttpServer::route(const QByteArray &method, const QByteArray &path, HttpHandler handler)
{
    m_routes[path].insert(method, std::move(handler));
}

bool HttpServer::listen(quint16 port)
{
    m_closing = false;
    return m_tcp->listen(QHostAddress::LocalHost, port);
}

bool HttpServer::isListening() const
{
    return m_tcp->isListening();
}

quint16 HttpServer::port() const
{
    return m_tcp->serverPort();
}

QString HttpServer::errorString() const
{
    return m_tcp->errorString();
}

void HttpServer::close()
{
    const bool wasClosing = m_closing;
    m_closing = true;
    m_tcp->close();
    if (m_connections.isEmpty()) {
        // Queued, so a caller can connect to closed() after calling close().
        if (!wasClosing)
            QMetaObject::invokeMethod(this, &HttpServer::closed, Qt::QueuedConnection);
        return;
    }
    // Idle connections may finish synchronously in closeWhenIdle(); onConnectionFinished
    // then emits closed() for the last one.
    const QList<HttpConnection *> connections = m_connections.values();
    for (HttpConnection *c : connections)
        c->closeWhenIdle();
}

void HttpServer::onNewConnection()
{
    while (QTcpSocket *socket = m_tcp->nextPendingConnection()) {
        if (m_closing) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        if (m_connections.size() >= m_options.maxConnections) {
            // Answer instead of resetting, so a client can tell "busy" from "broken".
            socket->write(serializeHttpResponse(
                HttpResponse::error(503, "too many connections"), false));
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            socket->disconnectFromHost();
            continue;
        }
        auto *connection = new HttpConnection(socket, this);
        m_connections.insert(connection);
        connect(connection, &HttpConnection::finished, this, &HttpServer::onConnectionFinished);
        emit connectionCountChanged(int(m_connections.size()));
    }
}

void HttpServer::onConnectionFinished(HttpConnection *connection)
{
    if (!m_connections.remove(connection))
        return;
    connection->deleteLater();
    emit connectionCountChanged(int(m_connections.size()));
    if (m_closing && m_connections.isEmpty())
        emit closed();
}

bool HttpServer::rechargeRequestBytes(qint64 held, qint64 want)
{
    const qint64 cap = m_options.maxBufferedRequestBytes;
    if (want > held && cap > 0 && m_bufferedRequestBytes - held + want > cap) {
        ++m_refusedForMemory;
        return false;
    }
    m_bufferedRequestBytes += want - held;
    return true;
}

HttpResponse HttpServer::overloadedResponse()
{
    if (m_options.overloaded)
        return m_options.overloaded();
    HttpResponse r = HttpResponse::error(
        503, "the server holds too much request data from other clients; retry shortly");
    r.setHeader("Retry-After", "1");
    return r;
}

void HttpServer::dispatch(const HttpRequest &request, HttpResponder &responder)
{
    const auto path = m_routes.constFind(request.path);
    if (path == m_routes.constEnd()) {
        responder.respond(HttpResponse::error(404, "no such endpoint"));
        return;
    }
    auto handler = path->constFind(request.method);
    if (handler == path->constEnd() && request.method == "HEAD")
        handler = path->constFind(QByteArray("GET"));
    if (handler == path->constEnd()) {
        QList<QByteArray> allowed = path->keys();
        if (allowed.contains("GET") && !allowed.contains("HEAD"))
            allowed.append("HEAD");
        std::sort(allowed.begin(), allowed.end());
        HttpResponse r = HttpResponse::error(405, "method not allowed");
        r.setHeader("Allow", allowed.join(", "));
        responder.respond(r);
        return;
    }
    (*handler)(request, responder);
}

} // namespace drover
