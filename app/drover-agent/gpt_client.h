// One chat-completions call per GPT job, against $OPENAI_BASE_URL (Drover's gateway, or any
// OpenAI-compatible server). Asynchronous, in the agent's main thread.
#pragma once

#include <QObject>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;

namespace drover::agent {

struct GptResult
{
    bool ok = false;
    qint64 promptTokens = 0;
    qint64 completionTokens = 0;
    QString error; // never contains the API key
};

class GptClient : public QObject
{
    Q_OBJECT
public:
    GptClient(QUrl baseUrl, QByteArray apiKey, QString model, int timeoutMs,
              QObject *parent = nullptr);

    // `done` runs exactly once, later, in this object's thread.
    void complete(const QString &prompt, std::function<void(const GptResult &)> done);

    QUrl endpoint() const { return m_endpoint; }

private:
    QNetworkAccessManager *m_nam;
    QUrl m_endpoint;
    QByteArray m_apiKey;
    QString m_model;
    int m_timeoutMs;
};

// {base}/chat/completions, whether or not the base ends in a slash.
QUrl chatCompletionsUrl(const QUrl &base);

} // namespace drover::agent
