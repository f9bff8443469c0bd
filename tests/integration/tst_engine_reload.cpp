// Configuration hot reload against a real engine and a real drover-agent pool: the file is
// edited while Drover runs (saved by rename like most editors, and in place), and the engine
// applies what is valid. A broken pool keeps its last good settings and its replicas; a removed
// pool's processes really exit and commands to it are refused; reloadConfig() works on demand.
#include "core/config/config.h"
#include "core/engine/engine.h"
#include "process_probe.h"

#include <QSaveFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace drover;

namespace {

const QByteArray kAgent = DROVER_AGENT_EXE;

QByteArray configText(int maxOfP, bool withQ, const char *pReplicas = nullptr)
{
    QByteArray t = "version: 1\n"
                   "tiers:\n"
                   "  small: { cpu_cores: 0.5, memory_mb: 0, concurrent_tasks: 1 }\n"
                   "pools:\n"
                   "  - name: p\n"
                   "    command: AGENT\n"
                   "    replicas: REPLICAS\n"
                   "    tier: small\n"
                   "    stop_timeout: 3s\n"
                   "    scrape_interval: 250ms\n"
                   "    health: { interval: 300ms, timeout: 1s, failure_threshold: 2 }\n"
                   "    autoscale: { enabled: false }\n";
    if (withQ)
        t += "  - name: q\n"
             "    command: AGENT\n"
             "    replicas: { min: 2, max: 2, initial: 2 }\n"
             "    tier: small\n"
             "    stop_timeout: 3s\n"
             "    health: { interval: 300ms, timeout: 1s, failure_threshold: 2 }\n"
             "    autoscale: { enabled: false }\n";
    t.replace("REPLICAS", pReplicas ? QByteArray(pReplicas)
                                    : QByteArray("{ min: 1, max: %1, initial: 1 }")
                                          .replace("%1", QByteArray::number(maxOfP)));
    return t.replace("AGENT", kAgent);
}

struct Console
{
    QTemporaryDir dir;
    QString path;
    std::unique_ptr<EngineHost> host;
    Snapshot last;
    QStringList refusals;

    explicit Console(const QByteArray &text, bool watch)
    {
        path = dir.filePath(QStringLiteral("drover.yaml"));
        writeInPlace(text);
        const ConfigLoadResult config = loadConfigFile(path);
        for (const ConfigIssue &i : config.issues)
            qWarning() << i.toString();
        EngineOptions o;
        o.tickIntervalMs = 500;
        o.storePath = dir.filePath(QStringLiteral("drover.sqlite"));
        o.logDir = dir.filePath(QStringLiteral("logs"));
        o.secretService = QStringLiteral("Drover-test");
        o.watchConfigFile = watch;
        host = std::make_unique<EngineHost>(config, o);
        QObject::connect(host.get(), &EngineHost::snapshotPublished, host.get(),
                         [this](const Snapshot &s) { last = s; });
        QObject::connect(host.get(), &EngineHost::commandRefused, host.get(),
                         [this](const QString &m) { refusals << m; });
        host->start();
    }

    // Like most editors: a new file renamed over the old one (the watch on the file ends).
    void saveByRename(const QByteArray &text)
    {
        QSaveFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text);
        QVERIFY(f.commit());
    }
    void writeInPlace(const QByteArray &text)
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(text);
    }

    const PoolStatus *pool(const QString &name) const
    {
        for (const PoolStatus &p : last.pools)
            if (p.name == name)
                return &p;
        return nullptr;
    }
    // The operator's count held against the autoscaler (-1: none).
    int manual(const QString &name) const
    {
        for (const PoolAutoscaling &a : last.autoscaling)
            if (a.pool == name)
                return a.manualReplicas;
        return -2;
    }
    QList<qint64> pids(const QString &name) const
    {
        QList<qint64> out;
        if (const PoolStatus *p = pool(name))
            for (const ReplicaStatus &r : p->replicas)
                if (r.pid > 0)
                    out << r.pid;
        return out;
    }
    const SupervisorEvent *reloadEvent(const QString &to) const
    {
        for (const SupervisorEvent &e : last.recentEvents)
            if (e.kind == QLatin1String("config") && e.to == to)
                return &e;
        return nullptr;
    }
};

} // namespace

