// The supervisor against real drover-agent fleets: scaling, healing, crash loops, stop
// timeouts, orphans, secrets, re-tiering and bad input. Everything is real: processes,
// loopback HTTP, /proc, the keychain.
#include "core/config/config.h"
#include "core/secrets/secret_store.h"
#include "core/supervisor/port_allocator.h"
#include "core/supervisor/supervisor.h"
#include "process_probe.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QElapsedTimer>
#include <QProcess>
#include <QSet>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QUuid>
#include <QtTest>

#include <csignal>

using namespace drover;
using namespace drover::test;

namespace {

const QString kAgent = QStringLiteral(DROVER_AGENT_EXE);

struct Fleet
{
    QTemporaryDir dir;
    std::unique_ptr<Supervisor> supervisor;

    bool load(const QByteArray &yaml, const QString &secretService = QStringLiteral("Drover-test"))
    {
        const QString path = dir.filePath(QStringLiteral("drover.yaml"));
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return false;
        f.write(QByteArray(yaml).replace("AGENT", kAgent.toUtf8()));
        f.close();
        const ConfigLoadResult r = loadConfigFile(path);
        if (r.hasErrors()) {
            for (const ConfigIssue &i : r.issues)
                qWarning() << i.toString();
            return false;
        }
        SupervisorOptions o;
        o.logDir = dir.filePath(QStringLiteral("logs"));
        o.secretService = secretService;
        supervisor = std::make_unique<Supervisor>(r.config, o);
        return true;
    }

    PoolStatus pool(const QString &name = QStringLiteral("p")) const
    {
        for (const PoolStatus &p : supervisor->status())
            if (p.name == name)
                return p;
        return {};
    }

    int ready(const QString &name = QStringLiteral("p")) const { return pool(name).ready; }

    bool hasEvent(const QString &needle) const
    {
        for (const SupervisorEvent &e : supervisor->recentEvents())
            if (e.toString().contains(needle))
                return true;
        return false;
    }

    QString events() const
    {
        QStringList lines;
        for (const SupervisorEvent &e : supervisor->recentEvents())
            lines << e.toString();
        return lines.join(QLatin1Char('\n'));
    }
};

QByteArray agentPool(int min, int max, int initial, const QByteArray &extra = QByteArray())
{
    return "version: 1\n"
           "pools:\n"
           "  - name: p\n"
           "    command: AGENT\n"
           "    replicas: { min: " + QByteArray::number(min) + ", max: " + QByteArray::number(max)
           + ", initial: " + QByteArray::number(initial) + " }\n"
           "    tier: free\n"
           "    stop_timeout: 5s\n"
           "    health: { interval: 300ms, timeout: 1s, failure_threshold: 2 }\n"
           "    restart: { backoff_initial: 100ms, backoff_max: 1s, crash_loop_count: 3, crash_loop_window: 30s }\n"
           + extra;
}

} // namespace

