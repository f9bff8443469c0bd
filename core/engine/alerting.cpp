#include "alerting.h"

#include "core/detect/alert_rules.h"
#include "core/detect/notification_policy.h"
#include "pool_series.h"

#include <cmath>

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

} // namespace

struct Alerting::Impl
{
    AlertEngine engine;
    NotificationPolicy policy{defaultNotificationPolicy()};
    QList<ConfigIssue> problems;
    QVector<NotificationView> notifications;
    quint64 nextNotificationId = 1;
    int nextSilence = 1;
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

    const AlertEvaluation evaluation = d->engine.evaluate(values, nowMs);
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
    if (d->engine.acknowledge(fingerprint, nowMs, QStringLiteral("operator")))
        return true;
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

} // namespace drover
