#include "alert_rules.h"

#include "core/config/config.h"

#include <QCoreApplication>
#include <algorithm>
#include <cmath>
#include <functional>

// The translation context of alert-rule messages (outside the namespace so that lupdate and
// the runtime agree on its name).
class DroverAlerts
{
    Q_DECLARE_TR_FUNCTIONS(DroverAlerts)
};

namespace drover {

namespace {

const QString kAlertName = QStringLiteral("alertname");
const QString kSeverity = QStringLiteral("severity");

bool isNameStart(QChar c)
{
    return (c >= QLatin1Char('a') && c <= QLatin1Char('z')) ||
           (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) || c == QLatin1Char('_');
}

bool isNameChar(QChar c)
{
    return isNameStart(c) || (c >= QLatin1Char('0') && c <= QLatin1Char('9'));
}

bool isLabelName(const QString &s)
{
    if (s.isEmpty() || !isNameStart(s.front()))
        return false;
    return std::all_of(s.begin(), s.end(), isNameChar);
}

// Series names may also contain ':' (recording-rule style names, as in Prometheus).
bool isSeriesName(const QString &s)
{
    if (s.isEmpty() || !(isNameStart(s.front()) || s.front() == QLatin1Char(':')))
        return false;
    return std::all_of(s.begin(), s.end(),
                       [](QChar c) { return isNameChar(c) || c == QLatin1Char(':'); });
}

QString quoted(const QString &value)
{
    QString v = value;
    v.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    v.replace(QLatin1Char('"'), QLatin1String("\\\""));
    return QLatin1Char('"') + v + QLatin1Char('"');
}

// A small recursive-descent reader over a selector or matcher list. Columns are 1-based.
class SelectorReader
{
public:
    explicit SelectorReader(const QString &text) : m_text(text) {}

    bool atEnd()
    {
        skipSpace();
        return m_pos >= m_text.size();
    }
    QChar peek()
    {
        skipSpace();
        return m_pos < m_text.size() ? m_text.at(m_pos) : QChar();
    }
    bool accept(QChar c)
    {
        if (peek() != c)
            return false;
        ++m_pos;
        return true;
    }

    bool fail(const QString &message)
    {
        if (m_error.isEmpty()) {
            m_error = message;
            m_errorColumn = int(m_pos) + 1;
        }
        return false;
    }

    bool readName(QString &out, bool series)
    {
        skipSpace();
        const qsizetype start = m_pos;
        while (m_pos < m_text.size() &&
               (isNameChar(m_text.at(m_pos)) || (series && m_text.at(m_pos) == QLatin1Char(':'))))
            ++m_pos;
        out = m_text.mid(start, m_pos - start);
        const bool ok = series ? isSeriesName(out) : isLabelName(out);
        if (!ok) {
            m_pos = start;
            return fail(series ? DroverAlerts::tr("expected a series name")
                               : DroverAlerts::tr("expected a label name"));
        }
        return true;
    }

    bool readOp(LabelMatcher::Op &op)
    {
        skipSpace();
        const QStringView rest = QStringView(m_text).mid(m_pos);
        if (rest.startsWith(u"=~")) {
            op = LabelMatcher::Op::Regex;
            m_pos += 2;
        } else if (rest.startsWith(u"!~")) {
            op = LabelMatcher::Op::NotRegex;
            m_pos += 2;
        } else if (rest.startsWith(u"!=")) {
            op = LabelMatcher::Op::NotEqual;
            m_pos += 2;
        } else if (rest.startsWith(u"=")) {
            op = LabelMatcher::Op::Equal;
            m_pos += 1;
        } else {
            return fail(DroverAlerts::tr("expected one of =, !=, =~, !~"));
        }
        return true;
    }

    bool readString(QString &out)
    {
        skipSpace();
        if (m_pos >= m_text.size() || m_text.at(m_pos) != QLatin1Char('"'))
            return fail(DroverAlerts::tr("expected a double-quoted value"));
        const qsizetype open = m_pos++;
        out.clear();
        while (m_pos < m_text.size()) {
            const QChar c = m_text.at(m_pos++);
            if (c == QLatin1Char('"'))
                return true;
            if (c == QLatin1Char('\\') && m_pos < m_text.size()) {
                out += m_text.at(m_pos++);
                continue;
            }
            out += c;
        }
        m_pos = open;
        return fail(DroverAlerts::tr("unterminated quoted value"));
    }

