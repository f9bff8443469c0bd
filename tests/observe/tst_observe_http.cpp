// ObserveHost over real loopback HTTP in its own thread: /health/* before and after the first
// snapshot, /metrics with the right content type, a stale engine turning /health/ready to 503,
// and `promtool check metrics` (the Prometheus project's own linter) passing on the real page.
#include "core/observe/observe_host.h"
#include "observe_test_support.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

using namespace drover;
using namespace drover::test;

namespace {

Snapshot snapshotAt(quint64 sequence, qint64 publishedAtMs)
{
    Snapshot s;
    s.sequence = sequence;
    s.ticks = sequence;
    s.lastTickSeconds = 0.002;
    s.publishedAtMs = publishedAtMs;
    s.tickIntervalMs = 1000;
    s.cpuValid = true;
    s.cpuPercent = 10;
    s.memoryTotalBytes = 1000;
    s.memoryUsedBytes = 500;
    PoolStatus p;
    p.name = QStringLiteral("mail \"eu\"");
    p.state = PoolState::Running;
    p.tier = QStringLiteral("basic");
    p.desired = 1;
    ReplicaStatus r;
    r.pid = 4242;
    r.state = ReplicaState::Ready;
    r.cpuValid = true;
    r.cpuPercent = 3;
    r.metricsValid = true;
    r.queueDepth = 2;
    r.promptTokensTotal = 12;
    r.completionTokensTotal = 3;
    p.replicas = {r};
    s.pools = {p};
    ScalingRecord d;
    d.pool = p.name;
    d.decision.atMs = publishedAtMs;
    d.decision.currentReplicas = 1;
    d.decision.finalReplicas = 1;
    d.decision.driver = QStringLiteral("none");
    s.scalingDecisions = {d};
    AlertView a;
    a.state = QStringLiteral("firing");
    a.severity = QStringLiteral("warning");
    s.activeAlerts = {a};
    return s;
}

QJsonObject jsonOf(const HttpResult &r)
{
    return QJsonDocument::fromJson(r.body).object();
}

} // namespace

