// The dispatcher against a real drover-agent pool over real loopback HTTP: delivery counted
// by the agents' own /metrics, 429 backpressure, retries on another replica and dead letters,
// jobs surviving a dispatcher restart, loops, and the job-intake endpoint with its token in
// the real keychain (the suite runs under tests/run_with_keyring.sh).
#include "core/dispatch/dispatcher.h"
#include "core/metrics/prometheus_text.h"
#include "core/secrets/secret_store.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QUuid>
#include <QtTest>
#include <memory>

using namespace drover;

namespace {

constexpr int kStartTimeoutMs = 15000;

// One drover-agent started directly (no supervisor): DROVER_PORT=0 picks a port, which the
// agent's first stdout line (the "listening" event) names.
class Agent
{
public:
    ~Agent()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    bool start(int concurrentTasks, const QStringList &args = {})
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("OPENAI_BASE_URL"));
        env.remove(QStringLiteral("OPENAI_API_KEY"));
        env.insert(QStringLiteral("DROVER_PORT"), QStringLiteral("0"));
        env.insert(QStringLiteral("DROVER_CONCURRENT_TASKS"), QString::number(concurrentTasks));
        env.insert(QStringLiteral("DROVER_POOL"), QStringLiteral("work"));
        m_process.setProcessEnvironment(env);
        m_process.setReadChannel(QProcess::StandardOutput);
        m_process.start(QStringLiteral(DROVER_AGENT_PATH), args);
        if (!m_process.waitForStarted(kStartTimeoutMs))
            return false;
        QDeadlineTimer deadline(kStartTimeoutMs);
        while (!m_stdout.contains('\n') && !deadline.hasExpired()) {
            m_process.waitForReadyRead(200);
            m_stdout += m_process.readAllStandardOutput();
        }
        const QJsonObject listening =
            QJsonDocument::fromJson(m_stdout.left(m_stdout.indexOf('\n'))).object();
        m_port = listening.value(QStringLiteral("port")).toInt();
        // Keep draining stdout so the agent never blocks on a full pipe.
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput,
                         [this] { m_process.readAllStandardOutput(); });
        return m_port > 0;
    }

    int port() const { return m_port; }
    qint64 pid() const { return m_process.processId(); }

private:
    QProcess m_process;
    QByteArray m_stdout;
    int m_port = 0;
};

struct Scraped
{
    bool ok = false;
    double jobsTotal = 0, inFlight = 0, queueDepth = 0;
};

QNetworkAccessManager &nam()
{
    static QNetworkAccessManager *n = [] {
        auto *m = new QNetworkAccessManager;
        m->setProxy(QNetworkProxy::NoProxy);
        return m;
    }();
    return *n;
}

struct HttpResult
{
    int status = 0;
    QByteArray body;
};

