#include "notification_policy.h"

#include <QCoreApplication>
#include <algorithm>

// The translation context of notification texts (outside the namespace so that lupdate and
// the runtime agree on its name).
class DroverNotifications
{
    Q_DECLARE_TR_FUNCTIONS(DroverNotifications)
};

namespace drover {

namespace {

const QString kAllLabels = QStringLiteral("...");
constexpr int kMaxBodyLines = 10; // a toast is small; the alerts panel has the full list

bool isSubset(const QSet<QString> &subset, const QSet<QString> &of)
{
    return std::all_of(subset.begin(), subset.end(),
                       [&of](const QString &s) { return of.contains(s); });
}

Labels groupLabelsFor(const NotificationRoute &route, const Labels &labels)
{
    if (route.groupBy.contains(kAllLabels))
        return labels;
    Labels out;
    for (const QString &name : route.groupBy) {
        // Only labels the alert has, as Alertmanager does: a missing label is not "".
        const auto it = labels.constFind(name);
        if (it != labels.cend())
            out.insert(name, *it);
    }
    return out;
}

QString alertLine(const ActiveAlert &a, bool resolved, qint64 nowMs)
{
    Labels shown = a.labels;
    shown.remove(QStringLiteral("alertname"));
    shown.remove(QStringLiteral("severity"));
    const QString who = shown.isEmpty() ? a.ruleName : a.ruleName + formatLabels(shown);
    if (resolved) {
        const qint64 endMs = a.resolvedAtMs >= 0 ? a.resolvedAtMs : nowMs;
        return DroverNotifications::tr("[resolved] %1: %2 (resolved after %3)")
            .arg(who, a.summary, formatAlertDuration(endMs - a.activeSinceMs));
    }
    QString line = DroverNotifications::tr("[%1] %2: %3 (for %4)")
                       .arg(severityName(a.severity), who, a.summary,
                            formatAlertDuration(nowMs - a.activeSinceMs));
    if (a.acknowledged)
        line += DroverNotifications::tr(", acknowledged");
    return line;
}

} // namespace

QString formatAlertDuration(qint64 ms)
{
    const qint64 s = std::max<qint64>(0, ms) / 1000;
    if (s < 60)
        return QStringLiteral("%1s").arg(s);
    if (s < 3600)
        return s % 60 ? QStringLiteral("%1m %2s").arg(s / 60).arg(s % 60)
                      : QStringLiteral("%1m").arg(s / 60);
    if (s < 86400)
        return (s % 3600) / 60 ? QStringLiteral("%1h %2m").arg(s / 3600).arg((s % 3600) / 60)
                               : QStringLiteral("%1h").arg(s / 3600);
    return (s % 86400) / 3600 ? QStringLiteral("%1d %2h").arg(s / 86400).arg((s % 86400) / 3600)
                              : QStringLiteral("%1d").arg(s / 86400);
}

QString channelName(NotificationChannel channel)
{
    switch (channel) {
    case NotificationChannel::Tray:
        return QStringLiteral("tray");
    case NotificationChannel::Banner:
        return QStringLiteral("banner");
    case NotificationChannel::Log:
        return QStringLiteral("log");
    case NotificationChannel::Webhook:
        return QStringLiteral("webhook");
    }
    return {};
}

std::optional<NotificationChannel> channelFromName(const QString &name)
{
    for (NotificationChannel c : {NotificationChannel::Tray, NotificationChannel::Banner,
                                  NotificationChannel::Log, NotificationChannel::Webhook}) {
        if (channelName(c) == name)
            return c;
    }
    return std::nullopt;
}

// ---- Silences, inhibition, configuration ------------------------------------------------

Silence::State Silence::state(qint64 nowMs) const
{
    if (nowMs < startsAtMs)
        return State::Pending;
    if (nowMs >= endsAtMs)
        return State::Expired;
    return State::Active;
}

bool Silence::mutes(const Labels &labels, qint64 nowMs) const
{
    // No matchers would match everything; such a silence is refused by validation and never
    // mutes, so a bug elsewhere cannot silence the whole console.
    return state(nowMs) == State::Active && !matchers.isEmpty() && matchesAll(matchers, labels);
}

QStringList silenceProblems(const Silence &silence)
{
    QStringList problems;
    if (silence.matchers.isEmpty())
        problems.append(DroverNotifications::tr("a silence needs at least one matcher"));
    bool allMatchEmpty = !silence.matchers.isEmpty();
    for (const LabelMatcher &m : silence.matchers) {
        if (!m.isValid())
            problems.append(m.problem());
        else if (!m.matchesValue(QString()))
            allMatchEmpty = false;
    }
    if (allMatchEmpty)
        problems.append(DroverNotifications::tr(
            "at least one matcher must not match the empty value, or the silence would mute "
            "nearly every alert"));
    if (silence.endsAtMs <= silence.startsAtMs)
        problems.append(DroverNotifications::tr("a silence must end after it starts"));
    if (silence.createdBy.trimmed().isEmpty())
        problems.append(DroverNotifications::tr("a silence needs its author"));
    return problems;
}

NotificationPolicyConfig defaultNotificationPolicy()
{
    NotificationPolicyConfig c;
    const QStringList byAlertAndPool = {QStringLiteral("alertname"), QStringLiteral("pool")};

    NotificationRoute urgent;
    urgent.name = QStringLiteral("urgent");
    urgent.matchers = {
        LabelMatcher::regex(QStringLiteral("severity"), QStringLiteral("critical|high"))};
    // The banner clears itself from the alert list; a "resolved" banner would only be noise.
    urgent.channels = {{NotificationChannel::Banner, false},
                       {NotificationChannel::Tray, true},
                       {NotificationChannel::Log, true}};
    urgent.groupBy = byAlertAndPool;
    urgent.groupWaitMs = 10 * 1000; // a critical alert already waited its `for`
    c.routes.append(urgent);

    c.fallback.name = QStringLiteral("default");
    c.fallback.channels = {{NotificationChannel::Tray, true}, {NotificationChannel::Log, true}};
    c.fallback.groupBy = byAlertAndPool;

    // A critical host alert (no pool label) mutes the host's warnings and infos.
    InhibitRule host;
    host.sourceMatchers = {
        LabelMatcher::equal(QStringLiteral("severity"), QStringLiteral("critical"))};
    host.targetMatchers = {
        LabelMatcher::regex(QStringLiteral("severity"), QStringLiteral("warning|info"))};
    host.equal = {QStringLiteral("pool")};
    c.inhibitRules.append(host);

    // A pool with no ready replica explains its backlog and its errors.
    InhibitRule pool;
    pool.sourceMatchers = {
        LabelMatcher::equal(QStringLiteral("alertname"), QStringLiteral("PoolNotReady"))};
    pool.targetMatchers = {LabelMatcher::regex(QStringLiteral("alertname"),
                                               QStringLiteral("QueueBacklog|HighErrorRate"))};
    pool.equal = {QStringLiteral("pool")};
    c.inhibitRules.append(pool);
    return c;
}

QStringList validateNotificationPolicy(const NotificationPolicyConfig &config)
{
    QStringList problems;
    QSet<QString> names;
    QList<const NotificationRoute *> all;
    for (const NotificationRoute &r : config.routes)
        all.append(&r);
    all.append(&config.fallback);
    for (const NotificationRoute *r : all) {
        const QString name = r->name.isEmpty() ? DroverNotifications::tr("(unnamed)") : r->name;
        if (r->name.trimmed().isEmpty())
            problems.append(DroverNotifications::tr("a route has no name"));
        else if (names.contains(r->name))
            problems.append(DroverNotifications::tr("route '%1' is defined twice").arg(r->name));
        names.insert(r->name);
        if (r->channels.isEmpty())
            problems.append(DroverNotifications::tr("route '%1' has no channel").arg(name));
        if (r->groupWaitMs < 0)
            problems.append(
                DroverNotifications::tr("route '%1': 'group_wait' must not be negative").arg(name));
        if (r->groupIntervalMs <= 0)
            problems.append(
                DroverNotifications::tr("route '%1': 'group_interval' must be positive").arg(name));
        if (r->repeatIntervalMs <= 0)
            problems.append(
                DroverNotifications::tr("route '%1': 'repeat_interval' must be positive")
                    .arg(name));
        for (const LabelMatcher &m : r->matchers) {
            if (!m.isValid())
                problems.append(DroverNotifications::tr("route '%1': %2").arg(name, m.problem()));
        }
    }
    for (int i = 0; i < config.inhibitRules.size(); ++i) {
        const InhibitRule &rule = config.inhibitRules.at(i);
        if (rule.sourceMatchers.isEmpty() || rule.targetMatchers.isEmpty())
            problems.append(
                DroverNotifications::tr("inhibit rule %1 needs source and target matchers")
                    .arg(i + 1));
        for (const LabelMatcher &m : rule.sourceMatchers + rule.targetMatchers) {
            if (!m.isValid())
                problems.append(
                    DroverNotifications::tr("inhibit rule %1: %2").arg(i + 1).arg(m.problem()));
        }
    }
    return problems;
}

// ---- The policy -------------------------------------------------------------------------

NotificationPolicy::NotificationPolicy(NotificationPolicyConfig config)
    : m_config(std::move(config))
{
}

void NotificationPolicy::setConfig(NotificationPolicyConfig config)
{
    m_config = std::move(config);
    for (auto it = m_groups.begin(); it != m_groups.end();) {
        if (route(it->route))
            ++it;
        else
            it = m_groups.erase(it);
    }
}

void NotificationPolicy::addSilence(const Silence &silence)
{
    for (Silence &s : m_silences) {
        if (s.id == silence.id) {
            s = silence;
            return;
        }
    }
    m_silences.append(silence);
}

bool NotificationPolicy::expireSilence(const QString &id, qint64 nowMs)
{
    for (Silence &s : m_silences) {
        if (s.id == id) {
            s.endsAtMs = std::min(s.endsAtMs, nowMs);
            s.startsAtMs = std::min(s.startsAtMs, s.endsAtMs);
            return true;
        }
    }
    return false;
}

const NotificationRoute *NotificationPolicy::route(const QString &name) const
{
    for (const NotificationRoute &r : m_config.routes) {
        if (r.name == name)
            return &r;
    }
    return m_config.fallback.name == name ? &m_config.fallback : nullptr;
}

QList<const NotificationRoute *> NotificationPolicy::routesFor(const Labels &labels) const
{
    QList<const NotificationRoute *> out;
    for (const NotificationRoute &r : m_config.routes) {
        if (!matchesAll(r.matchers, labels))
            continue;
        out.append(&r);
        if (!r.continueMatching)
            break;
    }
    if (out.isEmpty())
        out.append(&m_config.fallback);
    return out;
}

NotificationDecision NotificationPolicy::evaluate(const QList<ActiveAlert> &alerts, qint64 nowMs)
{
    NotificationDecision decision;

    // Firing and resolved alerts by fingerprint; firing wins over a stale resolved copy.
    QMap<QString, ActiveAlert> current;
    for (const ActiveAlert &a : alerts) {
        if (a.state != AlertState::Firing && a.state != AlertState::Resolved)
            continue; // pending alerts have not fired: nobody is told about them
        const auto it = current.constFind(a.fingerprint);
        if (it == current.cend() || a.state == AlertState::Firing)
            current.insert(a.fingerprint, a);
    }

    // Muting: active silences, and inhibition by firing source alerts (a silenced source still
    // inhibits, as in Alertmanager: the cause is real even if nobody wants to hear about it).
    QMap<QString, AlertMute> mutes;
    for (const ActiveAlert &a : std::as_const(current)) {
        AlertMute m;
        m.fingerprint = a.fingerprint;
        for (const Silence &s : std::as_const(m_silences)) {
            if (s.mutes(a.labels, nowMs))
                m.silencedBy.append(s.id);
        }
        for (const InhibitRule &rule : std::as_const(m_config.inhibitRules)) {
            if (!matchesAll(rule.targetMatchers, a.labels))
                continue;
            for (const ActiveAlert &source : std::as_const(current)) {
                if (source.state != AlertState::Firing || source.fingerprint == a.fingerprint ||
                    !matchesAll(rule.sourceMatchers, source.labels))
                    continue;
                const bool equal =
                    std::all_of(rule.equal.begin(), rule.equal.end(), [&](const QString &label) {
                        return source.labels.value(label) == a.labels.value(label);
                    });
                if (equal && !m.inhibitedBy.contains(source.fingerprint))
                    m.inhibitedBy.append(source.fingerprint);
            }
        }
        if (!m.silencedBy.isEmpty() || !m.inhibitedBy.isEmpty()) {
            mutes.insert(a.fingerprint, m);
            decision.muted.append(m);
        }
    }

    // Route into groups. Only firing alerts open a group or join one; a resolved alert only
    // updates the group that already holds it (it was resolved and flushed otherwise).
    for (const ActiveAlert &a : std::as_const(current)) {
        for (const NotificationRoute *r : routesFor(a.labels)) {
            const Labels groupLabels = groupLabelsFor(*r, a.labels);
            const QString key = r->name + QLatin1Char(':') + formatLabels(groupLabels);
            auto g = m_groups.find(key);
            if (g == m_groups.end()) {
                if (a.state != AlertState::Firing)
                    continue;
                Group fresh;
                fresh.route = r->name;
                fresh.key = key;
                fresh.groupLabels = groupLabels;
                fresh.nextFlushMs = nowMs + r->groupWaitMs;
                g = m_groups.insert(key, fresh);
            }
            const bool known = g->alerts.contains(a.fingerprint);
            if (!known && a.state != AlertState::Firing)
                continue;
            g->alerts.insert(a.fingerprint, a);
            // An alert that has already been firing longer than group_wait (after a restart,
            // a route change) need not wait again before the group's first notification.
            if (!known && !g->flushed && a.firedAtMs >= 0 && a.firedAtMs + r->groupWaitMs <= nowMs)
                g->nextFlushMs = std::min(g->nextFlushMs, nowMs);
        }
    }

    // Alerts that vanished without a resolved copy (a removed rule, a lost resolved list):
    // they are over, so they count as resolved now.
    for (Group &g : m_groups) {
        for (ActiveAlert &a : g.alerts) {
            if (a.state == AlertState::Firing && !current.contains(a.fingerprint)) {
                a.state = AlertState::Resolved;
                a.resolvedAtMs = nowMs;
            }
        }
    }

    for (auto it = m_groups.begin(); it != m_groups.end();) {
        const NotificationRoute *r = route(it->route);
        if (!r) {
            it = m_groups.erase(it);
            continue;
        }
        if (it->nextFlushMs <= nowMs) {
            flush(*it, *r, mutes, nowMs, decision.notifications);
            if (it->alerts.isEmpty()) {
                it = m_groups.erase(it);
                continue;
            }
        }
        if (decision.nextDueMs < 0 || it->nextFlushMs < decision.nextDueMs)
            decision.nextDueMs = it->nextFlushMs;
        ++it;
    }
    return decision;
}

void NotificationPolicy::flush(Group &group, const NotificationRoute &route,
                               const QMap<QString, AlertMute> &mutes, qint64 nowMs,
                               QList<Notification> &out) const
{
    group.flushed = true;
    group.nextFlushMs = nowMs + route.groupIntervalMs;

    QList<ActiveAlert> firing, resolved;
    QSet<QString> firingSet, resolvedSet;
    bool unacknowledged = false;
    for (const ActiveAlert &a : std::as_const(group.alerts)) {
        if (mutes.contains(a.fingerprint))
            continue;
        if (a.state == AlertState::Firing) {
            firing.append(a);
            firingSet.insert(a.fingerprint);
            unacknowledged |= !a.acknowledged;
        } else {
            resolved.append(a);
            resolvedSet.insert(a.fingerprint);
        }
    }
    // Resolved alerts have been dealt with by this flush, told or not.
    for (auto a = group.alerts.begin(); a != group.alerts.end();) {
        if (a->state == AlertState::Resolved)
            a = group.alerts.erase(a);
        else
            ++a;
    }
    if (firing.isEmpty() && resolved.isEmpty())
        return; // everything muted: nothing to say, and what was said stays as it was

    const auto urgency = [](const ActiveAlert &a, const ActiveAlert &b) {
        if (a.severity != b.severity)
            return a.severity > b.severity;
        return a.activeSinceMs < b.activeSinceMs;
    };
    std::sort(firing.begin(), firing.end(), urgency);
    std::sort(resolved.begin(), resolved.end(), urgency);

    for (int ci = 0; ci < route.channels.size(); ++ci) {
        const ChannelTarget &target = route.channels.at(ci);
        const auto logIt = group.logs.constFind(ci);
        bool needed = false;
        bool repeat = false;
        if (logIt == group.logs.cend()) {
            // Never told this channel anything: only firing alerts are news.
            needed = !firing.isEmpty();
        } else if (!isSubset(firingSet, logIt->firing)) {
            needed = true; // a new firing alert
        } else if (firing.isEmpty()) {
            // All resolved. Worth a message only if the channel heard of some of them firing;
            // the log is updated either way so a later firing alert counts as new.
            needed = !logIt->firing.isEmpty();
        } else if (target.sendResolved && !isSubset(resolvedSet, logIt->resolved)) {
            needed = true; // some resolved, others still firing
        } else if (nowMs - logIt->atMs >= route.repeatIntervalMs && unacknowledged) {
            // Nothing changed: repeat, unless the operator acknowledged every firing alert.
            needed = true;
            repeat = true;
        }
        if (!needed)
            continue;
        group.logs.insert(ci, {firingSet, resolvedSet, nowMs});

        Notification n;
        n.channel = target.channel;
        n.receiver = target.receiver;
        n.secretName = target.secretName;
        n.route = route.name;
        n.groupKey = group.key;
        n.groupLabels = group.groupLabels;
        n.repeat = repeat;
        n.atMs = nowMs;
        n.alerts = firing;
        if (target.sendResolved)
            n.alerts += resolved;
        if (n.alerts.isEmpty())
            continue; // resolved only, and this channel does not want resolved notices
        n.firingCount = int(firing.size());
        n.resolvedCount = int(n.alerts.size()) - n.firingCount;
        n.resolved = n.firingCount == 0;

        Labels shown = group.groupLabels;
        QString what = shown.take(QStringLiteral("alertname"));
        if (what.isEmpty())
            what = n.alerts.size() == 1 ? n.alerts.front().ruleName : route.name;
        if (!shown.isEmpty()) {
            QStringList parts;
            for (auto l = shown.cbegin(); l != shown.cend(); ++l)
                parts.append(l.key() + QLatin1Char('=') + l.value());
            what += QStringLiteral(" (%1)").arg(parts.join(QLatin1String(", ")));
        }
        n.title = n.resolved
                      ? DroverNotifications::tr("[RESOLVED] %1").arg(what)
                      : DroverNotifications::tr("[FIRING:%1] %2").arg(n.firingCount).arg(what);
        QStringList lines;
        for (const ActiveAlert &a : std::as_const(n.alerts)) {
            if (lines.size() == kMaxBodyLines) {
                lines.append(DroverNotifications::tr("... and %n more", nullptr,
                                                     int(n.alerts.size()) - kMaxBodyLines));
                break;
            }
            lines.append(alertLine(a, a.state == AlertState::Resolved, nowMs));
        }
        n.body = lines.join(QLatin1Char('\n'));
        out.append(n);
    }
}

} // namespace drover
