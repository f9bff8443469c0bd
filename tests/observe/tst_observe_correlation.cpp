// A correlation id follows a job from the intake endpoint through dispatch to completion:
// the intake answers with it, the agent receives it as X-Correlation-Id, the job queue keeps it
// across a restart (and upgrades a version-1 queue file), and every JSON log line about the job
// carries it, with the intake's bearer token never in the log.
#include "core/dispatch/dispatcher.h"
#include "core/dispatch/job_queue.h"
#include "core/http/http_server.h"
#include "core/observe/json_log.h"
#include "core/secrets/secret_store.h"
#include "observe_test_support.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QUuid>
#include <QtTest>

using namespace drover;

namespace {

struct Received
{
    QByteArray correlationId;
    QString jobId;
};

// A stand-in agent: accepts every POST /jobs and remembers what came with it.
class FakeAgent
{
public:
    FakeAgent()
    {
        m_server.route("POST", "/jobs", [this](const HttpRequest &request, HttpResponder &responder) {
            received.append({request.header("X-Correlation-Id"),
                             QJsonDocument::fromJson(request.body).object().value(QStringLiteral("id")).toString()});
            responder.respond(HttpResponse::json(202, {{QStringLiteral("accepted"), true}}));
        });
        m_server.listen(0);
    }
    quint16 port() const { return m_server.port(); }
    QList<Received> received;

private:
    HttpServer m_server;
};

PoolStatus poolWith(const FakeAgent &agent)
{
    PoolStatus p;
    p.name = QStringLiteral("work");
    p.state = PoolState::Running;
    ReplicaStatus r;
    r.index = 0;
    r.pid = 100000;
    r.port = agent.port();
    r.state = ReplicaState::Ready;
    r.concurrentTasks = 4;
    p.replicas = {r};
    p.desired = p.ready = p.running = 1;
    return p;
}

QList<QJsonObject> logLines(const QString &path)
{
    QList<QJsonObject> out;
    QFile f(path);
    if (f.open(QIODevice::ReadOnly))
        for (const QByteArray &line : f.readAll().split('\n'))
            if (!line.isEmpty())
                out << QJsonDocument::fromJson(line).object();
    return out;
}

} // namespace