HttpResult waitFor(QNetworkReply *reply)
{
    QSignalSpy spy(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        spy.wait(10000);
    HttpResult r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    reply->deleteLater();
    return r;
}

Scraped scrape(int port)
{
    const HttpResult r = waitFor(
        nam().get(QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/metrics").arg(port)))));
    Scraped s;
    if (r.status != 200)
        return s;
    const PrometheusParseResult parsed = parsePrometheusText(r.body);
    s.ok = true;
    s.jobsTotal = parsed.sum(QStringLiteral("agent_jobs_total"));
    s.inFlight = parsed.sum(QStringLiteral("agent_in_flight"));
    s.queueDepth = parsed.sum(QStringLiteral("agent_queue_depth"));
    return s;
}

// What the supervisor would publish for these agents; with `metrics`, their /metrics too.
PoolStatus poolStatus(const QString &name, const QVector<Agent *> &agents, int concurrentTasks,
                      bool metrics, const QVector<int> &extraDeadPorts = {})
{
    PoolStatus p;
    p.name = name;
    p.state = PoolState::Running;
    int index = 0;
    for (int port : extraDeadPorts) {
        ReplicaStatus r;
        r.index = index++;
        r.pid = 100000 + r.index;
        r.port = port;
        r.state = ReplicaState::Ready;
        r.concurrentTasks = concurrentTasks;
        p.replicas.append(r);
    }
    for (Agent *a : agents) {
        ReplicaStatus r;
        r.index = index++;
        r.pid = a->pid();
        r.port = a->port();
        r.state = ReplicaState::Ready;
        r.concurrentTasks = concurrentTasks;
        if (metrics) {
            const Scraped s = scrape(a->port());
            r.metricsValid = s.ok;
            r.jobsTotal = s.jobsTotal;
            r.inFlight = s.inFlight;
            r.queueDepth = s.queueDepth;
        }
        p.replicas.append(r);
    }
    p.desired = p.ready = p.running = int(p.replicas.size());
    return p;
}

int freePortWithNobodyListening()
{
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    const int port = s.serverPort();
    s.close();
    return port;
}

DispatchPoolConfig poolConfig(const QString &name, BalancingAlgorithm algorithm)
{
    DispatchPoolConfig c;
    c.pool = name;
    c.algorithm = algorithm;
    c.retry.maxRetries = 3;
    c.retry.backoffInitialMs = 50;
    c.retry.backoffMaxMs = 200;
    c.breaker.failureThreshold = 100;
    c.breaker.openMs = 1000;
    return c;
}

DispatcherOptions options(const QString &queuePath)
{
    DispatcherOptions o;
    o.queuePath = queuePath;
    o.intake = false;
    o.runLoops = false;
    o.requestTimeoutMs = 5000;
    return o;
}

JobRequest job(const QString &pool, int cpuMs = 20)
{
    JobRequest r;
    r.pool = pool;
    r.payload.insert(QStringLiteral("cpu_ms"), cpuMs);
    return r;
}

// Engine ticks: status in, until `done` or the timeout.
template <typename Done>
bool tickUntil(Dispatcher &d, const std::function<QVector<PoolStatus>()> &status, Done done,
               int timeoutMs = 30000, int tickMs = 200)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        d.updateStatus(status());
        QTest::qWait(tickMs);
    }
    return true;
}

double jobsCounted(const QVector<Agent *> &agents)
{
    double total = 0;
    for (Agent *a : agents)
        total += scrape(a->port()).jobsTotal;
    return total;
}

} // namespace

class TestDispatcher : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString queuePath(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)); }

