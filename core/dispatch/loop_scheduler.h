// The loop scheduler: recurring agent loops (the seed's 15, from every 5 minutes to monthly),
// each enqueuing a job into its pool when a slot comes due. A pure decision core: given the
// loops, what each last did (a LoopRecord) and `now`, it says what is due.
//
// Slots are aligned to the calendar in UTC (a 5-minute loop at :00, :05, ...; daily at
// midnight; weekly on Mondays; monthly on the 1st), each pushed later by a jitter drawn from a
// hash of the loop's name and the slot, so the same inputs always give the same answer and
// loops that share a slot do not all fire in the same second.
//
// No overlap: while a run of a loop is still in the queue (or being delivered) a due slot
// waits (Blocked) unless the loop allows overlap; several slots due meanwhile make one run.
//
// Missed runs (Drover was down, or a run blocked across slots), by the loop's policy:
//   RunOnce  one catch-up run now, however many slots were missed (reported as `missed`);
//   Skip     a slot later than lateGraceMs after its due time is skipped, not run; the loop
//            runs again at its next slot. A slot caught in time still runs.
// A loop seen for the first time starts counting at its next slot (no burst of 15 runs at the
// first start) unless runAtFirstStart.
#pragma once

#include "dispatch_types.h"

#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QVector>

namespace drover {

enum class MissedRunPolicy
{
    RunOnce,
    Skip
};

struct LoopSpec
{
    QString name;
    QString pool;
    JobPriority priority = JobPriority::Low;
    qint64 intervalMs = 0; // fixed interval; ignored when monthly
    bool monthly = false;  // the 1st of each month, 00:00 UTC
    qint64 anchorMs = 0;   // fixed slots are anchorMs + k * intervalMs (UTC ms since epoch)
    qint64 jitterMs = 0;   // a slot comes due up to this much after its nominal time
    bool allowOverlap = false;
    MissedRunPolicy missedPolicy = MissedRunPolicy::RunOnce;
    qint64 lateGraceMs = 60000; // Skip policy: later than this after the due time = missed
    bool runAtFirstStart = false;
    bool enabled = true;
    QJsonObject payload; // the job's payload ("loop" is added by the dispatcher)
};

// What a loop last did; persist it (JobQueue::saveLoopRecord) so missed runs are seen after a
// restart.
struct LoopRecord
{
    qint64 lastSlotMs = -1; // nominal time of the last slot handled (run or skipped); -1: never
    qint64 lastRunMs = -1;  // when it last ran (its job was enqueued)
    bool running = false;   // a run is still queued or being delivered
};

enum class LoopAction
{
    Wait,    // nothing due
    Run,     // enqueue a job now
    Skip,    // a missed slot is skipped (Skip policy)
    Blocked, // due, but the previous run is still going and overlap is not allowed
};

QString loopActionName(LoopAction action);
QString missedRunPolicyName(MissedRunPolicy policy); // "run_once", "skip"

struct LoopDecision
{
    QString loop;
    LoopAction action = LoopAction::Wait;
    qint64 slotMs = -1;    // nominal time of the slot concerned (the latest due one)
    qint64 dueMs = -1;     // that slot's due time (nominal + jitter)
    int missed = 0;        // slots that came due and will not run on their own
    qint64 nextDueMs = -1; // the due time of the next slot
    QString reason;
};

// Slot arithmetic, exposed for tests and the UI.
qint64 loopSlotNominalMs(const LoopSpec &spec, qint64 slot);
qint64 loopSlotDueMs(const LoopSpec &spec, qint64 slot);     // nominal + deterministic jitter
qint64 loopSlotIndexAt(const LoopSpec &spec, qint64 timeMs); // the slot whose nominal <= time
qint64 loopEffectiveJitterMs(const LoopSpec &spec);          // jitterMs, at most half a slot

LoopDecision decideLoop(const LoopSpec &spec, const LoopRecord &record, qint64 nowMs);

// One loop with the seed's rules for what the caller leaves open: Monday anchor for weekly
// loops, jitter 10 % of the interval (at most 5 min), missed runs skipped below a day and run
// once from a day up, the late grace, and "loop" in the payload.
LoopSpec seedLoopSpec(const QString &name, const QString &pool, JobPriority priority,
                      qint64 intervalMs, bool monthly = false);

// The seed's 15 loops (loop_01 every 5 min, high ... loop_15 monthly, low), all into `pool`.
QVector<LoopSpec> defaultLoops(const QString &pool = QStringLiteral("loops"));

class LoopScheduler
{
public:
    explicit LoopScheduler(QVector<LoopSpec> specs = defaultLoops());

    const QVector<LoopSpec> &specs() const { return m_specs; }
    void setSpecs(QVector<LoopSpec> specs);
    void restore(const QHash<QString, LoopRecord> &records);

    // Decides every loop at `nowMs`, applies the decisions to the records (Run: the slot is
    // consumed and the loop is running; Skip: the slot is consumed) and returns every
    // decision that is not Wait. The caller enqueues the Run ones and persists records().
    QVector<LoopDecision> tick(qint64 nowMs);
    // The run's job was delivered (or dead-lettered): the loop may run again.
    void onRunFinished(const QString &loop);
    // Marks a loop running without a decision (a restart found its job still queued).
    void setRunning(const QString &loop, bool running);

    LoopRecord record(const QString &loop) const { return m_records.value(loop); }
    const QHash<QString, LoopRecord> &records() const { return m_records; }
    // Every loop's decision at `nowMs` without applying anything (next due times for the UI).
    QVector<LoopDecision> preview(qint64 nowMs) const;

private:
    QVector<LoopSpec> m_specs;
    QHash<QString, LoopRecord> m_records;
};

} // namespace drover
