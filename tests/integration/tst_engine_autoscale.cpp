// The whole engine against a real drover-agent pool: a load step (jobs posted to the agent's
// POST /jobs) drives the queue rule, the pool scales out and back in through the supervisor,
// and the decisions with their reasons reach the snapshot and the store. Then the operator's
// modes: a manual scale holds against the autoscaler, resume hands back, pause persists across
// a restart.
#include "core/config/config.h"
#include "core/engine/engine.h"
#include "core/store/store.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTemporaryDir>
#include <QtTest>

using namespace drover;

namespace {

const QByteArray kAgent = DROVER_AGENT_EXE;

// One worker per replica (concurrent_tasks: 1) so 40 jobs of 100 ms CPU make a queue that lasts
// several seconds; the rules act after 1 s (out) and 2 s (in). Half a core per replica, so three
// fit on a two-core CI machine (the autoscaler caps growth to the host's cores).
const QByteArray kConfig = "version: 1\n"
                           "tiers:\n"
                           "  work: { cpu_cores: 0.5, memory_mb: 0, concurrent_tasks: 1 }\n"
                           "pools:\n"
                           "  - name: p\n"
                           "    command: AGENT\n"
                           "    replicas: { min: 1, max: 3, initial: 1 }\n"
                           "    tier: work\n"
                           "    stop_timeout: 5s\n"
                           "    scrape_interval: 250ms\n"
                           "    health: { interval: 300ms, timeout: 1s, failure_threshold: 2 }\n"
                           "    autoscale:\n"
                           "      policies: [queue-out, queue-in]\n"
                           "policies:\n"
                           "  - { name: queue-out, metric: queue_depth, op: '>', threshold: 5, "
                           "for: 1s, change: 2, cooldown: 2s }\n"
                           "  - { name: queue-in, metric: queue_depth, op: '<', threshold: 1, "
                           "for: 2s, change: -1, cooldown: 1s }\n";

struct Console
{
    QTemporaryDir *dir;
    std::unique_ptr<EngineHost> host;
    Snapshot last;
    QVector<ScalingRecord> decisions; // every recorded decision seen, in order
    QStringList refusals;

    explicit Console(QTemporaryDir *d) : dir(d)
    {
        const QString path = dir->filePath(QStringLiteral("drover.yaml"));
        QFile f(path);
        f.open(QIODevice::WriteOnly);
        f.write(QByteArray(kConfig).replace("AGENT", kAgent));
        f.close();
        ConfigLoadResult config = loadConfigFile(path);
        for (const ConfigIssue &i : config.issues)
            qWarning() << i.toString();
        EngineOptions o;
        o.tickIntervalMs = 500;
        o.storePath = dir->filePath(QStringLiteral("drover.sqlite"));
        o.logDir = dir->filePath(QStringLiteral("logs"));
        o.secretService = QStringLiteral("Drover-test");
        host = std::make_unique<EngineHost>(config, o);
        QObject::connect(
            host.get(), &EngineHost::snapshotPublished, host.get(), [this](const Snapshot &s) {
                const qint64 lastSeen = decisions.isEmpty() ? -1 : decisions.last().decision.atMs;
                for (const ScalingRecord &r : s.scalingDecisions)
                    if (r.decision.atMs > lastSeen)
                        decisions.append(r);
                last = s;
            });
        QObject::connect(host.get(), &EngineHost::commandRefused, host.get(),
                         [this](const QString &m) { refusals << m; });
        host->start();
    }

    const PoolStatus *pool() const
    {
        for (const PoolStatus &p : last.pools)
            if (p.name == QLatin1String("p"))
                return &p;
        return nullptr;
    }
    QString mode() const
    {
        for (const PoolAutoscaling &a : last.autoscaling)
            if (a.pool == QLatin1String("p"))
                return a.mode;
        return {};
    }
    const ScalingRecord *find(const QString &driver, int to) const
    {
        for (const ScalingRecord &r : decisions)
            if (r.decision.driver == driver && r.decision.finalReplicas == to && r.applied)
                return &r;
        return nullptr;
    }
    QString history() const
    {
        QStringList lines;
        for (const ScalingRecord &r : decisions)
            lines << r.decision.summary();
        return lines.join(QLatin1Char('\n'));
    }
};

} // namespace

