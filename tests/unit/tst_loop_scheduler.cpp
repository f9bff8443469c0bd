// The loop scheduler with simulated time: due times, jitter bounds, no overlap, missed runs.
#include "core/dispatch/loop_scheduler.h"

#include <QDateTime>
#include <QTimeZone>
#include <QtTest>

using namespace drover;

namespace {
constexpr qint64 kSecond = 1000;
constexpr qint64 kMinute = 60 * kSecond;
constexpr qint64 kHour = 60 * kMinute;
constexpr qint64 kDay = 24 * kHour;

qint64 utc(int y, int m, int d, int h = 0, int min = 0, int s = 0)
{
    return QDateTime(QDate(y, m, d), QTime(h, min, s), QTimeZone::utc()).toMSecsSinceEpoch();
}

LoopSpec fiveMinutes(MissedRunPolicy policy = MissedRunPolicy::RunOnce)
{
    LoopSpec s;
    s.name = QStringLiteral("probe");
    s.pool = QStringLiteral("loops");
    s.intervalMs = 5 * kMinute;
    s.jitterMs = 30 * kSecond;
    s.missedPolicy = policy;
    s.lateGraceMs = kMinute;
    return s;
}

LoopSpec byName(const QString &name)
{
    for (const LoopSpec &s : defaultLoops())
        if (s.name == name)
            return s;
    return {};
}
} // namespace