    // matcher (',' matcher)* [','] up to `close` (or the end when close is null).
    bool readMatchers(QList<LabelMatcher> &out, QChar close)
    {
        while (true) {
            if (close.isNull() ? atEnd() : peek() == close)
                return true;
            QString name, value;
            LabelMatcher::Op op;
            if (!readName(name, false) || !readOp(op))
                return false;
            skipSpace();
            const qsizetype valueStart = m_pos;
            if (!readString(value))
                return false;
            LabelMatcher m(name, op, value);
            if (!m.isValid()) {
                m_pos = valueStart; // point at the bad regex
                return fail(m.problem());
            }
            out.append(m);
            if (accept(QLatin1Char(',')))
                continue;
            if (close.isNull() ? atEnd() : peek() == close)
                return true;
            return fail(DroverAlerts::tr("expected ',' or '%1'")
                            .arg(close.isNull() ? DroverAlerts::tr("the end") : QString(close)));
        }
    }

    QString error() const { return m_error; }
    int errorColumn() const { return m_errorColumn; }

private:
    void skipSpace()
    {
        while (m_pos < m_text.size() && m_text.at(m_pos).isSpace())
            ++m_pos;
    }

    const QString &m_text;
    qsizetype m_pos = 0;
    QString m_error;
    int m_errorColumn = 0;
};

// One `{{ ... }}` placeholder of a summary template, already trimmed of braces and spaces.
struct Placeholder
{
    enum class Kind
    {
        Value,
        ValueBytes,
        Threshold,
        Pool,
        Label,
        Unknown
    };
    Kind kind = Kind::Unknown;
    QString label; // for Label
};

Placeholder classify(QString expr)
{
    expr = expr.trimmed();
    if (expr.startsWith(QLatin1Char('$')))
        expr.remove(0, 1);
    Placeholder p;
    const qsizetype pipe = expr.indexOf(QLatin1Char('|'));
    const QString head = (pipe < 0 ? expr : expr.left(pipe)).trimmed();
    const QString filter = pipe < 0 ? QString() : expr.mid(pipe + 1).trimmed();
    if (head == QLatin1String("value")) {
        if (filter.isEmpty())
            p.kind = Placeholder::Kind::Value;
        else if (filter == QLatin1String("bytes"))
            p.kind = Placeholder::Kind::ValueBytes;
        return p;
    }
    if (!filter.isEmpty())
        return p; // only {{value}} takes a filter
    if (head == QLatin1String("threshold")) {
        p.kind = Placeholder::Kind::Threshold;
    } else if (head == QLatin1String("pool")) {
        p.kind = Placeholder::Kind::Pool;
    } else if (head.startsWith(QLatin1String("labels.")) && isLabelName(head.mid(7))) {
        p.kind = Placeholder::Kind::Label;
        p.label = head.mid(7);
    }
    return p;
}

// Walks a template: `text` gets the literal runs, `placeholder` each {{...}} with its raw
// text. A `{{` that is never closed goes to `text` with the rest, and the walk returns false.
bool walkTemplate(const QString &templ, const std::function<void(QStringView)> &text,
                  const std::function<void(const Placeholder &, QStringView raw)> &placeholder)
{
    qsizetype pos = 0;
    while (pos < templ.size()) {
        const qsizetype open = templ.indexOf(QLatin1String("{{"), pos);
        if (open < 0) {
            text(QStringView(templ).mid(pos));
            return true;
        }
        text(QStringView(templ).mid(pos, open - pos));
        const qsizetype close = templ.indexOf(QLatin1String("}}"), open + 2);
        if (close < 0) {
            text(QStringView(templ).mid(open)); // shown as written
            return false;
        }
        placeholder(classify(templ.mid(open + 2, close - open - 2)),
                    QStringView(templ).mid(open, close + 2 - open));
        pos = close + 2;
    }
    return true;
}

} // namespace

// ---- Labels and matchers ----------------------------------------------------------------

QString formatLabels(const Labels &labels)
{
    QStringList parts;
    for (auto it = labels.cbegin(); it != labels.cend(); ++it)
        parts.append(it.key() + QLatin1Char('=') + quoted(it.value()));
    return QLatin1Char('{') + parts.join(QLatin1String(", ")) + QLatin1Char('}');
}

QString labelsFingerprint(const Labels &labels)
{
    quint64 h = 14695981039346656037ULL;
    const auto mix = [&h](const QString &s) {
        const QByteArray bytes = s.toUtf8();
        for (char c : bytes) {
            h ^= quint8(c);
            h *= 1099511628211ULL;
        }
        h ^= 0xff; // a separator byte that UTF-8 never produces
        h *= 1099511628211ULL;
    };
    for (auto it = labels.cbegin(); it != labels.cend(); ++it) {
        mix(it.key());
        mix(it.value());
    }
    return QStringLiteral("%1").arg(h, 16, 16, QLatin1Char('0'));
}

QString severityName(AlertSeverity severity)
{
    switch (severity) {
    case AlertSeverity::Info:
        return QStringLiteral("info");
    case AlertSeverity::Warning:
        return QStringLiteral("warning");
    case AlertSeverity::High:
        return QStringLiteral("high");
    case AlertSeverity::Critical:
        return QStringLiteral("critical");
    }
    return {};
}

std::optional<AlertSeverity> severityFromName(const QString &name)
{
    for (AlertSeverity s : {AlertSeverity::Info, AlertSeverity::Warning, AlertSeverity::High,
                            AlertSeverity::Critical}) {
        if (severityName(s) == name)
            return s;
    }
    return std::nullopt;
}

LabelMatcher::LabelMatcher(QString name, Op op, QString value)
    : m_name(std::move(name)), m_op(op), m_value(std::move(value))
{
    if (m_op == Op::Regex || m_op == Op::NotRegex)
        m_regex.setPattern(QRegularExpression::anchoredPattern(m_value));
}

bool LabelMatcher::matchesValue(const QString &value) const
{
    switch (m_op) {
    case Op::Equal:
        return value == m_value;
    case Op::NotEqual:
        return value != m_value;
    case Op::Regex:
        return m_regex.isValid() && m_regex.match(value).hasMatch();
    case Op::NotRegex:
        return m_regex.isValid() && !m_regex.match(value).hasMatch();
    }
    return false;
}

bool LabelMatcher::matches(const Labels &labels) const
{
    return matchesValue(labels.value(m_name)); // absent reads as ""
}

bool LabelMatcher::isValid() const
{
    return problem().isEmpty();
}

QString LabelMatcher::problem() const
{
    if (!isLabelName(m_name))
        return DroverAlerts::tr("'%1' is not a valid label name").arg(m_name);
    if ((m_op == Op::Regex || m_op == Op::NotRegex) && !m_regex.isValid())
        return DroverAlerts::tr("invalid regular expression '%1': %2")
            .arg(m_value, m_regex.errorString());
    return {};
}

QString LabelMatcher::toString() const
{
    static const char *const ops[] = {"=", "!=", "=~", "!~"};
    return m_name + QLatin1String(ops[int(m_op)]) + quoted(m_value);
}

bool matchesAll(const QList<LabelMatcher> &matchers, const Labels &labels)
{
    return std::all_of(matchers.begin(), matchers.end(),
                       [&labels](const LabelMatcher &m) { return m.matches(labels); });
}

QString SeriesSelector::toString() const
{
    if (matchers.isEmpty())
        return series;
    QStringList parts;
    for (const LabelMatcher &m : matchers)
        parts.append(m.toString());
    return series + QLatin1Char('{') + parts.join(QLatin1String(", ")) + QLatin1Char('}');
}

std::optional<SeriesSelector> parseSeriesSelector(const QString &text, QString *error,
                                                  int *errorColumn)
{
    SelectorReader r(text);
    SeriesSelector s;
    bool ok = r.readName(s.series, true);
    if (ok && r.accept(QLatin1Char('{'))) {
        ok = r.readMatchers(s.matchers, QLatin1Char('}')) && r.accept(QLatin1Char('}'));
    }
    if (ok && !r.atEnd())
        ok = r.fail(DroverAlerts::tr("unexpected text after the selector"));
    if (ok)
        return s;
    if (error)
        *error = r.error();
    if (errorColumn)
        *errorColumn = r.errorColumn();
    return std::nullopt;
}

std::optional<QList<LabelMatcher>> parseLabelMatchers(const QString &text, QString *error,
                                                      int *errorColumn)
{
    SelectorReader r(text);
    QList<LabelMatcher> out;
    bool ok;
    if (r.accept(QLatin1Char('{'))) {
        ok = r.readMatchers(out, QLatin1Char('}')) && r.accept(QLatin1Char('}'));
        if (ok && !r.atEnd())
            ok = r.fail(DroverAlerts::tr("unexpected text after '}'"));
    } else {
        ok = r.readMatchers(out, QChar());
    }
    if (ok)
        return out;
    if (error)
        *error = r.error();
    if (errorColumn)
        *errorColumn = r.errorColumn();
    return std::nullopt;
}

// ---- Comparisons and templates ----------------------------------------------------------

QString comparisonSymbol(Comparison op)
{
    switch (op) {
    case Comparison::Greater:
        return QStringLiteral(">");
    case Comparison::Less:
        return QStringLiteral("<");
    case Comparison::GreaterOrEqual:
        return QStringLiteral(">=");
    case Comparison::LessOrEqual:
        return QStringLiteral("<=");
    }
    return {};
}

std::optional<Comparison> comparisonFromSymbol(const QString &symbol)
{
    for (Comparison c : {Comparison::Greater, Comparison::Less, Comparison::GreaterOrEqual,
                         Comparison::LessOrEqual}) {
        if (comparisonSymbol(c) == symbol.trimmed())
            return c;
    }
    return std::nullopt;
}

bool compare(double value, Comparison op, double threshold)
{
    if (std::isnan(value))
        return false; // no data is not a breach
    switch (op) {
    case Comparison::Greater:
        return value > threshold;
    case Comparison::Less:
        return value < threshold;
    case Comparison::GreaterOrEqual:
        return value >= threshold;
    case Comparison::LessOrEqual:
        return value <= threshold;
    }
    return false;
}

QString formatAlertValue(double value)
{
    if (std::isnan(value))
        return QStringLiteral("NaN");
    if (std::isinf(value))
        return value > 0 ? QStringLiteral("+Inf") : QStringLiteral("-Inf");
    QString s = QString::number(value, 'f', 2);
    if (s.contains(QLatin1Char('.'))) {
        while (s.endsWith(QLatin1Char('0')))
            s.chop(1);
        if (s.endsWith(QLatin1Char('.')))
            s.chop(1);
    }
    if (s == QLatin1String("-0"))
        s = QStringLiteral("0");
    return s;
}

QString formatBytes(double bytes)
{
    if (!std::isfinite(bytes))
        return formatAlertValue(bytes);
    static const char *const units[] = {"B", "kB", "MB", "GB", "TB", "PB"};
    int unit = 0;
    double v = bytes;
    while (std::abs(v) >= 1000 && unit < 5) {
        v /= 1000;
        ++unit;
    }
    QString s = QString::number(v, 'f', unit == 0 ? 0 : 1);
    if (s.endsWith(QLatin1String(".0")))
        s.chop(2);
    return s + QLatin1Char(' ') + QLatin1String(units[unit]);
}

QString renderSummary(const QString &templ, const Labels &labels, double value, double threshold)
{
    QString out;
    out.reserve(templ.size() + 16);
    walkTemplate(
        templ, [&out](QStringView text) { out += text; },
        [&](const Placeholder &p, QStringView raw) {
            switch (p.kind) {
            case Placeholder::Kind::Value:
                out += formatAlertValue(value);
                break;
            case Placeholder::Kind::ValueBytes:
                out += formatBytes(value);
                break;
            case Placeholder::Kind::Threshold:
                out += formatAlertValue(threshold);
                break;
            case Placeholder::Kind::Pool:
                out += labels.value(QStringLiteral("pool"));
                break;
            case Placeholder::Kind::Label:
                out += labels.value(p.label);
                break;
            case Placeholder::Kind::Unknown:
                out += raw;
                break;
            }
        });
    return out;
}

QStringList templateProblems(const QString &templ)
{
    QStringList problems;
    const bool complete = walkTemplate(
        templ, [](QStringView) {},
        [&problems](const Placeholder &p, QStringView raw) {
            if (p.kind == Placeholder::Kind::Unknown)
                problems.append(
                    DroverAlerts::tr("unknown placeholder %1 (use {{value}}, {{value|bytes}}, "
                                     "{{threshold}}, {{pool}} or {{labels.NAME}})")
                        .arg(raw.toString()));
        });
    if (!complete)
        problems.append(DroverAlerts::tr("'{{' without a closing '}}'"));
    return problems;
}

// ---- Validation and defaults ------------------------------------------------------------

QList<AlertRuleProblem> validateAlertRules(const QList<AlertRule> &rules,
                                           const QSet<QString> &knownSeries)
{
    QList<AlertRuleProblem> problems;
    QSet<QString> identities;
    for (int i = 0; i < rules.size(); ++i) {
        const AlertRule &r = rules.at(i);
        const auto add = [&](const QString &field, const QString &message) {
            problems.append({i, r.name, field, message});
        };
        if (r.name.trimmed().isEmpty())
            add(QStringLiteral("name"), DroverAlerts::tr("the rule has no name"));
        // Two rules may share a name (the usual warning and critical pair) but must then
        // differ in severity or labels, or their alerts would be indistinguishable.
        Labels identity = r.labels;
        identity.insert(kAlertName, r.name);
        identity.insert(kSeverity, r.severity);
        const QString id = formatLabels(identity);
        if (!r.name.trimmed().isEmpty() && identities.contains(id))
            add(QStringLiteral("name"),
                DroverAlerts::tr("another rule named '%1' has the same severity and labels")
                    .arg(r.name));
        identities.insert(id);

        if (!isSeriesName(r.selector.series))
            add(QStringLiteral("series"),
                DroverAlerts::tr("'%1' is not a valid series name").arg(r.selector.series));
        else if (!knownSeries.isEmpty() && !knownSeries.contains(r.selector.series))
            add(QStringLiteral("series"),
                DroverAlerts::tr("unknown series '%1'").arg(r.selector.series));
        for (const LabelMatcher &m : r.selector.matchers) {
            if (!m.isValid())
                add(QStringLiteral("series"), m.problem());
        }
        if (!std::isfinite(r.threshold))
            add(QStringLiteral("threshold"), DroverAlerts::tr("the threshold must be a number"));
        if (r.forMs < 0)
            add(QStringLiteral("for"), DroverAlerts::tr("'for' must not be negative"));
        if (r.keepFiringForMs < 0)
            add(QStringLiteral("keep_firing_for"),
                DroverAlerts::tr("'keep_firing_for' must not be negative"));
        if (!severityFromName(r.severity))
            add(QStringLiteral("severity"),
                DroverAlerts::tr(
                    "'severity' must be one of info, warning, high, critical, got '%1'")
                    .arg(r.severity));
        for (auto it = r.labels.cbegin(); it != r.labels.cend(); ++it) {
            if (!isLabelName(it.key()))
                add(QStringLiteral("labels"),
                    DroverAlerts::tr("'%1' is not a valid label name").arg(it.key()));
            else if (it.key() == kAlertName || it.key() == kSeverity)
                add(QStringLiteral("labels"),
                    DroverAlerts::tr("label '%1' is set by the rule itself").arg(it.key()));
        }
        for (const QString &p : templateProblems(r.summary))
            add(QStringLiteral("summary"), p);
    }
    return problems;
}

std::optional<AlertRule> alertRuleFromSpec(const AlertRuleSpec &spec, AlertRuleProblem *problem)
{
    const auto refuse = [&](const QString &field, const QString &message, int column) {
        if (problem)
            *problem = {-1, spec.name, field, message, column};
        return std::nullopt;
    };
    QString error;
    int column = 0;
    const auto selector = parseSeriesSelector(spec.series, &error, &column);
    if (!selector)
        return refuse(QStringLiteral("series"), error, column);
    const auto op = comparisonFromSymbol(spec.op);
    if (!op)
        return refuse(QStringLiteral("op"),
                      DroverAlerts::tr("'op' must be one of >, <, >=, <=, got '%1'").arg(spec.op),
                      0);
    AlertRule r;
    r.name = spec.name;
    r.selector = *selector;
    r.op = *op;
    r.threshold = spec.threshold;
    r.forMs = spec.forMs;
    r.keepFiringForMs = spec.keepFiringForMs;
    r.severity = spec.severity;
    r.summary = spec.summary;
    return r;
}

QSet<QString> defaultAlertSeries()
{
    return {QStringLiteral("error_rate_percent"),     QStringLiteral("queue_depth"),
            QStringLiteral("system_memory_percent"),  QStringLiteral("system_cpu_percent"),
            QStringLiteral("system_disk_free_bytes"), QStringLiteral("pool_ready_replicas"),
            QStringLiteral("gateway_insufficient_quota")};
}

QList<AlertRule> defaultAlertRules()
{
    const auto rule = [](const char *name, const char *series, Comparison op, double threshold,
                         qint64 forMs, qint64 keepMs, const char *severity, QString summary) {
        AlertRule r;
        r.name = QLatin1String(name);
        r.selector.series = QLatin1String(series);
        r.op = op;
        r.threshold = threshold;
        r.forMs = forMs;
        r.keepFiringForMs = keepMs;
        r.severity = QLatin1String(severity);
        r.summary = std::move(summary);
        return r;
    };
    constexpr qint64 s = 1000, m = 60 * s;
    return {
        rule("HighErrorRate", "error_rate_percent", Comparison::Greater, 5, 5 * m, 0, "high",
             DroverAlerts::tr("Job error rate at {{value}} % (above {{threshold}} %)")),
        rule("QueueBacklog", "queue_depth", Comparison::Greater, 1000, 1 * m, 0, "high",
             DroverAlerts::tr("{{value}} jobs waiting (more than {{threshold}})")),
        rule("HighMemory", "system_memory_percent", Comparison::Greater, 80, 2 * m, 0, "critical",
             DroverAlerts::tr("Memory use at {{value}} % (above {{threshold}} %)")),
        // CPU is spiky: keep firing a minute so one quiet sample does not resolve and re-fire.
        rule("HighCpu", "system_cpu_percent", Comparison::Greater, 90, 2 * m, 1 * m, "warning",
             DroverAlerts::tr("CPU at {{value}} % for 2 minutes (above {{threshold}} %)")),
        rule("LowDiskSpace", "system_disk_free_bytes", Comparison::Less, 1e9, 1 * m, 0, "critical",
             DroverAlerts::tr("Only {{value|bytes}} of disk space left")),
        // The producer reports 0 for a pool whose replicas are all down: a missing series never
        // alerts. Paused pools should not be reported at all.
        rule("PoolNotReady", "pool_ready_replicas", Comparison::Less, 1, 1 * m, 0, "critical",
             DroverAlerts::tr("Pool {{pool}} has no ready replica")),
        // The gateway saw insufficient_quota: retrying cannot help, an operator must add credit
        // or change the key. At once, no `for`.
        rule("ProviderQuotaExhausted", "gateway_insufficient_quota", Comparison::Greater, 0, 0, 0,
             "critical",
             DroverAlerts::tr("The GPT provider answered insufficient_quota: GPT calls fail until "
                              "credit is added or the provider key is changed")),
    };
}

// ---- The engine -------------------------------------------------------------------------

QString alertStateName(AlertState state)
{
    switch (state) {
    case AlertState::Inactive:
        return QStringLiteral("inactive");
    case AlertState::Pending:
        return QStringLiteral("pending");
    case AlertState::Firing:
        return QStringLiteral("firing");
    case AlertState::Resolved:
        return QStringLiteral("resolved");
    }
    return {};
}

QList<ActiveAlert> AlertEvaluation::forNotification() const
{
    QList<ActiveAlert> out;
    for (const ActiveAlert &a : active) {
        if (a.state == AlertState::Firing)
            out.append(a);
    }
    out.append(recentlyResolved);
    return out;
}

AlertEngine::AlertEngine(QList<AlertRule> rules, AlertEngineTuning tuning)
    : m_rules(std::move(rules)), m_tuning(tuning)
{
}

void AlertEngine::setRules(QList<AlertRule> rules)
{
    m_rules = std::move(rules);
    for (auto it = m_instances.begin(); it != m_instances.end();) {
        const Labels &labels = it->alert.labels;
        int index = -1;
        for (int i = 0; i < m_rules.size() && index < 0; ++i) {
            const AlertRule &r = m_rules.at(i);
            bool same = r.name == labels.value(kAlertName) && r.severity == labels.value(kSeverity);
            for (auto l = r.labels.cbegin(); same && l != r.labels.cend(); ++l)
                same = labels.value(l.key()) == l.value();
            if (same)
                index = i;
        }
        if (index < 0) {
            it = m_instances.erase(it);
        } else {
            it->ruleIndex = index;
            ++it;
        }
    }
}

AlertEvaluation AlertEngine::evaluate(const SeriesValues &values, qint64 nowMs)
{
    AlertEvaluation out;
    const auto transition = [&out, nowMs](const ActiveAlert &a, AlertState from, AlertState to,
                                          double value) {
        out.transitions.append(
            {a.fingerprint, a.ruleName, a.labels, from, to, value, nowMs, a.severity, a.summary});
    };

    QSet<QString> met;                  // instances whose condition holds now
    QMap<QString, double> currentValue; // every matching series, met or not, by fingerprint
    for (int ri = 0; ri < m_rules.size(); ++ri) {
        const AlertRule &rule = m_rules.at(ri);
        const AlertSeverity severity =
            severityFromName(rule.severity).value_or(AlertSeverity::Warning);
        // A missing series (or a label set that is not reported) means the condition does not
        // hold: no data is never a breach, and an alert whose series disappears resolves.
        const QList<LabeledValue> points = values.value(rule.selector.series);
        QMap<QString, std::pair<Labels, double>> byInstance; // later duplicates win
        for (const LabeledValue &p : points) {
            if (!matchesAll(rule.selector.matchers, p.labels))
                continue;
            Labels labels = p.labels;
            for (auto l = rule.labels.cbegin(); l != rule.labels.cend(); ++l)
                labels.insert(l.key(), l.value()); // rule labels override series labels
            labels.insert(kAlertName, rule.name);
            labels.insert(kSeverity, rule.severity);
            byInstance.insert(labelsFingerprint(labels), {labels, p.value});
        }
        for (auto it = byInstance.cbegin(); it != byInstance.cend(); ++it) {
            const QString &fp = it.key();
            const double value = it->second;
            if (!currentValue.contains(fp))
                currentValue.insert(fp, value);
            // NaN compares false: a series without a value is treated like a missing one.
            if (!compare(value, rule.op, rule.threshold) || met.contains(fp))
                continue;
            met.insert(fp);
            const QString summary = renderSummary(rule.summary, it->first, value, rule.threshold);

            auto inst = m_instances.find(fp);
            if (inst == m_instances.end()) {
                // A new instance. An alert that resolved earlier and returns is a new one: it
                // leaves the recently-resolved list (it is no longer resolved).
                m_resolved.erase(
                    std::remove_if(m_resolved.begin(), m_resolved.end(),
                                   [&fp](const ActiveAlert &a) { return a.fingerprint == fp; }),
                    m_resolved.end());
                Instance fresh;
                fresh.ruleIndex = ri;
                ActiveAlert &a = fresh.alert;
                a.fingerprint = fp;
                a.ruleName = rule.name;
                a.labels = it->first;
                a.activeSinceMs = nowMs;
                a.lastTrueMs = nowMs;
                a.value = value;
                a.severity = severity;
                a.summary = summary;
                // Without `for` the alert fires on its first evaluation (one transition).
                if (rule.forMs <= 0) {
                    a.state = AlertState::Firing;
                    a.firedAtMs = nowMs;
                } else {
                    a.state = AlertState::Pending;
                }
                transition(a, AlertState::Inactive, a.state, value);
                m_instances.insert(fp, fresh);
                continue;
            }
            ActiveAlert &a = inst->alert;
            inst->ruleIndex = ri;
            a.value = value;
            a.summary = summary;
            a.severity = severity;
            a.lastTrueMs = nowMs; // inside keep_firing_for this restarts the hold
            a.conditionMet = true;
            if (a.state == AlertState::Pending && nowMs - a.activeSinceMs >= rule.forMs) {
                a.state = AlertState::Firing;
                a.firedAtMs = nowMs;
                transition(a, AlertState::Pending, AlertState::Firing, value);
            }
        }
    }

    // Instances whose condition does not hold this time.
    for (auto it = m_instances.begin(); it != m_instances.end();) {
        if (met.contains(it.key())) {
            ++it;
            continue;
        }
        ActiveAlert &a = it->alert;
        const double now = currentValue.value(it.key(), std::nan(""));
        if (a.state == AlertState::Pending) {
            // Never fired, so nobody was told: it is dropped without a resolved notice. The
            // transition is still reported so the event log can show flapping conditions.
            transition(a, AlertState::Pending, AlertState::Inactive, now);
            it = m_instances.erase(it);
            continue;
        }
        const qint64 keepMs = it->ruleIndex >= 0 && it->ruleIndex < m_rules.size()
                                  ? m_rules.at(it->ruleIndex).keepFiringForMs
                                  : 0;
        a.conditionMet = false;
        if (nowMs - a.lastTrueMs < keepMs) {
            ++it; // keep_firing_for: still firing, the value stays the last breaching one
            continue;
        }
        a.state = AlertState::Resolved;
        a.resolvedAtMs = nowMs;
        transition(a, AlertState::Firing, AlertState::Resolved, now);
        m_resolved.prepend(a);
        it = m_instances.erase(it);
    }

    const qint64 horizon = nowMs - m_tuning.resolvedRetentionMs;
    m_resolved.erase(
        std::remove_if(m_resolved.begin(), m_resolved.end(),
                       [horizon](const ActiveAlert &a) { return a.resolvedAtMs < horizon; }),
        m_resolved.end());
    if (m_resolved.size() > m_tuning.resolvedMaxCount)
        m_resolved.resize(std::max(0, m_tuning.resolvedMaxCount));

    out.active = activeAlerts();
    out.recentlyResolved = m_resolved;
    return out;
}

bool AlertEngine::acknowledge(const QString &fingerprint, qint64 nowMs, const QString &by)
{
    auto it = m_instances.find(fingerprint);
    if (it == m_instances.end())
        return false;
    it->alert.acknowledged = true;
    it->alert.acknowledgedAtMs = nowMs;
    it->alert.acknowledgedBy = by;
    return true;
}

bool AlertEngine::unacknowledge(const QString &fingerprint)
{
    auto it = m_instances.find(fingerprint);
    if (it == m_instances.end() || !it->alert.acknowledged)
        return false;
    it->alert.acknowledged = false;
    it->alert.acknowledgedAtMs = -1;
    it->alert.acknowledgedBy.clear();
    return true;
}

QList<ActiveAlert> AlertEngine::activeAlerts() const
{
    QList<ActiveAlert> out;
    out.reserve(m_instances.size());
    for (const Instance &i : m_instances)
        out.append(i.alert);
    // Most urgent first: severity, firing before pending, oldest first, then a stable key.
    std::sort(out.begin(), out.end(), [](const ActiveAlert &a, const ActiveAlert &b) {
        if (a.severity != b.severity)
            return a.severity > b.severity;
        if (a.state != b.state)
            return a.state == AlertState::Firing;
        if (a.activeSinceMs != b.activeSinceMs)
            return a.activeSinceMs < b.activeSinceMs;
        return a.fingerprint < b.fingerprint;
    });
    return out;
}

} // namespace drover
