// The gateway's way to its upstream (internal to core/gateway): one interface over two HTTP
// clients. Plain-http upstreams (the simulated upstream, a local OpenAI-compatible server)
// go through Drover's keep-alive HttpClient, which costs a fraction of QNetworkAccessManager
// per request (docs/benchmarks/gateway.md); https upstreams go through QNetworkAccessManager
// (TLS, HTTP/2, system proxies).
#pragma once

#include "core/http/http_request.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QUrl>

class QNetworkAccessManager;

namespace drover {

class HttpClient;

// One upstream answer as ProxyCall reads it. Owned by the caller (deleteLater once finished).
class UpstreamReply : public QObject
{
    Q_OBJECT
public:
    enum class Failure
    {
        None,
        Network,  // refused, reset, DNS, TLS, a broken answer
        Canceled  // abort(), or no progress within the transfer timeout
    };

    using QObject::QObject;
    virtual int status() const = 0; // 0 until the head arrived (and after a network failure)
    virtual QByteArray header(const QByteArray &name) const = 0; // case-insensitive
    virtual HttpHeaderList headers() const = 0;
    virtual QByteArray readAll() = 0;
    virtual Failure failure() const = 0;
    virtual QString errorString() const = 0;
    // Stops the request; finished() follows.
    virtual void abort() = 0;

    // One direct listener instead of the signals (the gateway's call per request): saves
    // three connections per request. With a listener set the signals are not emitted; unset
    // it (nullptr) before the listener goes away.
    class Listener
    {
    public:
        virtual void upstreamHeadReceived() = 0;
        virtual void upstreamReadyRead() = 0;
        virtual void upstreamFinished() = 0;

    protected:
        ~Listener() = default;
    };
    void setListener(Listener *listener) { m_listener = listener; }

signals:
    void headReceived();
    void readyRead();
    void finished();

protected:
    void notifyHeadReceived()
    {
        if (m_listener)
            m_listener->upstreamHeadReceived();
        else
            emit headReceived();
    }
    void notifyReadyRead()
    {
        if (m_listener)
            m_listener->upstreamReadyRead();
        else
            emit readyRead();
    }
    void notifyFinished()
    {
        if (m_listener)
            m_listener->upstreamFinished();
        else
            emit finished();
    }

private:
    Listener *m_listener = nullptr;
};

class UpstreamClient : public QObject
{
    Q_OBJECT
public:
    // No progress for `transferTimeoutMs` cancels a request.
    explicit UpstreamClient(int transferTimeoutMs, QObject *parent = nullptr);
    ~UpstreamClient() override;

    // `url` is absolute (http or https); `headers` go as given (Authorization included).
    UpstreamReply *send(const QByteArray &method, const QUrl &url, const HttpHeaderList &headers,
                        const QByteArray &body);

    // Counters for tests and benchmarks: requests per client kind, TCP connections opened by
    // the keep-alive client.
    qint64 plainRequests() const { return m_plainRequests; }
    qint64 managedRequests() const { return m_managedRequests; }
    qint64 plainConnectionsOpened() const;

private:
    QNetworkAccessManager *pickManager(const QUrl &url);

    struct PlainTarget
    {
        QString host;
        quint16 port = 80;
        QByteArray target;
    };

    int m_transferTimeoutMs;
    QHash<QUrl, PlainTarget> m_plainTargets; // http:// URLs already split
    HttpClient *m_http = nullptr;
    QList<QNetworkAccessManager *> m_managers;
    QHash<QNetworkAccessManager *, int> m_managerLoad;
    qint64 m_plainRequests = 0;
    qint64 m_managedRequests = 0;

    friend class ManagedUpstreamReply;
};

} // namespace drover
