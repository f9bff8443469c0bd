#include "gateway.h"

#include "json_scan.h"

#include "core/http/epoll_event_dispatcher.h"
#include "core/http/http_server.h"
#include "core/secrets/secret_store.h"
#include "core/sync/call_queue.h"
#include "json_scan.h"
#include "simulated_upstream.h"
#include "sse_stream.h"
#include "upstream_client.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QRandomGenerator>
#include <QTimer>

#include <cmath>

namespace drover {

namespace {

qint64 monotonicMs()
{
    static QElapsedTimer timer = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return timer.elapsed();
}

qint64 wallMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

HttpResponse openAiError(int status, const QString &message, const QString &type,
                         const QString &code)
{
    const QJsonObject error{{QStringLiteral("message"), message},
                            {QStringLiteral("type"), type},
                            {QStringLiteral("param"), QJsonValue::Null},
                            {QStringLiteral("code"), code.isEmpty() ? QJsonValue(QJsonValue::Null)
                                                                    : QJsonValue(code)}};
    return HttpResponse::json(status, QJsonObject{{QStringLiteral("error"), error}});
}

void addRateLimitHeaders(HttpResponse &r, const BudgetDecision &d)
{
    // Appended, not setHeader(): no answer carries these names before (upstream headers are
    // forwarded by an allow-list without them), and a lookup per name per answer showed in the
    // profile. Literal names: no allocation.
    r.headers.reserve(r.headers.size() + 6);
    if (d.limitRequests > 0) {
        r.headers.append(
            {QByteArrayLiteral("x-ratelimit-limit-requests"), QByteArray::number(d.limitRequests)});
        r.headers.append({QByteArrayLiteral("x-ratelimit-remaining-requests"),
                          QByteArray::number(d.remainingRequests)});
        r.headers.append({QByteArrayLiteral("x-ratelimit-reset-requests"),
                          formatRateLimitDuration(d.resetRequestsMs)});
    }
    if (d.limitTokens > 0) {
        r.headers.append(
            {QByteArrayLiteral("x-ratelimit-limit-tokens"), QByteArray::number(d.limitTokens)});
        r.headers.append({QByteArrayLiteral("x-ratelimit-remaining-tokens"),
                          QByteArray::number(d.remainingTokens)});
        r.headers.append({QByteArrayLiteral("x-ratelimit-reset-tokens"),
                          formatRateLimitDuration(d.resetTokensMs)});
    }
}

bool isSimulatedUpstream(const GatewayOptions &o)
{
    return o.upstream.trimmed().compare(QLatin1String("simulated"), Qt::CaseInsensitive) == 0;
}

bool isLoopbackUrl(const QUrl &url)
{
    const QString host = url.host();
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

// Retry-After of an upstream answer in ms: retry-after-ms, else retry-after (seconds or an
// HTTP date). -1 when absent.
qint64 retryAfterMs(const UpstreamReply *reply)
{
    bool ok = false;
    const double ms = reply->header("retry-after-ms").trimmed().toDouble(&ok);
    if (ok && ms >= 0)
        return qint64(std::ceil(ms));
    const QByteArray ra = reply->header("retry-after").trimmed();
    if (ra.isEmpty())
        return -1;
    const double seconds = ra.toDouble(&ok);
    if (ok && seconds >= 0)
        return qint64(std::ceil(seconds * 1000));
    const QDateTime when = QDateTime::fromString(QString::fromLatin1(ra), Qt::RFC2822Date);
    if (when.isValid())
        return qMax<qint64>(0, wallMs() - when.toMSecsSinceEpoch());
    return -1;
}

// The error code (or type) of an OpenAI-shaped error body, for stats and decisions.
QString errorCodeOf(const QByteArray &body)
{
    const QJsonObject error = QJsonDocument::fromJson(body).object().value(QLatin1String("error")).toObject();
    const QString code = error.value(QLatin1String("code")).toString();
    return code.isEmpty() ? error.value(QLatin1String("type")).toString() : code;
}

// Response headers from the upstream worth passing on. Everything else (cookies, the
// provider's own rate-limit headers for the shared key, server banners) stays behind.
bool isForwardedResponseHeader(const QByteArray &name)
{
    // Compared in place: a lower-cased copy per header per answer shows in the profile.
    for (const char *n : {"content-type", "x-request-id", "openai-processing-ms", "openai-version",
                          "openai-model", "cache-control"}) {
        if (QByteArrayView(name).compare(QByteArrayView(n), Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

} // namespace

QByteArray formatRateLimitDuration(qint64 ms)
{
    if (ms < 1000)
        return QByteArray::number(qMax<qint64>(0, ms)) + "ms";
    if (ms < 60000) {
        QByteArray s = QByteArray::number(double(ms) / 1000.0, 'f', 3);
        while (s.endsWith('0'))
            s.chop(1);
        if (s.endsWith('.'))
            s.chop(1);
        return s + 's';
    }
    const qint64 minutes = ms / 60000;
    const qint64 seconds = (ms % 60000 + 999) / 1000;
    return QByteArray::number(minutes) + 'm' + QByteArray::number(seconds) + 's';
}

// ---------------------------------------------------------------------------------------------
// GatewayTokens

QByteArray GatewayTokens::issue(const QString &pool, int replica, const QString &tier)
{
    quint32 words[8];
    QRandomGenerator::system()->fillRange(words);
    const QByteArray token =
        "drv-" + QByteArray(reinterpret_cast<const char *>(words), sizeof words).toHex();
    const QString replicaKey = pool + QLatin1Char('/') + QString::number(replica);
    std::lock_guard<std::mutex> lock(m_mutex);
    const QByteArray old = m_byReplica.take(replicaKey);
    if (!old.isEmpty())
        m_byToken.remove(old);
    m_byToken.insert(token, GatewayIdentity{pool, replica, tier});
    m_byReplica.insert(replicaKey, token);
    return token;
}

bool GatewayTokens::revoke(const QByteArray &token)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    const auto it = m_byToken.constFind(token);
    if (it == m_byToken.constEnd())
        return false;
    m_byReplica.remove(it->pool + QLatin1Char('/') + QString::number(it->replica));
    m_byToken.erase(it);
    return true;
}

bool GatewayTokens::revokeReplica(const QString &pool, int replica)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    const QByteArray token = m_byReplica.take(pool + QLatin1Char('/') + QString::number(replica));
    return !token.isEmpty() && m_byToken.remove(token) > 0;
}

int GatewayTokens::revokePool(const QString &pool)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    int n = 0;
    for (auto it = m_byToken.begin(); it != m_byToken.end();) {
        if (it->pool == pool) {
            m_byReplica.remove(it->pool + QLatin1Char('/') + QString::number(it->replica));
            it = m_byToken.erase(it);
            ++n;
        } else {
            ++it;
        }
    }
    return n;
}

bool GatewayTokens::setTier(const QString &pool, int replica, const QString &tier)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    const QByteArray token = m_byReplica.value(pool + QLatin1Char('/') + QString::number(replica));
    auto it = m_byToken.find(token);
    if (token.isEmpty() || it == m_byToken.end())
        return false;
    it->tier = tier;
    return true;
}

std::optional<GatewayIdentity> GatewayTokens::lookup(QByteArrayView token) const
{
    if (token.size() != 68 || !token.startsWith("drv-"))
        return std::nullopt;
    std::lock_guard<std::mutex> lock(m_mutex);
    const auto it = m_byToken.constFind(token.toByteArray());
    if (it == m_byToken.constEnd())
        return std::nullopt;
    return *it;
}

int GatewayTokens::count() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return int(m_byToken.size());
}

// ---------------------------------------------------------------------------------------------
// GatewayOptions

GatewayOptions GatewayOptions::fromConfig(const Config &config)
{
    GatewayOptions o;
    o.enabled = config.gateway.enabled;
    o.port = quint16(config.gateway.port);
    o.upstream = config.gateway.upstream;
    o.maxBufferedRequestBytes = config.gateway.maxBufferedRequestMb * 1024 * 1024;
    for (const TierSpec &t : config.tiers)
        o.tierBudgets.insert(t.name, TierBudget{t.gptTokensPerMinute, 0});
    return o;
}

// ---------------------------------------------------------------------------------------------
// ProxyCall: one client request on its way to the upstream and back.

class ProxyCall : public QObject, private UpstreamReply::Listener
{
public:
    ProxyCall(Gateway *gateway, HttpResponder responder)
        : QObject(gateway), m_gw(gateway), m_responder(std::move(responder))
    {
        QPointer<ProxyCall> self(this);
        m_responder.onClientDisconnected([self] {
            if (self)
                self->onClientGone();
        });
    }

