// The webhook channel against a real HTTP server on 127.0.0.1 and the real keychain (the suite
// runs under tests/run_with_keyring.sh): retries with backoff, giving up, the bounded queue,
// and the URL never appearing in what the sender reports.
#include "core/engine/snapshot.h"
#include "core/engine/webhook_sender.h"
#include "core/http/http_server.h"
#include "core/secrets/secret_store.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QUuid>
#include <QtTest>

using namespace drover;

namespace {

const QString kService = QStringLiteral("Drover-test");

struct Received
{
    QByteArray body;
    QByteArray contentType;
};

NotificationView sampleNotification()
{
    NotificationView n;
    n.id = 7;
    n.channel = QStringLiteral("webhook");
    n.route = QStringLiteral("ops");
    n.groupKey = QStringLiteral("ops{alertname=\"HighCpu\"}");
    n.title = QStringLiteral("[FIRING:1] HighCpu (pool=mail)");
    n.body = QStringLiteral("HighCpu pool=mail: CPU 97 % for 2m");
    n.firingCount = 1;
    n.fingerprints = {QStringLiteral("abc123")};
    n.atMs = 1700000000000;
    return n;
}

} // namespace

class TestWebhookSender : public QObject
{
    Q_OBJECT

    QStringList m_entries; // keychain entries written by this test, removed at the end

    QString writeEntry(const QString &value)
    {
        const QString name = QStringLiteral("webhook-") + QUuid::createUuid().toString(QUuid::Id128);
        SecretStore store(kService);
        bool done = false, ok = false;
        QString error;
        store.write(name, value, [&](bool o, const QString &e) { done = true; ok = o; error = e; });
        [&] { QTRY_VERIFY_WITH_TIMEOUT(done, 15000); }();
        if (!ok)
            qFatal("keychain write failed: %s", qPrintable(error));
        m_entries << name;
        return name;
    }

    static WebhookOptions fastOptions()
    {
        WebhookOptions o;
        o.secretService = kService;
        o.initialBackoffMs = 100;
        o.maxBackoffMs = 1000;
        o.requestTimeoutMs = 20000;
        return o;
    }

private slots:
    void cleanupTestCase()
    {
        SecretStore store(kService);
        int pending = int(m_entries.size());
        for (const QString &name : std::as_const(m_entries))
            store.remove(name, [&](bool, const QString &) { --pending; });
        QTRY_COMPARE_WITH_TIMEOUT(pending, 0, 15000);
    }

    void payloadIsSlackCompatible()
    {
        const QJsonObject o = QJsonDocument::fromJson(slackWebhookPayload(sampleNotification())).object();
        QCOMPARE(o.value(QStringLiteral("text")).toString(),
                 QStringLiteral("*[FIRING:1] HighCpu (pool=mail)*\nHighCpu pool=mail: CPU 97 % for 2m"));
        QCOMPARE(o.value(QStringLiteral("username")).toString(), QStringLiteral("Drover"));
        const QJsonObject d = o.value(QStringLiteral("drover")).toObject();
        QCOMPARE(d.value(QStringLiteral("status")).toString(), QStringLiteral("firing"));
        QCOMPARE(d.value(QStringLiteral("route")).toString(), QStringLiteral("ops"));
        QCOMPARE(d.value(QStringLiteral("firing")).toInt(), 1);

        NotificationView resolved = sampleNotification();
        resolved.resolved = true;
        const QJsonObject r = QJsonDocument::fromJson(slackWebhookPayload(resolved)).object();
        QCOMPARE(r.value(QStringLiteral("drover")).toObject().value(QStringLiteral("status")).toString(),
                 QStringLiteral("resolved"));
    }

    // The receiver fails twice, then accepts: three POSTs of the same payload, backoff doubling,
    // one delivery; the errors name the receiver and the status, never the URL.
    void retriesWithBackoffUntilAccepted()
    {
        HttpServer server;
        QList<Received> received;
        server.route("POST", "/services/T000/B000/secret-token", [&](const HttpRequest &q, HttpResponder &r) {
            received.append({q.body, q.header("Content-Type")});
            r.respond(received.size() <= 2 ? HttpResponse::error(500, "down")
                                           : HttpResponse::text(200, "ok"));
        });
        QVERIFY(server.listen());
        const QString url = QStringLiteral("http://127.0.0.1:%1/services/T000/B000/secret-token")
                                .arg(server.port());
        const QString entry = writeEntry(url);

        WebhookSender sender(fastOptions());
        QSignalSpy delivered(&sender, &WebhookSender::delivered);
        QSignalSpy failed(&sender, &WebhookSender::attemptFailed);
        QSignalSpy givenUp(&sender, &WebhookSender::givenUp);
        const QByteArray payload = slackWebhookPayload(sampleNotification());
        sender.send(entry, payload, QStringLiteral("[FIRING:1] HighCpu"));
        QCOMPARE(sender.status().queued, 1);

        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 1, 30000);
        QCOMPARE(received.size(), 3);
        for (const Received &r : std::as_const(received)) {
            QCOMPARE(r.body, payload);
            QCOMPARE(r.contentType, QByteArray("application/json"));
        }
        QCOMPARE(delivered.at(0).at(2).toInt(), 3); // attempts
        QCOMPARE(failed.size(), 2);
        QCOMPARE(failed.at(0).at(2).toInt(), 1);
        QCOMPARE(failed.at(0).at(3).toString(), QStringLiteral("HTTP 500"));
        QCOMPARE(failed.at(0).at(4).toLongLong(), 100LL); // retry in
        QCOMPARE(failed.at(1).at(4).toLongLong(), 200LL); // doubled
        QCOMPARE(givenUp.size(), 0);

