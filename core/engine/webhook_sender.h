// The webhook notification channel: Slack-compatible JSON POSTs of the notifications the
// policy decided (core/detect decides, this only delivers).
//
// Lives in the engine thread and never blocks it: the URL is read from the OS keychain by an
// asynchronous QtKeychain job at each attempt (so a rotated URL is picked up, and the URL is
// never kept in the configuration), the POST goes through QNetworkAccessManager, and a failed
// delivery is retried with exponential backoff. The queue is bounded: when it is full the
// oldest waiting notification is dropped (a backlog of stale alerts helps nobody) and counted.
// Deliveries go one at a time so a receiver sees the notifications in order.
//
// The URL is a secret (Slack's webhook URLs are bearer credentials): no message, signal or
// status of this class contains it; errors name the keychain entry and the HTTP status only.
#pragma once

#include "snapshot.h"

#include <QByteArray>
#include <QObject>
#include <QQueue>
#include <QString>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

namespace drover {

class SecretStore;

struct WebhookOptions
{
    QString secretService = QStringLiteral("Drover");
    int maxQueued = 100;             // waiting notifications beyond the one in flight
    int maxAttempts = 6;             // first try and retries; then the notification is given up
    qint64 initialBackoffMs = 2000;  // doubled after each failure ...
    qint64 maxBackoffMs = 5 * 60 * 1000; // ... up to this
    int requestTimeoutMs = 15000;    // a receiver that does not answer counts as a failure
};

// {"text": "*[FIRING:2] HighCpu (pool=mail)*\n...", "username": "Drover", ...}: Slack's incoming
// webhook shape; Mattermost, Rocket.Chat and Discord's /slack endpoint accept it too.
QByteArray slackWebhookPayload(const NotificationView &notification);

class WebhookSender : public QObject
{
    Q_OBJECT
public:
    explicit WebhookSender(WebhookOptions options = {}, QObject *parent = nullptr);
    ~WebhookSender() override;

    // Queues one POST of `payload` to the URL held in the keychain entry `secretName`.
    // `what` names the notification in signals and errors ("[FIRING:1] HighCpu").
    void send(const QString &secretName, const QByteArray &payload, const QString &what);

    WebhookStatus status() const;

signals:
    void delivered(const QString &secretName, const QString &what, int attempts);
    // One attempt failed; the next one follows after `retryInMs` (-1: none, given up).
    void attemptFailed(const QString &secretName, const QString &what, int attempt,
                       const QString &error, qint64 retryInMs);
    void givenUp(const QString &secretName, const QString &what, const QString &error);
    void dropped(const QString &secretName, const QString &what);

private:
    struct Item
    {
        QString secretName;
        QByteArray payload;
        QString what;
        int attempts = 0;
    };

    void startNext();
    void post(const QString &url);
    void finishAttempt(bool ok, const QString &error);

    WebhookOptions m_options;
    SecretStore *m_secrets = nullptr;
    QNetworkAccessManager *m_network = nullptr;
    QTimer *m_retryTimer = nullptr;
    QQueue<Item> m_queue; // the head is in flight (or waiting for its retry)
    bool m_busy = false;  // a keychain read or POST for the head is running
    QNetworkReply *m_reply = nullptr;
    WebhookStatus m_status;
};

} // namespace drover