    ~ProxyCall() override
    {
        if (m_reply) {
            m_reply->setListener(nullptr);
            m_reply->abort();
            m_reply->deleteLater();
        }
    }

    void send();
    void cancel(); // the gateway stops

    // Request, as the gateway prepared it.
    UsageKey key;
    QString bucket;
    BudgetDecision decision;
    qint64 reservedTokens = 0;
    qint64 promptEstimate = 0;
    QByteArray method;
    QByteArray upstreamPath; // "chat/completions"
    QByteArray query;
    QByteArray body;
    QByteArray contentType;
    HttpHeaderList extraHeaders;
    bool dropUsageOnly = false;
    bool streamRequested = false;

private:
    void upstreamHeadReceived() override { onMetaData(); }
    void upstreamReadyRead() override { onReadyRead(); }
    void upstreamFinished() override { onFinished(); }
    void onMetaData();
    void onReadyRead();
    void onFinished();
    void onClientGone();
    void startStream();
    void answerFromUpstream(UpstreamReply *reply, const QByteArray &bodyBytes);
    void count(const TokenUsage &delta);
    void complete(bool estimate);

    Gateway *m_gw;
    HttpResponder m_responder;
    UpstreamReply *m_reply = nullptr;
    int m_attempt = 0;
    int m_status = 0;
    enum class Mode { Waiting, Buffering, Streaming };
    Mode m_mode = Mode::Waiting;
    QByteArray m_buffer;
    UsageStreamFilter m_filter;
    TokenUsage m_counted;
    bool m_clientGone = false;
    bool m_tooLarge = false;
    bool m_drainTimedOut = false;
    bool m_done = false;
    QTimer *m_retryTimer = nullptr;
    QTimer *m_drainTimer = nullptr;