class TestObserveCorrelation : public QObject
{
    Q_OBJECT
private slots:
    void followsAJobFromIntakeToCompletion()
    {
        QTemporaryDir dir;
        JsonLogOptions logOptions;
        logOptions.path = dir.filePath(QStringLiteral("logs/drover.jsonl"));
        logOptions.alsoStderr = false;
        QString error;
        QVERIFY2(installJsonLog(logOptions, &error), qPrintable(error));
        const auto closeLog = qScopeGuard([] { uninstallJsonLog(); });

        FakeAgent agent;
        QVERIFY(agent.port() > 0);
        const QString service = QStringLiteral("Drover-test-") + QUuid::createUuid().toString(QUuid::Id128);
        DispatcherOptions o;
        o.queuePath = dir.filePath(QStringLiteral("queue.sqlite"));
        o.intake = true;
        o.intakeOptions.secretService = service;
        o.runLoops = false;
        Dispatcher d(o);
        DispatchPoolConfig pool;
        pool.pool = QStringLiteral("work");
        d.setPools({pool});
        QSignalSpy ready(&d, &Dispatcher::intakeReady);
        QSignalSpy failed(&d, &Dispatcher::intakeFailed);
        QSignalSpy delivered(&d, &Dispatcher::jobDelivered);
        QVERIFY(d.start(&error));
        QTRY_VERIFY_WITH_TIMEOUT(ready.count() + failed.count() > 0, 30000);
        QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));

        SecretStore secrets(service);
        QString token;
        bool done = false;
        secrets.read(QStringLiteral("dispatch-intake-token"), [&](bool ok, const QString &v, const QString &) {
            done = true;
            if (ok)
                token = v;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done, 30000);
        QCOMPARE(token.size(), 64);
        const auto removeToken = qScopeGuard([&] {
            bool removed = false;
            secrets.remove(QStringLiteral("dispatch-intake-token"), [&](bool, const QString &) { removed = true; });
            QTRY_VERIFY_WITH_TIMEOUT(removed, 30000);
        });

        QNetworkAccessManager nam;
        const auto post = [&](const QByteArray &correlationId) {
            QNetworkRequest r(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/pools/work/jobs").arg(d.intakePort())));
            r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
            r.setRawHeader("Authorization", "Bearer " + token.toUtf8());
            if (!correlationId.isNull())
                r.setRawHeader("X-Correlation-Id", correlationId);
            QNetworkReply *reply = nam.post(r, QByteArray(R"({"job": {"cpu_ms": 1}})"));
            QSignalSpy finished(reply, &QNetworkReply::finished);
            if (!reply->isFinished())
                finished.wait(30000);
            reply->deleteLater();
            return std::make_tuple(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                                   QJsonDocument::fromJson(reply->readAll()).object(),
                                   reply->rawHeader("X-Correlation-Id"));
        };

        // The caller's id is kept; without one the job's id is the correlation id.
        const auto [status, body, header] = post("req-7f3a.checkout:42");
        QCOMPARE(status, 202);
        QCOMPARE(body.value(QStringLiteral("correlation_id")).toString(), QStringLiteral("req-7f3a.checkout:42"));
        QCOMPARE(header, QByteArray("req-7f3a.checkout:42"));
        const QString jobId = body.value(QStringLiteral("id")).toString();
        const auto [status2, body2, unusedHeader] = post(QByteArray());
        Q_UNUSED(unusedHeader);
        QCOMPARE(status2, 202);
        QCOMPARE(body2.value(QStringLiteral("correlation_id")).toString(), body2.value(QStringLiteral("id")).toString());
        // An id that could smuggle text into headers or logs is refused.
        QCOMPARE(std::get<0>(post("bad id with spaces")), 400);

        // Dispatch: the agent receives the id as a header.
        d.updateStatus({poolWith(agent)});
        QTRY_COMPARE_WITH_TIMEOUT(delivered.count(), 2, 30000);
        QCOMPARE(agent.received.size(), 2);
        for (const Received &r : agent.received) {
            if (r.jobId == jobId)
                QCOMPARE(r.correlationId, QByteArray("req-7f3a.checkout:42"));
            else
                QCOMPARE(r.correlationId, r.jobId.toUtf8());
        }

        // The log: intake and completion lines carry the id, the pool and (once dispatched)
        // the replica; the bearer token appears nowhere.
        flushJsonLog();
        QStringList messages;
        for (const QJsonObject &line : logLines(logOptions.path)) {
            if (line.value(QStringLiteral("correlation_id")).toString() != QLatin1String("req-7f3a.checkout:42"))
                continue;
            QCOMPARE(line.value(QStringLiteral("logger")).toString(), QStringLiteral("drover.dispatch"));
            QCOMPARE(line.value(QStringLiteral("pool")).toString(), QStringLiteral("work"));
            messages << line.value(QStringLiteral("message")).toString();
        }
        QVERIFY2(messages.size() >= 2, qPrintable(messages.join(QLatin1Char('\n'))));
        QVERIFY2(messages.first().contains(QLatin1String("accepted at the intake")), qPrintable(messages.first()));
        QVERIFY2(messages.last().contains(QLatin1String("delivered")), qPrintable(messages.last()));
        QFile raw(logOptions.path);
        QVERIFY(raw.open(QIODevice::ReadOnly));
        QVERIFY(!raw.readAll().contains(token.toUtf8()));
        d.stop();
    }

    void queueKeepsTheIdAndUpgradesAnOldFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("v1.sqlite"));
        {
            // A queue file as version 1 wrote it: no correlation_id column, one job waiting.
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("v1"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral(
                "CREATE TABLE jobs(seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, pool TEXT NOT "
                "NULL, priority INTEGER NOT NULL, payload TEXT NOT NULL, session_key TEXT, loop TEXT, enqueued "
                "INTEGER NOT NULL, deadline INTEGER NOT NULL DEFAULT 0, not_before INTEGER NOT NULL DEFAULT 0, "
                "attempts INTEGER NOT NULL DEFAULT 0, avoid TEXT, last_error TEXT, leased INTEGER NOT NULL DEFAULT 0)")));
            QVERIFY(q.exec(QStringLiteral("INSERT INTO jobs(id, pool, priority, payload, enqueued) "
                                          "VALUES('old-job', 'work', 1, '{}', 1)")));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("v1"));

        JobQueue queue;
        QString error;
        QVERIFY2(queue.open(path, &error), qPrintable(error));
        const std::optional<QueuedJob> old = queue.take(QStringLiteral("work"), 10);
        QVERIFY(old);
        QCOMPARE(old->id, QStringLiteral("old-job"));
        QVERIFY(old->correlationId.isEmpty()); // written before correlation ids existed

        JobRequest request;
        request.pool = QStringLiteral("work");
        request.correlationId = QStringLiteral("trace-1");
        const std::optional<QueuedJob> queued = queue.enqueue(request, 20);
        QVERIFY(queued);
        QCOMPARE(queued->correlationId, QStringLiteral("trace-1"));
        queue.close();

        // Reopened (a restart): the id is still there, and in the dead letters too.
        JobQueue again;
        QVERIFY2(again.open(path, &error), qPrintable(error));
        const std::optional<QueuedJob> back = again.job(queued->id);
        QVERIFY(back);
        QCOMPARE(back->correlationId, QStringLiteral("trace-1"));
        QVERIFY(again.take(QStringLiteral("work"), 30));
        QVERIFY(again.reject(queued->id, QStringLiteral("refused by the agent"), 40));
        const QVector<DeadLetter> dead = again.deadLetters(QStringLiteral("work"));
        QCOMPARE(dead.size(), 1);
        QCOMPARE(dead.first().job.correlationId, QStringLiteral("trace-1"));
    }
};

QTEST_GUILESS_MAIN(TestObserveCorrelation)
#include "tst_observe_correlation.moc"
