#include "upstream_client.h"

#include "core/http/http_client.h"

#include <QHostAddress>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>

#include <climits>

namespace drover {

namespace {

// QNetworkAccessManager opens at most 6 HTTP/1.1 connections per host (Qt 6.4 has no
// QHttp1Configuration to raise it), so concurrent requests to an HTTP/1.1 upstream are spread
// over several managers. HTTP/2 upstreams multiplex and rarely need a second one.
constexpr int kRequestsPerManager = 6;
constexpr int kMaxManagers = 32;

bool isLoopbackUrl(const QUrl &url)
{
    const QString host = url.host();
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

} // namespace

// An answer through Drover's keep-alive client.
class PlainUpstreamReply : public UpstreamReply, private HttpClientReply::Listener
{
public:
    PlainUpstreamReply(HttpClientReply *reply, QObject *parent)
        : UpstreamReply(parent), m_reply(reply)
    {
        m_reply->setParent(this);
        m_reply->setListener(this); // its events become ours without signal connections
    }
    ~PlainUpstreamReply() override
    {
        // The child reply is deleted after this part of us is gone: it must not call back.
        m_reply->setListener(nullptr);
        delete m_reply;
    }

    int status() const override { return m_reply->status(); }
    QByteArray header(const QByteArray &name) const override { return m_reply->header(name); }
    HttpHeaderList headers() const override { return m_reply->headers(); }
    QByteArray readAll() override { return m_reply->readAll(); }
    Failure failure() const override
    {
        switch (m_reply->error()) {
        case HttpClientReply::Error::None:
            return Failure::None;
        case HttpClientReply::Error::Connection:
            return Failure::Network;
        case HttpClientReply::Error::Timeout:
        case HttpClientReply::Error::Aborted:
            return Failure::Canceled;
        }
        return Failure::Network;
    }
    QString errorString() const override { return m_reply->errorString(); }
    void abort() override { m_reply->abort(); }

private:
    void replyHeadReceived() override { notifyHeadReceived(); }
    void replyReadyRead() override { notifyReadyRead(); }
    void replyFinished() override { notifyFinished(); }

    HttpClientReply *m_reply;
};

// An answer through QNetworkAccessManager (https).
class ManagedUpstreamReply : public UpstreamReply
{
public:
    ManagedUpstreamReply(QNetworkReply *reply, QNetworkAccessManager *manager, UpstreamClient *client)
        : UpstreamReply(client), m_reply(reply), m_manager(manager), m_client(client)
    {
        ++m_client->m_managerLoad[m_manager];
        connect(m_reply, &QNetworkReply::metaDataChanged, this, [this] { notifyHeadReceived(); });
        connect(m_reply, &QNetworkReply::readyRead, this, [this] { notifyReadyRead(); });
        connect(m_reply, &QNetworkReply::finished, this, [this] {
            release();
            notifyFinished();
        });
    }

    ~ManagedUpstreamReply() override
    {
        release();
        if (m_reply) {
            m_reply->disconnect(this);
            if (m_reply->isRunning())
                m_reply->abort();
            m_reply->deleteLater();
        }
    }

    int status() const override
    {
        return m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    }
    QByteArray header(const QByteArray &name) const override { return m_reply->rawHeader(name); }
    HttpHeaderList headers() const override
    {
        HttpHeaderList out;
        for (const auto &h : m_reply->rawHeaderPairs())
            out.append({h.first, h.second});
        return out;
    }
    QByteArray readAll() override { return m_reply->readAll(); }
    Failure failure() const override
    {
        const QNetworkReply::NetworkError e = m_reply->error();
        if (e == QNetworkReply::NoError)
            return Failure::None;
        if (e == QNetworkReply::OperationCanceledError) // abort() and the transfer timeout
            return Failure::Canceled;
        // Codes below 200 are the connection's and the proxy's; the others describe HTTP
        // error statuses, which are answers (the caller reads status()), unless none came.
        return e < 200 || status() == 0 ? Failure::Network : Failure::None;
    }
    QString errorString() const override { return m_reply->errorString(); }
    void abort() override { m_reply->abort(); }

private:
    void release()
    {
        if (m_released)
            return;
        m_released = true;
        if (QNetworkAccessManager *m = m_manager.data()) {
            int &load = m_client->m_managerLoad[m];
            load = qMax(0, load - 1);
        }
    }

    QNetworkReply *m_reply;
    QPointer<QNetworkAccessManager> m_manager;
    UpstreamClient *m_client;
    bool m_released = false;
};

UpstreamClient::UpstreamClient(int transferTimeoutMs, QObject *parent)
    : QObject(parent), m_transferTimeoutMs(transferTimeoutMs)
{
    HttpClientOptions o;
    o.transferTimeoutMs = transferTimeoutMs;
    m_http = new HttpClient(o, this);
}

UpstreamClient::~UpstreamClient() = default;

qint64 UpstreamClient::plainConnectionsOpened() const
{
    return m_http->connectionsOpened();
}

UpstreamReply *UpstreamClient::send(const QByteArray &method, const QUrl &url,
                                    const HttpHeaderList &headers, const QByteArray &body)
{
    // The gateway sends to a handful of URLs: their host, port and target are split once
    // (QUrl's accessors build new strings on every call).
    auto plain = m_plainTargets.constFind(url);
    if (plain == m_plainTargets.constEnd() && url.scheme() == QLatin1String("http")) {
        if (m_plainTargets.size() >= 64)
            m_plainTargets.clear();
        plain = m_plainTargets.insert(
            url, PlainTarget{url.host(), quint16(url.port(80)),
                             url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority
                                           | QUrl::RemoveFragment)});
    }
    if (plain != m_plainTargets.constEnd()) {
        ++m_plainRequests;
        HttpClientRequest r;
        r.method = method;
        r.target = plain->target;
        r.headers = headers;
        r.body = body;
        return new PlainUpstreamReply(m_http->send(plain->host, plain->port, r), this);
    }

    ++m_managedRequests;
    QNetworkAccessManager *manager = pickManager(url);
    QNetworkRequest request(url);
    // The provider key goes to the upstream and nowhere else: no redirects (a redirect could
    // carry the Authorization header to another host), no caching.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    request.setTransferTimeout(m_transferTimeoutMs);
    for (const auto &h : headers)
        request.setRawHeader(h.first, h.second);
    QNetworkReply *reply = method == "GET"    ? manager->get(request)
                           : method == "POST" ? manager->post(request, body)
                                              : manager->sendCustomRequest(request, method, body);
    return new ManagedUpstreamReply(reply, manager, this);
}

QNetworkAccessManager *UpstreamClient::pickManager(const QUrl &url)
{
    QNetworkAccessManager *best = nullptr;
    int bestLoad = INT_MAX;
    for (QNetworkAccessManager *m : std::as_const(m_managers)) {
        const int load = m_managerLoad.value(m);
        if (load < bestLoad) {
            best = m;
            bestLoad = load;
        }
    }
    if (best && (bestLoad < kRequestsPerManager || m_managers.size() >= kMaxManagers))
        return best;
    auto *m = new QNetworkAccessManager(this);
    if (isLoopbackUrl(url))
        m->setProxy(QNetworkProxy::NoProxy); // an http_proxy must not reroute loopback
    m->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    m_managers.append(m);
    m_managerLoad.insert(m, 0);
    return m;
}

} // namespace drover
