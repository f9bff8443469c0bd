// The Work tab against a real engine whose pool runs two drover-agent replicas that listen on
// another port than the one Drover gave them (--port 0): ready as processes, but every job
// delivery fails. Each job is tried on both replicas (max_retries 1) and becomes a dead letter;
// after five jobs both circuit breakers are open. The view lists the dead letters and breakers;
// Requeue (several after a confirmation) puts jobs back in the queue, where they wait for the
// breakers' half-open trial and are delivered again; a requeue the engine refuses says so.
#include "console_fixture.h"
#include "ui/work_model.h"
#include "ui/work_view.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QtTest>
#include <limits>

using namespace drover;
using namespace drover::ui;
using drover::ui::test::ConsoleFixture;

namespace {

constexpr int kSlow = 60000; // a loaded two-core machine

const QByteArray kFleet =
    "version: 1\n"
    "tiers:\n"
    "  work: { cpu_cores: 1, memory_mb: 0, concurrent_tasks: 1, gpt_tokens_per_min: 1000000 }\n"
    "pools:\n"
    "  - name: flaky\n"
    "    command: AGENT\n"
    "    args: ['--port', '0']\n"
    "    replicas: { min: 2, max: 2, initial: 2 }\n"
    "    tier: work\n"
    "    stop_timeout: 5s\n"
    "    health: { mode: process }\n"
    "    autoscale: { enabled: false }\n"
    "dispatch:\n"
    "  retry_backoff: 100ms\n"
    "  request_timeout: 2s\n"
    "  pools: { flaky: { max_retries: 1 } }\n"
    "  loops: []\n";

const PoolWorkView *flaky(const WorkView *view)
{
    return view->poolsModel()->pool(QStringLiteral("flaky"));
}

bool allBreakersOpen(const WorkView *view)
{
    const PoolWorkView *p = flaky(view);
    if (!p || p->replicas.size() != 2)
        return false;
    for (const ReplicaWorkView &r : p->replicas)
        if (r.breaker != QLatin1String("open"))
            return false;
    return true;
}

qint64 failures(const WorkView *view)
{
    qint64 n = 0;
    if (const PoolWorkView *p = flaky(view))
        for (const ReplicaWorkView &r : p->replicas)
            n += r.failures;
    return n;
}

int poolRow(const WorkView *view)
{
    const QAbstractItemModel *m = view->poolsTable()->model();
    for (int r = 0; r < m->rowCount(); ++r)
        if (m->index(r, 0).data(PoolWorkModel::PoolRole).toString() == QLatin1String("flaky"))
            return r;
    return -1;
}

} // namespace

class TestWorkView : public QObject
{
    Q_OBJECT
private slots:
    void deadLettersAreListedAndRequeued()
    {
        ConsoleFixture c(kFleet, DROVER_AGENT_EXE);
        WorkView *view = c.window.workView();
        QVERIFY(view);
        c.window.tabs()->setCurrentWidget(view);
        QTRY_VERIFY_WITH_TIMEOUT(flaky(view) && flaky(view)->replicas.size() == 2, kSlow);
        QVERIFY(view->dispatchLabel()->text().startsWith(QLatin1String("Dispatching to 1 pool")));
        QVERIFY(!view->requeueButton()->isEnabled()); // nothing selected
        // Every control explains itself and has a name for screen readers.
        for (QWidget *w : {static_cast<QWidget *>(view->poolsTable()),
                           static_cast<QWidget *>(view->deadLetterTable()),
                           static_cast<QWidget *>(view->requeueButton()),
                           static_cast<QWidget *>(view->dispatchLabel()),
                           static_cast<QWidget *>(view->messageLabel())}) {
            QVERIFY(!w->toolTip().isEmpty());
            QVERIFY(!w->accessibleName().isEmpty());
        }

        // Five jobs, one after the other: each fails on both replicas and is given up on.
        for (int i = 0; i < 5; ++i) {
            c.engine->submitJob(QStringLiteral("flaky"), QJsonObject{{QStringLiteral("cpu_ms"), 5}},
                                QStringLiteral("high"));
            QTRY_COMPARE_WITH_TIMEOUT(view->deadLetterModel()->rowCount(), i + 1, kSlow);
        }
        QTRY_VERIFY_WITH_TIMEOUT(allBreakersOpen(view), kSlow);
        QCOMPARE(failures(view), qint64(10));
        const QAbstractItemModel *pools = view->poolsTable()->model();
        const int row = poolRow(view);
        QVERIFY(row >= 0);
        QCOMPARE(pools->index(row, PoolWorkModel::Breakers).data().toString(),
                 QStringLiteral("2 open"));
        QVERIFY(pools->index(row, PoolWorkModel::Breakers)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QLatin1String("Replica 1: breaker open")));
        QTRY_COMPARE_WITH_TIMEOUT(pools->index(row, PoolWorkModel::DeadLetters).data().toInt(), 5,
                                  kSlow);
        QCOMPARE(pools->index(row, PoolWorkModel::Waiting).data().toInt(), 0);