private slots:
    void jobsAreDeliveredAndCountedByTheAgents()
    {
        Agent a0, a1, a2;
        for (Agent *a : {&a0, &a1, &a2})
            QVERIFY(a->start(2, {QStringLiteral("--cpu-ms-default"), QStringLiteral("20")}));
        const QVector<Agent *> agents{&a0, &a1, &a2};
        Dispatcher d(options(queuePath("deliver.sqlite")));
        d.setPools({poolConfig(QStringLiteral("work"), BalancingAlgorithm::LeastConnections)});
        QVERIFY(d.start());
        QSignalSpy delivered(&d, &Dispatcher::jobDelivered);
        for (int i = 0; i < 30; ++i)
            QVERIFY(d.enqueue(job(QStringLiteral("work"))));
        QVERIFY(tickUntil(
            d,
            [&] {
                return QVector<PoolStatus>{poolStatus(QStringLiteral("work"), agents, 2, true)};
            },
            [&] { return jobsCounted(agents) >= 30; }));
        QCOMPARE(jobsCounted(agents), 30.0);
        QCOMPARE(delivered.count(), 30);
        const DispatcherStatus s = d.status();
        QCOMPARE(s.pools.size(), 1);
        QCOMPARE(s.pools[0].queue.delivered, 30);
        QCOMPARE(s.pools[0].queue.waiting, 0);
        QVERIFY(s.pools[0].queue.latencyAvgMs > 0);
        for (const ReplicaDispatchStatus &r : s.pools[0].replicas) {
            QVERIFY2(r.delivered > 0, "every replica got work");
            QCOMPARE(r.breaker.state, BreakerState::Closed);
        }
        QVERIFY(d.deadLetters().isEmpty());
    }

    void theTierCapLimitsJobsAtOnce()
    {
        // Cap 1, jobs of 300 ms: with the agents' counter, Drover never has two jobs at one
        // replica, so nothing waits in the agent's own queue.
        Agent a;
        QVERIFY(a.start(1));
        Dispatcher d(options(queuePath("cap.sqlite")));
        d.setPools({poolConfig(QStringLiteral("work"), BalancingAlgorithm::RoundRobin)});
        QVERIFY(d.start());
        for (int i = 0; i < 4; ++i)
            d.enqueue(job(QStringLiteral("work"), 300));
        double maxAtAgent = 0;
        QVERIFY(tickUntil(
            d,
            [&] {
                const PoolStatus p = poolStatus(QStringLiteral("work"), {&a}, 1, true);
                maxAtAgent = qMax(maxAtAgent, p.replicas[0].inFlight + p.replicas[0].queueDepth);
                return QVector<PoolStatus>{p};
            },
            [&] { return jobsCounted({&a}) >= 4; }, 30000, 50));
        QVERIFY2(maxAtAgent <= 1, qPrintable(QString::number(maxAtAgent)));
        QCOMPARE(d.status().pools[0].queue.released, 0); // never needed a 429
    }

    void fullAgentsSendJobsBackToTheQueue()
    {
        // One worker, no agent queue, long jobs, no cap known to Drover and no metrics: the
        // agent answers 429 and the jobs wait in Drover without losing a retry.
        Agent a;
        QVERIFY(a.start(1, {QStringLiteral("--queue-capacity"), QStringLiteral("0")}));
        Dispatcher d(options(queuePath("full.sqlite")));
        DispatchPoolConfig c =
            poolConfig(QStringLiteral("work"), BalancingAlgorithm::LeastConnections);
        c.retry.maxRetries = 0; // a single real failure would dead-letter: 429s must not count
        d.setPools({c});
        QVERIFY(d.start());
        for (int i = 0; i < 3; ++i)
            d.enqueue(job(QStringLiteral("work"), 700));
        QVERIFY(tickUntil(
            d,
            [&] { return QVector<PoolStatus>{poolStatus(QStringLiteral("work"), {&a}, 0, false)}; },
            [&] { return jobsCounted({&a}) >= 3; }, 30000, 100));
        const DispatcherStatus s = d.status();
        QVERIFY2(s.pools[0].queue.released >= 1, "the agent said 429 at least once");
        QVERIFY(s.pools[0].replicas[0].full >= 1);
        QCOMPARE(s.pools[0].queue.delivered, 3);
        QCOMPARE(s.pools[0].replicas[0].breaker.state, BreakerState::Closed);
        QVERIFY(d.deadLetters().isEmpty());
    }

    void failedDeliveriesRetryOnAnotherReplica()
    {
        Agent a;
        QVERIFY(a.start(4));
        const int dead = freePortWithNobodyListening();
        Dispatcher d(options(queuePath("retry.sqlite")));
        DispatchPoolConfig c = poolConfig(QStringLiteral("work"), BalancingAlgorithm::RoundRobin);
        c.retry.maxRetries = 1;
        c.breaker.failureThreshold = 2;
        c.breaker.openMs = 60000;
        d.setPools({c});
        QVERIFY(d.start());
        for (int i = 0; i < 6; ++i)
            d.enqueue(job(QStringLiteral("work")));
        // Replica 0 is a port where nothing listens, replica 1 the agent.
        QVERIFY(tickUntil(
            d,
            [&] {
                return QVector<PoolStatus>{
                    poolStatus(QStringLiteral("work"), {&a}, 4, true, {dead})};
            },
            [&] { return jobsCounted({&a}) >= 6; }));
        const DispatcherStatus s = d.status();
        QVERIFY(d.deadLetters().isEmpty()); // one retry was enough: it went to the other replica
        QVERIFY(s.pools[0].queue.retried >= 1);
        QCOMPARE(s.pools[0].replicas[0].delivered, 0);
        QVERIFY(s.pools[0].replicas[0].failures >= 2);
        QCOMPARE(s.pools[0].replicas[0].breaker.state, BreakerState::Open);
        QCOMPARE(s.pools[0].replicas[1].delivered, 6);
    }

    void deadLettersAfterMaxRetries()
    {
        const int dead = freePortWithNobodyListening();
        Dispatcher d(options(queuePath("dead.sqlite")));
        DispatchPoolConfig c =
            poolConfig(QStringLiteral("work"), BalancingAlgorithm::LeastConnections);
        c.retry.maxRetries = 2;
        d.setPools({c});
        QVERIFY(d.start());
        QSignalSpy deadLettered(&d, &Dispatcher::jobDeadLettered);
        const auto queued = d.enqueue(job(QStringLiteral("work")));
        QVERIFY(queued);
        QVERIFY(tickUntil(
            d,
            [&] {
                return QVector<PoolStatus>{
                    poolStatus(QStringLiteral("work"), {}, 2, false, {dead})};
            },
            [&] { return deadLettered.count() > 0; }, 20000, 50));
        const QVector<DeadLetter> letters = d.deadLetters(QStringLiteral("work"));
        QCOMPARE(letters.size(), 1);
        QCOMPARE(letters[0].job.id, queued->id);
        QCOMPARE(letters[0].job.attempts, 3);
        QVERIFY2(letters[0].reason.contains(QStringLiteral("max retries 2")),
                 qPrintable(letters[0].reason));
        QCOMPARE(d.status().pools[0].queue.deadLetters, 1);

        // The operator fixes the pool (an agent now) and requeues: delivered.
        Agent a;
        QVERIFY(a.start(2));
        QVERIFY(d.requeueDeadLetter(queued->id));
        QVERIFY(d.deadLetters().isEmpty());
        QVERIFY(tickUntil(
            d,
            [&] { return QVector<PoolStatus>{poolStatus(QStringLiteral("work"), {&a}, 2, true)}; },
            [&] { return jobsCounted({&a}) >= 1; }));
    }

    void jobsSurviveADispatcherRestart()
    {
        const QString path = queuePath("restart.sqlite");
        {
            Dispatcher before(options(path));
            before.setPools(
                {poolConfig(QStringLiteral("work"), BalancingAlgorithm::LeastConnections)});
            QVERIFY(before.start());
            for (int i = 0; i < 5; ++i)
                QVERIFY(before.enqueue(job(QStringLiteral("work"))));
            QCOMPARE(before.status().pools[0].queue.waiting, 5); // no replicas yet
        }
        Agent a;
        QVERIFY(a.start(2));
        Dispatcher after(options(path));
        after.setPools({poolConfig(QStringLiteral("work"), BalancingAlgorithm::LeastConnections)});
        QVERIFY(after.start());
        QCOMPARE(after.status().pools[0].queue.waiting, 5);
        QVERIFY(tickUntil(
            after,
            [&] { return QVector<PoolStatus>{poolStatus(QStringLiteral("work"), {&a}, 2, true)}; },
            [&] { return jobsCounted({&a}) >= 5; }));
        QCOMPARE(after.status().pools[0].queue.waiting, 0);
    }

    void loopsEnqueueIntoTheirPool()
    {
        Agent a;
        QVERIFY(a.start(2));
        DispatcherOptions o = options(queuePath("loops.sqlite"));
        o.runLoops = true;
        LoopSpec every = defaultLoops(QStringLiteral("work")).first();
        every.name = QStringLiteral("fast");
        every.intervalMs = 500;
        every.jitterMs = 0;
        every.runAtFirstStart = true;
        o.loops = {every};
        Dispatcher d(o);
        d.setPools({poolConfig(QStringLiteral("work"), BalancingAlgorithm::ResourceBased)});
        QVERIFY(d.start());
        QVERIFY(tickUntil(
            d,
            [&] { return QVector<PoolStatus>{poolStatus(QStringLiteral("work"), {&a}, 2, true)}; },
            [&] { return jobsCounted({&a}) >= 3; }, 20000, 100));
        const DispatcherStatus s = d.status();
        QCOMPARE(s.loops.size(), 1);
        QVERIFY(s.loops[0].nextDueMs > 0);
        QVERIFY(d.queue().loadLoopRecords().value(QStringLiteral("fast")).lastRunMs > 0);
    }

    void intakeEndpoint()
    {
        const QString service =
            QStringLiteral("Drover-test-") + QUuid::createUuid().toString(QUuid::Id128);
        DispatcherOptions o = options(queuePath("intake.sqlite"));
        o.intake = true;
        o.intakeOptions.secretService = service;
        Dispatcher d(o);
        d.setPools({poolConfig(QStringLiteral("work"), BalancingAlgorithm::LeastConnections)});
        QSignalSpy ready(&d, &Dispatcher::intakeReady);
        QSignalSpy failed(&d, &Dispatcher::intakeFailed);
        QVERIFY(d.start());
        QVERIFY(d.intakePort() > 0);
        QTRY_VERIFY_WITH_TIMEOUT(ready.count() + failed.count() > 0, 15000);
        QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));

        // The token as the operator would fetch it: from the keychain.
        SecretStore secrets(service);
        QString token;
        bool done = false;
        secrets.read(QStringLiteral("dispatch-intake-token"),
                     [&](bool ok, const QString &v, const QString &) {
                         done = true;
                         if (ok)
                             token = v;
                     });
        QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
        QCOMPARE(token.size(), 64); // 256 bits, hex

        const auto post = [&](const QString &pool, const QByteArray &auth, const QByteArray &body) {
            QNetworkRequest r(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/pools/%2/jobs")
                                       .arg(d.intakePort())
                                       .arg(pool)));
            r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
            if (!auth.isEmpty())
                r.setRawHeader("Authorization", auth);
            return waitFor(nam().post(r, body));
        };
        const QByteArray bearer = "Bearer " + token.toUtf8();
        const QByteArray good =
            R"({"priority":"high","deadline_in_ms":60000,"session_key":"u1","job":{"cpu_ms":5}})";

        QCOMPARE(post(QStringLiteral("work"), {}, good).status, 401);
        QCOMPARE(post(QStringLiteral("work"), "Bearer " + QByteArray(64, 'a'), good).status, 401);
        QCOMPARE(post(QStringLiteral("work"), "Basic " + token.toUtf8(), good).status, 401);
        QCOMPARE(post(QStringLiteral("nosuchpool"), bearer, good).status, 404);
        QCOMPARE(post(QStringLiteral("work"), bearer, "{not json").status, 400);
        QCOMPARE(post(QStringLiteral("work"), bearer, R"({"priority":"urgent"})").status, 400);
        QCOMPARE(post(QStringLiteral("work"), bearer, R"([1,2])").status, 400);

        const HttpResult accepted = post(QStringLiteral("work"), bearer, good);
        QCOMPARE(accepted.status, 202);
        const QJsonObject o202 = QJsonDocument::fromJson(accepted.body).object();
        const QString id = o202.value(QStringLiteral("id")).toString();
        QVERIFY(!id.isEmpty());
        QCOMPARE(o202.value(QStringLiteral("priority")).toString(), QStringLiteral("high"));
        const auto queued = d.queue().job(id);
        QVERIFY(queued);
        QCOMPARE(queued->priority, JobPriority::High);
        QCOMPARE(queued->sessionKey, QStringLiteral("u1"));
        QVERIFY(queued->deadlineMs > 0);
        QCOMPARE(queued->payload.value(QStringLiteral("cpu_ms")).toInt(), 5);

        // A pool removed from the configuration keeps its route but refuses with 404.
        d.setPools({poolConfig(QStringLiteral("other"), BalancingAlgorithm::LeastConnections)});
        QCOMPARE(post(QStringLiteral("work"), bearer, good).status, 404);
        QCOMPARE(post(QStringLiteral("other"), bearer, good).status, 202);

        // A second start reuses the stored token (generated on first use only).
        d.stop();
        DispatcherOptions o2 = o;
        o2.queuePath = queuePath("intake2.sqlite");
        Dispatcher again(o2);
        again.setPools({poolConfig(QStringLiteral("work"), BalancingAlgorithm::LeastConnections)});
        QSignalSpy ready2(&again, &Dispatcher::intakeReady);
        QVERIFY(again.start());
        QTRY_VERIFY_WITH_TIMEOUT(ready2.count() > 0, 15000);
        const auto postAgain = [&](const QByteArray &auth) {
            QNetworkRequest r(QUrl(
                QStringLiteral("http://127.0.0.1:%1/v1/pools/work/jobs").arg(again.intakePort())));
            r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
            r.setRawHeader("Authorization", auth);
            return waitFor(nam().post(r, QByteArray("{}"))).status;
        };
        QCOMPARE(postAgain(bearer), 202);

        done = false;
        secrets.remove(QStringLiteral("dispatch-intake-token"),
                       [&](bool, const QString &) { done = true; });
        QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
    }
};

QTEST_GUILESS_MAIN(TestDispatcher)
#include "tst_dispatcher.moc"
