// The alerting step of the engine tick: the alert engine (rules from drover.yaml plus the seed
// rules) over the engine's series, then the notification policy, which decides what to tell the
// operator now. The engine only decides; the UI renders the snapshot's alerts and delivers its
// notifications (tray, banner), DESIGN.md "Decide in core, display in ui".
//
// core/detect's headers stay inside alerting.cpp, so the engine's headers stay light.
#pragma once

#include "core/config/config.h"
#include "core/supervisor/supervisor_types.h"
#include "snapshot.h"

#include <QStringList>
#include <QVector>
#include <memory>
#include <optional>

namespace drover {

class SeriesBook;

class Alerting
{
public:
    explicit Alerting(const Config &config);
    ~Alerting();
    Alerting(const Alerting &) = delete;
    Alerting &operator=(const Alerting &) = delete;

    // Rules refused (with file:line when known): they are left out, the rest run.
    QList<ConfigIssue> problems() const;

    // Evaluates every rule against the values recorded at `nowMs`, runs the notification
    // policy, fills the snapshot's alert parts and returns the transitions as events.
    QVector<SupervisorEvent> evaluate(const SeriesBook &series, const QStringList &pools,
                                      qint64 nowMs, Snapshot *snapshot);

    // The operator acknowledged a pending or firing alert (it is not repeated any more).
    bool acknowledge(const QString &fingerprint, qint64 nowMs, QString *refusal);
    // Mutes alerts matching `matchers` (`pool="mail", alertname=~"High.*"`) for `durationMs`.
    bool silence(const QString &matchers, qint64 durationMs, qint64 nowMs, const QString &comment,
                 QString *id, QString *refusal);
    bool expireSilence(const QString &id, qint64 nowMs);
    std::optional<SilenceView> silenceById(const QString &id) const;

    // What the store kept from before a restart. Silences mute again at once. An
    // acknowledgement is applied when its alert (same fingerprint) is active again, and
    // forgotten if it has not come back within `graceMs` (it resolved while Drover was down).
    void restoreSilences(const QVector<SilenceView> &silences);
    void restoreAcknowledgements(const QStringList &fingerprints, qint64 nowMs,
                                 qint64 graceMs = 15 * 60 * 1000);
    // Acknowledgements that ended since the last call (their alert resolved, or a restored
    // one never came back), so the store forgets them.
    QStringList takeEndedAcknowledgements();
    // A configuration reload replaces the Alerting: its notification ids continue after the
    // previous one's, so the UI and the webhook sender (which skip ids already seen) miss none.
    void continueNotificationIdsAfter(quint64 lastId);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace drover