class TestEngineReload : public QObject
{
    Q_OBJECT
private slots:
    void editsWhileRunning()
    {
        Console c(configText(2, false), true);
        QVERIFY(c.dir.isValid());
        QTRY_VERIFY_WITH_TIMEOUT(
            c.pool(QStringLiteral("p")) && c.pool(QStringLiteral("p"))->ready == 1, 30000);
        QCOMPARE(c.last.config.reloads, 0);

        // The operator's desired state: 2 replicas by hand (manual override).
        c.host->scalePool(QStringLiteral("p"), 2, QStringLiteral("test"));
        QTRY_VERIFY_WITH_TIMEOUT(c.pool(QStringLiteral("p"))->ready == 2, 30000);
        QCOMPARE(c.manual(QStringLiteral("p")), 2);

        // (a) A valid change, saved by rename: p's max 2 -> 3 and a new pool q of two replicas.
        c.saveByRename(configText(3, true));
        QTRY_VERIFY_WITH_TIMEOUT(
            c.pool(QStringLiteral("q")) && c.pool(QStringLiteral("q"))->ready == 2, 30000);
        QCOMPARE(c.pool(QStringLiteral("p"))->maxReplicas, 3);
        QCOMPARE(c.pool(QStringLiteral("p"))->desired, 2); // the operator's count stays
        QCOMPARE(c.manual(QStringLiteral("p")), 2);        // and so does the manual mode
        QVERIFY(c.last.config.lastReloadApplied);
        QCOMPARE(c.last.config.lastReloadTrigger, QStringLiteral("file changed"));
        QVERIFY2(c.last.config.lastReloadResult.contains(QStringLiteral("added pools q")),
                 qPrintable(c.last.config.lastReloadResult));
        QVERIFY(c.last.config.pools.contains(QStringLiteral("q")));
        QVERIFY(c.reloadEvent(QStringLiteral("applied")));
        const QList<qint64> pPids = c.pids(QStringLiteral("p"));
        const QList<qint64> qPids = c.pids(QStringLiteral("q"));
        QCOMPARE(pPids.size(), 2);
        QCOMPARE(qPids.size(), 2);

        // (b) A broken pool, written in place (the renamed file is watched again): min > max.
        const int reloadsBefore = c.last.config.reloads;
        c.writeInPlace(configText(3, true, "{ min: 4, max: 3, initial: 1 }"));
        QTRY_VERIFY_WITH_TIMEOUT(c.last.config.reloads > reloadsBefore &&
                                     c.last.config.refusedPools.contains(QStringLiteral("p")),
                                 15000);
        bool located = false;
        for (const ConfigIssue &i : c.last.config.issues)
            located = located || (i.severity == ConfigIssue::Severity::Error && i.file == c.path &&
                                  i.line == 7 && i.column > 0 &&
                                  i.message.contains(QStringLiteral("greater than")));
        QVERIFY2(located, qPrintable(c.last.config.issues.value(0).toString()));
        QVERIFY2(c.last.config.lastReloadResult.contains(QStringLiteral("last good")),
                 qPrintable(c.last.config.lastReloadResult));
        QVERIFY(c.last.config.pools.contains(QStringLiteral("p"))); // still configured
        QCOMPARE(c.pool(QStringLiteral("p"))->maxReplicas, 3);      // its last good settings
        QCOMPARE(c.pool(QStringLiteral("p"))->desired, 2);
        QCOMPARE(c.pids(QStringLiteral("p")), pPids); // the same processes run
        for (qint64 pid : pPids)
            QVERIFY(test::processAlive(pid));

        // (c) q removed (and p fixed): q's processes exit, commands to q are refused.
        c.saveByRename(configText(3, false));
        QTRY_VERIFY_WITH_TIMEOUT(!c.pool(QStringLiteral("q")), 15000);
        QVERIFY(!c.last.config.pools.contains(QStringLiteral("q")));
        QVERIFY(c.last.config.refusedPools.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(
            !test::processAlive(qPids.at(0)) && !test::processAlive(qPids.at(1)), 15000);
        c.host->scalePool(QStringLiteral("q"), 1, QStringLiteral("test"));
        QTRY_COMPARE_WITH_TIMEOUT(c.refusals.size(), 1, 15000);
        QCOMPARE(c.refusals.first(), QStringLiteral("no pool named 'q'"));
        c.host->pauseAutoscaling(QStringLiteral("q"), true);
        QTRY_COMPARE_WITH_TIMEOUT(c.refusals.size(), 2, 15000);
        QCOMPARE(c.refusals.at(1), QStringLiteral("no pool named 'q'"));
        // Nothing half-applied: q did not come back, p runs on.
        const quint64 seq = c.last.sequence;
        QTRY_VERIFY_WITH_TIMEOUT(c.last.sequence > seq + 1, 15000);
        QVERIFY(!c.pool(QStringLiteral("q")));
        QCOMPARE(c.pids(QStringLiteral("p")), pPids);

        // A file that is not YAML at all: refused whole, everything keeps running.
        const int reloadsNow = c.last.config.reloads;
        c.writeInPlace("pools: [ {\n");
        QTRY_VERIFY_WITH_TIMEOUT(c.last.config.reloads > reloadsNow, 15000);
        QVERIFY(!c.last.config.lastReloadApplied);
        QVERIFY(c.reloadEvent(QStringLiteral("refused")));
        QVERIFY(c.pool(QStringLiteral("p")));
        QCOMPARE(c.pids(QStringLiteral("p")), pPids);
    }

    // (d) The explicit command, with the watcher off: the change applies only when asked.
    void reloadOnCommand()
    {
        const QByteArray alerts =
            "alerts:\n"
            "  - { name: Busy, series: system_cpu_percent, op: '>', threshold: 99.9, for: 1h }\n"
            "notifications:\n"
            "  silences:\n"
            "    - { matchers: 'alertname=\"Other\"', ends: '2099-01-01T00:00:00Z' }\n";
        Console c(configText(2, false) + alerts, false);
        QTRY_VERIFY_WITH_TIMEOUT(
            c.pool(QStringLiteral("p")) && c.pool(QStringLiteral("p"))->ready == 1, 30000);
        // An operator's silence, beside the file's own one.
        c.host->silence(QStringLiteral("alertname=\"Busy\""), 3600 * 1000,
                        QStringLiteral("maintenance"));
        QTRY_COMPARE_WITH_TIMEOUT(c.last.silences.size(), 2, 15000);
        c.writeInPlace(configText(4, false) + QByteArray(alerts).replace("99.9", "99.5"));
        c.host->reloadConfig();
        QTRY_COMPARE_WITH_TIMEOUT(c.last.config.reloads, 1, 15000);
        QCOMPARE(c.last.config.lastReloadTrigger, QStringLiteral("operator"));
        QVERIFY(c.last.config.lastReloadApplied);
        QVERIFY2(c.last.config.lastReloadResult.contains(QStringLiteral("replicas.max")),
                 qPrintable(c.last.config.lastReloadResult));
        QVERIFY2(c.last.config.lastReloadResult.contains(QStringLiteral("updated alerts")),
                 qPrintable(c.last.config.lastReloadResult));
        QTRY_COMPARE_WITH_TIMEOUT(c.pool(QStringLiteral("p"))->maxReplicas, 4, 15000);
        // The rules were rebuilt: the operator's silence is carried over, the file's is not
        // doubled.
        const quint64 seq = c.last.sequence;
        QTRY_VERIFY_WITH_TIMEOUT(c.last.sequence > seq + 2, 15000); // evaluated by the new rules
        QCOMPARE(c.last.silences.size(), 2);
        QStringList by;
        for (const SilenceView &s : std::as_const(c.last.silences))
            by << s.createdBy;
        by.sort();
        QCOMPARE(by, (QStringList{QStringLiteral("drover.yaml"), QStringLiteral("operator")}));
        // The new max is usable at once.
        c.host->scalePool(QStringLiteral("p"), 3, QStringLiteral("test"));
        QTRY_COMPARE_WITH_TIMEOUT(c.pool(QStringLiteral("p"))->desired, 3, 15000);
        QVERIFY(c.refusals.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestEngineReload)
#include "tst_engine_reload.moc"
