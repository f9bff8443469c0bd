// The notification policy: which alerts are worth telling the operator about, on which
// channel, batched how. Alertmanager semantics: routes match alerts by labels and group them
// by `group_by`; a new group waits `group_wait` so an incident arrives as one notification,
// later changes are batched every `group_interval`, an unchanged group is repeated after
// `repeat_interval`; silences and inhibition rules mute alerts; `send_resolved` is per channel.
// Drover adds one rule: acknowledged alerts are not repeated.
//
// Pure logic, like the alert engine: the caller passes the alerts (AlertEvaluation::
// forNotification()) and `nowMs`, and gets back the notifications to deliver now. The tray,
// banner, log and webhook sinks only render and deliver what it returns.
#pragma once

#include "alert_rules.h"

#include <QList>
#include <QMap>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QtGlobal>
#include <optional>

namespace drover {

enum class NotificationChannel
{
    Tray,
    Banner,
    Log,
    Webhook
};
QString channelName(NotificationChannel channel);
std::optional<NotificationChannel> channelFromName(const QString &name);

struct ChannelTarget
{
    ChannelTarget() = default;
    ChannelTarget(NotificationChannel c, bool resolved, QString receiverName = {}, QString secret = {})
        : channel(c), sendResolved(resolved), receiver(std::move(receiverName)), secretName(std::move(secret))
    {
    }

    NotificationChannel channel = NotificationChannel::Tray;
    bool sendResolved = true; // also tell this channel when the alerts of a group resolve
    // Webhook only: the receiver's name and the OS keychain entry holding its URL (the URL is
    // a credential, so the configuration names the entry, never the URL).
    QString receiver;
    QString secretName;
};

struct NotificationRoute
{
    QString name;                 // unique; part of the group key
    QList<LabelMatcher> matchers; // all must match; empty matches every alert
    QList<ChannelTarget> channels;
    // Labels that split the route's alerts into groups. Empty: one group for the route;
    // "..." groups by all labels (one group per alert).
    QStringList groupBy = {QStringLiteral("alertname")};
    qint64 groupWaitMs = 30 * 1000;
    qint64 groupIntervalMs = 5 * 60 * 1000;
    qint64 repeatIntervalMs = 4 * 60 * 60 * 1000;
    bool continueMatching = false; // also try the routes after this one
};

// Mutes every alert its matchers match while startsAtMs <= now < endsAtMs.
struct Silence
{
    enum class State
    {
        Pending,
        Active,
        Expired
    };

    QString id;
    QList<LabelMatcher> matchers; // all must match
    qint64 startsAtMs = 0;
    qint64 endsAtMs = 0;
    QString createdBy;
    QString comment;

    State state(qint64 nowMs) const;
    bool mutes(const Labels &labels, qint64 nowMs) const;
};
// Refuses silences without matchers, ones whose matchers all match the empty string (they
// would silence nearly everything, as Alertmanager refuses), invalid regexes, an end not
// after the start, and a missing author.
QStringList silenceProblems(const Silence &silence);

// While an alert matching `sourceMatchers` fires, alerts matching `targetMatchers` whose
// `equal` labels have the same values (absent counts as "") are muted. An alert never
// inhibits itself.
struct InhibitRule
{
    QList<LabelMatcher> sourceMatchers;
    QList<LabelMatcher> targetMatchers;
    QStringList equal;
};

struct NotificationPolicyConfig
{
    QList<NotificationRoute> routes; // in order; the first match wins unless continueMatching
    NotificationRoute fallback;      // the root: alerts that no route matched
    QList<InhibitRule> inhibitRules;
};

// Critical and high alerts on the banner, tray and log; everything else on tray and log;
// critical host alerts mute host warnings; a pool without ready replicas mutes its queue and
// error-rate alerts.
NotificationPolicyConfig defaultNotificationPolicy();
// Human-readable problems: duplicate or empty route names, routes without channels, negative
// waits, a zero group or repeat interval, invalid matchers.
QStringList validateNotificationPolicy(const NotificationPolicyConfig &config);

struct Notification
{
    NotificationChannel channel = NotificationChannel::Tray;
    QString receiver;   // ChannelTarget::receiver
    QString secretName; // ChannelTarget::secretName (webhook)
    QString route;
    QString groupKey; // route name and group labels: stable for the group's life
    Labels groupLabels;
    bool resolved = false;     // no alert in it is firing any more
    bool repeat = false;       // nothing changed: sent again because repeat_interval passed
    QList<ActiveAlert> alerts; // firing first, then resolved (resolved only with send_resolved)
    int firingCount = 0;
    int resolvedCount = 0;
    QString title; // "[FIRING:3] HighCpu (pool=mail)"
    QString body;  // one line per alert
    qint64 atMs = 0;
};

// Why an alert is not being notified, for the UI.
struct AlertMute
{
    QString fingerprint;
    QStringList silencedBy;  // silence ids
    QStringList inhibitedBy; // fingerprints of the firing source alerts
};

struct NotificationDecision
{
    QList<Notification> notifications; // to deliver now
    QList<AlertMute> muted;            // firing or resolved alerts that are muted right now
    qint64 nextDueMs = -1;             // the earliest pending flush; -1: no group waiting
};

class NotificationPolicy
{
public:
    explicit NotificationPolicy(NotificationPolicyConfig config = defaultNotificationPolicy());

    // Groups of routes that keep their name keep their timers and what was already sent;
    // groups of removed routes are forgotten.
    void setConfig(NotificationPolicyConfig config);
    const NotificationPolicyConfig &config() const { return m_config; }

    // Silences are owned by the caller (the store persists them); expired ones simply stop
    // muting. addSilence replaces a silence with the same id.
    void setSilences(QList<Silence> silences) { m_silences = std::move(silences); }
    void addSilence(const Silence &silence);
    bool expireSilence(const QString &id, qint64 nowMs); // ends it now; false if unknown
    const QList<Silence> &silences() const { return m_silences; }

    // `alerts`: firing and resolved alerts (pending ones are ignored: they have not fired).
    // A firing alert that is no longer passed in is treated as resolved at `nowMs`.
    // `nowMs` must not decrease between calls.
    NotificationDecision evaluate(const QList<ActiveAlert> &alerts, qint64 nowMs);

    int groupCount() const { return int(m_groups.size()); }

private:
    struct ChannelLog
    {
        QSet<QString> firing;   // what the last notification said was firing ...
        QSet<QString> resolved; // ... and resolved
        qint64 atMs = 0;
    };
    struct Group
    {
        QString route;
        QString key;
        Labels groupLabels;
        QMap<QString, ActiveAlert> alerts; // by fingerprint
        qint64 nextFlushMs = 0;
        bool flushed = false;
        QMap<int, ChannelLog> logs; // by index in the route's channels
    };

    const NotificationRoute *route(const QString &name) const;
    QList<const NotificationRoute *> routesFor(const Labels &labels) const;
    void flush(Group &group, const NotificationRoute &route, const QMap<QString, AlertMute> &mutes,
               qint64 nowMs, QList<Notification> &out) const;

    NotificationPolicyConfig m_config;
    QList<Silence> m_silences;
    QMap<QString, Group> m_groups; // by group key
};

// "45s", "5m", "2h 5m", "3d 4h"
QString formatAlertDuration(qint64 ms);

} // namespace drover
