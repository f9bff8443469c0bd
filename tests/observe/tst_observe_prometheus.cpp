// A real Prometheus server scrapes a real ObserveHost fed by a real Engine supervising a real
// drover-agent pool. The test asks Prometheus (its HTTP query API) whether Drover's series
// arrived with the right types, then stops Prometheus. Prometheus must be installed (Debian
// package `prometheus`, in scripts/packages.txt): without it the test fails, it never skips.
#include "core/config/config.h"
#include "core/engine/engine.h"
#include "core/observe/observe_host.h"
#include "observe_test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QUrlQuery>
#include <QtTest>

using namespace drover;
using namespace drover::test;

namespace {

const QByteArray kAgent = DROVER_AGENT_EXE;

const QByteArray kConfig = "version: 1\n"
                           "tiers:\n"
                           "  work: { cpu_cores: 0.5, memory_mb: 0, concurrent_tasks: 1 }\n"
                           "pools:\n"
                           "  - name: obs\n"
                           "    command: AGENT\n"
                           "    replicas: { min: 1, max: 2, initial: 1 }\n"
                           "    tier: work\n"
                           "    stop_timeout: 5s\n"
                           "    scrape_interval: 500ms\n"
                           "    health: { interval: 500ms, timeout: 2s, failure_threshold: 3 }\n";

quint16 freeLoopbackPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort(); // closed on return; Prometheus binds it next
}

// The result vector of an instant query, or an empty array (with `error`) when the query failed.
QJsonArray query(QNetworkAccessManager &nam, quint16 port, const QString &promql, QString *error)
{
    QUrl url(QStringLiteral("http://127.0.0.1:%1/api/v1/query").arg(port));
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("query"), promql);
    url.setQuery(q);
    const HttpResult r = httpGet(nam, url);
    const QJsonObject o = QJsonDocument::fromJson(r.body).object();
    if (r.status != 200 || o.value(QStringLiteral("status")).toString() != QLatin1String("success")) {
        *error = QStringLiteral("HTTP %1 %2: %3").arg(r.status).arg(r.error, QString::fromUtf8(r.body));
        return {};
    }
    return o.value(QStringLiteral("data")).toObject().value(QStringLiteral("result")).toArray();
}

double sampleValue(const QJsonValue &v)
{
    return v.toObject().value(QStringLiteral("value")).toArray().at(1).toString().toDouble();
}

} // namespace