class TestEngineAutoscale : public QObject
{
    Q_OBJECT
private slots:
    void loadStepScalesOutAndBackIn()
    {
        QTemporaryDir dir;
        {
            Console c(&dir);
            QTRY_VERIFY_WITH_TIMEOUT(c.pool() && c.pool()->ready == 1, 30000);
            QCOMPARE(c.mode(), QStringLiteral("auto"));
            // At min and idle: the scale-in rule's proposal is held by the floor.
            QTRY_VERIFY_WITH_TIMEOUT(!c.last.latestDecisions.isEmpty() &&
                                         c.last.latestDecisions.first().decision.limit ==
                                             LimitReason::AtMin,
                                     15000);

            // The load step: 40 jobs of 100 ms CPU each at replica 0.
            const int port = c.pool()->replicas.first().port;
            QNetworkAccessManager network;
            int accepted = 0;
            for (int i = 0; i < 40; ++i) {
                QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/jobs").arg(port)));
                request.setHeader(QNetworkRequest::ContentTypeHeader,
                                  QStringLiteral("application/json"));
                QNetworkReply *reply = network.post(request, QByteArray("{\"cpu_ms\":100}"));
                QObject::connect(reply, &QNetworkReply::finished, reply, [reply, &accepted] {
                    if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 202)
                        ++accepted;
                    reply->deleteLater();
                });
            }
            QTRY_COMPARE_WITH_TIMEOUT(accepted, 40, 10000);

            // Out: queue > 5 for 1 s adds two replicas.
            QTRY_VERIFY2_WITH_TIMEOUT(c.pool()->desired == 3, qPrintable(c.history()), 20000);
            const ScalingRecord *out = c.find(QStringLiteral("rule:queue-out"), 3);
            QVERIFY2(out, qPrintable(c.history()));
            QCOMPARE(out->decision.currentReplicas, 1);
            QVERIFY(out->decision.input.queueDepth > 5);
            QCOMPARE(out->decision.limit, LimitReason::None);
            QTRY_VERIFY_WITH_TIMEOUT(c.pool()->ready == 3, 30000);

            // In: once the queue is drained, one replica per rule period down to min.
            QTRY_VERIFY2_WITH_TIMEOUT(c.pool()->desired == 1 && c.pool()->replicas.size() == 1,
                                      qPrintable(c.history()), 40000);
            const ScalingRecord *in2 = c.find(QStringLiteral("rule:queue-in"), 2);
            const ScalingRecord *in1 = c.find(QStringLiteral("rule:queue-in"), 1);
            QVERIFY2(in2 && in1, qPrintable(c.history()));
            QVERIFY(in2->decision.input.queueDepth < 1);
            QVERIFY(in1->decision.atMs > in2->decision.atMs);
            // The changes show in the events view with their reasons.
            bool eventShown = false;
            for (const SupervisorEvent &e : c.last.recentEvents)
                eventShown = eventShown || (e.kind == QLatin1String("scaling") &&
                                            e.reason.contains(QLatin1String("rule:queue-out")));
            QVERIFY(eventShown);

            // The operator scales: manual mode, and the autoscaler holds the count although the
            // queue-in rule is due all the time.
            c.host->scalePool(QStringLiteral("p"), 2, QStringLiteral("test"));
            QTRY_COMPARE_WITH_TIMEOUT(c.mode(), QStringLiteral("manual"), 5000);
            QTRY_VERIFY_WITH_TIMEOUT(c.pool()->ready == 2, 30000);
            const qint64 manualSince = c.last.publishedAtMs;
            QTRY_VERIFY_WITH_TIMEOUT(!c.last.latestDecisions.isEmpty() &&
                                         c.last.latestDecisions.first().decision.atMs >
                                             manualSince + 4000,
                                     15000);
            QCOMPARE(c.last.latestDecisions.first().decision.limit, LimitReason::ManualOverride);
            QCOMPARE(c.pool()->desired, 2);

            // Handed back: the rules take over again.
            c.host->resumeAutoscaling(QStringLiteral("p"));
            QTRY_COMPARE_WITH_TIMEOUT(c.mode(), QStringLiteral("auto"), 5000);
            QTRY_VERIFY2_WITH_TIMEOUT(c.pool()->desired == 1, qPrintable(c.history()), 20000);

            // Paused: no decisions at all for the pool.
            c.host->pauseAutoscaling(QStringLiteral("p"), true);
            QTRY_COMPARE_WITH_TIMEOUT(c.mode(), QStringLiteral("paused"), 5000);
            QTRY_VERIFY_WITH_TIMEOUT(c.last.latestDecisions.isEmpty(), 5000);
            c.host->pauseAutoscaling(QStringLiteral("nope"), true);
            QTRY_VERIFY_WITH_TIMEOUT(!c.refusals.isEmpty(), 5000);
            c.host->stop();
        }

        // The store has the decisions as events and the pause as desired state.
        {
            Store store;
            QVERIFY(store.open(dir.filePath(QStringLiteral("drover.sqlite"))));
            int scaling = 0;
            bool outStored = false;
            for (const StoredEvent &e : store.loadEvents(0, 5000)) {
                if (e.event.kind != QLatin1String("scaling"))
                    continue;
                ++scaling;
                outStored =
                    outStored ||
                    (e.event.from == QLatin1String("1") && e.event.to == QLatin1String("3") &&
                     e.event.reason.contains(QLatin1String("rule:queue-out")) &&
                     e.event.reason.contains(QLatin1String("queue ")));
            }
            QVERIFY(scaling >= 4);
            QVERIFY(outStored);
            const DesiredState d = store.loadDesiredState().value(QStringLiteral("p"));
            QVERIFY(d.autoscalingPaused);
            QVERIFY(!d.manualOverride);
        }

        // Restarted: the pause is restored.
        {
            Console c(&dir);
            QTRY_VERIFY_WITH_TIMEOUT(c.pool() && c.pool()->ready == 1, 30000);
            QCOMPARE(c.mode(), QStringLiteral("paused"));
            QVERIFY(c.last.latestDecisions.isEmpty());
            c.host->stop();
        }
    }
};

QTEST_GUILESS_MAIN(TestEngineAutoscale)
#include "tst_engine_autoscale.moc"
