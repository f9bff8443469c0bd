// Alert rules and the alert engine: threshold rules over named series, evaluated with
// Prometheus alerting-rule semantics (inactive -> pending -> firing -> resolved, `for`,
// `keep_firing_for`). Pure logic: the caller passes the current series values and `nowMs`;
// the engine returns the state transitions (for the event log) and the active alerts (for the
// notification policy and the UI). It never reads a clock and never does I/O.
#pragma once

#include <QList>
#include <QMap>
#include <QRegularExpression>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QtGlobal>
#include <optional>

namespace drover {

struct AlertRuleSpec; // core/config/config.h

// A label set. QMap keeps the keys sorted, so two equal label sets have one canonical form
// (and one fingerprint).
using Labels = QMap<QString, QString>;

// Canonical text of a label set, `{a="1", b="2"}`, for titles, logs and group keys.
QString formatLabels(const Labels &labels);

// A stable 16-hex-digit fingerprint of a label set (64-bit FNV-1a over the sorted pairs). It
// is the same in every process and on every run, so acknowledgements and silences stored by
// fingerprint stay valid across restarts (qHash is seeded per process and is not).
QString labelsFingerprint(const Labels &labels);

enum class AlertSeverity
{
    Info,
    Warning,
    High,
    Critical
}; // ascending urgency
QString severityName(AlertSeverity severity);
std::optional<AlertSeverity> severityFromName(const QString &name);

// One label matcher, as in PromQL selectors and Alertmanager silences: =, !=, =~, !~.
// A label that is absent has the value "" (so `pool=""` matches alerts without a pool).
// Regular expressions are fully anchored, as in Prometheus.
class LabelMatcher
{
public:
    enum class Op
    {
        Equal,
        NotEqual,
        Regex,
        NotRegex
    };

    LabelMatcher() = default;
    LabelMatcher(QString name, Op op, QString value);
    static LabelMatcher equal(const QString &name, const QString &value)
    {
        return {name, Op::Equal, value};
    }
    static LabelMatcher notEqual(const QString &name, const QString &value)
    {
        return {name, Op::NotEqual, value};
    }
    static LabelMatcher regex(const QString &name, const QString &pattern)
    {
        return {name, Op::Regex, pattern};
    }
    static LabelMatcher notRegex(const QString &name, const QString &pattern)
    {
        return {name, Op::NotRegex, pattern};
    }

    const QString &name() const { return m_name; }
    Op op() const { return m_op; }
    const QString &value() const { return m_value; }

    // An invalid regular expression matches nothing (and validation reports it).
    bool matches(const Labels &labels) const;
    bool matchesValue(const QString &value) const;
    bool isValid() const;     // name not empty, regex compiles
    QString problem() const;  // why it is not valid; empty when it is
    QString toString() const; // pool="mail", severity=~"high|critical"

    bool operator==(const LabelMatcher &o) const
    {
        return m_name == o.m_name && m_op == o.m_op && m_value == o.m_value;
    }

private:
    QString m_name;
    Op m_op = Op::Equal;
    QString m_value;
    QRegularExpression m_regex; // anchored; compiled once for Regex and NotRegex
};

// All matchers must match; an empty list matches everything.
bool matchesAll(const QList<LabelMatcher> &matchers, const Labels &labels);

// A series selector: a series name and optional label matchers, e.g.
// queue_depth{pool="mail"} or pool_ready_replicas{pool!~"loops|speech"}.
struct SeriesSelector
{
    QString series;
    QList<LabelMatcher> matchers;

