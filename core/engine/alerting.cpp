#include "alerting.h"

#include "core/detect/alert_rules.h"
#include "core/detect/notification_policy.h"
#include "pool_series.h"

#include <QRegularExpression>

#include <cmath>
#include <functional>
#include <utility>

namespace drover {

namespace {

constexpr int kNotificationsKept = 50;

AlertView viewOf(const ActiveAlert &a, const QMap<QString, AlertMute> &mutes)
{
    AlertView v;
    v.fingerprint = a.fingerprint;
    v.name = a.ruleName;
    v.state = alertStateName(a.state);
    v.severity = severityName(a.severity);
    v.labels = a.labels;
    v.summary = a.summary;
    v.value = a.value;
    v.activeSinceMs = a.activeSinceMs;
    v.firedAtMs = a.firedAtMs;
    v.resolvedAtMs = a.resolvedAtMs;
    v.acknowledged = a.acknowledged;
    const auto m = mutes.constFind(a.fingerprint);
    if (m != mutes.cend()) {
        v.silencedBy = m->silencedBy;
        v.inhibitedBy = m->inhibitedBy;
    }
    return v;
}

QString matchersText(const QList<LabelMatcher> &matchers)
{
    QStringList parts;
    for (const LabelMatcher &m : matchers)
        parts << m.toString();
    return parts.join(QStringLiteral(", "));
}

QList<LabelMatcher> matchersOf(const QString &text)
{
    return text.trimmed().isEmpty() ? QList<LabelMatcher>()
                                    : parseLabelMatchers(text).value_or(QList<LabelMatcher>());
}

// drover.yaml's `notifications:` as the policy's routes. Without the block (or when what it
// says cannot be used) the built-in policy applies: an operator is never left without alerts.
NotificationPolicyConfig notificationPolicyFrom(const Config &config,
                                                const std::function<void(const QString &)> &issue)
{
    const NotificationsSpec &spec = config.notifications;
    const NotificationPolicyConfig builtIn = defaultNotificationPolicy();
    if (!spec.given)
        return builtIn;
    QMap<QString, QList<ChannelTarget>> receivers;
    for (const ReceiverSpec &r : spec.receivers) {
        QList<ChannelTarget> targets;
        for (const ReceiverSpec::Channel &c : r.channels) {
            ChannelTarget t;
            t.channel = channelFromName(c.kind).value_or(NotificationChannel::Log);
            t.sendResolved = c.sendResolved;
            t.receiver = r.name;
            t.secretName = c.urlSecret;
            targets.append(t);
        }
        receivers.insert(r.name, targets);
    }
    const auto fill = [&](const RouteSpec &from, NotificationRoute &to) {
        if (!from.receiver.isEmpty())
            to.channels = receivers.value(from.receiver);
        if (from.groupBy)
            to.groupBy = *from.groupBy;
        if (from.groupWaitMs >= 0)
            to.groupWaitMs = from.groupWaitMs;
        if (from.groupIntervalMs > 0)
            to.groupIntervalMs = from.groupIntervalMs;
        if (from.repeatIntervalMs > 0)
            to.repeatIntervalMs = from.repeatIntervalMs;
    };
    NotificationPolicyConfig c;
    c.fallback = builtIn.fallback;
    fill(spec.defaultRoute, c.fallback);
    for (const RouteSpec &r : spec.routes) {
        NotificationRoute route;
        route.name = r.name;
        route.matchers = matchersOf(r.matchers);
        route.continueMatching = r.continueMatching;
        fill(r, route);
        if (route.channels.isEmpty()) {
            // Its receiver was refused when the file loaded; the route would swallow alerts.
            issue(QStringLiteral("route '%1': receiver '%2' is not usable; the route is left out")
                      .arg(r.name, r.receiver));
            continue;
        }
        c.routes.append(route);
    }
    c.inhibitRules = builtIn.inhibitRules;
    if (spec.inhibitRulesGiven) {
        c.inhibitRules.clear();
        for (const InhibitRuleSpec &r : spec.inhibitRules)
            c.inhibitRules.append({matchersOf(r.sourceMatchers), matchersOf(r.targetMatchers), r.equal});
    }
    const QStringList problems = validateNotificationPolicy(c);
    if (!problems.isEmpty()) {
        issue(QStringLiteral("notifications: %1; the built-in notification policy applies")
                  .arg(problems.join(QStringLiteral("; "))));
        return builtIn;
    }
    return c;
}

} // namespace

struct Alerting::Impl
{
    AlertEngine engine;
    NotificationPolicy policy{defaultNotificationPolicy()};
    QList<ConfigIssue> problems;
    QVector<NotificationView> notifications;
    quint64 nextNotificationId = 1;
    int nextSilence = 1;
    QSet<QString> acknowledged;            // fingerprints the operator acknowledged
    QMap<QString, qint64> restoredAcks;    // fingerprint -> deadline to come back by
    QStringList endedAcks;
};

Alerting::Alerting(const Config &config) : d(std::make_unique<Impl>())
{
    QSet<QString> known = defaultAlertSeries();
    for (int m = 0; m < kPoolMetricCount; ++m)
        known.insert(poolMetricName(PoolMetric(m)));
    for (int m = 0; m < kSystemMetricCount; ++m)
        known.insert(systemMetricName(SystemMetric(m)));

    const auto issue = [&](const QString &message) {
        d->problems.append({config.sourceFile, 0, 0, ConfigIssue::Severity::Warning, message});
    };
    // The file's rules first; a seed rule whose name the file uses is replaced by the file's.
    QList<AlertRule> rules;
    QSet<QString> names;
    for (const AlertRuleSpec &spec : config.alerts) {
        AlertRuleProblem problem;
        const std::optional<AlertRule> rule = alertRuleFromSpec(spec, &problem);
        if (!rule) {
            issue(QStringLiteral("alert '%1': %2 (column %3 of '%4'); the rule is not evaluated")
                      .arg(spec.name, problem.message)
                      .arg(problem.column)
                      .arg(problem.field));
            continue;
        }
        rules.append(*rule);
        names.insert(rule->name);
    }
    for (const AlertRule &r : defaultAlertRules()) {
        if (!names.contains(r.name))
            rules.append(r);
    }
    // Refused rules are left out one by one; the others still run.
    QSet<int> refused;
    for (const AlertRuleProblem &p : validateAlertRules(rules, known)) {
        refused.insert(p.ruleIndex);
        issue(QStringLiteral("alert '%1': %2: %3; the rule is not evaluated")
                  .arg(p.ruleName, p.field, p.message));
    }
    QList<AlertRule> usable;
    for (int i = 0; i < rules.size(); ++i) {
        if (!refused.contains(i))
            usable.append(rules[i]);
    }
    d->engine.setRules(usable);
    d->policy.setConfig(notificationPolicyFrom(config, issue));
    // Silences written in the file (maintenance windows) mute like the operator's; their ids
    // say where they come from.
    QList<Silence> silences;
    for (const SilenceSpec &spec : config.notifications.silences) {
        Silence s;
        s.id = QStringLiteral("config-%1").arg(silences.size() + 1);
        s.matchers = parseLabelMatchers(spec.matchers).value_or(QList<LabelMatcher>());
        s.startsAtMs = spec.startsAtMs;
        s.endsAtMs = spec.endsAtMs;
        s.createdBy = QStringLiteral("drover.yaml");
        s.comment = spec.comment;
        if (silenceProblems(s).isEmpty())
            silences.append(s);
    }
    d->policy.setSilences(silences);
}

Alerting::~Alerting() = default;

QList<ConfigIssue> Alerting::problems() const
{
    return d->problems;
}

QVector<SupervisorEvent> Alerting::evaluate(const SeriesBook &series, const QStringList &pools,
                                            qint64 nowMs, Snapshot *snapshot)
{
    // This tick's values; a missing value is no point at all (a missing series never alerts).
    SeriesValues values;
    for (int m = 0; m < kSystemMetricCount; ++m) {
        const double v = series.currentSystem(SystemMetric(m), nowMs);
        if (std::isfinite(v))
            values[systemMetricName(SystemMetric(m))].append({Labels(), v});
    }
    for (const QString &pool : pools) {
        const Labels labels{{QStringLiteral("pool"), pool}};
        for (int m = 0; m < kPoolMetricCount; ++m) {
            const double v = series.current(pool, PoolMetric(m), nowMs);
            if (std::isfinite(v))
                values[poolMetricName(PoolMetric(m))].append({labels, v});
        }
    }

    AlertEvaluation evaluation = d->engine.evaluate(values, nowMs);
    // Acknowledgements from before a restart: the same alert is active again.
    for (ActiveAlert &a : evaluation.active) {
        if (!d->restoredAcks.contains(a.fingerprint))
            continue;
        d->restoredAcks.remove(a.fingerprint);
        if (d->engine.acknowledge(a.fingerprint, nowMs, QStringLiteral("operator"))) {
            d->acknowledged.insert(a.fingerprint);
            a.acknowledged = true;
            a.acknowledgedAtMs = nowMs;
            a.acknowledgedBy = QStringLiteral("operator");
        }
    }
    for (auto it = d->restoredAcks.begin(); it != d->restoredAcks.end();) {
        if (nowMs > it.value()) {
            d->endedAcks << it.key();
            it = d->restoredAcks.erase(it);
        } else {
            ++it;
        }
    }
    for (const AlertTransition &t : evaluation.transitions) {
        if ((t.to == AlertState::Resolved || t.to == AlertState::Inactive)
            && d->acknowledged.remove(t.fingerprint))
            d->endedAcks << t.fingerprint;
    }
    const NotificationDecision decision = d->policy.evaluate(evaluation.forNotification(), nowMs);

    QMap<QString, AlertMute> mutes;
    for (const AlertMute &m : decision.muted)
        mutes.insert(m.fingerprint, m);
    snapshot->activeAlerts.clear();
    for (const ActiveAlert &a : evaluation.active)
        snapshot->activeAlerts.append(viewOf(a, mutes));
    snapshot->resolvedAlerts.clear();
    for (const ActiveAlert &a : evaluation.recentlyResolved)
        snapshot->resolvedAlerts.append(viewOf(a, mutes));

    for (const Notification &n : decision.notifications) {
        NotificationView v;
        v.id = d->nextNotificationId++;
        v.channel = channelName(n.channel);
        v.receiver = n.receiver;
        v.secretName = n.secretName;
        v.route = n.route;
        v.groupKey = n.groupKey;
        v.title = n.title;
        v.body = n.body;
        v.resolved = n.resolved;
        v.repeat = n.repeat;
        v.firingCount = n.firingCount;
        v.resolvedCount = n.resolvedCount;
        for (const ActiveAlert &a : n.alerts)
            v.fingerprints << a.fingerprint;
        v.atMs = n.atMs;
        d->notifications.append(v);
    }
    const int excess = d->notifications.size() - kNotificationsKept;
    if (excess > 0)
        d->notifications.remove(0, excess);
    snapshot->notifications = d->notifications;

    snapshot->silences.clear();
    for (const Silence &s : d->policy.silences()) {
        if (s.state(nowMs) == Silence::State::Expired)
            continue;
        snapshot->silences.append(
            {s.id, matchersText(s.matchers), s.startsAtMs, s.endsAtMs, s.createdBy, s.comment});
    }

    QVector<SupervisorEvent> events;
    for (const AlertTransition &t : evaluation.transitions) {
        SupervisorEvent e;
        e.timeMs = t.atMs;
        e.pool = t.labels.value(QStringLiteral("pool"));
        e.kind = QStringLiteral("alert");
        e.from = alertStateName(t.from);
        e.to = alertStateName(t.to);
        e.reason =
            QStringLiteral("%1 %2 [%3]: %4")
                .arg(t.ruleName, formatLabels(t.labels), severityName(t.severity), t.summary);
        events.append(e);
    }
    return events;
}

bool Alerting::acknowledge(const QString &fingerprint, qint64 nowMs, QString *refusal)
{
    if (d->engine.acknowledge(fingerprint, nowMs, QStringLiteral("operator"))) {
        d->acknowledged.insert(fingerprint);
        return true;
    }
    *refusal = QStringLiteral("no pending or firing alert %1").arg(fingerprint);
    return false;
}

bool Alerting::silence(const QString &matchers, qint64 durationMs, qint64 nowMs,
                       const QString &comment, QString *id, QString *refusal)
{
    QString error;
    int column = 0;
    const std::optional<QList<LabelMatcher>> parsed = parseLabelMatchers(matchers, &error, &column);
    if (!parsed) {
        *refusal = QStringLiteral("silence: %1 at column %2").arg(error).arg(column);
        return false;
    }
    Silence s;
    s.id = QStringLiteral("silence-%1").arg(d->nextSilence);
    s.matchers = *parsed;
    s.startsAtMs = nowMs;
    s.endsAtMs = nowMs + durationMs;
    s.createdBy = QStringLiteral("operator");
    s.comment = comment;
    const QStringList problems = silenceProblems(s);
    if (!problems.isEmpty()) {
        *refusal = QStringLiteral("silence: %1").arg(problems.join(QStringLiteral("; ")));
        return false;
    }
    ++d->nextSilence;
    d->policy.addSilence(s);
    *id = s.id;
    return true;
}

bool Alerting::expireSilence(const QString &id, qint64 nowMs)
{
    return d->policy.expireSilence(id, nowMs);
}

std::optional<SilenceView> Alerting::silenceById(const QString &id) const
{
    for (const Silence &s : d->policy.silences()) {
        if (s.id == id)
            return SilenceView{s.id, matchersText(s.matchers), s.startsAtMs, s.endsAtMs, s.createdBy, s.comment};
    }
    return std::nullopt;
}

void Alerting::restoreSilences(const QVector<SilenceView> &silences)
{
    static const QRegularExpression number(QStringLiteral("^silence-(\\d+)$"));
    for (const SilenceView &v : silences) {
        const std::optional<QList<LabelMatcher>> matchers = parseLabelMatchers(v.matchers);
        if (!matchers)
            continue; // written by this code, so only a damaged row; it mutes nothing
        Silence s;
        s.id = v.id;
        s.matchers = *matchers;
        s.startsAtMs = v.startsAtMs;
        s.endsAtMs = v.endsAtMs;
        s.createdBy = v.createdBy;
        s.comment = v.comment;
        if (!silenceProblems(s).isEmpty())
            continue;
        d->policy.addSilence(s);
        // New silences must not reuse a restored id.
        const QRegularExpressionMatch m = number.match(v.id);
        if (m.hasMatch())
            d->nextSilence = qMax(d->nextSilence, m.captured(1).toInt() + 1);
    }
}

void Alerting::restoreAcknowledgements(const QStringList &fingerprints, qint64 nowMs, qint64 graceMs)
{
    for (const QString &f : fingerprints)
        d->restoredAcks.insert(f, nowMs + graceMs);
}

QStringList Alerting::takeEndedAcknowledgements()
{
    return std::exchange(d->endedAcks, {});
}

void Alerting::continueNotificationIdsAfter(quint64 lastId)
{
    d->nextNotificationId = qMax(d->nextNotificationId, lastId + 1);
}

} // namespace drover