        // The dead letters: newest first, each with its pool, attempts and reason.
        const QAbstractItemModel *dead = view->deadLetterTable()->model();
        QCOMPARE(dead->rowCount(), 5);
        QStringList ids;
        qint64 previousDeadMs = std::numeric_limits<qint64>::max();
        for (int r = 0; r < 5; ++r) {
            QCOMPARE(dead->index(r, DeadLetterModel::Pool).data().toString(),
                     QStringLiteral("flaky"));
            QCOMPARE(dead->index(r, DeadLetterModel::Attempts).data().toInt(), 2);
            QVERIFY2(dead->index(r, DeadLetterModel::Reason)
                         .data()
                         .toString()
                         .contains(QLatin1String("max retries 1")),
                     qPrintable(dead->index(r, DeadLetterModel::Reason).data().toString()));
            const qint64 deadMs = dead->index(r, DeadLetterModel::Dead).data(SortRole).toLongLong();
            QVERIFY(deadMs <= previousDeadMs);
            previousDeadMs = deadMs;
            ids << dead->index(r, 0).data(DeadLetterModel::IdRole).toString();
            QVERIFY(dead->index(r, DeadLetterModel::Reason)
                        .data(Qt::ToolTipRole)
                        .toString()
                        .contains(ids.last()));
        }
        // Sorting by attempts (all equal) or pool keeps five rows; by job id ascending orders ids.
        view->deadLetterTable()->sortByColumn(DeadLetterModel::Id, Qt::AscendingOrder);
        QStringList sorted = ids;
        sorted.sort();
        QCOMPARE(dead->index(0, 0).data(DeadLetterModel::IdRole).toString(), sorted.first());
        view->deadLetterTable()->sortByColumn(DeadLetterModel::Dead, Qt::DescendingOrder);

        // A requeue the engine refuses: the job was requeued elsewhere a moment before (here:
        // straight to the engine), so the view's own request names a dead letter that is gone.
        const QString refused = ids[4];
        QCOMPARE(view->selectIds({refused}), 1);
        QVERIFY(view->requeueButton()->isEnabled());
        c.engine->requeueDeadLetter(refused);
        QTest::mouseClick(view->requeueButton(), Qt::LeftButton); // before any snapshot comes in
        QTRY_VERIFY_WITH_TIMEOUT(view->messageLabel()->text().contains(QLatin1String("refused")),
                                 kSlow);
        QVERIFY2(view->messageLabel()->text().contains(refused),
                 qPrintable(view->messageLabel()->text()));
        QVERIFY(view->messageLabel()->isVisible());
        QVERIFY(!c.refusals.isEmpty() && c.refusals.last().contains(refused));