    QString toString() const;
};

// Parses `name` or `name{label="v", label!~"re", ...}`. Values are double-quoted with \" and
// \\ escapes. On failure returns nullopt and, when `error` is given, a readable reason with
// the 1-based column of the problem in `errorColumn`.
std::optional<SeriesSelector> parseSeriesSelector(const QString &text, QString *error = nullptr,
                                                  int *errorColumn = nullptr);
// Parses a comma-separated matcher list with or without braces: `a="1", b=~"x.*"`.
std::optional<QList<LabelMatcher>> parseLabelMatchers(const QString &text, QString *error = nullptr,
                                                      int *errorColumn = nullptr);

enum class Comparison
{
    Greater,
    Less,
    GreaterOrEqual,
    LessOrEqual
};
QString comparisonSymbol(Comparison op);
std::optional<Comparison> comparisonFromSymbol(const QString &symbol);
// NaN never satisfies a comparison (IEEE already says so; stated because it is a decision).
bool compare(double value, Comparison op, double threshold);

struct AlertRule
{
    QString name; // becomes the `alertname` label
    SeriesSelector selector;
    Comparison op = Comparison::Greater;
    double threshold = 0;
    qint64 forMs = 0;           // condition must hold this long before firing; 0 fires at once
    qint64 keepFiringForMs = 0; // keep firing this long after the condition last held
    QString severity = QStringLiteral("warning"); // info, warning, high, critical
    Labels labels; // added to every instance, overriding series labels
    // {{value}}, {{value|bytes}}, {{threshold}}, {{pool}}, {{labels.NAME}}; `{{ $value }}` and
    // `{{ $labels.NAME }}` are accepted too, so summaries copied from Prometheus work.
    QString summary;
};

// Renders a summary template. Unknown placeholders are left as written (validation refuses
// them beforehand); a missing label renders empty.
QString renderSummary(const QString &templ, const Labels &labels, double value, double threshold);
// The template's problems (unbalanced braces, unknown placeholders); empty when it is fine.
QStringList templateProblems(const QString &templ);

// "92.35", "1200", "0.05": at most two decimals, no trailing zeros; NaN renders as "NaN".
QString formatAlertValue(double value);
// 1536000000 -> "1.5 GB" (decimal units, as disks are sold).
QString formatBytes(double bytes);

struct AlertRuleProblem
{
    int ruleIndex = -1; // index in the list given to validateAlertRules
    QString ruleName;
    QString field;   // "series", "for", "keep_firing_for", "severity", "summary", ...
    QString message; // human-readable, translated
    int column = 0;  // 1-based position inside the field's text when known (selectors), else 0
};

// Everything wrong with the rules, so the caller can point at file:line:column. Refuses empty
// or duplicate names (a duplicate name is allowed when severity or labels differ, the usual
// warning/critical pair), unknown series (when `knownSeries` is not empty), invalid matchers,
// negative durations, bad severities, non-finite thresholds and bad templates.
QList<AlertRuleProblem> validateAlertRules(const QList<AlertRule> &rules,
                                           const QSet<QString> &knownSeries);

// Converts a rule read from drover.yaml; its `series` may be a selector such as
// queue_depth{pool="mail"}. Returns nullopt with the problem (field "series" or "op") when the
// selector or the comparison cannot be read; validate the result with validateAlertRules.
std::optional<AlertRule> alertRuleFromSpec(const AlertRuleSpec &spec,
                                           AlertRuleProblem *problem = nullptr);

// The seed rules: error rate > 5 %, queue depth > 1000, memory > 80 %, CPU > 90 %, free disk
// < 1 GB, a pool with no ready replica, the GPT provider out of quota. The series they use are
// listed by defaultAlertSeries().
QList<AlertRule> defaultAlertRules();
QSet<QString> defaultAlertSeries();

// ---- Evaluation -------------------------------------------------------------------------

// The current value of one series for one label set.
struct LabeledValue
{
    Labels labels;
    double value = 0;
};
// Series name -> its current points, one per label set (a later duplicate wins).
using SeriesValues = QMap<QString, QList<LabeledValue>>;

enum class AlertState
{
    Inactive,
    Pending,
    Firing,
    Resolved
};
QString alertStateName(AlertState state);

struct ActiveAlert
{
    QString fingerprint; // of `labels`; the identity of the instance
    QString ruleName;
    Labels labels; // series labels + rule labels + alertname + severity
    AlertState state = AlertState::Pending;
    qint64 activeSinceMs = 0; // the condition first held (pending began)
    qint64 firedAtMs = -1;    // -1 while pending
    qint64 resolvedAtMs = -1; // set once resolved
    qint64 lastTrueMs = 0;    // the condition last held (keep_firing_for counts from here)
    double value = 0;         // the last value that met the condition
    AlertSeverity severity = AlertSeverity::Warning;
    QString summary; // rendered with `value`
    bool acknowledged = false;
    qint64 acknowledgedAtMs = -1;
    QString acknowledgedBy;
    // False while firing only because of keep_firing_for (the condition no longer holds).
    bool conditionMet = true;
};

struct AlertTransition
{
    QString fingerprint;
    QString ruleName;
    Labels labels;
    AlertState from = AlertState::Inactive;
    AlertState to = AlertState::Inactive;
    double value = 0; // the series value at the transition (NaN when the series was missing)
    qint64 atMs = 0;
    AlertSeverity severity = AlertSeverity::Warning;
    QString summary;
};

struct AlertEvaluation
{
    // Rule by rule as conditions are met, then the instances whose condition stopped holding.
    QList<AlertTransition> transitions;
    QList<ActiveAlert> active;           // pending and firing, most urgent first
    QList<ActiveAlert> recentlyResolved; // newest first

    // What the notification policy wants: firing and recently resolved alerts.
    QList<ActiveAlert> forNotification() const;
};

struct AlertEngineTuning
{
    qint64 resolvedRetentionMs = 15 * 60 * 1000; // as Prometheus keeps resending resolved alerts
    int resolvedMaxCount = 100;
};

class AlertEngine
{
public:
    explicit AlertEngine(QList<AlertRule> rules = {}, AlertEngineTuning tuning = {});

    // Replaces the rules. Instances of rules that keep their name keep their state (a reload
    // that changes a threshold does not restart `for`); instances of removed rules are dropped
    // without a resolved notification, as Prometheus does on a rule reload.
    void setRules(QList<AlertRule> rules);
    const QList<AlertRule> &rules() const { return m_rules; }

    // Evaluates every rule against `values` at `nowMs` (non-decreasing between calls).
    AlertEvaluation evaluate(const SeriesValues &values, qint64 nowMs);

    // The operator acknowledged an alert. Only a pending or firing alert can be acknowledged;
    // the flag lasts until it resolves (if it fires again later, that is a new instance).
    bool acknowledge(const QString &fingerprint, qint64 nowMs, const QString &by = {});
    bool unacknowledge(const QString &fingerprint);

    QList<ActiveAlert> activeAlerts() const;
    QList<ActiveAlert> recentlyResolved() const { return m_resolved; }

private:
    struct Instance
    {
        int ruleIndex = -1;
        ActiveAlert alert;
    };

    QList<AlertRule> m_rules;
    AlertEngineTuning m_tuning;
    QMap<QString, Instance> m_instances; // fingerprint -> pending or firing instance
    QList<ActiveAlert> m_resolved;       // newest first
};

} // namespace drover
