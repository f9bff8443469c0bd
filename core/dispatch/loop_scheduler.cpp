#include "loop_scheduler.h"

#include "hash_ring.h"

#include <QDateTime>
#include <QTimeZone>
#include <algorithm>
#include <climits>

namespace drover {

namespace {
constexpr qint64 kMinute = 60LL * 1000;
constexpr qint64 kHour = 60 * kMinute;
constexpr qint64 kDay = 24 * kHour;
constexpr qint64 kMonthlyMaxJitterMs = 14 * kDay;

qint64 floorDiv(qint64 a, qint64 b)
{
    qint64 q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        --q;
    return q;
}

QDateTime epochUtc()
{
    return QDateTime(QDate(1970, 1, 1), QTime(0, 0), QTimeZone::utc());
}

bool validSpec(const LoopSpec &spec)
{
    return spec.monthly || spec.intervalMs > 0;
}
} // namespace

QString loopActionName(LoopAction action)
{
    switch (action) {
    case LoopAction::Wait:
        return QStringLiteral("wait");
    case LoopAction::Run:
        return QStringLiteral("run");
    case LoopAction::Skip:
        return QStringLiteral("skip");
    case LoopAction::Blocked:
        return QStringLiteral("blocked");
    }
    return QString();
}

QString missedRunPolicyName(MissedRunPolicy policy)
{
    return policy == MissedRunPolicy::Skip ? QStringLiteral("skip") : QStringLiteral("run_once");
}

qint64 loopSlotNominalMs(const LoopSpec &spec, qint64 slot)
{
    if (spec.monthly)
        return epochUtc().addMonths(int(slot)).toMSecsSinceEpoch();
    return spec.anchorMs + slot * spec.intervalMs;
}

qint64 loopSlotIndexAt(const LoopSpec &spec, qint64 timeMs)
{
    if (spec.monthly) {
        const QDate d = QDateTime::fromMSecsSinceEpoch(timeMs, QTimeZone::utc()).date();
        return qint64(d.year() - 1970) * 12 + (d.month() - 1);
    }
    return floorDiv(timeMs - spec.anchorMs, spec.intervalMs);
}

qint64 loopEffectiveJitterMs(const LoopSpec &spec)
{
    const qint64 half = spec.monthly ? kMonthlyMaxJitterMs : spec.intervalMs / 2;
    return std::clamp<qint64>(spec.jitterMs, 0, half);
}

qint64 loopSlotDueMs(const LoopSpec &spec, qint64 slot)
{
    const qint64 jitter = loopEffectiveJitterMs(spec);
    qint64 offset = 0;
    if (jitter > 0) {
        // A fraction in [0, 1) from the loop's name and the slot: stable across restarts, so
        // the same slot is due at the same moment before and after one.
        const QByteArray key = spec.name.toUtf8() + '#' + QByteArray::number(slot);
        const double fraction = double(stableHash64(key) >> 11) / double(1ULL << 53);
        offset = qint64(fraction * double(jitter + 1));
        offset = std::min(offset, jitter);
    }
    return loopSlotNominalMs(spec, slot) + offset;
}

LoopDecision decideLoop(const LoopSpec &spec, const LoopRecord &record, qint64 nowMs)
{
    LoopDecision d;
    d.loop = spec.name;
    if (!validSpec(spec)) {
        d.reason = QStringLiteral("no interval");
        return d;
    }
    // The latest slot already due (its jitter included).
    qint64 slot = loopSlotIndexAt(spec, nowMs);
    if (loopSlotDueMs(spec, slot) > nowMs)
        --slot;
    d.slotMs = loopSlotNominalMs(spec, slot);
    d.dueMs = loopSlotDueMs(spec, slot);
    d.nextDueMs = loopSlotDueMs(spec, slot + 1);
    if (!spec.enabled) {
        d.reason = QStringLiteral("disabled");
        return d;
    }

    if (record.lastSlotMs < 0) {
        if (!spec.runAtFirstStart) {
            // Slots start counting now; tick() records this slot as handled.
            d.reason = QStringLiteral("first start: runs from the next slot");
            return d;
        }
        if (record.running && !spec.allowOverlap) {
            d.action = LoopAction::Blocked;
            d.reason = QStringLiteral("the previous run is still going");
            return d;
        }
        d.action = LoopAction::Run;
        d.reason = QStringLiteral("first start");
        return d;
    }

    const qint64 lastSlot = loopSlotIndexAt(spec, record.lastSlotMs);
    if (slot <= lastSlot) {
        d.nextDueMs = loopSlotDueMs(spec, std::max(slot, lastSlot) + 1);
        d.reason = QStringLiteral("not due");
        return d;
    }
    const qint64 pending = slot - lastSlot;
    d.missed = int(std::min<qint64>(pending - 1, INT_MAX));

    if (record.running && !spec.allowOverlap) {
        d.action = LoopAction::Blocked;
        d.reason = QStringLiteral("due, but the previous run is still going (no overlap)");
        return d;
    }
    const bool late = nowMs - d.dueMs > spec.lateGraceMs;
    if (spec.missedPolicy == MissedRunPolicy::Skip && late) {
        d.action = LoopAction::Skip;
        d.missed = int(std::min<qint64>(pending, INT_MAX));
        d.reason = QStringLiteral("missed %1 slot(s); skip policy: next run at the next slot")
                       .arg(pending);
        return d;
    }
    d.action = LoopAction::Run;
    if (d.missed > 0) {
        d.reason = spec.missedPolicy == MissedRunPolicy::Skip
                       ? QStringLiteral("due; %1 earlier slot(s) missed and skipped").arg(d.missed)
                       : QStringLiteral("catch-up: %1 missed slot(s) run once").arg(d.missed);
    } else {
        d.reason = late ? QStringLiteral("due (late)") : QStringLiteral("due");
    }
    return d;
}

LoopSpec seedLoopSpec(const QString &name, const QString &pool, JobPriority priority,
                      qint64 intervalMs, bool monthly)
{
    LoopSpec s;
    s.name = name;
    s.pool = pool;
    s.priority = priority;
    s.intervalMs = monthly ? 0 : intervalMs;
    s.monthly = monthly;
    // Weekly on Mondays: 1970-01-01 was a Thursday, the first Monday 4 days later.
    s.anchorMs = !monthly && intervalMs == 7 * kDay ? 4 * kDay : 0;
    // 10 % of the interval, at most 5 minutes: loops sharing a slot spread out.
    s.jitterMs = monthly ? 5 * kMinute : std::min(intervalMs / 10, 5 * kMinute);
    // Frequent loops skip what downtime missed (the next slot is minutes away); daily and
    // longer loops catch up once, or a reboot at the wrong time would cost a week.
    s.missedPolicy = !monthly && intervalMs < kDay ? MissedRunPolicy::Skip : MissedRunPolicy::RunOnce;
    s.lateGraceMs = std::max<qint64>(kMinute, loopEffectiveJitterMs(s));
    s.payload.insert(QStringLiteral("loop"), s.name);
    return s;
}

QVector<LoopSpec> defaultLoops(const QString &pool)
{
    struct Row
    {
        const char *name;
        qint64 interval;
        bool monthly;
        JobPriority priority;
    };
    const Row rows[] = {
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
    QVector<LoopSpec> loops;
    for (const Row &row : rows)
        loops.append(seedLoopSpec(QString::fromLatin1(row.name), pool, row.priority, row.interval,
                                  row.monthly));
    return loops;
}

LoopScheduler::LoopScheduler(QVector<LoopSpec> specs) : m_specs(std::move(specs)) {}

void LoopScheduler::setSpecs(QVector<LoopSpec> specs)
{
    m_specs = std::move(specs);
}

void LoopScheduler::restore(const QHash<QString, LoopRecord> &records)
{
    for (auto it = records.cbegin(); it != records.cend(); ++it) {
        LoopRecord r = it.value();
        r.running = m_records.value(it.key()).running || r.running;
        m_records.insert(it.key(), r);
    }
}

QVector<LoopDecision> LoopScheduler::tick(qint64 nowMs)
{
    QVector<LoopDecision> out;
    for (const LoopSpec &spec : std::as_const(m_specs)) {
        LoopRecord &record = m_records[spec.name];
        const LoopDecision d = decideLoop(spec, record, nowMs);
        switch (d.action) {
        case LoopAction::Wait:
            if (record.lastSlotMs < 0 && spec.enabled && d.slotMs != -1 && validSpec(spec))
                record.lastSlotMs = d.slotMs; // first start: count from the next slot
            continue;
        case LoopAction::Run:
            record.lastSlotMs = d.slotMs;
            record.lastRunMs = nowMs;
            record.running = true;
            break;
        case LoopAction::Skip:
            record.lastSlotMs = d.slotMs;
            break;
        case LoopAction::Blocked:
            break;
        }
        out.append(d);
    }
    return out;
}

void LoopScheduler::onRunFinished(const QString &loop)
{
    auto it = m_records.find(loop);
    if (it != m_records.end())
        it->running = false;
}

void LoopScheduler::setRunning(const QString &loop, bool running)
{
    m_records[loop].running = running;
}

QVector<LoopDecision> LoopScheduler::preview(qint64 nowMs) const
{
    QVector<LoopDecision> out;
    for (const LoopSpec &spec : m_specs)
        out.append(decideLoop(spec, m_records.value(spec.name), nowMs));
    return out;
}

} // namespace drover