    friend class Gateway;
};

void ProxyCall::send()
{
    const QUrl url = m_gw->upstreamUrl(upstreamPath, query);

    // The provider key goes to the upstream and nowhere else (neither client follows
    // redirects, which could carry it to another host).
    HttpHeaderList headers;
    headers.reserve(5 + extraHeaders.size());
    // Literal names and values: no allocation per request.
    if (!m_gw->m_providerKey.isEmpty())
        headers.append({QByteArrayLiteral("Authorization"), m_gw->m_providerKey});
    headers.append(
        {QByteArrayLiteral("User-Agent"), QByteArrayLiteral("drover-gateway/" DROVER_VERSION)});
    if (!body.isEmpty() || method == "POST")
        headers.append(
            {QByteArrayLiteral("Content-Type"),
             contentType.isEmpty() ? QByteArrayLiteral("application/json") : contentType});
    headers.append({QByteArrayLiteral("Accept"), streamRequested
                                                     ? QByteArrayLiteral("text/event-stream")
                                                     : QByteArrayLiteral("application/json")});
    headers.append(extraHeaders);

    m_mode = Mode::Waiting;
    m_status = 0;
    m_buffer.clear();
    m_reply = m_gw->m_upstream->send(method, url, headers, body);
    m_reply->setListener(this); // unset wherever the reply is let go
}

void ProxyCall::onMetaData()
{
    if (m_status)
        return;
    m_status = m_reply->status();
    if (m_status == 0)
        return;
    const bool sse = m_reply->header("content-type").toLower().startsWith("text/event-stream");
    if (m_status >= 200 && m_status < 300 && sse)
        startStream();
    else
        m_mode = Mode::Buffering; // plain answers and errors (decided on when complete)
}

void ProxyCall::startStream()
{
    m_mode = Mode::Streaming;
    ++m_gw->m_activeStreams;
    if (m_clientGone)
        return;
    HttpResponse head;
    head.status = m_status;
    for (const auto &h : m_reply->headers()) {
        if (isForwardedResponseHeader(h.first))
            head.setHeader(h.first, h.second);
    }
    head.setHeader("Cache-Control", "no-cache");
    head.setHeader("X-Accel-Buffering", "no");
    addRateLimitHeaders(head, decision);
    // From here on nothing is retried: the client has seen the first byte.
    if (!m_responder.beginStream(head))
        onClientGone();
}

void ProxyCall::onReadyRead()
{
    if (!m_status)
        onMetaData();
    const QByteArray data = m_reply->readAll();
    if (m_mode == Mode::Streaming) {
        const QByteArray out = m_filter.feed(data);
        if (!out.isEmpty() && !m_clientGone) {
            if (!m_responder.write(out))
                onClientGone();
        }
        count(m_filter.takeUsageDelta());
        return;
    }
    m_buffer += data;
    if (m_buffer.size() > m_gw->m_options.maxUpstreamResponseBytes) {
        m_tooLarge = true;
        m_reply->abort();
    }
}

void ProxyCall::count(const TokenUsage &delta)
{
    if (delta.isZero())
        return;
    m_counted.prompt += delta.prompt;
    m_counted.completion += delta.completion;
    m_counted.cached += delta.cached;
    m_counted.reasoning += delta.reasoning;
    m_gw->m_ledger.addUsage(key, delta);
    m_gw->markDirty();
}

void ProxyCall::onFinished()
{
    UpstreamReply *reply = m_reply;
    m_reply = nullptr;
    reply->setListener(nullptr); // done: nothing more of it may reach this call
    m_gw->deleteSoon(reply);
    if (!m_status)
        m_status = reply->status();
    const QByteArray rest = reply->readAll();
    GatewayThrottle &throttle = m_gw->m_throttle;

    if (m_mode == Mode::Streaming) {
        QByteArray out = m_filter.feed(rest);
        out += m_filter.finish();
        count(m_filter.takeUsageDelta());
        const bool broken = reply->failure() != UpstreamReply::Failure::None;
        if (!m_clientGone) {
            if (!out.isEmpty())
                m_responder.write(out);
            if (broken)
                m_responder.abort(); // a truncated stream must not look complete
            else
                m_responder.end();
        }
        if (broken && !m_drainTimedOut) {
            ++throttle.upstreamNetworkErrors;
            throttle.lastError = QStringLiteral("stream broken: %1").arg(reply->errorString());
        }
        complete(!m_filter.hasUsage() && (broken || m_clientGone));
        return;
    }

    m_buffer += rest;
    const bool networkFailure = m_status == 0;
    if (!networkFailure && !m_tooLarge && !m_clientGone
        && reply->failure() != UpstreamReply::Failure::None) {
        // The answer broke off after its head: a truncated body must not look like an answer,
        // and what the upstream did with the request is unknown, so it is not retried.
        ++throttle.upstreamNetworkErrors;
        throttle.lastError = QStringLiteral("answer broken: %1").arg(reply->errorString());
        m_responder.respond(openAiError(
            502, QStringLiteral("The upstream broke off its answer: %1").arg(reply->errorString()),
            QStringLiteral("api_error"), QStringLiteral("upstream_unreachable")));
        m_gw->m_ledger.countError(key);
        m_gw->markDirty();
        complete(true);
        return;
    }
    if (m_tooLarge) {
        if (!m_clientGone)
            m_responder.respond(openAiError(502, QStringLiteral("The upstream response is too large."),
                                            QStringLiteral("api_error"), QString()));
        m_gw->m_ledger.countError(key);
        complete(true);
        return;
    }

    if (networkFailure || m_status == 429 || m_status >= 500) {
        const QString code = networkFailure ? QString() : errorCodeOf(m_buffer);
        if (networkFailure) {
            ++throttle.upstreamNetworkErrors;
            throttle.lastError = QStringLiteral("network: %1").arg(reply->errorString());
        } else {
            (m_status == 429 ? throttle.upstream429 : throttle.upstream5xx)++;
            if (m_status == 429)
                m_gw->m_ledger.countUpstream429(key); // which pool's calls the provider refuses
            throttle.lastError = QStringLiteral("%1 %2").arg(m_status).arg(code);
        }
        const bool noQuota = m_status == 429 && code == QLatin1String("insufficient_quota");
        qint64 waitMs = networkFailure ? -1 : retryAfterMs(reply);
        if (noQuota) {
            // Retrying cannot help: the key has no money left. The operator must act.
            throttle.insufficientQuota = true;
        } else if (m_status == 429 || m_status == 503) {
            // The provider is throttling: the bottleneck detector sees it until the reset.
            const qint64 until = wallMs() + (waitMs >= 0 ? waitMs : m_gw->m_options.retryBackoffMs);
            m_gw->noteThrottle(key.pool, until, throttle.lastError);
        }
        m_gw->markDirty();
        if (waitMs < 0)
            waitMs = m_gw->m_options.retryBackoffMs << qMin(m_attempt, 10);
        const bool timedOut = reply->failure() == UpstreamReply::Failure::Canceled && !m_clientGone;
        if (!noQuota && !m_clientGone && !timedOut && m_attempt < m_gw->m_options.maxUpstreamRetries
            && waitMs <= m_gw->m_options.maxRetryWaitMs) {
            ++m_attempt;
            ++throttle.retries;
            if (!m_retryTimer) {
                m_retryTimer = new QTimer(this);
                m_retryTimer->setSingleShot(true);
                // Precise: a coarse timer may fire 5 % early, before the provider's reset.
                m_retryTimer->setTimerType(Qt::PreciseTimer);
                connect(m_retryTimer, &QTimer::timeout, this, &ProxyCall::send);
            }
            m_retryTimer->start(int(qMin<qint64>(waitMs, INT_MAX)));
            return;
        }
        if (networkFailure) {
            if (!m_clientGone) {
                m_responder.respond(openAiError(
                    502, QStringLiteral("The upstream could not be reached: %1").arg(reply->errorString()),
                    QStringLiteral("api_error"), QStringLiteral("upstream_unreachable")));
            }
            m_gw->m_ledger.countError(key);
            complete(m_drainTimedOut); // cut off by us while draining: it may still be billed
            return;
        }
    }
    answerFromUpstream(reply, m_buffer);
}

void ProxyCall::answerFromUpstream(UpstreamReply *reply, const QByteArray &bodyBytes)
{
    const bool success = m_status >= 200 && m_status < 300;
    if (success) {
        if (const std::optional<TokenUsage> usage = usageOfResponseBody(bodyBytes)) {
            UsageAccumulator acc;
            count(acc.observe(*usage));
        }
    } else {
        m_gw->m_ledger.countError(key);
    }
    const bool estimate = success && m_counted.isZero() && m_drainTimedOut;
    if (!m_clientGone) {
        HttpResponse r;
        r.status = m_status;
        r.body = bodyBytes;
        for (const auto &h : reply->headers()) {
            if (isForwardedResponseHeader(h.first))
                r.setHeader(h.first, h.second);
        }
        if (m_status == 429 || m_status >= 500) {
            // The upstream's own advice on when to come back, for the client's retry logic.
            for (const char *name : {"retry-after", "retry-after-ms", "x-should-retry"}) {
                const QByteArray v = reply->header(name);
                if (!v.isEmpty())
                    r.setHeader(name, v);
            }
            if (m_gw->m_throttle.insufficientQuota && m_status == 429)
                r.setHeader("x-should-retry", "false");
        }
        addRateLimitHeaders(r, decision);
        m_responder.respond(std::move(r));
    }
    complete(estimate);
}

void ProxyCall::onClientGone()
{
    if (m_clientGone || m_done)
        return;
    m_clientGone = true;
    if (m_retryTimer && m_retryTimer->isActive()) {
        // Nothing is on its way upstream: nothing to count.
        m_retryTimer->stop();
        complete(false);
        return;
    }
    if (!m_reply) {
        if (m_gw->m_waitingForKey.removeOne(this))
            complete(false);
        return;
    }
    // The provider bills the request whether or not anyone reads it: read on to its usage,
    // but not forever.
    if (!m_drainTimer) {
        m_drainTimer = new QTimer(this);
        m_drainTimer->setSingleShot(true);
        connect(m_drainTimer, &QTimer::timeout, this, [this] {
            if (m_reply) {
                m_drainTimedOut = true;
                m_reply->abort();
            }
        });
    }
    m_drainTimer->start(int(qMin<qint64>(m_gw->m_options.drainTimeoutMs, INT_MAX)));
}

void ProxyCall::complete(bool estimate)
{
    if (m_done)
        return;
    m_done = true;
    if (m_mode == Mode::Streaming)
        --m_gw->m_activeStreams;
    if (estimate && !m_filter.hasUsage()) {
        // The upstream never said: estimate from what we saw, and say that it is estimated.
        TokenUsage guess;
        guess.prompt = promptEstimate;
        guess.completion = (m_filter.generatedChars() + 3) / 4;
        guess.estimated = true;
        count(guess);
        m_gw->m_ledger.countEstimatedRequest(key);
    }
    m_gw->m_budgets.settle(bucket, reservedTokens, m_counted.total(), monotonicMs());
    m_gw->markDirty();
    m_gw->callFinished(this);
}

void ProxyCall::cancel()
{
    if (m_reply) {
        m_reply->setListener(nullptr);
        m_reply->abort();
        m_reply->deleteLater();
        m_reply = nullptr;
    }
    if (m_responder.isStreaming())
        m_responder.abort();
    else if (!m_responder.isAnswered())
        m_responder.respond(openAiError(503, QStringLiteral("The gateway is shutting down."),
                                        QStringLiteral("api_error"), QString()));
    m_done = true;
}

// ---------------------------------------------------------------------------------------------
// Gateway

Gateway::Gateway(GatewayOptions options, std::shared_ptr<GatewayTokens> tokens)
    : m_options(std::move(options)), m_tokens(std::move(tokens))
{
    qRegisterMetaType<drover::GatewayStats>();
}

Gateway::~Gateway()
{
    stop();
}

void Gateway::start()
{
    if (m_started)
        return;
    m_started = true;
    // Created here so the server, sockets, managers and timers belong to the gateway thread.
    HttpServerOptions so;
    so.limits.maxBodyBytes = m_options.maxRequestBytes;
    so.idleTimeoutMs = m_options.clientIdleTimeoutMs;
    so.maxConnections = m_options.maxConnections;
    so.maxBufferedRequestBytes = m_options.maxBufferedRequestBytes;
    so.overloaded = [] {
        HttpResponse r = openAiError(
            503,
            QStringLiteral("The gateway is holding too much request data from other replicas; "
                           "retry shortly."),
            QStringLiteral("server_error"), QStringLiteral("gateway_overloaded"));
        r.setHeader("retry-after", "1");
        r.setHeader("retry-after-ms", "1000");
        return r;
    };
    m_server = new HttpServer(so, this);
    m_upstream = new UpstreamClient(m_options.upstreamTimeoutMs, this);
    const QList<QByteArray> posts = {"chat/completions", "responses", "embeddings"};
    for (const QByteArray &p : posts) {
        m_server->route("POST", "/v1/" + p, [this, p](const HttpRequest &r, HttpResponder &resp) {
            handle(p, r, resp);
        });
    }
    m_server->route("GET", "/v1/models", [this](const HttpRequest &r, HttpResponder &resp) {
        handle("models", r, resp);
    });
    if (!m_server->listen(m_options.port)) {
        m_error = QStringLiteral("gateway: cannot listen on 127.0.0.1:%1: %2")
                      .arg(m_options.port)
                      .arg(m_server->errorString());
        qWarning("%s", qPrintable(m_error));
        return;
    }

    m_publishTimer = new QTimer(this);
    m_publishTimer->setInterval(qMax(10, m_options.publishIntervalMs));
    connect(m_publishTimer, &QTimer::timeout, this, &Gateway::publish);
    m_publishTimer->start();

    for (auto it = m_options.tierBudgets.constBegin(); it != m_options.tierBudgets.constEnd(); ++it) {
        if (m_options.budgetScope == GatewayOptions::BudgetScope::Tier) {
            m_budgets.setBudget(it.key(), it.value(), monotonicMs());
            m_bucketTier.insert(it.key(), it.key());
        }
    }
    if (isSimulatedUpstream(m_options))
        setProviderKey(false, QString(), QStringLiteral("configured"));
}

void Gateway::stop()
{
    if (!m_started)
        return;
    m_started = false;
    const QList<ProxyCall *> calls = m_calls;
    m_calls.clear();
    m_waitingForKey.clear();
    for (ProxyCall *c : calls) {
        c->cancel();
        delete c;
    }
    if (m_server)
        m_server->close();
    if (m_simulated)
        m_simulated->close();
    if (m_publishTimer)
        m_publishTimer->stop();
}

quint16 Gateway::port() const
{
    return m_server && m_server->isListening() ? m_server->port() : 0;
}

void Gateway::setProviderKey(bool ok, const QString &key, const QString &error)
{
    const bool configuredSimulated = error == QLatin1String("configured") && !ok;
    if (ok) {
        const QUrl base(m_options.upstream.trimmed());
        if (!base.isValid() || (base.scheme() != QLatin1String("https")
                                && base.scheme() != QLatin1String("http"))) {
            qWarning("gateway: upstream is not an http(s) URL; using the simulated upstream");
            m_simulatedReason = QStringLiteral("upstream is not an http(s) URL");
        } else {
            m_providerKey = "Bearer " + key.toUtf8(); // built once, not per request
            m_upstreamBase = base;
            m_upstreamUrls.clear();
            m_simulatedActive = false;
            m_simulatedReason.clear();
            if (base.scheme() == QLatin1String("http") && !isLoopbackUrl(base))
                qWarning("gateway: the upstream is plain http on another host; the provider key "
                         "travels unencrypted");
        }
    } else {
        m_providerKey.clear();
        m_simulatedReason = configuredSimulated
                                ? QStringLiteral("configured")
                                : QStringLiteral("no provider key in the keychain (%1)").arg(error);
    }
    if (!m_simulatedReason.isEmpty()) {
        if (!m_simulated) {
            m_simulated = new SimulatedUpstream(m_options.simulated, this);
            if (!m_simulated->listen())
                qWarning("gateway: the simulated upstream cannot listen");
        }
        m_upstreamBase = m_simulated->baseUrl();
        m_upstreamUrls.clear();
        m_simulatedActive = true;
    }
    m_keyState = m_simulatedActive ? KeyState::Missing : KeyState::Ready;
    markDirty();
    const QList<ProxyCall *> waiting = m_waitingForKey;
    m_waitingForKey.clear();
    for (ProxyCall *c : waiting)
        c->send();
}

QString Gateway::bucketKey(const GatewayIdentity &id) const
{
    if (m_options.budgetScope == GatewayOptions::BudgetScope::Tier)
        return id.tier;
    return id.pool + QLatin1Char('/') + QString::number(id.replica);
}

void Gateway::setTierBudget(const QString &tier, TierBudget budget)
{
    m_options.tierBudgets.insert(tier, budget);
    const qint64 now = monotonicMs();
    // Live: every bucket of that tier gets the new rate and keeps its level.
    for (auto it = m_bucketTier.constBegin(); it != m_bucketTier.constEnd(); ++it) {
        if (it.value() == tier)
            m_budgets.setBudget(it.key(), budget, now);
    }
    if (m_options.budgetScope == GatewayOptions::BudgetScope::Tier && !m_bucketTier.contains(tier)) {
        m_budgets.setBudget(tier, budget, now);
        m_bucketTier.insert(tier, tier);
    }
    markDirty();
}

void Gateway::handle(const QByteArray &upstreamPath, const HttpRequest &request,
                     HttpResponder &responder)
{
    // 1. Who is asking. Anything but a live token of a replica is refused.
    const QByteArray auth = request.header("authorization");
    QByteArrayView token;
    if (auth.size() > 7 && QByteArrayView(auth).first(7).compare("Bearer ", Qt::CaseInsensitive) == 0)
        token = QByteArrayView(auth).sliced(7).trimmed();
    const std::optional<GatewayIdentity> id = m_tokens->lookup(token);
    if (!id) {
        ++m_unauthorized;
        markDirty();
        responder.respond(openAiError(
            401, QStringLiteral("Incorrect API key provided. Use the per-replica token Drover "
                                "put in OPENAI_API_KEY."),
            QStringLiteral("invalid_request_error"), QStringLiteral("invalid_api_key")));
        return;
    }

    auto *call = new ProxyCall(this, responder);
    call->key = UsageKey{id->pool, id->replica, id->tier, QString()};
    call->method = request.method == "HEAD" ? QByteArray("GET") : request.method;
    call->upstreamPath = upstreamPath;
    call->query = request.query;
    call->contentType = request.header("content-type");
    for (const char *name : {"openai-beta", "idempotency-key"}) {
        const QByteArray v = request.header(name);
        if (!v.isEmpty())
            call->extraHeaders.append({QByteArray(name), v});
    }

    // 2. What it costs (an estimate until the usage comes back).
    qint64 estimate = 0;
    if (call->method == "POST") {
        // The fields read here come from one validating scan of the body (json_scan.h); a
        // QJsonObject is built only when the scan is unsure or a stream's options need a rewrite.
        const JsonObjectScan scan = JsonObjectScan::scan(request.body);
        QJsonObject object;
        const bool parsed = !scan.isObject();
        if (parsed) {
            QJsonParseError parseError;
            const QJsonDocument doc = QJsonDocument::fromJson(request.body, &parseError);
            if (!doc.isObject()) {
                delete call;
                responder.respond(openAiError(
                    400, QStringLiteral("We could not parse the JSON body of your request."),
                    QStringLiteral("invalid_request_error"), QString()));
                return;
            }
            object = doc.object();
        }
        qint64 maxOut = 0;
        if (parsed) {
            call->key.model = object.value(QLatin1String("model")).toString();
            call->streamRequested = object.value(QLatin1String("stream")).toBool();
            for (const char *k : {"max_completion_tokens", "max_tokens", "max_output_tokens"}) {
                maxOut = object.value(QLatin1String(k)).toInteger();
                if (maxOut > 0)
                    break;
            }
        } else {
            call->key.model = jsonStringValue(scan.value("model"));
            call->streamRequested = jsonBoolValue(scan.value("stream"));
            for (const char *k : {"max_completion_tokens", "max_tokens", "max_output_tokens"}) {
                maxOut = jsonIntegerValue(scan.value(k));
                if (maxOut > 0)
                    break;
            }
        }
        call->promptEstimate = (request.body.size() + 3) / 4;
        estimate = call->promptEstimate;
        if (upstreamPath != "embeddings") {
            if (maxOut > 0) {
                estimate += maxOut;
            } else {
                // Unbounded output: assume a typical answer, but never so much that a request
                // which states no size is refused as larger than the whole bucket.
                qint64 completion = m_options.defaultCompletionEstimate;
                const qint64 capacity = m_options.tierBudgets.value(id->tier).tokensPerMinute;
                if (capacity > 0)
                    completion = qMin(completion, qMax<qint64>(0, capacity - call->promptEstimate));
                estimate += completion;
            }
        }
        // 3. Streams must report usage: ask for it and hide it from a client that did not.
        if (call->streamRequested && upstreamPath == "chat/completions") {
            if (!parsed)
                object = QJsonDocument::fromJson(request.body).object();
            QJsonObject so = object.value(QLatin1String("stream_options")).toObject();
            if (!so.value(QLatin1String("include_usage")).toBool()) {
                so.insert(QStringLiteral("include_usage"), true);
                object.insert(QStringLiteral("stream_options"), so);
                call->body = QJsonDocument(object).toJson(QJsonDocument::Compact);
                call->dropUsageOnly = true;
            }
        }
        if (call->body.isEmpty())
            call->body = request.body;
        call->m_filter = UsageStreamFilter(call->dropUsageOnly);
    }

    // 4. Budget: reserve the estimate now, settle to the actual usage at the end.
    const qint64 now = monotonicMs();
    call->bucket = bucketKey(*id);
    const TierBudget budget = m_options.tierBudgets.value(id->tier);
    if (!m_budgets.hasBucket(call->bucket) || !(m_budgets.budget(call->bucket) == budget)) {
        m_budgets.setBudget(call->bucket, budget, now); // a re-tier keeps the bucket's level
        m_bucketTier.insert(call->bucket, id->tier);
    } else if (m_options.budgetScope == GatewayOptions::BudgetScope::Replica) {
        m_bucketTier.insert(call->bucket, id->tier);
    }
    const bool metered = call->method == "POST";
    if (metered) {
        call->decision = m_budgets.admit(call->bucket, estimate, now);
        if (!call->decision.admitted) {
            const BudgetDecision &d = call->decision;
            const bool tokens = d.limitedBy == QLatin1String("tokens");
            const QString what = tokens ? QStringLiteral("tokens per min (TPM)")
                                        : QStringLiteral("requests per min (RPM)");
            const qint64 limit = tokens ? d.limitTokens : d.limitRequests;
            QString message;
            if (d.neverFits) {
                message = QStringLiteral("Request too large for tier '%1' on %2: Limit %3, "
                                         "Requested %4. Send fewer tokens or lower max_tokens.")
                              .arg(id->tier, what)
                              .arg(limit)
                              .arg(tokens ? estimate : 1);
            } else {
                message = QStringLiteral("Rate limit reached for tier '%1' on %2: Limit %3, "
                                         "Requested %4. Please try again in %5.")
                              .arg(id->tier, what)
                              .arg(limit)
                              .arg(tokens ? estimate : 1)
                              .arg(QString::fromLatin1(formatRateLimitDuration(d.retryAfterMs)));
            }
            HttpResponse r = openAiError(429, message, tokens ? QStringLiteral("tokens")
                                                              : QStringLiteral("requests"),
                                         QStringLiteral("rate_limit_exceeded"));
            addRateLimitHeaders(r, d);
            if (d.neverFits) {
                r.setHeader("x-should-retry", "false");
            } else {
                r.setHeader("retry-after", QByteArray::number((d.retryAfterMs + 999) / 1000));
                r.setHeader("retry-after-ms", QByteArray::number(d.retryAfterMs));
            }
            m_ledger.countRejected(call->key);
            markDirty();
            delete call;
            responder.respond(r);
            return;
        }
        call->reservedTokens = estimate;
    } else {
        call->decision = m_budgets.peek(call->bucket, now);
    }

    m_ledger.countRequest(call->key);
    m_calls.append(call);
    markDirty();
    if (m_keyState == KeyState::Pending)
        m_waitingForKey.append(call);
    else
        call->send();
}

QUrl Gateway::upstreamUrl(const QByteArray &upstreamPath, const QByteArray &query)
{
    // Built once per path (QUrl's setters parse and re-encode on every call).
    if (query.isEmpty()) {
        const auto it = m_upstreamUrls.constFind(upstreamPath);
        if (it != m_upstreamUrls.constEnd())
            return *it;
    }
    QUrl url = m_upstreamBase;
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    url.setPath(path + QLatin1Char('/') + QString::fromLatin1(upstreamPath));
    if (!query.isEmpty())
        url.setQuery(QString::fromLatin1(query));
    else
        m_upstreamUrls.insert(upstreamPath, url);
    return url;
}

void Gateway::noteThrottle(const QString &pool, qint64 untilWallMs, const QString &error)
{
    m_throttle.throttled = true;
    m_throttle.throttledUntilMs = qMax(m_throttle.throttledUntilMs, untilWallMs);
    qint64 &poolUntil = m_throttle.poolThrottledUntilMs[pool];
    poolUntil = qMax(poolUntil, untilWallMs);
    m_throttle.lastError = error;
}

void Gateway::callFinished(ProxyCall *call)
{
    m_calls.removeOne(call);
    m_waitingForKey.removeOne(call);
    deleteSoon(call);
}

void Gateway::deleteSoon(QObject *object)
{
    // One queued call for all objects finished in the same event-loop turn rather than one
    // deleteLater() each: every posted event wakes the GLib loop with a system call, and a
    // busy gateway finishes many requests per turn.
    m_graveyard.append(object);
    if (m_graveyard.size() > 1)
        return;
    QMetaObject::invokeMethod(
        this,
        [this] {
            const QList<QObject *> dead = std::exchange(m_graveyard, {});
            qDeleteAll(dead);
        },
        Qt::QueuedConnection);
}

void Gateway::markDirty()
{
    m_dirty = true;
}

GatewayStats Gateway::currentStats() const
{
    GatewayStats s;
    s.atMs = wallMs();
    s.listening = m_server && m_server->isListening();
    s.port = port();
    s.upstream = m_simulatedActive ? QStringLiteral("simulated")
                                   : m_upstreamBase.toString(QUrl::RemoveUserInfo);
    s.simulated = m_simulatedActive;
    s.simulatedReason = m_simulatedReason;
    s.activeRequests = int(m_calls.size());
    s.activeStreams = m_activeStreams;
    s.unauthorized = m_unauthorized;
    s.usage = m_ledger.totals();
    s.throttle = m_throttle;
    s.throttle.throttled = m_throttle.throttledUntilMs > s.atMs;
    // Only pools whose reset is still ahead: the others are not throttled now.
    for (auto it = s.throttle.poolThrottledUntilMs.begin();
         it != s.throttle.poolThrottledUntilMs.end();)
        it = it.value() > s.atMs ? std::next(it) : s.throttle.poolThrottledUntilMs.erase(it);
    const qint64 now = monotonicMs();
    for (const QString &key : m_budgets.keys()) {
        const BudgetDecision d = m_budgets.peek(key, now);
        GatewayBucketStats b;
        b.key = key;
        b.tier = m_bucketTier.value(key);
        b.budget = m_budgets.budget(key);
        b.remainingTokens = d.remainingTokens;
        b.remainingRequests = d.remainingRequests;
        b.resetTokensMs = d.resetTokensMs;
        s.buckets.append(b);
    }
    return s;
}

void Gateway::publish()
{
    // A throttle that expired is news too.
    const qint64 now = wallMs();
    if (m_throttle.throttled && m_throttle.throttledUntilMs <= now) {
        m_throttle.throttled = false;
        m_dirty = true;
    }
    for (auto it = m_throttle.poolThrottledUntilMs.begin(); it != m_throttle.poolThrottledUntilMs.end();) {
        if (it.value() > now) {
            ++it;
        } else {
            it = m_throttle.poolThrottledUntilMs.erase(it);
            m_dirty = true; // a pool's throttle that expired is news too
        }
    }
    if (!m_dirty)
        return;
    m_dirty = false;
    emit statsPublished(currentStats());
}

// ---------------------------------------------------------------------------------------------
// GatewayHost

GatewayHost::GatewayHost(GatewayOptions options, QObject *parent)
    : QObject(parent), m_options(options), m_tokens(std::make_shared<GatewayTokens>())
{
    qRegisterMetaType<drover::GatewayStats>();
    m_gateway = new Gateway(std::move(options), m_tokens);
    m_gatewayCalls = new CallQueue(m_gateway);
    m_thread.setObjectName(QStringLiteral("drover-gateway"));
    // The gateway is deleted in its own thread after its event loop ends.
    connect(&m_thread, &QThread::finished, m_gateway, &QObject::deleteLater);
    connect(m_gateway, &Gateway::statsPublished, this, [this](const GatewayStats &s) {
        m_stats = s;
        emit statsPublished(s);
    }, Qt::QueuedConnection);
}

GatewayHost::~GatewayHost()
{
    stop();
    delete m_gateway; // never started: it still lives in this thread
}

bool GatewayHost::start()
{
    if (m_thread.isRunning() || !m_gateway)
        return m_port != 0;
    m_gateway->moveToThread(&m_thread); // with its call queue, a child
#ifdef Q_OS_LINUX
    // epoll instead of GLib's poll over every connection each turn (core/http/
    // epoll_event_dispatcher.h); DROVER_QT_EVENT_DISPATCHER=1 keeps Qt's, to compare or to
    // rule the dispatcher out. The thread owns and deletes it.
    if (!m_thread.eventDispatcher() && !qEnvironmentVariableIntValue("DROVER_QT_EVENT_DISPATCHER")) {
        auto *dispatcher = new EpollEventDispatcher;
        if (dispatcher->isValid())
            m_thread.setEventDispatcher(dispatcher);
        else
            delete dispatcher;
    }
#endif
    m_thread.start();
    m_port = 0;
    m_error.clear();
    // Wait until it listens (or cannot).
    Gateway *g = m_gateway;
    quint16 port = 0;
    QString error;
    m_gatewayCalls->postAndWait([g, &port, &error] {
        g->start();
        port = g->port();
        error = g->errorString();
    });
    m_port = port;
    m_error = error;
    reloadProviderKey();
    return m_port != 0;
}

void GatewayHost::stop()
{
    if (!m_thread.isRunning())
        return;
    Gateway *g = m_gateway;
    m_gatewayCalls->postAndWait([g] { g->stop(); });
    m_thread.quit();
    m_thread.wait();
    m_gateway = nullptr; // deleted by the finished -> deleteLater connection
    m_gatewayCalls = nullptr; // with it
    m_port = 0;
}

bool GatewayHost::isRunning() const
{
    return m_thread.isRunning();
}

QUrl GatewayHost::baseUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(m_port));
}

