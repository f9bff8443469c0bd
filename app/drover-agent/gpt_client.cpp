#include "gpt_client.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>

namespace drover::agent {

namespace {

// Responses larger than this are not chat completions worth reading.
constexpr qint64 kMaxResponseBytes = 4 * 1024 * 1024;

bool isLoopback(const QUrl &url)
{
    const QString host = url.host();
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

} // namespace

QUrl chatCompletionsUrl(const QUrl &base)
{
    QUrl url = base;
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    url.setPath(path + QStringLiteral("/chat/completions"));
    return url;
}

GptClient::GptClient(QUrl baseUrl, QByteArray apiKey, QString model, int timeoutMs, QObject *parent)
    : QObject(parent),
      m_nam(new QNetworkAccessManager(this)),
      m_endpoint(chatCompletionsUrl(baseUrl)),
      m_apiKey(std::move(apiKey)),
      m_model(std::move(model)),
      m_timeoutMs(timeoutMs)
{
    // The gateway is on loopback; an http_proxy in the environment must not reroute it.
    if (isLoopback(m_endpoint))
        m_nam->setProxy(QNetworkProxy::NoProxy);
}

void GptClient::complete(const QString &prompt, std::function<void(const GptResult &)> done)
{
    QNetworkRequest request(m_endpoint);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    if (!m_apiKey.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_apiKey);
    request.setTransferTimeout(m_timeoutMs);

    QJsonObject message;
    message.insert(QStringLiteral("role"), QStringLiteral("user"));
    message.insert(QStringLiteral("content"), prompt);
    QJsonObject body;
    body.insert(QStringLiteral("model"), m_model);
    body.insert(QStringLiteral("messages"), QJsonArray{message});

    QNetworkReply *reply =
        m_nam->post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
    connect(reply, &QNetworkReply::downloadProgress, reply, [reply](qint64 received, qint64) {
        if (received > kMaxResponseBytes)
            reply->abort();
    });
    connect(reply, &QNetworkReply::finished, this, [reply, done = std::move(done)] {
        reply->deleteLater();
        GptResult result;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->error() != QNetworkReply::NoError) {
            result.error = status ? QStringLiteral("HTTP %1").arg(status) : reply->errorString();
            done(result);
            return;
        }
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(reply->readAll(), &parseError);
        if (!doc.isObject()) {
            result.error = QStringLiteral("response is not a JSON object");
            done(result);
            return;
        }
        // A response without usage still succeeded; it just cannot be attributed tokens.
        const QJsonObject usage = doc.object().value(QStringLiteral("usage")).toObject();
        result.ok = true;
        result.promptTokens = usage.value(QStringLiteral("prompt_tokens")).toInteger();
        result.completionTokens = usage.value(QStringLiteral("completion_tokens")).toInteger();
        done(result);
    });
}

} // namespace drover::agent
