// The persistent job queue: priority order, deadlines, retries with backoff on another
// replica, dead letters and requeue, persistence across a reopen.
#include "core/dispatch/job_queue.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace drover;

namespace {
JobRequest request(const QString &pool, JobPriority priority, const QString &tag,
                   qint64 deadlineMs = 0)
{
    JobRequest r;
    r.pool = pool;
    r.priority = priority;
    r.payload.insert(QStringLiteral("tag"), tag);
    r.deadlineMs = deadlineMs;
    return r;
}

QString tagOf(const std::optional<QueuedJob> &job)
{
    return job ? job->payload.value(QStringLiteral("tag")).toString() : QStringLiteral("<none>");
}
} // namespace

class TestJobQueue : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString path(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)); }

private slots:
    void priorityThenArrivalOrder()
    {
        JobQueue q;
        QVERIFY2(q.open(path("order.sqlite")), qPrintable(q.lastError()));
        const QString pool = QStringLiteral("mail");
        q.enqueue(request(pool, JobPriority::Low, QStringLiteral("low-1")), 1);
        q.enqueue(request(pool, JobPriority::Medium, QStringLiteral("med-1")), 2);
        q.enqueue(request(pool, JobPriority::High, QStringLiteral("high-1")), 3);
        q.enqueue(request(pool, JobPriority::Medium, QStringLiteral("med-2")), 4);
        q.enqueue(request(pool, JobPriority::High, QStringLiteral("high-2")), 5);
        q.enqueue(request(QStringLiteral("other"), JobPriority::High, QStringLiteral("other")), 6);
        QCOMPARE(q.depth(pool), 5);
        QStringList order;
        while (auto j = q.take(pool, 10))
            order.append(tagOf(j));
        QCOMPARE(order, (QStringList{QStringLiteral("high-1"), QStringLiteral("high-2"),
                                     QStringLiteral("med-1"), QStringLiteral("med-2"),
                                     QStringLiteral("low-1")}));
        // Leased jobs are not handed out twice but still count.
        QCOMPARE(q.depth(pool), 5);
        const QueueStats s = q.stats(pool, 10);
        QCOMPARE(s.delivering, 5);
        QCOMPARE(s.waiting, 0);
    }

    void releaseKeepsPlaceAndRetryBudget()
    {
        JobQueue q;
        QVERIFY(q.open(path("release.sqlite")));
        const QString pool = QStringLiteral("p");
        const auto a = q.enqueue(request(pool, JobPriority::Medium, QStringLiteral("a")), 0);
        q.enqueue(request(pool, JobPriority::Medium, QStringLiteral("b")), 1);
        const auto taken = q.take(pool, 5);
        QCOMPARE(taken->id, a->id);
        QVERIFY(q.release(a->id)); // 429
        const auto again = q.take(pool, 6);
        QCOMPARE(again->id, a->id); // still first in line
        QCOMPARE(again->attempts, 0);
        QCOMPARE(q.stats(pool, 6).released, 1);
    }

    void completeRecordsWaitAndLatency()
    {
        JobQueue q;
        QVERIFY(q.open(path("complete.sqlite")));
        const QString pool = QStringLiteral("p");
        const auto a = q.enqueue(request(pool, JobPriority::High, QStringLiteral("a")), 1000);
        const auto b = q.enqueue(request(pool, JobPriority::High, QStringLiteral("b")), 2000);
        QCOMPARE(q.stats(pool, 5000).oldestWaitMs, 4000);
        q.take(pool, 5000);
        QVERIFY(q.complete(a->id, 5000, 12));
        q.take(pool, 6000);
        QVERIFY(q.complete(b->id, 6000, 20));
        const QueueStats s = q.stats(pool, 6000);
        QCOMPARE(s.delivered, 2);
        QCOMPARE(s.waitAvgMs, 4000.0);
        QCOMPARE(s.waitP95Ms, 4000.0);
        QCOMPARE(s.latencyAvgMs, 16.0);
        QCOMPARE(s.latencyP95Ms, 20.0);
        QCOMPARE(q.depth(pool), 0);
        QVERIFY(!q.complete(a->id, 7000)); // once only
    }

    void retriesBackOffAvoidTheFailedReplicaThenDeadLetter()
    {
        JobQueue q;
        QVERIFY(q.open(path("retry.sqlite")));
        const QString pool = QStringLiteral("p");
        RetryPolicy policy;
        policy.maxRetries = 2;
        policy.backoffInitialMs = 1000;
        policy.backoffMaxMs = 1500;
        q.setRetryPolicy(pool, policy);
        QCOMPARE(retryBackoffMs(policy, 1), 1000);
        QCOMPARE(retryBackoffMs(policy, 2), 1500); // capped
        const auto job = q.enqueue(request(pool, JobPriority::Medium, QStringLiteral("x")), 0);

        q.take(pool, 0);
        auto r = q.fail(job->id, 1, QStringLiteral("HTTP 500"), 100);
        QCOMPARE(r.outcome, JobQueue::FailOutcome::Retry);
        QCOMPARE(r.notBeforeMs, 1100);
        QCOMPARE(r.job.avoid, QVector<int>{1});
        QVERIFY(!q.take(pool, 1099)); // backing off
        QVERIFY(!q.hasReady(pool, 1099));
        auto again = q.take(pool, 1100);
        QCOMPARE(again->attempts, 1);
        QCOMPARE(again->avoid, QVector<int>{1});
        QCOMPARE(again->lastError, QStringLiteral("HTTP 500"));

        r = q.fail(job->id, 2, QStringLiteral("connection refused"), 1200);
        QCOMPARE(r.outcome, JobQueue::FailOutcome::Retry);
        QCOMPARE(r.notBeforeMs, 2700);
        QCOMPARE(r.job.avoid, (QVector<int>{1, 2}));
        q.take(pool, 2700);
        r = q.fail(job->id, 0, QStringLiteral("timeout"), 2800);
        QCOMPARE(r.outcome, JobQueue::FailOutcome::DeadLettered);
        QVERIFY(r.reason.contains(QStringLiteral("timeout")));
        QCOMPARE(q.depth(pool), 0);

        const QVector<DeadLetter> dead = q.deadLetters(pool);
        QCOMPARE(dead.size(), 1);
        QCOMPARE(dead[0].job.id, job->id);
        QCOMPARE(dead[0].job.attempts, 3);
        QCOMPARE(dead[0].deadMs, 2800);
        QCOMPARE(q.stats(pool, 2800).deadLetters, 1);
        QCOMPARE(q.stats(pool, 2800).retried, 2);

        // The operator requeues it: a fresh budget, no avoid list, at the back of its priority.
        const auto back = q.requeue(job->id, 5000);
        QVERIFY(back);
        QCOMPARE(back->attempts, 0);
        QVERIFY(back->avoid.isEmpty());
        QVERIFY(q.deadLetters(pool).isEmpty());
        QCOMPARE(tagOf(q.take(pool, 5000)), QStringLiteral("x"));
    }

    void rejectedJobsGoStraightToDeadLetters()
    {
        JobQueue q;
        QVERIFY(q.open(path("reject.sqlite")));
        const auto job =
            q.enqueue(request(QStringLiteral("p"), JobPriority::Low, QStringLiteral("bad")), 0);
        q.take(QStringLiteral("p"), 0);
        QVERIFY2(q.reject(job->id, QStringLiteral("rejected by replica 0: HTTP 400"), 10),
                 qPrintable(q.lastError()));
        QCOMPARE(q.deadLetters().value(0).reason,
                 QStringLiteral("rejected by replica 0: HTTP 400"));
        QVERIFY(q.discardDeadLetter(job->id));
        QVERIFY(q.deadLetters().isEmpty());
    }

    void deadlinesExpireIntoDeadLetters()
    {
        JobQueue q;
        QVERIFY(q.open(path("deadline.sqlite")));
        const QString pool = QStringLiteral("p");
        q.enqueue(request(pool, JobPriority::High, QStringLiteral("soon"), 10000), 0);
        q.enqueue(request(pool, JobPriority::Low, QStringLiteral("forever")), 0);
        q.enqueue(request(pool, JobPriority::Low, QStringLiteral("later"), 10000), 0);
        QVERIFY(q.expire(9999).isEmpty());
        // An expired job is never handed out, even before expire() runs.
        QCOMPARE(tagOf(q.take(pool, 10000)), QStringLiteral("forever"));
        const QVector<DeadLetter> dead = q.expire(65000);
        QCOMPARE(dead.size(), 2);
        for (const DeadLetter &d : dead) {
            QVERIFY2(d.reason.startsWith(QStringLiteral("deadline passed after 65.0 s")),
                     qPrintable(d.reason));
            QVERIFY(d.job.id != QString());
        }
        QCOMPARE(q.depth(pool), 1);
        QCOMPARE(q.stats(pool, 65000).expired, 2);
        // Requeued with a new deadline.
        const auto back = q.requeue(dead[0].job.id, 70000, 80000);
        QCOMPARE(back->deadlineMs, 80000);
    }

    void jobsSurviveAReopen()
    {
        const QString file = path("persist.sqlite");
        QString id;
        {
            JobQueue q;
            QVERIFY(q.open(file));
            JobRequest r =
                request(QStringLiteral("p"), JobPriority::High, QStringLiteral("keep"), 99999);
            r.sessionKey = QStringLiteral("user-7");
            r.loop = QStringLiteral("loop_03");
            id = q.enqueue(r, 5)->id;
            q.enqueue(request(QStringLiteral("p"), JobPriority::Low, QStringLiteral("second")), 6);
            QVERIFY(q.take(QStringLiteral("p"), 10)); // leased when Drover "crashes"
            const auto dead = q.enqueue(
                request(QStringLiteral("p"), JobPriority::Low, QStringLiteral("dead")), 7);
            q.take(QStringLiteral("p"), 10);
            q.take(QStringLiteral("p"), 10);
            q.reject(dead->id, QStringLiteral("bad"), 11);
            QVERIFY(q.saveLoopRecord(QStringLiteral("loop_03"), LoopRecord{900000, 900100, true}));
        }
        JobQueue q;
        QVERIFY(q.open(file));
        QCOMPARE(q.depth(QStringLiteral("p")), 2);
        const auto j = q.take(QStringLiteral("p"), 20); // the lease did not survive: offered again
        QCOMPARE(j->id, id);
        QCOMPARE(j->priority, JobPriority::High);
        QCOMPARE(j->sessionKey, QStringLiteral("user-7"));
        QCOMPARE(j->loop, QStringLiteral("loop_03"));
        QCOMPARE(j->deadlineMs, 99999);
        QCOMPARE(j->enqueuedMs, 5);
        QCOMPARE(tagOf(j), QStringLiteral("keep"));
        QCOMPARE(q.deadLetters().size(), 1);
        QCOMPARE(q.queuedLoops(), QSet<QString>{QStringLiteral("loop_03")});
        const auto loops = q.loadLoopRecords();
        QCOMPARE(loops.value(QStringLiteral("loop_03")).lastSlotMs, 900000);
        QCOMPARE(loops.value(QStringLiteral("loop_03")).lastRunMs, 900100);
        QCOMPARE(q.pools(), QStringList{QStringLiteral("p")});
    }
};

QTEST_GUILESS_MAIN(TestJobQueue)
#include "tst_job_queue.moc"