class TestLoopScheduler : public QObject
{
    Q_OBJECT
private slots:
    void theSeedsFifteenLoops_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<qint64>("interval");
        QTest::addColumn<bool>("monthly");
        QTest::addColumn<int>("priority");
        const struct
        {
            const char *name;
            qint64 interval;
            bool monthly;
            JobPriority priority;
        } rows[] = {
            {"loop_01", 5 * kMinute, false, JobPriority::High},
            {"loop_02", 10 * kMinute, false, JobPriority::High},
            {"loop_03", 15 * kMinute, false, JobPriority::Medium},
            {"loop_04", 15 * kMinute, false, JobPriority::Medium},
            {"loop_05", 30 * kMinute, false, JobPriority::Medium},
            {"loop_06", 30 * kMinute, false, JobPriority::Medium},
            {"loop_07", kHour, false, JobPriority::Low},
            {"loop_08", kHour, false, JobPriority::Low},
            {"loop_09", 2 * kHour, false, JobPriority::Low},
            {"loop_10", 3 * kHour, false, JobPriority::Low},
            {"loop_11", 6 * kHour, false, JobPriority::Low},
            {"loop_12", 12 * kHour, false, JobPriority::Low},
            {"loop_13", kDay, false, JobPriority::Low},
            {"loop_14", 7 * kDay, false, JobPriority::Low},
            {"loop_15", 0, true, JobPriority::Low},
        };
        for (const auto &r : rows)
            QTest::newRow(r.name) << QString::fromLatin1(r.name) << r.interval << r.monthly
                                  << int(r.priority);
    }
    void theSeedsFifteenLoops()
    {
        QFETCH(QString, name);
        QFETCH(qint64, interval);
        QFETCH(bool, monthly);
        QFETCH(int, priority);
        QCOMPARE(defaultLoops().size(), 15);
        const LoopSpec s = byName(name);
        QCOMPARE(s.name, name);
        QCOMPARE(s.pool, QStringLiteral("loops"));
        QCOMPARE(s.monthly, monthly);
        if (!monthly)
            QCOMPARE(s.intervalMs, interval);
        QCOMPARE(int(s.priority), priority);
        QVERIFY(!s.allowOverlap);
        QCOMPARE(s.payload.value(QStringLiteral("loop")).toString(), name);
        QVERIFY(s.jitterMs > 0 && s.jitterMs <= 5 * kMinute);
    }

    void runsOncePerSlotWithinItsJitter()
    {
        const LoopSpec spec = fiveMinutes();
        LoopScheduler scheduler({spec});
        const qint64 start = utc(2024, 3, 4, 10, 0, 0) + 45 * kSecond; // after 10:00's jitter
        scheduler.restore(
            {{spec.name, LoopRecord{utc(2024, 3, 4, 10, 0), utc(2024, 3, 4, 10, 0), false}}});
        QVector<qint64> runs;
        for (qint64 now = start; now < start + kHour; now += kSecond) {
            for (const LoopDecision &d : scheduler.tick(now)) {
                QCOMPARE(d.action, LoopAction::Run);
                QCOMPARE(d.missed, 0);
                QVERIFY(now >= d.slotMs && now <= d.slotMs + spec.jitterMs + kSecond);
                QVERIFY(now - d.dueMs < kSecond); // runs the tick its due time passes
                QCOMPARE(d.nextDueMs - d.slotMs >= spec.intervalMs, true);
                runs.append(now);
                scheduler.onRunFinished(spec.name);
            }
        }
        QCOMPARE(runs.size(), 12); // 10:05 ... 11:00
        QCOMPARE(scheduler.record(spec.name).lastSlotMs, utc(2024, 3, 4, 11, 0));
    }

    void jitterStaysWithinItsBoundsAndSpreads()
    {
        for (const LoopSpec &spec : defaultLoops()) {
            const qint64 jitter = loopEffectiveJitterMs(spec);
            QVERIFY(jitter > 0);
            qint64 lo = jitter, hi = 0;
            const qint64 first = loopSlotIndexAt(spec, utc(2024, 1, 1));
            for (qint64 slot = first; slot < first + 500; ++slot) {
                const qint64 offset = loopSlotDueMs(spec, slot) - loopSlotNominalMs(spec, slot);
                QVERIFY(offset >= 0 && offset <= jitter);
                QCOMPARE(loopSlotDueMs(spec, slot), loopSlotDueMs(spec, slot)); // deterministic
                lo = qMin(lo, offset);
                hi = qMax(hi, offset);
            }
            QVERIFY2(lo < jitter / 5 && hi > jitter * 4 / 5, qPrintable(spec.name));
        }
        // Jitter never reaches the next slot.
        LoopSpec wild = fiveMinutes();
        wild.jitterMs = kHour;
        QCOMPARE(loopEffectiveJitterMs(wild), 150 * kSecond);
    }

    void calendarAlignment()
    {
        // Weekly on Mondays, monthly on the 1st, daily at midnight UTC.
        const LoopSpec weekly = byName(QStringLiteral("loop_14"));
        const LoopSpec monthly = byName(QStringLiteral("loop_15"));
        const LoopSpec daily = byName(QStringLiteral("loop_13"));
        const qint64 wed = utc(2024, 3, 6, 15, 0);
        QCOMPARE(loopSlotNominalMs(weekly, loopSlotIndexAt(weekly, wed)), utc(2024, 3, 4));
        QCOMPARE(loopSlotNominalMs(monthly, loopSlotIndexAt(monthly, wed)), utc(2024, 3, 1));
        QCOMPARE(loopSlotNominalMs(monthly, loopSlotIndexAt(monthly, wed) + 1), utc(2024, 4, 1));
        QCOMPARE(loopSlotNominalMs(daily, loopSlotIndexAt(daily, wed)), utc(2024, 3, 6));

        // Monthly through February of a leap year.
        LoopScheduler s({monthly});
        s.restore({{monthly.name, LoopRecord{utc(2024, 1, 1), utc(2024, 1, 1), false}}});
        QVERIFY(s.tick(utc(2024, 1, 31, 23, 59)).isEmpty());
        const QVector<LoopDecision> d = s.tick(utc(2024, 2, 1, 1, 0));
        QCOMPARE(d.size(), 1);
        QCOMPARE(d[0].slotMs, utc(2024, 2, 1));
        QCOMPARE(d[0].nextDueMs >= utc(2024, 3, 1), true);
    }

    void noOverlapWithItself()
    {
        const LoopSpec spec = fiveMinutes();
        LoopScheduler s({spec});
        s.restore({{spec.name, LoopRecord{utc(2024, 3, 4, 10, 0), -1, false}}});
        const qint64 t1 = utc(2024, 3, 4, 10, 6);
        QCOMPARE(s.tick(t1).value(0).action, LoopAction::Run);
        QVERIFY(s.record(spec.name).running);
        // The run is still queued when the next slot comes: blocked, and the slot is kept.
        const qint64 t2 = utc(2024, 3, 4, 10, 11);
        QCOMPARE(s.tick(t2).value(0).action, LoopAction::Blocked);
        QCOMPARE(s.tick(t2 + kSecond).value(0).action, LoopAction::Blocked);
        s.onRunFinished(spec.name);
        const LoopDecision d = s.tick(t2 + 2 * kSecond).value(0);
        QCOMPARE(d.action, LoopAction::Run);
        QCOMPARE(d.slotMs, utc(2024, 3, 4, 10, 10));
        QVERIFY(s.tick(t2 + 3 * kSecond).isEmpty());

        // A loop that allows overlap runs regardless.
        LoopSpec overlapping = spec;
        overlapping.allowOverlap = true;
        LoopScheduler o({overlapping});
        o.restore({{spec.name, LoopRecord{utc(2024, 3, 4, 10, 0), -1, false}}});
        QCOMPARE(o.tick(t1).value(0).action, LoopAction::Run);
        QCOMPARE(o.tick(t2).value(0).action, LoopAction::Run);
    }

    void missedRuns_data()
    {
        QTest::addColumn<int>("policy");
        QTest::addColumn<qint64>("downFor"); // since the last slot handled
        QTest::addColumn<int>("action");
        QTest::addColumn<int>("missed");
        const qint64 jitterSafe = 45 * kSecond; // past any 5-minute slot's jitter
        // Run once: one catch-up run however long Drover was down.
        QTest::newRow("run once, one slot, on time")
            << int(MissedRunPolicy::RunOnce) << 5 * kMinute + jitterSafe << int(LoopAction::Run)
            << 0;
        QTest::newRow("run once, 2 h down") << int(MissedRunPolicy::RunOnce)
                                            << 2 * kHour + jitterSafe << int(LoopAction::Run) << 23;
        // Skip: a late slot is skipped, not run.
        QTest::newRow("skip, one slot, on time")
            << int(MissedRunPolicy::Skip) << 5 * kMinute + jitterSafe << int(LoopAction::Run) << 0;
        QTest::newRow("skip, 2 h down, latest slot late")
            << int(MissedRunPolicy::Skip) << 2 * kHour + 3 * kMinute << int(LoopAction::Skip) << 24;
        QTest::newRow("skip, 2 h down, latest slot fresh")
            << int(MissedRunPolicy::Skip) << 2 * kHour + jitterSafe << int(LoopAction::Run) << 23;
    }
    void missedRuns()
    {
        QFETCH(int, policy);
        QFETCH(qint64, downFor);
        QFETCH(int, action);
        QFETCH(int, missed);
        const LoopSpec spec = fiveMinutes(MissedRunPolicy(policy));
        const qint64 last = utc(2024, 3, 4, 10, 0);
        LoopScheduler s({spec});
        s.restore({{spec.name, LoopRecord{last, last, false}}});
        const QVector<LoopDecision> d = s.tick(last + downFor);
        QCOMPARE(d.size(), 1);
        QCOMPARE(int(d[0].action), action);
        QCOMPARE(d[0].missed, missed);
        QVERIFY(!d[0].reason.isEmpty());
        // Whatever happened, the slots up to now are handled: nothing more until the next one.
        QVERIFY(s.tick(last + downFor + kSecond).isEmpty());
        s.onRunFinished(spec.name);
        const LoopDecision next = s.preview(last + downFor).value(0);
        QCOMPARE(next.action, LoopAction::Wait);
        QVERIFY(next.nextDueMs > last + downFor);
        QVERIFY(next.nextDueMs - (last + downFor) <= spec.intervalMs + spec.jitterMs);
    }

    void firstStartCountsFromTheNextSlot()
    {
        const LoopSpec spec = fiveMinutes();
        LoopScheduler s({spec});
        const qint64 now = utc(2024, 3, 4, 10, 2);
        QVERIFY(s.tick(now).isEmpty());
        QCOMPARE(s.record(spec.name).lastSlotMs, utc(2024, 3, 4, 10, 0));
        QVERIFY(s.tick(utc(2024, 3, 4, 10, 4)).isEmpty());
        QCOMPARE(s.tick(utc(2024, 3, 4, 10, 5, 31)).value(0).action, LoopAction::Run);

        LoopSpec eager = spec;
        eager.runAtFirstStart = true;
        LoopScheduler e({eager});
        QCOMPARE(e.tick(now).value(0).action, LoopAction::Run);
    }

    void aRestartSeesTheSameSchedule()
    {
        // Records persisted and restored give the same decisions as an uninterrupted run.
        const QVector<LoopSpec> loops = defaultLoops();
        LoopScheduler a(loops);
        const qint64 t0 = utc(2024, 3, 4, 9, 0);
        a.tick(t0); // first start
        qint64 now = t0;
        for (; now < t0 + 3 * kHour; now += 10 * kSecond) {
            for (const LoopDecision &d : a.tick(now))
                a.onRunFinished(d.loop);
        }
        LoopScheduler b(loops);
        b.restore(a.records());
        const qint64 later = now + 20 * kMinute;
        QStringList ranA, ranB;
        for (const LoopDecision &d : a.tick(later))
            ranA.append(d.loop + QLatin1Char(':') + loopActionName(d.action));
        for (const LoopDecision &d : b.tick(later))
            ranB.append(d.loop + QLatin1Char(':') + loopActionName(d.action));
        QCOMPARE(ranB, ranA);
        QVERIFY(ranA.contains(QStringLiteral("loop_01:skip")) ||
                ranA.contains(QStringLiteral("loop_01:run")));
    }
};

QTEST_GUILESS_MAIN(TestLoopScheduler)
#include "tst_loop_scheduler.moc"