        // Several at once ask first; "no" sends nothing.
        QTRY_COMPARE_WITH_TIMEOUT(view->deadLetterModel()->rowCount(), 4, kSlow);
        QSignalSpy requested(view, &WorkView::requeueRequested);
        int asked = 0;
        view->setConfirm([&asked](const QString &, const QString &) {
            ++asked;
            return false;
        });
        QCOMPARE(view->selectIds({ids[0], ids[1]}), 2);
        QCOMPARE(view->requeueButton()->text(), QStringLiteral("Re&queue 2"));
        QTest::mouseClick(view->requeueButton(), Qt::LeftButton);
        QCOMPARE(asked, 1);
        QCOMPARE(requested.size(), 0);
        view->setConfirm([&asked](const QString &, const QString &) {
            ++asked;
            return true;
        });
        // This time by its keyboard shortcut.
        c.window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&c.window));
        view->deadLetterTable()->setFocus();
        QTest::keyClick(view->deadLetterTable(), Qt::Key_R,
                        Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(asked, 2);
        QCOMPARE(requested.size(), 2);

        // They leave the dead letters and wait in the queue: both breakers are still open.
        QTRY_COMPARE_WITH_TIMEOUT(view->deadLetterModel()->rowCount(), 2, kSlow);
        QCOMPARE(view->deadLetterModel()->rowOf(ids[0]), -1);
        QCOMPARE(view->deadLetterModel()->rowOf(ids[1]), -1);
        QTRY_COMPARE_WITH_TIMEOUT(flaky(view)->waiting, 3, kSlow);
        QVERIFY(view->messageLabel()->text().startsWith(QLatin1String("Requeued")));
        QCOMPARE(failures(view), qint64(10));

        // The half-open trial (30 s after the breakers opened) delivers a requeued job again;
        // it fails again, since its cause (the agents' wrong port) remains.
        QTRY_VERIFY_WITH_TIMEOUT(failures(view) > 10, 3 * kSlow);
    }

    // The provider's 429s reach the Work tab per pool, end to end: the simulated upstream
    // allows one request a minute, the gateway does not retry, and the pool's row counts the
    // provider's 429s and says, in red, that the pool is waiting for the provider's reset.
    void providerThrottlingIsShownPerPool()
    {
        const QByteArray yaml =
            "version: 1\n"
            "pools:\n"
            "  - name: chatty\n"
            "    command: AGENT\n"
            "    replicas: { min: 1, max: 1, initial: 1 }\n"
            "    tier: basic\n"
            "    stop_timeout: 5s\n"
            "    health: { interval: 300ms }\n"
            "    autoscale: { enabled: false }\n"
            "gateway:\n"
            "  upstream: simulated\n"
            "  max_retries: 0\n"
            "  simulated: { requests_per_minute: 1 }\n"
            "dispatch:\n"
            "  intake: false\n"
            "  loops:\n"
            "    - { name: chat, pool: chatty, every: 1s, jitter: 0s, run_at_first_start: true,"
            " payload: { gpt: true, cpu_ms: 5 } }\n";
        ConsoleFixture c(yaml, DROVER_AGENT_EXE);
        WorkView *view = c.window.workView();
        QVERIFY(view);
        c.window.tabs()->setCurrentWidget(view);
        const auto chatty = [view] { return view->poolsModel()->pool(QStringLiteral("chatty")); };
        QTRY_VERIFY_WITH_TIMEOUT(chatty() && chatty()->providerRejected > 0
                                     && chatty()->providerThrottled(), kSlow);
        QVERIFY(chatty()->providerThrottledUntilMs > QDateTime::currentMSecsSinceEpoch() - 5000);

        const QAbstractItemModel *m = view->poolsTable()->model();
        QModelIndex cell;
        for (int r = 0; r < m->rowCount(); ++r)
            if (m->index(r, 0).data(PoolWorkModel::PoolRole).toString() == QLatin1String("chatty"))
                cell = m->index(r, PoolWorkModel::ProviderRejected);
        QVERIFY(cell.isValid());
        QCOMPARE(m->headerData(PoolWorkModel::ProviderRejected, Qt::Horizontal).toString(),
                 QStringLiteral("Provider 429s"));
        QVERIFY2(cell.data().toString().endsWith(QLatin1String(", waiting")),
                 qPrintable(cell.data().toString()));
        QVERIFY(cell.data(SortRole).toLongLong() > 0);
        QCOMPARE(cell.data(Qt::ForegroundRole).value<QBrush>().color(), QColor(0xc0, 0x39, 0x2b));
        QVERIFY2(cell.data(Qt::ToolTipRole).toString().contains(QLatin1String("wait until")),
                 qPrintable(cell.data(Qt::ToolTipRole).toString()));
        // The gateway's own budget refused nothing: these 429s are the provider's.
        QCOMPARE(chatty()->rejected, qint64(0));
    }

    // Not a timed assertion: QBENCHMARK reports what a snapshot costs the Work tab in the UI
    // thread with 20 pools of 8 replicas and the full 100 dead letters, every snapshot bringing a
    // new dead letter (the rows are rebuilt and the selection restored). Run with -iterations N.
    void snapshotWithAFullDeadLetterList()
    {
        Snapshot a;
        for (int p = 0; p < 20; ++p) {
            PoolWorkView w;
            w.pool = QStringLiteral("pool%1").arg(p);
            w.waiting = p;
            for (int r = 0; r < 8; ++r) {
                ReplicaWorkView rv;
                rv.replica = r;
                rv.breaker = r == 0 ? QStringLiteral("open") : QStringLiteral("closed");
                w.replicas.append(rv);
            }
            a.work.append(w);
        }
        for (int i = 0; i < 101; ++i) {
            DeadLetterView d;
            d.id = QStringLiteral("job-%1").arg(i);
            d.pool = QStringLiteral("pool%1").arg(i % 20);
            d.reason =
                QStringLiteral("2 deliveries failed (max retries 1); last: Connection refused");
            d.attempts = 2;
            d.deadMs = 1000 + i;
            a.deadLetters.prepend(d); // newest first
        }
        Snapshot b = a;
        a.deadLetters.removeLast(); // a: 100..1, b: 100..0 without 100 -> different rows
        b.deadLetters.removeFirst();
        WorkView view;
        view.resize(1200, 800);
        view.show();
        view.setSnapshot(a);
        QCOMPARE(view.selectIds({QStringLiteral("job-50"), QStringLiteral("job-51")}), 2);
        bool flip = false;
        QBENCHMARK
        {
            view.setSnapshot((flip = !flip) ? b : a);
        }
        QCOMPARE(view.deadLetterModel()->rowCount(), 100);
        QCOMPARE(view.selectedIds().size(), 2); // the selection survived every rebuild
    }
};

QTEST_MAIN(TestWorkView)
#include "tst_work_view.moc"