class TestSupervisor : public QObject
{
    Q_OBJECT
private slots:
    void scaleZeroToTwentyToFiveToZero()
    {
        Fleet f;
        QVERIFY(f.load(agentPool(0, 20, 0)));
        f.supervisor->startAll();
        QCOMPARE(f.pool().replicas.size(), 0);

        QVERIFY(f.supervisor->scale(QStringLiteral("p"), 20, QStringLiteral("test")));
        QTRY_VERIFY_WITH_TIMEOUT(f.ready() == 20, 60000);
        const PoolStatus twenty = f.pool();
        QSet<int> ports, indices;
        QList<qint64> pids;
        for (const ReplicaStatus &r : twenty.replicas) {
            ports.insert(r.port);
            indices.insert(r.index);
            pids << r.pid;
            QVERIFY(processAlive(r.pid));
            QCOMPARE(r.state, ReplicaState::Ready);
        }
        QCOMPARE(ports.size(), 20);
        QCOMPARE(indices, QSet<int>({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19}));
        QCOMPARE(twenty.state, PoolState::Running);

        QVERIFY(f.supervisor->scale(QStringLiteral("p"), 5, QStringLiteral("test")));
        QTRY_VERIFY_WITH_TIMEOUT(f.pool().replicas.size() == 5, 30000);
        QCOMPARE(f.ready(), 5);
        // Scale-in takes the highest indices when all are equally idle.
        for (const ReplicaStatus &r : f.pool().replicas)
            QVERIFY2(r.index < 5, qPrintable(QString::number(r.index)));
        int alive = 0;
        for (qint64 pid : pids)
            alive += processAlive(pid) ? 1 : 0;
        QCOMPARE(alive, 5);

        QVERIFY(f.supervisor->scale(QStringLiteral("p"), 0, QStringLiteral("test")));
        QTRY_VERIFY_WITH_TIMEOUT(f.pool().replicas.isEmpty(), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(std::none_of(pids.cbegin(), pids.cend(), processAlive), 5000);
        QCOMPARE(f.pool().state, PoolState::Stopped);
        // Graceful: the agents left through /shutdown, nothing needed killing.
        QVERIFY2(!f.hasEvent(QStringLiteral("killed after stop_timeout")), qPrintable(f.events()));
    }

    void scalingBeyondMaxIsRefused()
    {
        Fleet f;
        QVERIFY(f.load(agentPool(0, 3, 0)));
        f.supervisor->startAll();
        QString refusal;
        QVERIFY(!f.supervisor->scale(QStringLiteral("p"), 4, QStringLiteral("test"), &refusal));
        QVERIFY(refusal.contains(QLatin1String("outside 0..3")));
        QVERIFY(!f.supervisor->scale(QStringLiteral("nope"), 1, QStringLiteral("test"), &refusal));
        QVERIFY(refusal.contains(QLatin1String("no pool named 'nope'")));
        QCOMPARE(f.pool().desired, 0);
    }

    void killedReplicaIsReplacedAtOnce()
    {
        Fleet f;
        QVERIFY(f.load(agentPool(2, 4, 2)));
        f.supervisor->startAll();
        QTRY_VERIFY_WITH_TIMEOUT(f.ready() == 2, 30000);
        const ReplicaStatus victim = f.pool().replicas.first();
        QVERIFY(::kill(pid_t(victim.pid), SIGKILL) == 0);
        QTRY_VERIFY_WITH_TIMEOUT(f.pool().replicas.first().pid != victim.pid
                                     && f.ready() == 2, 20000);
        const ReplicaStatus replaced = f.pool().replicas.first();
        QCOMPARE(replaced.index, victim.index);
        QCOMPARE(replaced.restarts, victim.restarts + 1);
        QVERIFY(processAlive(replaced.pid));
        QVERIFY2(f.hasEvent(QStringLiteral("killed by a signal")), qPrintable(f.events()));
        QCOMPARE(f.pool().state, PoolState::Running);
    }

    void crashingCommandReachesCrashLoopAndStops()
    {
        Fleet f;
        QVERIFY(f.load(agentPool(1, 2, 1, "    args: [--exit-immediately, '3']\n")));
        f.supervisor->startAll();
        QTRY_VERIFY_WITH_TIMEOUT(f.pool().state == PoolState::CrashLoop, 30000);
        QVERIFY2(f.hasEvent(QStringLiteral("crash loop")), qPrintable(f.events()));
        QVERIFY(f.hasEvent(QStringLiteral("exited with code 3")));
        // No more restarts: the number of starts stays put.
        auto starts = [&f] {
            int n = 0;
            for (const SupervisorEvent &e : f.supervisor->recentEvents())
                n += e.to == QLatin1String("starting") ? 1 : 0;
            return n;
        };
        const int before = starts();
        QCOMPARE(before, 3);
        QTest::qWait(1500); // the window in which a restart storm would show
        QCOMPARE(starts(), before);
        QCOMPARE(f.pool().state, PoolState::CrashLoop);

        // The operator's restart clears the loop (and it crashes again, visibly).
        f.supervisor->restartPool(QStringLiteral("p"), QStringLiteral("operator"));
        QTRY_VERIFY_WITH_TIMEOUT(starts() > before, 10000);
    }

    void hungAgentIsKilledAtStopTimeout()
    {
        Fleet f;
        QByteArray yaml = agentPool(0, 1, 1, "    args: [--ignore-shutdown]\n");
        yaml.replace("stop_timeout: 5s", "stop_timeout: 1500ms");
        QVERIFY(f.load(yaml));
        f.supervisor->startAll();
        QTRY_VERIFY_WITH_TIMEOUT(f.ready() == 1, 30000);
        const qint64 pid = f.pool().replicas.first().pid;
        QElapsedTimer clock;
        clock.start();
        f.supervisor->scale(QStringLiteral("p"), 0, QStringLiteral("test"));
        QTRY_VERIFY_WITH_TIMEOUT(!processAlive(pid), 10000);
        const qint64 took = clock.elapsed();
        QVERIFY2(took >= 1400, qPrintable(QString::number(took))); // it did wait for the agent
        QVERIFY2(f.hasEvent(QStringLiteral("sent SIGTERM")), qPrintable(f.events()));
        QVERIFY2(f.hasEvent(QStringLiteral("killed after stop_timeout")), qPrintable(f.events()));
        QTRY_VERIFY_WITH_TIMEOUT(f.pool().replicas.isEmpty(), 5000);
    }

    void killingTheSupervisorLeavesNoAgentBehind()
    {
        QTemporaryDir dir;
        const QString config = dir.filePath(QStringLiteral("drover.yaml"));
        QFile f(config);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(agentPool(3, 3, 3).replace("AGENT", kAgent.toUtf8()));
        f.close();
        QProcess host;
        host.setProgram(QStringLiteral(DROVER_SUPERVISOR_HOST_EXE));
        host.setArguments({QStringLiteral("--config"), config});
        host.start();
        QVERIFY(host.waitForStarted());
        QList<qint64> pids;
        QDeadlineTimer deadline(30000);
        while (pids.size() < 3 && !deadline.hasExpired()) {
            host.write("status\n");
            QVERIFY(host.waitForReadyRead(5000));
            while (host.canReadLine()) {
                const QJsonObject o = QJsonDocument::fromJson(host.readLine()).object();
                if (!o.contains(QLatin1String("status")))
                    continue;
                QList<qint64> ready;
                for (const QJsonValue &r : o[QLatin1String("status")].toArray()[0].toObject()[QLatin1String("replicas")].toArray())
                    if (r[QLatin1String("state")].toString() == QLatin1String("ready"))
                        ready << r[QLatin1String("pid")].toInteger();
                if (ready.size() == 3)
                    pids = ready;
            }
        }
        QCOMPARE(pids.size(), 3);
        for (qint64 pid : pids)
            QVERIFY(processAlive(pid));

        // SIGKILL: Drover gets no chance to stop anything; PR_SET_PDEATHSIG must do it.
        ::kill(pid_t(host.processId()), SIGKILL);
        QVERIFY(host.waitForFinished(5000));
        QTRY_VERIFY_WITH_TIMEOUT(std::none_of(pids.cbegin(), pids.cend(), processAlive), 10000);
    }

    void secretsReachTheAgentAndNoLog()
    {
        const QString service = QStringLiteral("Drover-test-") + QUuid::createUuid().toString(QUuid::Id128);
        const QString secret = QStringLiteral("sk-live-") + QUuid::createUuid().toString(QUuid::Id128);
        SecretStore store(service);
        bool done = false, ok = false;
        store.write(QStringLiteral("mail-password"), secret, [&](bool o, const QString &) { done = true; ok = o; });
        QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
        QVERIFY2(ok, "the test keyring must be running (tests/run_with_keyring.sh)");

        Fleet f;
        QVERIFY(f.load(agentPool(1, 1, 1, "    env: { MAIL_PASSWORD: 'keychain:mail-password', PLAIN: visible }\n"),
                       service));
        f.supervisor->startAll();
        QTRY_VERIFY_WITH_TIMEOUT(f.ready() == 1, 30000);
        const QByteArray environ = procEnviron(f.pool().replicas.first().pid);
        QVERIFY(environ.contains("MAIL_PASSWORD=" + secret.toUtf8() + '\0'));
        QVERIFY(environ.contains(QByteArray("PLAIN=visible\0", 14)));
        QVERIFY(environ.contains("DROVER_POOL=p"));
        QVERIFY(environ.contains("DROVER_TIER=free"));
        QVERIFY(environ.contains(QByteArray("DROVER_CONCURRENT_TASKS=2\0", 26)));
        QCOMPARE(f.pool().replicas.first().concurrentTasks, 2);
        QVERIFY2(f.hasEvent(QStringLiteral("resolved 1 secret(s)")), qPrintable(f.events()));

        // Nowhere in events, the log ring or the log files.
        QVERIFY(!f.events().contains(secret));
        QVERIFY(!f.supervisor->replicaLog(QStringLiteral("p"), 0).join(QLatin1Char('\n')).contains(secret));
        QDirIterator it(f.dir.path(), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile file(it.next());
            QVERIFY(file.open(QIODevice::ReadOnly));
            QVERIFY2(!file.readAll().contains(secret.toUtf8()), qPrintable(file.fileName()));
        }
        f.supervisor->shutdown(10000);
        store.remove(QStringLiteral("mail-password"), [](bool, const QString &) {});
    }

    void missingSecretPutsThePoolInErrorAndStartsNothing()
    {
        Fleet f;
        QVERIFY(f.load(agentPool(1, 1, 1, "    env: { KEY: 'keychain:does-not-exist' }\n")
                           + "  - { name: other, command: AGENT, tier: free }\n",
                       QStringLiteral("Drover-test-empty-") + QUuid::createUuid().toString(QUuid::Id128)));
        f.supervisor->startAll();
        QTRY_VERIFY_WITH_TIMEOUT(f.pool().state == PoolState::Error, 10000);
        QVERIFY(f.pool().stateReason.contains(QLatin1String("KEY (keychain:does-not-exist)")));
        QCOMPARE(f.pool().replicas.size(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(f.ready(QStringLiteral("other")) == 1, 30000); // the rest runs
    }

    void retierAppliesLimitsLiveWithoutLosingReadyReplicas()
    {
        Fleet f;
        QVERIFY(f.load(agentPool(2, 3, 2)));
        f.supervisor->startAll();
        QTRY_VERIFY_WITH_TIMEOUT(f.ready() == 2, 30000);
        const QList<ReplicaStatus> before = f.pool().replicas.toList();
        for (const ReplicaStatus &r : before) {
            if (r.enforcement == LimitEnforcement::Rlimit)
                QVERIFY2(procLimits(r.pid).contains("Max data size             1073741824           unlimited"),
                         procLimits(r.pid).constData());
        }
        QVERIFY(f.supervisor->setTier(QStringLiteral("p"), QStringLiteral("premium"), QStringLiteral("test")));
        QCOMPARE(f.pool().tier, QStringLiteral("premium"));
        QCOMPARE(f.ready(), 2); // live: nobody restarted
        for (const ReplicaStatus &r : f.pool().replicas) {
            QVERIFY(before.first().pid == r.pid || before.last().pid == r.pid);
            if (r.enforcement == LimitEnforcement::Rlimit)
                QVERIFY2(procLimits(r.pid).contains("Max data size             4294967296           unlimited"),
                         procLimits(r.pid).constData());
        }
        QVERIFY2(f.hasEvent(QStringLiteral("limits applied live to 2 replica(s)")), qPrintable(f.events()));
    }

    void retierWithRestartRollsWithoutDroppingBelowReady()
    {
        Fleet f;
        QVERIFY(f.load(agentPool(2, 3, 2, "    retier: restart\n")));
        f.supervisor->startAll();
        QTRY_VERIFY_WITH_TIMEOUT(f.ready() == 2, 30000);
        QSet<qint64> oldPids;
        for (const ReplicaStatus &r : f.pool().replicas)
            oldPids.insert(r.pid);
        QVERIFY(f.supervisor->setTier(QStringLiteral("p"), QStringLiteral("basic"), QStringLiteral("test")));
        QString refusal;
        QVERIFY(!f.supervisor->setTier(QStringLiteral("p"), QStringLiteral("premium"), QStringLiteral("test"), &refusal));
        QVERIFY(refusal.contains(QLatin1String("rolling restart is in progress")));
        // Watch every event-loop turn until the roll is done: ready never drops below 2.
        int lowest = 2;
        QDeadlineTimer deadline(60000);
        auto done = [&] {
            const PoolStatus p = f.pool();
            if (p.rollingRestart || p.replicas.size() != 2 || p.ready != 2)
                return false;
            for (const ReplicaStatus &r : p.replicas)
                if (oldPids.contains(r.pid))
                    return false;
            return true;
        };
        while (!done() && !deadline.hasExpired()) {
            QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
            lowest = qMin(lowest, f.ready());
        }
        QVERIFY2(done(), qPrintable(f.events()));
        QCOMPARE(lowest, 2);
        for (const ReplicaStatus &r : f.pool().replicas)
            QVERIFY(procEnviron(r.pid).contains("DROVER_TIER=basic"));
    }

    void missingCommandIsACrashLoopAndOtherPoolsRun()
    {
        Fleet f;
        QVERIFY(f.load(agentPool(1, 1, 1)
                       + "  - { name: ghost, command: /nonexistent/agent, tier: free,"
                         " restart: { backoff_initial: 50ms, crash_loop_count: 3 } }\n"));
        f.supervisor->startAll();
        QTRY_VERIFY_WITH_TIMEOUT(f.pool(QStringLiteral("ghost")).state == PoolState::CrashLoop, 20000);
        QVERIFY2(f.hasEvent(QStringLiteral("failed to start '/nonexistent/agent'")), qPrintable(f.events()));
        QTRY_VERIFY_WITH_TIMEOUT(f.ready() == 1, 30000);
    }

    void takenPortIsNotReused()
    {
        PortAllocator ports;
        const int port = ports.allocate();
        QVERIFY(port > 0);
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, quint16(port)));
        const int next = ports.reuseOrAllocate(port);
        QVERIFY(next > 0);
        QVERIFY(next != port);
        squatter.close();
        QCOMPARE(ports.reuseOrAllocate(next), next); // free again: a restart keeps its port
    }

    void floodingAgentIsBoundedAndTheRestRuns()
    {
        Fleet f;
        QVERIFY(f.load(agentPool(1, 1, 1, "    args: [--stdout-spam-bytes-per-sec, '8000000']\n")
                       + "  - { name: calm, command: AGENT, tier: free }\n"));
        f.supervisor->startAll();
        QTRY_VERIFY_WITH_TIMEOUT(f.ready() == 1 && f.ready(QStringLiteral("calm")) == 1, 30000);
        // The flood is announced once as an event and counted in the status; the log file
        // itself carries the per-second "bytes dropped" lines.
        QTRY_VERIFY_WITH_TIMEOUT(f.hasEvent(QStringLiteral("the excess is counted and dropped")), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(f.pool().replicas.first().logBytesDropped > 1024 * 1024, 30000);
        const QFileInfo log(f.dir.filePath(QStringLiteral("logs/p-0.log")));
        QVERIFY(log.exists());
        QVERIFY2(log.size() <= 8 * 1024 * 1024 + 64 * 1024, qPrintable(QString::number(log.size())));
        QCOMPARE(f.ready(QStringLiteral("calm")), 1);
        QCOMPARE(f.pool().replicas.first().state, ReplicaState::Ready); // health checks still answer
    }

    void agentThatForksAndExitsLeavesNothingBehind()
    {
        Fleet f;
        QVERIFY(f.load(agentPool(1, 1, 1, "    args: [--fork-child, --crash-after-ms, '1500']\n")));
        f.supervisor->startAll();
        QTRY_VERIFY_WITH_TIMEOUT(f.ready() == 1, 30000);
        const qint64 pid = f.pool().replicas.first().pid;
        QTRY_VERIFY_WITH_TIMEOUT(processGroupMembers(pid).size() >= 2, 5000);
        const QList<qint64> group = processGroupMembers(pid);
        QTRY_VERIFY_WITH_TIMEOUT(!processAlive(pid), 10000); // it crashed by itself
        QTRY_VERIFY_WITH_TIMEOUT(std::none_of(group.cbegin(), group.cend(), processAlive), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(f.ready() == 1, 30000); // and was replaced
    }

    void nonPrometheusMetricsAreReportedAndHealthStillCounts()
    {
        // A real HTTP server (python3's http.server) whose /metrics is an HTML page.
        QTemporaryDir www;
        const QString script = www.filePath(QStringLiteral("agent.py"));
        QFile s(script);
        QVERIFY(s.open(QIODevice::WriteOnly));
        s.write("import http.server, os\n"
                "class H(http.server.BaseHTTPRequestHandler):\n"
                "    def do_GET(self):\n"
                "        body = b'<html>oops</html>' if self.path == '/metrics' else b'ok'\n"
                "        self.send_response(200); self.send_header('Content-Length', str(len(body)))\n"
                "        self.end_headers(); self.wfile.write(body)\n"
                "    def log_message(self, *a): pass\n"
                "http.server.HTTPServer(('127.0.0.1', int(os.environ['DROVER_PORT'])), H).serve_forever()\n");
        s.close();
        Fleet f;
        QVERIFY(f.load("version: 1\npools:\n  - name: p\n    command: /usr/bin/python3\n"
                       "    args: ['" + script.toUtf8() + "']\n    tier: free\n    stop_timeout: 2s\n"
                       "    scrape_interval: 300ms\n"));
        f.supervisor->startAll();
        QTRY_VERIFY_WITH_TIMEOUT(f.ready() == 1, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(f.pool().replicas.first().metricsError.contains(QLatin1String("not Prometheus text")),
                                 10000);
        QVERIFY(!f.pool().replicas.first().metricsValid);
        QVERIFY(f.hasEvent(QStringLiteral("not Prometheus text")));
        QCOMPARE(f.pool().replicas.first().state, ReplicaState::Ready);
    }

    void scrapedMetricsAndProcessSamplesArrive()
    {
        Fleet f;
        QByteArray yaml = agentPool(1, 1, 1);
        yaml.append("    scrape_interval: 200ms\n");
        QVERIFY(f.load(yaml));
        f.supervisor->startAll();
        QTRY_VERIFY_WITH_TIMEOUT(f.ready() == 1, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(f.pool().replicas.first().metricsValid, 10000);
        for (int i = 0; i < 3; ++i) {
            f.supervisor->sample(QDateTime::currentMSecsSinceEpoch());
            QTest::qWait(150); // samples need time between them to make a rate
        }
        const ReplicaStatus r = f.pool().replicas.first();
        QVERIFY(r.cpuValid);
        QVERIFY(r.rssBytes > 1024 * 1024);
        QCOMPARE(r.queueDepth, 0.0);
    }
};

QTEST_GUILESS_MAIN(TestSupervisor)
#include "tst_supervisor.moc"