class TestObservePrometheus : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { qRegisterMetaType<Snapshot>(); }

    void prometheusScrapesDroverSeries()
    {
        QString why;
        const QString prometheus = requiredTool(QStringLiteral("prometheus"), &why);
        if (prometheus.isEmpty())
            QFAIL(qPrintable(why));

        QTemporaryDir dir;
        QVERIFY(dir.isValid());

        // Drover: an engine with one agent pool, its snapshots feeding the observe host.
        const QString configPath = dir.filePath(QStringLiteral("drover.yaml"));
        {
            QFile f(configPath);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(kConfig).replace("AGENT", kAgent));
        }
        const ConfigLoadResult config = loadConfigFile(configPath);
        QVERIFY2(!config.hasErrors(), config.issues.isEmpty() ? "" : qPrintable(config.issues.first().toString()));
        EngineOptions eo;
        eo.tickIntervalMs = 500;
        eo.storePath = dir.filePath(QStringLiteral("drover.sqlite"));
        eo.logDir = dir.filePath(QStringLiteral("logs"));
        eo.secretService = QStringLiteral("Drover-test");
        EngineHost engine(config, eo);
        ObserveOptions oo;
        oo.port = 0;
        ObserveHost observe(oo);
        connect(&engine, &EngineHost::snapshotPublished, &observe, &ObserveHost::applySnapshot);
        QSignalSpy listening(&observe, &ObserveHost::listening);
        observe.start();
        QVERIFY(listening.wait(30000));
        engine.start();

        // Prometheus: temp config and storage, loopback only, a 1 s scrape of Drover.
        const quint16 promPort = freeLoopbackPort();
        QVERIFY(promPort > 0);
        const QString promConfig = dir.filePath(QStringLiteral("prometheus.yml"));
        {
            QFile f(promConfig);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QStringLiteral("global:\n"
                                   "  scrape_interval: 1s\n"
                                   "  scrape_timeout: 1s\n"
                                   "  evaluation_interval: 1s\n"
                                   "scrape_configs:\n"
                                   "  - job_name: drover\n"
                                   "    static_configs:\n"
                                   "      - targets: ['127.0.0.1:%1']\n")
                        .arg(observe.port())
                        .toUtf8());
        }
        QProcess server;
        server.setProcessChannelMode(QProcess::MergedChannels);
        server.start(prometheus,
                     {QStringLiteral("--config.file=") + promConfig,
                      QStringLiteral("--storage.tsdb.path=") + dir.filePath(QStringLiteral("tsdb")),
                      QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(promPort),
                      QStringLiteral("--log.level=warn")});
        QVERIFY2(server.waitForStarted(30000), qPrintable(server.errorString()));
        // Whatever happens below, Prometheus does not outlive the test.
        const auto stopServer = qScopeGuard([&server] {
            if (server.state() == QProcess::NotRunning)
                return;
            server.terminate();
            if (!server.waitForFinished(30000)) {
                server.kill();
                server.waitForFinished(10000);
            }
        });

        QNetworkAccessManager nam;
        const QUrl readyUrl(QStringLiteral("http://127.0.0.1:%1/-/ready").arg(promPort));
        QTRY_VERIFY2_WITH_TIMEOUT(server.state() == QProcess::Running && httpGet(nam, readyUrl, 5000).status == 200,
                                  qPrintable(QStringLiteral("Prometheus is not ready: ") +
                                             QString::fromUtf8(server.readAll())),
                                  90000);

        // The scrape target is up and the engine's snapshots arrived (sequence > 0).
        QString error;
        QTRY_VERIFY2_WITH_TIMEOUT(
            [&] {
                const QJsonArray up = query(nam, promPort, QStringLiteral("up{job=\"drover\"}"), &error);
                const QJsonArray seq = query(nam, promPort, QStringLiteral("drover_snapshot_sequence"), &error);
                return up.size() == 1 && sampleValue(up.at(0)) == 1 && seq.size() == 1 && sampleValue(seq.at(0)) > 0;
            }(),
            qPrintable(QStringLiteral("no drover series in Prometheus: ") + error), 120000);

        // The pool's replicas, by state, once the agent is ready.
        QTRY_VERIFY2_WITH_TIMEOUT(
            [&] {
                const QJsonArray ready = query(nam, promPort,
                                               QStringLiteral("drover_replicas{pool=\"obs\",state=\"ready\"}"), &error);
                return ready.size() == 1 && sampleValue(ready.at(0)) == 1;
            }(),
            qPrintable(QStringLiteral("drover_replicas{pool=\"obs\",state=\"ready\"} never read 1: ") + error), 120000);

        // Histograms and counters are usable as such: histogram_quantile and rate answer.
        QTRY_VERIFY2_WITH_TIMEOUT(
            !query(nam, promPort,
                   QStringLiteral("histogram_quantile(0.9, rate(drover_engine_tick_seconds_bucket[10s]))"), &error)
                 .isEmpty(),
            qPrintable(error), 60000);
        const QJsonArray desired = query(nam, promPort, QStringLiteral("drover_pool_desired_replicas"), &error);
        QCOMPARE(desired.size(), 1);
        QCOMPARE(desired.at(0).toObject().value(QStringLiteral("metric")).toObject()
                     .value(QStringLiteral("pool")).toString(),
                 QStringLiteral("obs"));

        // Prometheus read the TYPE lines: the metadata API reports them.
        QUrl metaUrl(QStringLiteral("http://127.0.0.1:%1/api/v1/metadata").arg(promPort));
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const QJsonObject data = QJsonDocument::fromJson(httpGet(nam, metaUrl).body)
                                             .object().value(QStringLiteral("data")).toObject();
                const auto typeOf = [&data](const char *name) {
                    return data.value(QLatin1String(name)).toArray().at(0).toObject()
                        .value(QStringLiteral("type")).toString();
                };
                return typeOf("drover_engine_tick_seconds") == QLatin1String("histogram") &&
                       typeOf("drover_replicas") == QLatin1String("gauge") &&
                       typeOf("drover_snapshots_received_total") == QLatin1String("counter");
            }(),
            60000);

        engine.stop();
        observe.stop();
    }
};

QTEST_GUILESS_MAIN(TestObservePrometheus)
#include "tst_observe_prometheus.moc"
