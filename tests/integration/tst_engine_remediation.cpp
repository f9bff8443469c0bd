// Engine::applyRemediation on its success path, with the real engine and a real drover-agent
// pool: jobs posted faster than the pool's one worker runs them make its queue grow, the
// bottleneck detector (windows shortened for the test) reports queue_backlog with a scale-out
// remediation, and the operator applies it: the pool scales out, the count holds as the
// operator's (manual), and a remediation event says what was done.
#include "core/config/config.h"
#include "core/detect/bottleneck_detector.h"
#include "core/engine/engine.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

using namespace drover;

namespace {

// One worker per replica, autoscaling off: only the remediation changes the count.
const QByteArray kConfig = "version: 1\n"
                           "tiers:\n"
                           "  one: { cpu_cores: 0.5, memory_mb: 0, concurrent_tasks: 1 }\n"
                           "pools:\n"
                           "  - name: p\n"
                           "    command: AGENT\n"
                           "    replicas: { min: 1, max: 3, initial: 1 }\n"
                           "    tier: one\n"
                           "    stop_timeout: 3s\n"
                           "    scrape_interval: 250ms\n"
                           "    health: { interval: 300ms, timeout: 1s, failure_threshold: 2 }\n"
                           "    autoscale: { enabled: false }\n";

} // namespace

class TestEngineRemediation : public QObject
{
    Q_OBJECT
private slots:
    void operatorAppliesAScaleOut()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("drover.yaml"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(kConfig).replace("AGENT", DROVER_AGENT_EXE));
        }
        EngineOptions o;
        o.tickIntervalMs = 500;
        o.storePath = dir.filePath(QStringLiteral("drover.sqlite"));
        o.logDir = dir.filePath(QStringLiteral("logs"));
        o.secretService = QStringLiteral("Drover-test");
        o.bottleneckTuning = [](BottleneckTuning &t) {
            t.queueWindowMs = 8000; // halves of 4 s instead of 60 s
            t.queueMinDepth = 2;
            t.queueDepthHigh = 6;
            // The test machine's own load must not turn the remedy into "free the host first".
            t.hostCpuSaturated = 1000;
        };
        EngineHost host(loadConfigFile(path), o);
        Snapshot last;
        QStringList refusals;
        QObject::connect(&host, &EngineHost::snapshotPublished, &host,
                         [&](const Snapshot &s) { last = s; });
        QObject::connect(&host, &EngineHost::commandRefused, &host,
                         [&](const QString &m) { refusals << m; });
        host.start();
        const auto pool = [&]() -> const PoolStatus * {
            for (const PoolStatus &p : last.pools)
                if (p.name == QLatin1String("p"))
                    return &p;
            return nullptr;
        };
        QTRY_VERIFY_WITH_TIMEOUT(pool() && pool()->ready == 1, 30000);
        // A quiet first half-window: the queue series is there, at zero.
        const quint64 quietFrom = last.sequence;
        QTRY_VERIFY_WITH_TIMEOUT(last.sequence >= quietFrom + 10, 15000);

        // Ten jobs a second of 300 ms CPU each into a pool that runs about three a second.
        const int port = pool()->replicas.first().port;
        QNetworkAccessManager network;
        QTimer feeder;
        int posted = 0;
        QObject::connect(&feeder, &QTimer::timeout, &network, [&] {
            QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/jobs").arg(port)));
            request.setHeader(QNetworkRequest::ContentTypeHeader,
                              QStringLiteral("application/json"));
            QNetworkReply *reply = network.post(request, QByteArray("{\"cpu_ms\":300}"));
            QObject::connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
            ++posted;
        });
        feeder.start(100);

        const auto finding = [&]() -> const BottleneckView * {
            for (const BottleneckView &b : last.bottlenecks)
                if (b.signature == QLatin1String("queue_backlog") && b.pool == QLatin1String("p"))
                    return &b;
            return nullptr;
        };
        QTRY_VERIFY_WITH_TIMEOUT(finding(), 30000);
        QCOMPARE(finding()->remediationKind, QStringLiteral("scale_out"));
        const int target = finding()->targetReplicas;
        QVERIFY2(target == 2 || target == 3, qPrintable(QString::number(target)));
        QCOMPARE(pool()->desired, 1);

        host.applyRemediation(QStringLiteral("queue_backlog"), QStringLiteral("p"));
        QTRY_COMPARE_WITH_TIMEOUT(pool()->desired, target, 15000);
        feeder.stop();
        QVERIFY2(refusals.isEmpty(), qPrintable(refusals.join(QLatin1Char('\n'))));
        QTRY_COMPARE_WITH_TIMEOUT(pool()->ready, target, 30000);

        // The operator's event, and the count held as the operator's against the autoscaler.
        bool recorded = false;
        for (const SupervisorEvent &e : std::as_const(last.recentEvents))
            recorded =
                recorded ||
                (e.kind == QLatin1String("remediation") && e.pool == QLatin1String("p") &&
                 e.from == QLatin1String("queue_backlog") && e.to == QLatin1String("scale_out") &&
                 e.reason.startsWith(QStringLiteral("operator remediation of queue_backlog")));
        QVERIFY(recorded);
        int manual = -2;
        for (const PoolAutoscaling &a : std::as_const(last.autoscaling))
            if (a.pool == QLatin1String("p"))
                manual = a.manualReplicas;
        QCOMPARE(manual, target);
        QVERIFY(posted > 0);
        host.stop();
    }
};

QTEST_GUILESS_MAIN(TestEngineRemediation)
#include "tst_engine_remediation.moc"