QByteArray GatewayHost::issueToken(const QString &pool, int replica, const QString &tier)
{
    return m_tokens->issue(pool, replica, tier);
}

bool GatewayHost::revokeToken(const QByteArray &token)
{
    return m_tokens->revoke(token);
}

bool GatewayHost::revokeReplica(const QString &pool, int replica)
{
    return m_tokens->revokeReplica(pool, replica);
}

bool GatewayHost::setReplicaTier(const QString &pool, int replica, const QString &tier)
{
    return m_tokens->setTier(pool, replica, tier);
}

void GatewayHost::setTierBudget(const QString &tier, TierBudget budget)
{
    if (Gateway *g = m_gateway)
        m_gatewayCalls->post([g, tier, budget] { g->setTierBudget(tier, budget); });
}

void GatewayHost::reloadProviderKey()
{
    if (!m_gateway || !m_thread.isRunning() || isSimulatedUpstream(m_options))
        return;
    if (!m_secrets)
        m_secrets = new SecretStore(m_options.secretService, this);
    // The answer arrives in this thread (m_secrets is a child of this host, so never after the
    // host is gone); only the value crosses into the gateway thread, if it still runs.
    m_secrets->read(m_options.providerKeyName,
                    [this](bool ok, const QString &value, const QString &error) {
        if (Gateway *g = m_gateway) {
            const bool found = ok && !value.isEmpty();
            const QString why = ok ? QStringLiteral("empty") : error;
            m_gatewayCalls->post([g, found, value, why] { g->setProviderKey(found, value, why); });
        }
    });
}

} // namespace drover