        const WebhookStatus s = sender.status();
        QCOMPARE(s.queued, 0);
        QCOMPARE(s.delivered, quint64(1));
        QCOMPARE(s.failedAttempts, quint64(2));
        QCOMPARE(s.lastError, QStringLiteral("receiver '%1': HTTP 500").arg(entry));
        QVERIFY(s.lastDeliveredAtMs > 0);
        for (const QList<QVariant> &args : std::as_const(failed)) {
            for (const QVariant &v : args)
                QVERIFY(!v.toString().contains(QStringLiteral("secret-token")));
        }
    }

    void givesUpAfterMaxAttempts()
    {
        HttpServer server;
        int requests = 0;
        server.route("POST", "/hook", [&](const HttpRequest &, HttpResponder &r) {
            ++requests;
            r.respond(HttpResponse::error(503, "busy"));
        });
        QVERIFY(server.listen());
        const QString entry = writeEntry(QStringLiteral("http://127.0.0.1:%1/hook").arg(server.port()));

        WebhookOptions o = fastOptions();
        o.maxAttempts = 3;
        WebhookSender sender(o);
        QSignalSpy failed(&sender, &WebhookSender::attemptFailed);
        QSignalSpy givenUp(&sender, &WebhookSender::givenUp);
        sender.send(entry, "{}", QStringLiteral("n1"));
        QTRY_COMPARE_WITH_TIMEOUT(givenUp.size(), 1, 30000);
        QCOMPARE(requests, 3);
        QCOMPARE(failed.size(), 3);
        QCOMPARE(failed.at(2).at(4).toLongLong(), -1LL); // no further retry
        QCOMPARE(givenUp.at(0).at(2).toString(), QStringLiteral("HTTP 503"));
        QCOMPARE(sender.status().givenUp, quint64(1));
        QCOMPARE(sender.status().queued, 0);
    }

    // No entry in the keychain, or one that is not a URL: no request, a clear error that does
    // not repeat the entry's value.
    void unusableKeychainEntry()
    {
        WebhookOptions o = fastOptions();
        o.maxAttempts = 2;
        WebhookSender sender(o);
        QSignalSpy givenUp(&sender, &WebhookSender::givenUp);
        const QString missing = QStringLiteral("webhook-missing-") + QUuid::createUuid().toString(QUuid::Id128);
        sender.send(missing, "{}", QStringLiteral("n1"));
        QTRY_COMPARE_WITH_TIMEOUT(givenUp.size(), 1, 30000);
        QVERIFY2(givenUp.at(0).at(2).toString().startsWith(
                     QStringLiteral("keychain entry '%1' could not be read").arg(missing)),
                 qPrintable(givenUp.at(0).at(2).toString()));

        const QString notUrl = writeEntry(QStringLiteral("hooks-slack-T0-not-a-url"));
        sender.send(notUrl, "{}", QStringLiteral("n2"));
        QTRY_COMPARE_WITH_TIMEOUT(givenUp.size(), 2, 30000);
        const QString error = givenUp.at(1).at(2).toString();
        QCOMPARE(error, QStringLiteral("keychain entry '%1' does not hold an http(s) URL").arg(notUrl));
        QVERIFY(!sender.status().lastError.contains(QStringLiteral("not-a-url")));
    }

    // While one POST is in flight, at most maxQueued wait; the oldest waiting are dropped and
    // the rest go out in order.
    void boundedQueueDropsOldestWaiting()
    {
        HttpServer server;
        QList<HttpResponder> held;
        QList<QByteArray> bodies;
        server.route("POST", "/hook", [&](const HttpRequest &q, HttpResponder &r) {
            bodies.append(q.body);
            held.append(r);
        });
        QVERIFY(server.listen());
        const QString entry = writeEntry(QStringLiteral("http://127.0.0.1:%1/hook").arg(server.port()));

        WebhookOptions o = fastOptions();
        o.maxQueued = 2;
        WebhookSender sender(o);
        QSignalSpy delivered(&sender, &WebhookSender::delivered);
        QSignalSpy dropped(&sender, &WebhookSender::dropped);
        for (int i = 1; i <= 5; ++i)
            sender.send(entry, QByteArray::number(i), QStringLiteral("n%1").arg(i));
        QCOMPARE(dropped.size(), 2);
        QCOMPARE(dropped.at(0).at(1).toString(), QStringLiteral("n2"));
        QCOMPARE(dropped.at(1).at(1).toString(), QStringLiteral("n3"));
        QCOMPARE(sender.status().queued, 3);
        QCOMPARE(sender.status().dropped, quint64(2));

        // Answer each POST as it arrives: one at a time, in order.
        for (int answered = 0; answered < 3; ++answered) {
            QTRY_COMPARE_WITH_TIMEOUT(held.size(), answered + 1, 30000);
            QCOMPARE(held.size(), answered + 1); // never two in flight
            held.last().respond(HttpResponse::text(204, ""));
            QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), answered + 1, 30000);
        }
        QCOMPARE(bodies, (QList<QByteArray>{"1", "4", "5"}));
        QCOMPARE(delivered.at(1).at(1).toString(), QStringLiteral("n4"));
        QCOMPARE(sender.status().queued, 0);
    }
};

QTEST_GUILESS_MAIN(TestWebhookSender)
#include "tst_webhook_sender.moc"