class TestObserveHttp : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { qRegisterMetaType<Snapshot>(); }

    void servesHealthAndMetrics()
    {
        ObserveOptions o;
        o.port = 0;
        o.staleAfterMs = 3000;
        ObserveHost host(o);
        QSignalSpy listening(&host, &ObserveHost::listening);
        host.start();
        QVERIFY(listening.wait(30000));
        const quint16 port = listening.first().first().value<quint16>();
        QVERIFY(port > 0);
        QCOMPARE(host.port(), port);
        const QString base = QStringLiteral("http://127.0.0.1:%1").arg(port);
        QNetworkAccessManager nam;

        HttpResult live = httpGet(nam, QUrl(base + QStringLiteral("/health/live")));
        QCOMPARE(live.status, 200);
        HttpResult ready = httpGet(nam, QUrl(base + QStringLiteral("/health/ready")));
        QCOMPARE(ready.status, 503);
        QVERIFY2(jsonOf(ready).value(QStringLiteral("reason")).toString().contains(QLatin1String("not published")),
                 ready.body.constData());

        host.applySnapshot(snapshotAt(1, QDateTime::currentMSecsSinceEpoch()));
        // The snapshot travels to the observe thread by a queued call: poll until it shows.
        QTRY_COMPARE_WITH_TIMEOUT(httpGet(nam, QUrl(base + QStringLiteral("/health/ready"))).status, 200, 30000);

        const HttpResult metrics = httpGet(nam, QUrl(base + QStringLiteral("/metrics")));
        QCOMPARE(metrics.status, 200);
        QVERIFY2(metrics.contentType.startsWith("text/plain; version=0.0.4"), metrics.contentType.constData());
        QVERIFY(metrics.body.contains("drover_snapshot_sequence 1\n"));
        QVERIFY(metrics.body.contains("drover_replicas{pool=\"mail \\\"eu\\\"\",state=\"ready\"} 1\n"));

        host.reportComponent(QStringLiteral("gateway"), HealthStatus::Ok, QStringLiteral("listening"));
        QTRY_VERIFY_WITH_TIMEOUT(jsonOf(httpGet(nam, QUrl(base + QStringLiteral("/health/detailed"))))
                                         .value(QStringLiteral("components")).toObject()
                                         .value(QStringLiteral("gateway")).toObject()
                                         .value(QStringLiteral("status")).toString() == QLatin1String("ok"),
                                 30000);
        const QJsonObject detailed = jsonOf(httpGet(nam, QUrl(base + QStringLiteral("/health/detailed"))));
        // Unknown components (no store, no keychain use yet) do not degrade the whole.
        QCOMPARE(detailed.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        for (const char *name : {"engine", "store", "supervisor", "gateway", "keychain"})
            QVERIFY2(detailed.value(QStringLiteral("components")).toObject().contains(QLatin1String(name)), name);

        // Wrong method and unknown path are refused cleanly.
        QCOMPARE(httpGet(nam, QUrl(base + QStringLiteral("/nope"))).status, 404);

        // An engine that stops publishing goes stale: /health/ready says so with 503.
        host.applySnapshot(snapshotAt(2, QDateTime::currentMSecsSinceEpoch() - 60'000));
        QTRY_COMPARE_WITH_TIMEOUT(httpGet(nam, QUrl(base + QStringLiteral("/health/ready"))).status, 503, 30000);
        const HttpResult stale = httpGet(nam, QUrl(base + QStringLiteral("/health/ready")));
        QVERIFY2(jsonOf(stale).value(QStringLiteral("reason")).toString().contains(QLatin1String("not ticking")),
                 stale.body.constData());
        QCOMPARE(httpGet(nam, QUrl(base + QStringLiteral("/health"))).status, 503);

        host.setEngineStopped(true);
        QTRY_VERIFY_WITH_TIMEOUT(jsonOf(httpGet(nam, QUrl(base + QStringLiteral("/health/ready"))))
                                     .value(QStringLiteral("reason")).toString().contains(QLatin1String("stopped")),
                                 30000);
        host.stop();
        QCOMPARE(host.port(), quint16(0));
    }

    void promtoolAcceptsThePage()
    {
        QString why;
        const QString promtool = requiredTool(QStringLiteral("promtool"), &why);
        if (promtool.isEmpty())
            QFAIL(qPrintable(why));

        ObserveOptions o;
        o.port = 0;
        ObserveHost host(o);
        QSignalSpy listening(&host, &ObserveHost::listening);
        host.start();
        QVERIFY(listening.wait(30000));
        const QString url = QStringLiteral("http://127.0.0.1:%1/metrics").arg(host.port());
        QNetworkAccessManager nam;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (quint64 i = 1; i <= 3; ++i)
            host.applySnapshot(snapshotAt(i, now + qint64(i)));
        QTRY_VERIFY_WITH_TIMEOUT(httpGet(nam, QUrl(url)).body.contains("drover_snapshot_sequence 3\n"), 30000);
        const HttpResult page = httpGet(nam, QUrl(url));
        QCOMPARE(page.status, 200);

        QProcess p;
        p.start(promtool, {QStringLiteral("check"), QStringLiteral("metrics")});
        QVERIFY2(p.waitForStarted(30000), qPrintable(p.errorString()));
        p.write(page.body);
        p.closeWriteChannel();
        QVERIFY(p.waitForFinished(60000));
        const QByteArray output = p.readAllStandardOutput() + p.readAllStandardError();
        QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0,
                 (output + "\n---\n" + page.body).constData());
        // promtool prints lint findings even when they do not fail the run; there must be none.
        QVERIFY2(output.trimmed().isEmpty(), output.constData());
    }
};

QTEST_GUILESS_MAIN(TestObserveHttp)
#include "tst_observe_http.moc"
