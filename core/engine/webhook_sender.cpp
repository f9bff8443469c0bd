#include "webhook_sender.h"

#include "core/secrets/secret_store.h"
#include "snapshot.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaEnum>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>
#include <QUrl>

namespace drover {

QByteArray slackWebhookPayload(const NotificationView &n)
{
    // Slack renders `text` (mrkdwn: *bold*); the `drover` object is for receivers that want
    // structure (Slack ignores fields it does not know).
    QJsonObject drover{
        {QStringLiteral("status"), n.resolved ? QStringLiteral("resolved") : QStringLiteral("firing")},
        {QStringLiteral("route"), n.route},
        {QStringLiteral("group_key"), n.groupKey},
        {QStringLiteral("firing"), n.firingCount},
        {QStringLiteral("resolved"), n.resolvedCount},
        {QStringLiteral("repeat"), n.repeat},
        {QStringLiteral("fingerprints"), QJsonArray::fromStringList(n.fingerprints)},
        {QStringLiteral("at_ms"), double(n.atMs)},
    };
    QJsonObject o{
        {QStringLiteral("username"), QStringLiteral("Drover")},
        {QStringLiteral("text"), QStringLiteral("*%1*\n%2").arg(n.title, n.body)},
        {QStringLiteral("drover"), drover},
    };
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

WebhookSender::WebhookSender(WebhookOptions options, QObject *parent)
    : QObject(parent), m_options(std::move(options))
{
    m_secrets = new SecretStore(m_options.secretService, this);
    m_network = new QNetworkAccessManager(this);
    m_retryTimer = new QTimer(this);
    m_retryTimer->setSingleShot(true);
    connect(m_retryTimer, &QTimer::timeout, this, &WebhookSender::startNext);
}

WebhookSender::~WebhookSender()
{
    if (m_reply) {
        // Its finished() must not reach a half-destroyed sender.
        m_reply->disconnect(this);
        m_reply->abort();
    }
}

void WebhookSender::send(const QString &secretName, const QByteArray &payload, const QString &what)
{
    // The head is "current" while it is in flight or waiting for its retry; only the others wait.
    const bool headTaken = m_busy || m_retryTimer->isActive();
    const int waiting = int(m_queue.size()) - (headTaken ? 1 : 0);
    if (waiting >= qMax(1, m_options.maxQueued)) {
        const Item oldest = m_queue.takeAt(headTaken ? 1 : 0);
        ++m_status.dropped;
        emit dropped(oldest.secretName, oldest.what);
    }
    m_queue.enqueue({secretName, payload, what, 0});
    startNext();
}

WebhookStatus WebhookSender::status() const
{
    WebhookStatus s = m_status;
    s.queued = int(m_queue.size());
    return s;
}

void WebhookSender::startNext()
{
    if (m_busy || m_retryTimer->isActive() || m_queue.isEmpty())
        return;
    m_busy = true;
    Item &head = m_queue.head();
    ++head.attempts;
    const QString name = head.secretName;
    // Read at each attempt: the URL never sits in Drover's memory longer than one POST, and an
    // operator who fixes the entry is heard at the next retry.
    m_secrets->read(name, [this, name](bool ok, const QString &value, const QString &error) {
        if (!ok) {
            finishAttempt(false, QStringLiteral("keychain entry '%1' could not be read (%2)")
                                     .arg(name, error));
            return;
        }
        const QUrl url(value.trimmed(), QUrl::StrictMode);
        if (!url.isValid() || (url.scheme() != QLatin1String("https")
                               && url.scheme() != QLatin1String("http")) || url.host().isEmpty()) {
            finishAttempt(false, QStringLiteral("keychain entry '%1' does not hold an http(s) URL")
                                     .arg(name));
            return;
        }
        post(url.toString());
    });
}

void WebhookSender::post(const QString &url)
{
    QNetworkRequest request{QUrl(url)};
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("Drover/" DROVER_VERSION));
    request.setTransferTimeout(m_options.requestTimeoutMs);
    m_reply = m_network->post(request, m_queue.head().payload);
    connect(m_reply, &QNetworkReply::finished, this, [this, reply = m_reply] {
        reply->deleteLater();
        m_reply = nullptr;
        const QVariant code = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        const int status = code.isValid() ? code.toInt() : 0;
        if (reply->error() == QNetworkReply::NoError && status >= 200 && status < 300) {
            finishAttempt(true, {});
            return;
        }
        // Never reply->errorString(): Qt puts the URL in it.
        const QString error =
            status > 0 ? QStringLiteral("HTTP %1").arg(status)
                       : QString::fromLatin1(QMetaEnum::fromType<QNetworkReply::NetworkError>()
                                                 .valueToKey(reply->error()));
        finishAttempt(false, error);
    });
}

void WebhookSender::finishAttempt(bool ok, const QString &error)
{
    m_busy = false;
    if (m_queue.isEmpty())
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (ok) {
        const Item done = m_queue.dequeue();
        ++m_status.delivered;
        m_status.lastDeliveredAtMs = now;
        emit delivered(done.secretName, done.what, done.attempts);
        startNext();
        return;
    }
    Item &head = m_queue.head();
    ++m_status.failedAttempts;
    m_status.lastError = QStringLiteral("receiver '%1': %2").arg(head.secretName, error);
    m_status.lastErrorAtMs = now;
    if (head.attempts >= m_options.maxAttempts) {
        const Item failed = m_queue.dequeue();
        ++m_status.givenUp;
        emit attemptFailed(failed.secretName, failed.what, failed.attempts, error, -1);
        emit givenUp(failed.secretName, failed.what, error);
        startNext();
        return;
    }
    qint64 backoff = m_options.initialBackoffMs;
    for (int i = 1; i < head.attempts && backoff < m_options.maxBackoffMs; ++i)
        backoff *= 2;
    backoff = qMin(backoff, m_options.maxBackoffMs);
    emit attemptFailed(head.secretName, head.what, head.attempts, error, backoff);
    m_retryTimer->start(int(backoff));
}

} // namespace drover
