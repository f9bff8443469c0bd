#include "config.h"
#include "config_text.h"
#include "core/detect/alert_rules.h"
#include "core/detect/notification_policy.h"
#include "core/engine/pool_series.h"
#include "core/scaling/scale_schedule.h"
#include "core/dispatch/balancer.h"
#include "core/dispatch/dispatch_types.h"
#include "core/scaling/autoscaler_spec.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>
#include <QTimeZone>
#include <QUrl>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <functional>

namespace drover {

QString ConfigIssue::toString() const
{
    const QString kind = severity == Severity::Error ? QStringLiteral("error")
                                                     : QStringLiteral("warning");
    if (line <= 0)
        return QStringLiteral("%1: %2: %3").arg(file, kind, message);
    return QStringLiteral("%1:%2:%3: %4: %5").arg(file).arg(line).arg(column).arg(kind, message);
}

bool ConfigLoadResult::hasErrors() const
{
    for (const ConfigIssue &issue : issues) {
        if (issue.severity == ConfigIssue::Severity::Error)
            return true;
    }
    return false;
}

const TierSpec *Config::tier(const QString &name) const
{
    for (const TierSpec &t : tiers) {
        if (t.name == name)
            return &t;
    }
    return nullptr;
}

const PoolSpec *Config::pool(const QString &name) const
{
    for (const PoolSpec &p : pools) {
        if (p.name == name)
            return &p;
    }
    return nullptr;
}

QList<TierSpec> defaultTiers()
{
    // The seed's quota table: CPU cores, memory, GPT tokens/min, browsers, concurrent tasks.
    return {
        {QStringLiteral("free"), 0.5, 1024, 100, 1, 2},
        {QStringLiteral("basic"), 1.0, 2048, 500, 2, 5},
        {QStringLiteral("premium"), 2.0, 4096, 2000, 5, 10},
        {QStringLiteral("enterprise"), 4.0, 8192, 10000, 10, 20},
    };
}

std::optional<qint64> parseDurationMs(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^\\s*(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)?\\s*$"));
    const QRegularExpressionMatch m = re.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    const double value = m.captured(1).toDouble();
    const QString unit = m.captured(2);
    double factor = 1; // a bare number is milliseconds
    if (unit == QLatin1String("s"))
        factor = 1000;
    else if (unit == QLatin1String("m"))
        factor = 60 * 1000;
    else if (unit == QLatin1String("h"))
        factor = 3600 * 1000;
    else if (unit == QLatin1String("d"))
        factor = 24 * 3600 * 1000;
    const double ms = value * factor;
    if (!std::isfinite(ms) || ms > 9.0e15)
        return std::nullopt;
    return static_cast<qint64>(std::llround(ms));
}

namespace {

// Walks the YAML tree and records issues with positions. Every accessor reports what it could
// not use and falls back to the default already in the target, so one typo costs one message.
class Reader
{
public:
    Reader(QString file, QList<ConfigIssue> &issues) : m_file(std::move(file)), m_issues(issues) {}

    void error(const YAML::Mark &mark, const QString &message)
    {
        add(mark, ConfigIssue::Severity::Error, message);
    }
    void warning(const YAML::Mark &mark, const QString &message)
    {
        add(mark, ConfigIssue::Severity::Warning, message);
    }
    int errorCount() const
    {
        int n = 0;
        for (const ConfigIssue &i : m_issues)
            n += i.severity == ConfigIssue::Severity::Error ? 1 : 0;
        return n;
    }

    // Unknown keys are errors: a typo such as "replcas" silently ignored is the most common
    // way an operator's change does nothing.
    bool checkKeys(const YAML::Node &map, const QString &where, const QStringList &allowed)
    {
        if (!expectMap(map, where))
            return false;
        bool ok = true;
        for (auto it = map.begin(); it != map.end(); ++it) {
            const QString key = QString::fromStdString(it->first.Scalar());
            if (!allowed.contains(key)) {
                error(it->first.Mark(), DroverConfig::tr("unknown key '%1' in %2 (expected one of: %3)")
                                            .arg(key, where, allowed.join(QStringLiteral(", "))));
                ok = false;
            }
        }
        return ok;
    }

    bool expectMap(const YAML::Node &node, const QString &where)
    {
        if (node.IsMap())
            return true;
        error(node.Mark(), DroverConfig::tr("%1 must be a mapping").arg(where));
        return false;
    }

    bool string(const YAML::Node &map, const char *key, QString &out, bool required = false)
    {
        const YAML::Node n = map[key];
        if (!n) {
            if (required)
                error(map.Mark(), DroverConfig::tr("missing required key '%1'").arg(QLatin1String(key)));
            return !required;
        }
        if (!n.IsScalar()) {
            error(n.Mark(), DroverConfig::tr("'%1' must be a string").arg(QLatin1String(key)));
            return false;
        }
        out = QString::fromStdString(n.Scalar());
        if (required && out.trimmed().isEmpty()) {
            error(n.Mark(), DroverConfig::tr("'%1' must not be empty").arg(QLatin1String(key)));
            return false;
        }
        return true;
    }

    bool number(const YAML::Node &map, const char *key, double &out, double min, double max)
    {
        const YAML::Node n = map[key];
        if (!n)
            return true;
        double value = 0;
        bool converted = n.IsScalar() && YAML::convert<double>::decode(n, value);
        if (!converted || !std::isfinite(value)) {
            error(n.Mark(), DroverConfig::tr("'%1' must be a number, got '%2'")
                                .arg(QLatin1String(key), QString::fromStdString(scalarOr(n))));
            return false;
        }
        if (value < min || value > max) {
            error(n.Mark(), DroverConfig::tr("'%1' must be between %2 and %3, got %4")
                                .arg(QLatin1String(key)).arg(min).arg(max).arg(value));
            return false;
        }
        out = value;
        return true;
    }

    template<typename Int>
    bool integer(const YAML::Node &map, const char *key, Int &out, qint64 min, qint64 max)
    {
        const YAML::Node n = map[key];
        if (!n)
            return true;
        long long value = 0;
        bool converted = n.IsScalar() && YAML::convert<long long>::decode(n, value);
        if (!converted) {
            error(n.Mark(), DroverConfig::tr("'%1' must be a whole number, got '%2'")
                                .arg(QLatin1String(key), QString::fromStdString(scalarOr(n))));
            return false;
        }
        if (value < min || value > max) {
            error(n.Mark(), DroverConfig::tr("'%1' must be between %2 and %3, got %4")
                                .arg(QLatin1String(key)).arg(min).arg(max).arg(value));
            return false;
        }
        out = static_cast<Int>(value);
        return true;
    }

    bool boolean(const YAML::Node &map, const char *key, bool &out)
    {
        const YAML::Node n = map[key];
        if (!n)
            return true;
        bool value = false;
        if (!n.IsScalar() || !YAML::convert<bool>::decode(n, value)) {
            error(n.Mark(), DroverConfig::tr("'%1' must be true or false, got '%2'")
                                .arg(QLatin1String(key), QString::fromStdString(scalarOr(n))));
            return false;
        }
        out = value;
        return true;
    }

    bool duration(const YAML::Node &map, const char *key, qint64 &out)
    {
        const YAML::Node n = map[key];
        if (!n)
            return true;
        const std::optional<qint64> ms =
            n.IsScalar() ? parseDurationMs(QString::fromStdString(n.Scalar())) : std::nullopt;
        if (!ms) {
            error(n.Mark(), DroverConfig::tr("'%1' must be a duration such as 500ms, 30s, 2m, 1h or 7d, got '%2'")
                                .arg(QLatin1String(key), QString::fromStdString(scalarOr(n))));
            return false;
        }
        out = *ms;
        return true;
    }

    bool stringList(const YAML::Node &map, const char *key, QStringList &out)
    {
        const YAML::Node n = map[key];
        if (!n)
            return true;
        if (!n.IsSequence()) {
            error(n.Mark(), DroverConfig::tr("'%1' must be a list of strings").arg(QLatin1String(key)));
            return false;
        }
        QStringList values;
        bool ok = true;
        for (const YAML::Node &item : n) {
            if (!item.IsScalar()) {
                error(item.Mark(), DroverConfig::tr("items of '%1' must be strings").arg(QLatin1String(key)));
                ok = false;
                continue;
            }
            values << QString::fromStdString(item.Scalar());
        }
        if (ok)
            out = values;
        return ok;
    }

    template<typename Fn>
    void sequence(const YAML::Node &root, const char *key, Fn &&each)
    {
        const YAML::Node n = root[key];
        if (!n || n.IsNull())
            return;
        if (!n.IsSequence()) {
            error(n.Mark(), DroverConfig::tr("'%1' must be a list").arg(QLatin1String(key)));
            return;
        }
        for (const YAML::Node &item : n)
            each(item);
    }

    static std::string scalarOr(const YAML::Node &n)
    {
        if (n.IsScalar())
            return n.Scalar();
        if (n.IsMap())
            return "a mapping";
        if (n.IsSequence())
            return "a list";
        return "nothing";
    }

private:
    void add(const YAML::Mark &mark, ConfigIssue::Severity severity, const QString &message)
    {
        ConfigIssue issue;
        issue.file = m_file;
        // yaml-cpp marks are 0-based; a null mark (-1) means "no position".
        issue.line = mark.line >= 0 ? mark.line + 1 : 0;
        issue.column = mark.column >= 0 ? mark.column + 1 : 0;
        issue.severity = severity;
        issue.message = message;
        m_issues.append(issue);
    }

    QString m_file;
    QList<ConfigIssue> &m_issues;
};

const QStringList kTopLevelKeys = {
    QStringLiteral("version"), QStringLiteral("tiers"), QStringLiteral("pools"),
    QStringLiteral("policies"), QStringLiteral("alerts"), QStringLiteral("notifications"), QStringLiteral("planning"),
    QStringLiteral("gateway"),
    QStringLiteral("dispatch"), QStringLiteral("storage"), QStringLiteral("observe")};

void readTiers(Reader &r, const YAML::Node &root, Config &config)
{
    const YAML::Node tiers = root["tiers"];
    if (!tiers || tiers.IsNull())
        return;
    if (!r.expectMap(tiers, QStringLiteral("'tiers'")))
        return;
    for (auto it = tiers.begin(); it != tiers.end(); ++it) {
        const QString name = QString::fromStdString(it->first.Scalar());
        const YAML::Node body = it->second;
        if (!r.checkKeys(body, QStringLiteral("tier '%1'").arg(name),
                         {QStringLiteral("cpu_cores"), QStringLiteral("memory_mb"),
                          QStringLiteral("gpt_tokens_per_min"), QStringLiteral("browser_instances"),
                          QStringLiteral("concurrent_tasks")}))
            continue;
        TierSpec tier;
        tier.name = name;
        if (const TierSpec *existing = config.tier(name))
            tier = *existing; // overriding a built-in tier keeps the fields not mentioned
        r.number(body, "cpu_cores", tier.cpuCores, 0.01, 1024);
        r.integer(body, "memory_mb", tier.memoryMb, 0, 16LL * 1024 * 1024); // 0: no limit
        r.integer(body, "gpt_tokens_per_min", tier.gptTokensPerMinute, 0, 100000000);
        r.integer(body, "browser_instances", tier.browserInstances, 0, 1000);
        r.integer(body, "concurrent_tasks", tier.concurrentTasks, 1, 100000);
        bool replaced = false;
        for (TierSpec &t : config.tiers) {
            if (t.name == name) {
                t = tier;
                replaced = true;
            }
        }
        if (!replaced)
            config.tiers.append(tier);
    }
}

void readHealth(Reader &r, const YAML::Node &n, HealthSpec &health)
{
    if (!r.checkKeys(n, QStringLiteral("'health'"),
                     {QStringLiteral("mode"), QStringLiteral("interval"), QStringLiteral("timeout"),
                      QStringLiteral("start_timeout"), QStringLiteral("failure_threshold"),
                      QStringLiteral("live_path"), QStringLiteral("ready_path")}))
        return;
    QString mode;
    if (r.string(n, "mode", mode) && n["mode"]) {
        if (mode == QLatin1String("http"))
            health.mode = HealthSpec::Mode::Http;
        else if (mode == QLatin1String("tcp"))
            health.mode = HealthSpec::Mode::Tcp;
        else if (mode == QLatin1String("process"))
            health.mode = HealthSpec::Mode::Process;
        else
            r.error(n["mode"].Mark(),
                    DroverConfig::tr("'mode' must be http, tcp or process, got '%1'").arg(mode));
    }
    r.duration(n, "start_timeout", health.startTimeoutMs);
    r.duration(n, "interval", health.intervalMs);
    r.duration(n, "timeout", health.timeoutMs);
    r.integer(n, "failure_threshold", health.failureThreshold, 1, 100);
    r.string(n, "live_path", health.livePath);
    r.string(n, "ready_path", health.readyPath);
}

void readRestart(Reader &r, const YAML::Node &n, RestartSpec &restart)
{
    if (!r.checkKeys(n, QStringLiteral("'restart'"),
                     {QStringLiteral("policy"), QStringLiteral("backoff_initial"),
                      QStringLiteral("backoff_max"), QStringLiteral("crash_loop_count"),
                      QStringLiteral("crash_loop_window")}))
        return;
    QString policy;
    if (r.string(n, "policy", policy) && !policy.isEmpty()) {
        if (policy == QLatin1String("always"))
            restart.policy = RestartSpec::Policy::Always;
        else if (policy == QLatin1String("on-failure"))
            restart.policy = RestartSpec::Policy::OnFailure;
        else if (policy == QLatin1String("never"))
            restart.policy = RestartSpec::Policy::Never;
        else
            r.error(n["policy"].Mark(),
                    DroverConfig::tr("'policy' must be always, on-failure or never, got '%1'").arg(policy));
    }
    r.duration(n, "backoff_initial", restart.backoffInitialMs);
    r.duration(n, "backoff_max", restart.backoffMaxMs);
    r.integer(n, "crash_loop_count", restart.crashLoopCount, 1, 1000);
    r.duration(n, "crash_loop_window", restart.crashLoopWindowMs);
}

// behavior.scale_up / scale_down: `select` and HPA rate `policies` ({type: pods|percent,
// value, period}). A percent policy above 100 % is refused: HPA caps a scale-down at 100 % and
// a bigger scale-up step is a typo far more often than an intent.
void readRateRules(Reader &r, const YAML::Node &n, const QString &where, QString &select,
                   QList<AutoscaleSpec::RatePolicy> &policies)
{
    if (!r.checkKeys(n, where, {QStringLiteral("select"), QStringLiteral("policies")}))
        return;
    if (r.string(n, "select", select) && n["select"] && select != QLatin1String("max")
        && select != QLatin1String("min") && select != QLatin1String("disabled")) {
        r.error(n["select"].Mark(),
                DroverConfig::tr("'select' must be max, min or disabled, got '%1'").arg(select));
        select.clear();
    }
    r.sequence(n, "policies", [&](const YAML::Node &p) {
        if (!r.checkKeys(p, QStringLiteral("a rate policy"),
                         {QStringLiteral("type"), QStringLiteral("value"), QStringLiteral("period")}))
            return;
        AutoscaleSpec::RatePolicy policy;
        QString type;
        bool ok = r.string(p, "type", type, true);
        if (ok && type != QLatin1String("pods") && type != QLatin1String("percent")) {
            r.error(p["type"].Mark(), DroverConfig::tr("'type' must be pods or percent, got '%1'").arg(type));
            ok = false;
        }
        policy.percent = type == QLatin1String("percent");
        if (!p["value"]) {
            r.error(p.Mark(), DroverConfig::tr("missing required key '%1'").arg(QStringLiteral("value")));
            ok = false;
        } else {
            ok &= r.integer(p, "value", policy.value, 1, policy.percent ? 100 : 1000);
        }
        ok &= r.duration(p, "period", policy.periodMs);
        if (ok && (policy.periodMs < 1000 || policy.periodMs > 1800000)) {
            r.error(p["period"].Mark(), DroverConfig::tr("'period' must be between 1s and 30m"));
            ok = false;
        }
        if (ok)
            policies.append(policy);
    });
}

// schedules, scale_to_zero and fallback of a pool's `autoscale:` block. Checks against the
// pool's min/max happen in checkAutoscaleLimits once the replicas are known.
void readAutoscaleExtras(Reader &r, const YAML::Node &n, AutoscaleSpec &a)
{
    r.sequence(n, "schedules", [&](const YAML::Node &s) {
        if (!r.checkKeys(s, QStringLiteral("a schedule"),
                         {QStringLiteral("name"), QStringLiteral("start"), QStringLiteral("end"),
                          QStringLiteral("time_zone"), QStringLiteral("min")}))
            return;
        AutoscaleSpec::Schedule w;
        bool ok = r.string(s, "name", w.name);
        ok &= r.string(s, "start", w.start, true);
        ok &= r.string(s, "end", w.end, true);
        for (const auto &[key, text] : {std::pair<const char *, QString>{"start", w.start}, {"end", w.end}}) {
            QString why;
            if (s[key] && !text.isEmpty() && !CronExpression::parse(text, &why)) {
                r.error(s[key].Mark(), DroverConfig::tr("'%1' is not a cron expression (minute hour day month weekday): %2")
                                           .arg(QLatin1String(key), why));
                ok = false;
            }
        }
        if (r.string(s, "time_zone", w.timeZone) && s["time_zone"]
            && !QTimeZone(w.timeZone.toUtf8()).isValid()) {
            r.error(s["time_zone"].Mark(),
                    DroverConfig::tr("unknown time zone '%1' (an IANA id such as Europe/Berlin)").arg(w.timeZone));
            ok = false;
        }
        if (!s["min"]) {
            r.error(s.Mark(), DroverConfig::tr("missing required key '%1'").arg(QStringLiteral("min")));
            ok = false;
        } else {
            ok &= r.integer(s, "min", w.minReplicas, 0, 1000);
        }
        if (ok)
            a.schedules.append(w);
    });
    if (const YAML::Node z = n["scale_to_zero"]) {
        if (r.checkKeys(z, QStringLiteral("'scale_to_zero'"),
                        {QStringLiteral("enabled"), QStringLiteral("activation_metric"),
                         QStringLiteral("activation_threshold"), QStringLiteral("cooldown")})) {
            a.scaleToZero = true;
            r.boolean(z, "enabled", a.scaleToZero);
            if (r.string(z, "activation_metric", a.activationMetric) && z["activation_metric"]
                && a.activationMetric != QLatin1String("queue_depth")) {
                // With no replica running, only Drover's own queue can be observed.
                r.error(z["activation_metric"].Mark(),
                        DroverConfig::tr("'activation_metric' must be queue_depth (the only metric observable at zero replicas), got '%1'")
                            .arg(a.activationMetric));
            }
            r.number(z, "activation_threshold", a.activationThreshold, 0, 1e12);
            r.duration(z, "cooldown", a.scaleToZeroCooldownMs);
        }
    }
    if (const YAML::Node f = n["fallback"]) {
        if (r.checkKeys(f, QStringLiteral("'fallback'"),
                        {QStringLiteral("failures"), QStringLiteral("replicas")})) {
            a.fallback = true;
            r.integer(f, "failures", a.fallbackFailures, 1, 1000);
            if (!f["replicas"])
                r.error(f.Mark(), DroverConfig::tr("missing required key '%1'").arg(QStringLiteral("replicas")));
            else
                r.integer(f, "replicas", a.fallbackReplicas, 0, 1000);
        }
    }
}

// A pool's `autoscale:` block. Policy names are checked against `policies:` afterwards
// (checkAutoscalePolicies), because the pools are read first.
void readAutoscale(Reader &r, const YAML::Node &n, AutoscaleSpec &a)
{
    if (!r.checkKeys(n, QStringLiteral("'autoscale'"),
                     {QStringLiteral("enabled"), QStringLiteral("metrics"),
                      QStringLiteral("policies"), QStringLiteral("behavior"),
                      QStringLiteral("schedules"), QStringLiteral("scale_to_zero"),
                      QStringLiteral("fallback")}))
        return;
    r.boolean(n, "enabled", a.enabled);
    readAutoscaleExtras(r, n, a);
    r.sequence(n, "metrics", [&](const YAML::Node &m) {
        if (!r.checkKeys(m, QStringLiteral("an autoscale metric"),
                         {QStringLiteral("metric"), QStringLiteral("target")}))
            return;
        AutoscaleMetricSpec spec;
        bool ok = r.string(m, "metric", spec.metric, true);
        if (ok && !scalingMetricFromName(spec.metric)) {
            r.error(m["metric"].Mark(), DroverConfig::tr("unknown autoscale metric '%1' (expected one of: %2)")
                                            .arg(spec.metric, scalingMetricNames().join(QStringLiteral(", "))));
            ok = false;
        }
        if (!m["target"]) {
            r.error(m.Mark(), DroverConfig::tr("missing required key '%1'").arg(QStringLiteral("target")));
            ok = false;
        } else {
            ok &= r.number(m, "target", spec.target, 1e-9, 1e12);
        }
        if (ok)
            a.metrics.append(spec);
    });
    if (const YAML::Node p = n["policies"]) {
        QStringList names;
        if (r.stringList(n, "policies", names))
            a.policies = names;
    }
    if (const YAML::Node b = n["behavior"]) {
        if (r.checkKeys(b, QStringLiteral("'behavior'"),
                        {QStringLiteral("scale_up_stabilization"),
                         QStringLiteral("scale_down_stabilization"), QStringLiteral("tolerance"),
                         QStringLiteral("scale_up"), QStringLiteral("scale_down")})) {
            r.duration(b, "scale_up_stabilization", a.scaleUpStabilizationMs);
            r.duration(b, "scale_down_stabilization", a.scaleDownStabilizationMs);
            r.number(b, "tolerance", a.tolerance, 0, 0.99);
            if (const YAML::Node up = b["scale_up"])
                readRateRules(r, up, QStringLiteral("'behavior.scale_up'"), a.scaleUpSelect,
                              a.scaleUpPolicies);
            if (const YAML::Node down = b["scale_down"])
                readRateRules(r, down, QStringLiteral("'behavior.scale_down'"), a.scaleDownSelect,
                              a.scaleDownPolicies);
        }
    }
}

// An `autoscale: policies:` name that `policies:` does not define refuses its pool, like any
// other error in a pool.
void checkAutoscalePolicies(Reader &r, const YAML::Node &root, ConfigLoadResult &result)
{
    QSet<QString> defined;
    for (const PolicySpec &p : std::as_const(result.config.policies))
        defined.insert(p.name);
    r.sequence(root, "pools", [&](const YAML::Node &n) {
        if (!n.IsMap() || !n["name"] || !n["name"].IsScalar())
            return;
        const YAML::Node names = n["autoscale"] && n["autoscale"].IsMap()
                                     ? n["autoscale"]["policies"]
                                     : YAML::Node();
        if (!names || !names.IsSequence())
            return;
        const QString pool = QString::fromStdString(n["name"].Scalar());
        bool ok = true;
        for (const YAML::Node &item : names) {
            const QString name = item.IsScalar() ? QString::fromStdString(item.Scalar()) : QString();
            if (item.IsScalar() && !defined.contains(name)) {
                r.error(item.Mark(), DroverConfig::tr("unknown policy '%1' (not in 'policies')").arg(name));
                ok = false;
            }
        }
        if (ok)
            return;
        for (int i = 0; i < result.config.pools.size(); ++i) {
            if (result.config.pools[i].name == pool) {
                result.config.pools.removeAt(i);
                result.refusedPools << pool;
                break;
            }
        }
    });
}

// What only makes sense against the pool's replicas: a schedule's min above max, scale to zero
// on a pool whose min keeps replicas, a fallback outside min..max.
void checkAutoscaleLimits(Reader &r, const YAML::Node &n, const PoolSpec &pool)
{
    const AutoscaleSpec &a = pool.autoscale;
    const YAML::Node schedules = n.IsMap() ? n["schedules"] : YAML::Node();
    if (schedules && schedules.IsSequence()) {
        for (const YAML::Node &s : schedules) {
            long long min = 0;
            if (s.IsMap() && s["min"] && YAML::convert<long long>::decode(s["min"], min)
                && min > pool.maxReplicas)
                r.error(s["min"].Mark(), DroverConfig::tr("schedule 'min' (%1) is greater than the pool's max (%2)")
                                             .arg(min).arg(pool.maxReplicas));
        }
    }
    if (!n.IsMap())
        return;
    if (a.scaleToZero && pool.minReplicas > 0 && n["scale_to_zero"])
        r.error(n["scale_to_zero"].Mark(),
                DroverConfig::tr("'scale_to_zero' needs replicas.min 0 (it is %1)").arg(pool.minReplicas));
    if (a.fallback && n["fallback"] && n["fallback"].IsMap() && n["fallback"]["replicas"]
        && (a.fallbackReplicas < pool.minReplicas || a.fallbackReplicas > pool.maxReplicas))
        r.error(n["fallback"]["replicas"].Mark(),
                DroverConfig::tr("fallback 'replicas' (%1) must be between min (%2) and max (%3)")
                    .arg(a.fallbackReplicas).arg(pool.minReplicas).arg(pool.maxReplicas));
}

void readPools(Reader &r, const YAML::Node &root, ConfigLoadResult &result)
{
    Config &config = result.config;
    QSet<QString> seenNames; // includes refused pools: two pools named alike is an error either way
    r.sequence(root, "pools", [&](const YAML::Node &n) {
        const int errorsBefore = r.errorCount();
        PoolSpec pool;
        pool.line = n.Mark().line + 1;
        r.checkKeys(n, QStringLiteral("a pool"),
                    {QStringLiteral("name"), QStringLiteral("command"), QStringLiteral("args"),
                     QStringLiteral("working_dir"), QStringLiteral("env"),
                     QStringLiteral("replicas"), QStringLiteral("tier"),
                     QStringLiteral("stop_timeout"), QStringLiteral("scrape_interval"),
                     QStringLiteral("retier"), QStringLiteral("health"),
                     QStringLiteral("restart"), QStringLiteral("autoscale")});
        if (!n.IsMap())
            return;
        r.string(n, "name", pool.name, true);
        r.string(n, "command", pool.command, true);
        r.stringList(n, "args", pool.args);
        r.string(n, "working_dir", pool.workingDir);
        if (const YAML::Node env = n["env"]) {
            if (r.expectMap(env, QStringLiteral("'env'"))) {
                for (auto it = env.begin(); it != env.end(); ++it) {
                    if (!it->second.IsScalar()) {
                        r.error(it->second.Mark(), DroverConfig::tr("env values must be strings"));
                        continue;
                    }
                    pool.env.insert(QString::fromStdString(it->first.Scalar()),
                                    QString::fromStdString(it->second.Scalar()));
                }
            }
        }
        if (const YAML::Node replicas = n["replicas"]) {
            if (r.checkKeys(replicas, QStringLiteral("'replicas'"),
                            {QStringLiteral("min"), QStringLiteral("max"),
                             QStringLiteral("initial")})) {
                r.integer(replicas, "min", pool.minReplicas, 0, 1000);
                r.integer(replicas, "max", pool.maxReplicas, 0, 1000);
                pool.initialReplicas = pool.minReplicas;
                r.integer(replicas, "initial", pool.initialReplicas, 0, 1000);
                if (pool.minReplicas > pool.maxReplicas)
                    r.error(replicas.Mark(), DroverConfig::tr("'min' (%1) is greater than 'max' (%2)")
                                                 .arg(pool.minReplicas).arg(pool.maxReplicas));
                else if (pool.initialReplicas < pool.minReplicas
                         || pool.initialReplicas > pool.maxReplicas)
                    r.error(replicas["initial"].Mark(),
                            DroverConfig::tr("'initial' (%1) must be between min (%2) and max (%3)")
                                .arg(pool.initialReplicas).arg(pool.minReplicas)
                                .arg(pool.maxReplicas));
            }
        }
        pool.tier = config.tiers.isEmpty() ? QString() : config.tiers.first().name;
        if (r.string(n, "tier", pool.tier) && n["tier"] && !config.tier(pool.tier))
            r.error(n["tier"].Mark(), DroverConfig::tr("unknown tier '%1'").arg(pool.tier));
        r.duration(n, "stop_timeout", pool.stopTimeoutMs);
        r.duration(n, "scrape_interval", pool.scrapeIntervalMs);
        QString retier;
        if (r.string(n, "retier", retier) && n["retier"]) {
            if (retier == QLatin1String("live"))
                pool.retier = PoolSpec::Retier::Live;
            else if (retier == QLatin1String("restart"))
                pool.retier = PoolSpec::Retier::Restart;
            else
                r.error(n["retier"].Mark(),
                        DroverConfig::tr("'retier' must be live or restart, got '%1'").arg(retier));
        }
        if (const YAML::Node health = n["health"])
            readHealth(r, health, pool.health);
        if (const YAML::Node restart = n["restart"])
            readRestart(r, restart, pool.restart);
        if (const YAML::Node autoscale = n["autoscale"]) {
            readAutoscale(r, autoscale, pool.autoscale);
            checkAutoscaleLimits(r, autoscale, pool);
        }
        if (!pool.name.isEmpty() && seenNames.contains(pool.name))
            r.error(n["name"].Mark(), DroverConfig::tr("duplicate pool name '%1'").arg(pool.name));
        seenNames.insert(pool.name);
        if (r.errorCount() > errorsBefore) {
            // A pool with an error is refused alone; the rest of the fleet still runs.
            result.refusedPools << (pool.name.isEmpty() ? DroverConfig::tr("(unnamed pool at line %1)")
                                                              .arg(pool.line)
                                                        : pool.name);
            return;
        }
        pool.sourceText = QByteArray::fromStdString(YAML::Dump(n));
        config.pools.append(pool);
    });
}

bool readComparison(Reader &r, const YAML::Node &n, QString &op)
{
    if (!r.string(n, "op", op, true))
        return false;
    if (op != QLatin1String(">") && op != QLatin1String("<") && op != QLatin1String(">=")
        && op != QLatin1String("<=")) {
        r.error(n["op"].Mark(), DroverConfig::tr("'op' must be one of >, <, >=, <=, got '%1'").arg(op));
        return false;
    }
    return true;
}

void readPolicies(Reader &r, const YAML::Node &root, Config &config)
{
    r.sequence(root, "policies", [&](const YAML::Node &n) {
        if (!r.checkKeys(n, QStringLiteral("a policy"),
                         {QStringLiteral("name"), QStringLiteral("metric"), QStringLiteral("op"),
                          QStringLiteral("threshold"), QStringLiteral("for"),
                          QStringLiteral("change"), QStringLiteral("cooldown")}))
            return;
        PolicySpec p;
        bool ok = r.string(n, "name", p.name, true);
        ok &= r.string(n, "metric", p.metric, true);
        ok &= readComparison(r, n, p.op);
        ok &= r.number(n, "threshold", p.threshold, -1e12, 1e12);
        ok &= r.duration(n, "for", p.forMs);
        ok &= r.integer(n, "change", p.change, -1000, 1000);
        ok &= r.duration(n, "cooldown", p.cooldownMs);
        if (ok && p.change == 0)
            r.error(n["change"] ? n["change"].Mark() : n.Mark(),
                    DroverConfig::tr("'change' must be a non-zero number of replicas"));
        else if (ok)
            config.policies.append(p);
    });
}

// `planning:` the capacity planner's prices: per 1,000 GPT tokens and per machine a month.
void readPlanning(Reader &r, const YAML::Node &root, Config &config)
{
    const YAML::Node n = root["planning"];
    if (!n || n.IsNull())
        return;
    if (!r.checkKeys(n, QStringLiteral("'planning'"),
                     {QStringLiteral("currency"), QStringLiteral("prompt_per_1k"),
                      QStringLiteral("completion_per_1k"), QStringLiteral("machine")}))
        return;
    PlanningSpec &p = config.planning;
    r.string(n, "currency", p.currency);
    r.number(n, "prompt_per_1k", p.promptPer1k, 0, 1e6);
    r.number(n, "completion_per_1k", p.completionPer1k, 0, 1e6);
    if (const YAML::Node m = n["machine"]) {
        if (r.checkKeys(m, QStringLiteral("'planning.machine'"),
                        {QStringLiteral("name"), QStringLiteral("cores"), QStringLiteral("memory_mb"),
                         QStringLiteral("monthly_price")})) {
            r.string(m, "name", p.machineName);
            r.number(m, "cores", p.machineCores, 0.5, 4096);
            r.number(m, "memory_mb", p.machineMemoryMb, 256, 64.0 * 1024 * 1024);
            r.number(m, "monthly_price", p.machineMonthlyPrice, 0, 1e9);
        }
    }
}

// Every series an alert rule can name: the seed rules' and what the engine records.
QSet<QString> knownAlertSeries()
{
    QSet<QString> known = defaultAlertSeries();
    for (int m = 0; m < kPoolMetricCount; ++m)
        known.insert(poolMetricName(PoolMetric(m)));
    for (int m = 0; m < kSystemMetricCount; ++m)
        known.insert(systemMetricName(SystemMetric(m)));
    return known;
}

// A rule the alert engine could not evaluate (an unknown series, a bad selector or template)
// is refused here, pointing at the field, rather than silently never firing.
bool checkAlertRule(Reader &r, const YAML::Node &n, const AlertRuleSpec &spec)
{
    AlertRuleProblem problem;
    const std::optional<AlertRule> rule = alertRuleFromSpec(spec, &problem);
    const QList<AlertRuleProblem> problems =
        rule ? validateAlertRules({*rule}, knownAlertSeries()) : QList<AlertRuleProblem>{problem};
    for (const AlertRuleProblem &p : problems) {
        const YAML::Node field = p.field.isEmpty() ? YAML::Node() : n[p.field.toStdString()];
        YAML::Mark mark = field ? field.Mark() : n.Mark();
        if (field && field.IsScalar() && p.column > 0 && field.Tag() != "!")
            mark.column += p.column - 1;
        r.error(mark, DroverConfig::tr("alert '%1': %2").arg(spec.name, p.message));
    }
    return problems.isEmpty();
}

void readAlerts(Reader &r, const YAML::Node &root, Config &config)
{
    r.sequence(root, "alerts", [&](const YAML::Node &n) {
        if (!r.checkKeys(n, QStringLiteral("an alert rule"),
                         {QStringLiteral("name"), QStringLiteral("series"), QStringLiteral("op"),
                          QStringLiteral("threshold"), QStringLiteral("for"),
                          QStringLiteral("keep_firing_for"), QStringLiteral("severity"),
                          QStringLiteral("summary")}))
            return;
        AlertRuleSpec a;
        bool ok = r.string(n, "name", a.name, true);
        ok &= r.string(n, "series", a.series, true);
        ok &= readComparison(r, n, a.op);
        ok &= r.number(n, "threshold", a.threshold, -1e12, 1e12);
        ok &= r.duration(n, "for", a.forMs);
        ok &= r.duration(n, "keep_firing_for", a.keepFiringForMs);
        ok &= r.string(n, "severity", a.severity);
        ok &= r.string(n, "summary", a.summary);
        static const QStringList severities = {QStringLiteral("info"), QStringLiteral("warning"),
                                               QStringLiteral("high"), QStringLiteral("critical")};
        if (ok && !severities.contains(a.severity)) {
            r.error(n["severity"].Mark(), DroverConfig::tr("'severity' must be one of %1, got '%2'")
                                              .arg(severities.join(QStringLiteral(", ")),
                                                   a.severity));
            ok = false;
        }
        a.line = n.Mark().line + 1;
        a.column = n.Mark().column + 1;
        if (ok)
            ok = checkAlertRule(r, n, a);
        if (ok)
            config.alerts.append(a);
    });
}

// Label matchers as one string (`severity=~"critical|high", pool="mail"`) or a list of them.
// Checked here so a typo points at its line and column; stored as text for the engine.
bool readMatchers(Reader &r, const YAML::Node &map, const char *key, QString &out, bool required)
{
    const YAML::Node n = map[key];
    if (!n) {
        if (required)
            r.error(map.Mark(), DroverConfig::tr("missing required key '%1'").arg(QLatin1String(key)));
        return !required;
    }
    QStringList parts;
    if (n.IsScalar()) {
        parts << QString::fromStdString(n.Scalar());
    } else if (n.IsSequence()) {
        for (const YAML::Node &item : n) {
            if (!item.IsScalar()) {
                r.error(item.Mark(), DroverConfig::tr("items of '%1' must be strings").arg(QLatin1String(key)));
                return false;
            }
            parts << QString::fromStdString(item.Scalar());
        }
    } else {
        r.error(n.Mark(), DroverConfig::tr("'%1' must be a string such as 'severity=\"critical\", pool=\"mail\"'")
                              .arg(QLatin1String(key)));
        return false;
    }
    const QString text = parts.join(QStringLiteral(", "));
    QString why;
    int column = 0;
    if (!text.trimmed().isEmpty() && !parseLabelMatchers(text, &why, &column)) {
        YAML::Mark mark = n.Mark();
        if (n.IsScalar() && column > 0 && parts.size() == 1)
            mark.column += column - 1; // inside a plain scalar: point at the character
        r.error(mark, DroverConfig::tr("'%1': %2").arg(QLatin1String(key), why));
        return false;
    }
    out = text;
    return true;
}

bool readRoute(Reader &r, const YAML::Node &n, RouteSpec &route, const QSet<QString> &receivers,
               bool isDefault)
{
    QStringList keys = {QStringLiteral("receiver"), QStringLiteral("group_by"),
                        QStringLiteral("group_wait"), QStringLiteral("group_interval"),
                        QStringLiteral("repeat_interval")};
    if (!isDefault)
        keys << QStringLiteral("name") << QStringLiteral("matchers") << QStringLiteral("continue");
    if (!r.checkKeys(n, isDefault ? QStringLiteral("'notifications.default'") : QStringLiteral("a route"), keys))
        return false;
    bool ok = true;
    if (!isDefault) {
        ok &= r.string(n, "name", route.name, true);
        ok &= readMatchers(r, n, "matchers", route.matchers, false);
        ok &= r.boolean(n, "continue", route.continueMatching);
    }
    ok &= r.string(n, "receiver", route.receiver, !isDefault);
    if (ok && !route.receiver.isEmpty() && !receivers.contains(route.receiver)) {
        r.error(n["receiver"].Mark(), DroverConfig::tr("unknown receiver '%1' (not in 'notifications.receivers')")
                                          .arg(route.receiver));
        ok = false;
    }
    if (n["group_by"]) {
        QStringList by;
        if (r.stringList(n, "group_by", by))
            route.groupBy = by;
        else
            ok = false;
    }
    ok &= r.duration(n, "group_wait", route.groupWaitMs);
    for (const auto &[key, value] : {std::pair<const char *, qint64 *>{"group_interval", &route.groupIntervalMs},
                                     {"repeat_interval", &route.repeatIntervalMs}}) {
        if (!r.duration(n, key, *value)) {
            ok = false;
        } else if (n[key] && *value <= 0) {
            r.error(n[key].Mark(), DroverConfig::tr("'%1' must be longer than 0").arg(QLatin1String(key)));
            ok = false;
        }
    }
    return ok;
}

// An ISO 8601 date-time ("2026-12-24T18:00:00+01:00"; without an offset it is UTC).
bool readTimestamp(Reader &r, const YAML::Node &map, const char *key, qint64 &out, bool required)
{
    QString text;
    if (!r.string(map, key, text, required))
        return false;
    if (!map[key])
        return true;
    QDateTime t = QDateTime::fromString(text.trimmed(), Qt::ISODateWithMs);
    if (t.isValid() && t.timeSpec() == Qt::LocalTime && !text.contains(QLatin1Char('Z'))
        && !QRegularExpression(QStringLiteral("[+-]\\d\\d:?\\d\\d$")).match(text.trimmed()).hasMatch())
        t.setTimeZone(QTimeZone::utc());
    if (!t.isValid()) {
        r.error(map[key].Mark(), DroverConfig::tr("'%1' must be a date and time such as 2026-12-24T18:00:00Z, got '%2'")
                                     .arg(QLatin1String(key), text));
        return false;
    }
    out = t.toMSecsSinceEpoch();
    return true;
}

// `notifications:` receivers, the default route, routes, inhibit_rules and silences. A bad
// entry is refused alone with its position; the rest of the policy still applies.
void readNotifications(Reader &r, const YAML::Node &root, Config &config)
{
    const YAML::Node n = root["notifications"];
    if (!n || n.IsNull())
        return;
    if (!r.checkKeys(n, QStringLiteral("'notifications'"),
                     {QStringLiteral("receivers"), QStringLiteral("default"), QStringLiteral("routes"),
                      QStringLiteral("inhibit_rules"), QStringLiteral("silences")}))
        return;
    NotificationsSpec &spec = config.notifications;
    spec.given = true;
    QSet<QString> receivers;
    r.sequence(n, "receivers", [&](const YAML::Node &rn) {
        static const QStringList kinds = {QStringLiteral("tray"), QStringLiteral("banner"),
                                          QStringLiteral("log"), QStringLiteral("webhook")};
        if (!r.checkKeys(rn, QStringLiteral("a receiver"), QStringList{QStringLiteral("name")} + kinds))
            return;
        ReceiverSpec receiver;
        bool ok = r.string(rn, "name", receiver.name, true);
        if (ok && receivers.contains(receiver.name)) {
            r.error(rn["name"].Mark(), DroverConfig::tr("duplicate receiver name '%1'").arg(receiver.name));
            ok = false;
        }
        for (const QString &kind : kinds) {
            const YAML::Node c = rn[kind.toStdString()];
            if (!c)
                continue;
            ReceiverSpec::Channel channel;
            channel.kind = kind;
            const bool webhook = kind == QLatin1String("webhook");
            if (!c.IsNull()) {
                QStringList allowed = {QStringLiteral("send_resolved")};
                if (webhook)
                    allowed << QStringLiteral("url_secret");
                if (!r.checkKeys(c, QStringLiteral("'%1'").arg(kind), allowed)) {
                    ok = false;
                    continue;
                }
                ok &= r.boolean(c, "send_resolved", channel.sendResolved);
            }
            if (webhook) {
                if (c.IsNull() || !r.string(c, "url_secret", channel.urlSecret, true)) {
                    if (c.IsNull())
                        r.error(c.Mark(), DroverConfig::tr("'webhook' needs 'url_secret': the keychain entry holding the URL"));
                    ok = false;
                    continue;
                }
                if (channel.urlSecret.contains(QStringLiteral("://"))) {
                    // The URL is a credential: it goes in the keychain, the file names the entry.
                    r.error(c["url_secret"].Mark(),
                            DroverConfig::tr("'url_secret' names a keychain entry, not the URL itself; store the URL in the OS keychain and name the entry here"));
                    ok = false;
                    continue;
                }
            }
            receiver.channels.append(channel);
        }
        if (ok && receiver.channels.isEmpty()) {
            r.error(rn.Mark(), DroverConfig::tr("receiver '%1' has no channel (tray, banner, log or webhook)")
                                   .arg(receiver.name));
            ok = false;
        }
        if (!receiver.name.isEmpty())
            receivers.insert(receiver.name); // even when refused: routes naming it are not typos
        if (ok)
            spec.receivers.append(receiver);
    });
    if (const YAML::Node d = n["default"])
        readRoute(r, d, spec.defaultRoute, receivers, true);
    QSet<QString> routeNames;
    r.sequence(n, "routes", [&](const YAML::Node &rn) {
        RouteSpec route;
        bool ok = readRoute(r, rn, route, receivers, false);
        if (ok && routeNames.contains(route.name)) {
            r.error(rn["name"].Mark(), DroverConfig::tr("duplicate route name '%1'").arg(route.name));
            ok = false;
        }
        routeNames.insert(route.name);
        if (ok)
            spec.routes.append(route);
    });
    if (n["inhibit_rules"])
        spec.inhibitRulesGiven = true;
    r.sequence(n, "inhibit_rules", [&](const YAML::Node &in) {
        if (!r.checkKeys(in, QStringLiteral("an inhibit rule"),
                         {QStringLiteral("source_matchers"), QStringLiteral("target_matchers"),
                          QStringLiteral("equal")}))
            return;
        InhibitRuleSpec rule;
        bool ok = readMatchers(r, in, "source_matchers", rule.sourceMatchers, true);
        ok &= readMatchers(r, in, "target_matchers", rule.targetMatchers, true);
        ok &= r.stringList(in, "equal", rule.equal);
        if (ok)
            spec.inhibitRules.append(rule);
    });
    r.sequence(n, "silences", [&](const YAML::Node &sn) {
        if (!r.checkKeys(sn, QStringLiteral("a silence"),
                         {QStringLiteral("matchers"), QStringLiteral("starts"), QStringLiteral("ends"),
                          QStringLiteral("comment")}))
            return;
        SilenceSpec silence;
        bool ok = readMatchers(r, sn, "matchers", silence.matchers, true);
        if (ok && silence.matchers.trimmed().isEmpty()) {
            r.error(sn["matchers"].Mark(), DroverConfig::tr("a silence needs at least one matcher"));
            ok = false;
        }
        ok &= readTimestamp(r, sn, "starts", silence.startsAtMs, false);
        ok &= readTimestamp(r, sn, "ends", silence.endsAtMs, true);
        ok &= r.string(sn, "comment", silence.comment);
        if (ok && silence.endsAtMs <= silence.startsAtMs) {
            r.error(sn["ends"].Mark(), DroverConfig::tr("'ends' must be after 'starts'"));
            ok = false;
        }
        if (ok) {
            Silence s;
            s.id = QStringLiteral("config");
            s.matchers = *parseLabelMatchers(silence.matchers);
            s.startsAtMs = silence.startsAtMs;
            s.endsAtMs = silence.endsAtMs;
            s.createdBy = QStringLiteral("drover.yaml");
            const QStringList problems = silenceProblems(s);
            if (!problems.isEmpty()) {
                r.error(sn.Mark(), DroverConfig::tr("silence refused: %1").arg(problems.join(QStringLiteral("; "))));
                ok = false;
            }
        }
        if (ok)
            spec.silences.append(silence);
    });
}


void readGateway(Reader &r, const YAML::Node &root, Config &config)
{
    const YAML::Node n = root["gateway"];
    if (!n || n.IsNull())
        return;
    if (!r.checkKeys(n, QStringLiteral("'gateway'"),
                     {QStringLiteral("enabled"), QStringLiteral("port"),
                      QStringLiteral("upstream"), QStringLiteral("provider_key"),
                      QStringLiteral("budgets"), QStringLiteral("completion_estimate"),
                      QStringLiteral("max_retries"), QStringLiteral("simulated"),
                      QStringLiteral("max_buffered_request_mb")}))
        return;
    GatewaySpec &g = config.gateway;
    r.boolean(n, "enabled", g.enabled);
    r.integer(n, "port", g.port, 0, 65535);
    if (r.string(n, "upstream", g.upstream) && n["upstream"]
        && g.upstream != QLatin1String("simulated")) {
        const QUrl url(g.upstream, QUrl::StrictMode);
        if (!url.isValid() || (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http"))
            || url.host().isEmpty()) {
            r.error(n["upstream"].Mark(),
                    DroverConfig::tr("'upstream' must be \"simulated\" or an http(s) base URL such as https://api.openai.com/v1, got '%1'")
                        .arg(g.upstream));
            g.upstream = QStringLiteral("simulated");
        } else if (!url.userInfo().isEmpty()) {
            // The provider key belongs in the keychain, never in the file.
            r.error(n["upstream"].Mark(),
                    DroverConfig::tr("'upstream' must not carry credentials; store the provider key in the keychain as '%1'")
                        .arg(g.providerKey));
            g.upstream = QStringLiteral("simulated");
        }
    }
    r.string(n, "provider_key", g.providerKey);
    r.integer(n, "completion_estimate", g.completionEstimate, 1, 1000000);
    r.integer(n, "max_retries", g.maxRetries, 0, 10);
    r.integer(n, "max_buffered_request_mb", g.maxBufferedRequestMb, 1, 1024 * 1024);
    if (const YAML::Node sim = n["simulated"]) {
        if (r.checkKeys(sim, QStringLiteral("'gateway.simulated'"),
                        {QStringLiteral("requests_per_minute"), QStringLiteral("tokens_per_minute")})) {
            r.integer(sim, "requests_per_minute", g.simulatedRequestsPerMinute, 0, 100000000);
            r.integer(sim, "tokens_per_minute", g.simulatedTokensPerMinute, 0, 1000000000000LL);
        }
    }
    if (const YAML::Node budgets = n["budgets"]) {
        if (!r.expectMap(budgets, QStringLiteral("'gateway.budgets'")))
            return;
        for (auto it = budgets.begin(); it != budgets.end(); ++it) {
            const QString tier = QString::fromStdString(it->first.Scalar());
            if (!config.tier(tier)) {
                QStringList names;
                for (const TierSpec &t : config.tiers)
                    names << t.name;
                r.error(it->first.Mark(), DroverConfig::tr("unknown tier '%1' in 'gateway.budgets' (tiers: %2)")
                                              .arg(tier, names.join(QStringLiteral(", "))));
                continue;
            }
            const YAML::Node b = it->second;
            if (!r.checkKeys(b, QStringLiteral("the budget of tier '%1'").arg(tier),
                             {QStringLiteral("tokens_per_minute"), QStringLiteral("requests_per_minute")}))
                continue;
            GatewayBudgetSpec spec;
            bool ok = r.integer(b, "tokens_per_minute", spec.tokensPerMinute, 0, 1000000000000LL);
            ok &= r.integer(b, "requests_per_minute", spec.requestsPerMinute, 0, 100000000);
            if (ok)
                g.budgets.insert(tier, spec);
        }
    }
}

// A loop's `every:`: a duration, or "monthly" (the 1st of each month, 00:00 UTC).
bool readLoopInterval(Reader &r, const YAML::Node &n, LoopConfigSpec &loop)
{
    const YAML::Node every = n["every"];
    if (!every) {
        r.error(n.Mark(), DroverConfig::tr("missing required key 'every' (a duration such as 5m, or monthly)"));
        return false;
    }
    if (every.IsScalar() && every.Scalar() == "monthly") {
        loop.monthly = true;
        return true;
    }
    if (!r.duration(n, "every", loop.intervalMs))
        return false;
    if (loop.intervalMs < 1000) {
        r.error(every.Mark(), DroverConfig::tr("'every' must be at least 1s, got '%1'")
                                  .arg(QString::fromStdString(Reader::scalarOr(every))));
        return false;
    }
    return true;
}

bool readMissedPolicy(Reader &r, const YAML::Node &n, const char *key, QString &out)
{
    if (!r.string(n, key, out))
        return false;
    if (!out.isEmpty() && out != QLatin1String("run_once") && out != QLatin1String("skip")) {
        r.error(n[key].Mark(), DroverConfig::tr("'%1' must be run_once or skip, got '%2'")
                                   .arg(QLatin1String(key), out));
        out.clear();
        return false;
    }
    return true;
}

void readLoop(Reader &r, const YAML::Node &n, const ConfigLoadResult &result, DispatchSpec &d)
{
    if (!r.checkKeys(n, QStringLiteral("a loop"),
                     {QStringLiteral("name"), QStringLiteral("pool"), QStringLiteral("every"),
                      QStringLiteral("priority"), QStringLiteral("jitter"),
                      QStringLiteral("allow_overlap"), QStringLiteral("missed"),
                      QStringLiteral("run_at_first_start"), QStringLiteral("enabled"),
                      QStringLiteral("payload")}))
        return;
    LoopConfigSpec loop;
    loop.line = n.Mark().line + 1;
    bool ok = r.string(n, "name", loop.name, true);
    if (r.string(n, "pool", loop.pool, true) && !result.config.pool(loop.pool)
        && !result.refusedPools.contains(loop.pool)) {
        r.error(n["pool"].Mark(), DroverConfig::tr("loop '%1' targets unknown pool '%2'")
                                      .arg(loop.name, loop.pool));
        ok = false;
    }
    ok &= readLoopInterval(r, n, loop);
    if (r.string(n, "priority", loop.priority) && !jobPriorityFromName(loop.priority)) {
        r.error(n["priority"].Mark(), DroverConfig::tr("'priority' must be high, medium or low, got '%1'")
                                          .arg(loop.priority));
        ok = false;
    }
    if (n["jitter"])
        ok &= r.duration(n, "jitter", loop.jitterMs);
    ok &= r.boolean(n, "allow_overlap", loop.allowOverlap);
    ok &= readMissedPolicy(r, n, "missed", loop.missed);
    ok &= r.boolean(n, "run_at_first_start", loop.runAtFirstStart);
    ok &= r.boolean(n, "enabled", loop.enabled);
    if (const YAML::Node payload = n["payload"]) {
        if (r.expectMap(payload, QStringLiteral("'payload'"))) {
            for (auto it = payload.begin(); it != payload.end(); ++it) {
                if (!it->second.IsScalar()) {
                    r.error(it->second.Mark(), DroverConfig::tr("payload field '%1' must be a number, true/false or text")
                                                   .arg(QString::fromStdString(it->first.Scalar())));
                    ok = false;
                    continue;
                }
                loop.payloadText.insert(QString::fromStdString(it->first.Scalar()),
                                        QString::fromStdString(it->second.Scalar()));
            }
        } else {
            ok = false;
        }
    }
    const bool duplicate = std::any_of(d.loops.cbegin(), d.loops.cend(),
                                       [&](const LoopConfigSpec &l) { return l.name == loop.name; });
    if (ok && duplicate) {
        r.error(n["name"].Mark(), DroverConfig::tr("a loop named '%1' is already defined").arg(loop.name));
        ok = false;
    }
    if (ok)
        d.loops.append(loop);
}

void readDispatch(Reader &r, const YAML::Node &root, ConfigLoadResult &result)
{
    const YAML::Node n = root["dispatch"];
    if (!n || n.IsNull())
        return;
    if (!r.checkKeys(n, QStringLiteral("'dispatch'"),
                     {QStringLiteral("enabled"), QStringLiteral("intake"),
                      QStringLiteral("intake_port"), QStringLiteral("max_retries"),
                      QStringLiteral("retry_backoff"), QStringLiteral("request_timeout"),
                      QStringLiteral("missed_runs"), QStringLiteral("pools"),
                      QStringLiteral("loops")}))
        return;
    DispatchSpec &d = result.config.dispatch;
    r.boolean(n, "enabled", d.enabled);
    r.boolean(n, "intake", d.intake);
    r.integer(n, "intake_port", d.intakePort, 0, 65535);
    r.integer(n, "max_retries", d.maxRetries, 0, 100);
    r.duration(n, "retry_backoff", d.retryBackoffMs);
    if (r.duration(n, "request_timeout", d.requestTimeoutMs) && n["request_timeout"]
        && d.requestTimeoutMs < 100) {
        r.error(n["request_timeout"].Mark(), DroverConfig::tr("'request_timeout' must be at least 100ms"));
        d.requestTimeoutMs = 10000;
    }
    readMissedPolicy(r, n, "missed_runs", d.missedRuns);
    if (const YAML::Node pools = n["pools"]) {
        if (r.expectMap(pools, QStringLiteral("'dispatch.pools'"))) {
            for (auto it = pools.begin(); it != pools.end(); ++it) {
                const QString pool = QString::fromStdString(it->first.Scalar());
                if (!result.config.pool(pool) && !result.refusedPools.contains(pool)) {
                    r.error(it->first.Mark(), DroverConfig::tr("unknown pool '%1' in 'dispatch.pools'").arg(pool));
                    continue;
                }
                const YAML::Node p = it->second;
                if (!r.checkKeys(p, QStringLiteral("the dispatch settings of pool '%1'").arg(pool),
                                 {QStringLiteral("balancer"), QStringLiteral("max_retries")}))
                    continue;
                DispatchPoolSpec spec;
                bool ok = r.string(p, "balancer", spec.algorithm);
                if (ok && p["balancer"] && !balancingAlgorithmFromName(spec.algorithm)) {
                    r.error(p["balancer"].Mark(),
                            DroverConfig::tr("'balancer' must be one of least_connections, round_robin, weighted_round_robin, consistent_hash, least_response_time, resource_based, got '%1'")
                                .arg(spec.algorithm));
                    ok = false;
                }
                ok &= r.integer(p, "max_retries", spec.maxRetries, 0, 100);
                if (ok)
                    d.pools.insert(pool, spec);
            }
        }
    }
    if (const YAML::Node loops = n["loops"]) {
        d.loopsGiven = true;
        r.sequence(n, "loops", [&](const YAML::Node &item) { readLoop(r, item, result, d); });
    }
}

void readStorage(Reader &r, const YAML::Node &root, Config &config)
{
    const YAML::Node n = root["storage"];
    if (!n || n.IsNull())
        return;
    if (!r.checkKeys(n, QStringLiteral("'storage'"),
                     {QStringLiteral("path"), QStringLiteral("retention")}))
        return;
    r.string(n, "path", config.storage.path);
    if (const YAML::Node ret = n["retention"]) {
        if (r.checkKeys(ret, QStringLiteral("'retention'"),
                        {QStringLiteral("raw"), QStringLiteral("ten_second"),
                         QStringLiteral("minute")})) {
            r.duration(ret, "raw", config.storage.rawRetentionMs);
            r.duration(ret, "ten_second", config.storage.tenSecondRetentionMs);
            r.duration(ret, "minute", config.storage.minuteRetentionMs);
        }
    }
}

void readObserve(Reader &r, const YAML::Node &root, Config &config)
{
    const YAML::Node n = root["observe"];
    if (!n || n.IsNull())
        return;
    if (!r.expectMap(n, QStringLiteral("'observe'")))
        return;
    // An unknown key is an error; the known ones still apply (and are checked).
    r.checkKeys(n, QStringLiteral("'observe'"), {QStringLiteral("enabled"), QStringLiteral("port")});
    r.boolean(n, "enabled", config.observe.enabled);
    r.integer(n, "port", config.observe.port, 0, 65535);
}

} // namespace

ConfigLoadResult parseConfig(const QByteArray &yamlText, const QString &fileName)
{
    ConfigLoadResult result;
    result.config.sourceFile = fileName;
    result.config.tiers = defaultTiers();
    Reader r(fileName, result.issues);

    YAML::Node root;
    try {
        root = YAML::Load(yamlText.toStdString());
    } catch (const YAML::Exception &e) {
        r.error(e.mark, DroverConfig::tr("not valid YAML: %1").arg(QString::fromStdString(e.msg)));
        result.fatal = true;
        return result;
    }
    if (!root || root.IsNull()) {
        r.error(YAML::Mark::null_mark(), DroverConfig::tr("the file is empty"));
        result.fatal = true;
        return result;
    }
    try {
        if (!r.checkKeys(root, QStringLiteral("the top level"), kTopLevelKeys)
            && !root.IsMap()) {
            result.fatal = true;
            return result;
        }
        int version = 1;
        if (r.integer(root, "version", version, 1, 1000) && version != 1)
            r.error(root["version"].Mark(),
                    DroverConfig::tr("this Drover reads configuration version 1, the file says %1").arg(version));
        // Which sections had errors, and each section's canonical text, for a reload.
        const auto section = [&](const char *key, auto &&read) {
            const int before = r.errorCount();
            read();
            if (r.errorCount() > before)
                result.sectionsWithErrors << QString::fromLatin1(key);
            if (const YAML::Node n = root[key])
                result.config.sectionText.insert(QString::fromLatin1(key),
                                                 QByteArray::fromStdString(YAML::Dump(n)));
        };
        section("tiers", [&] { readTiers(r, root, result.config); });
        section("pools", [&] { readPools(r, root, result); });
        section("policies", [&] { readPolicies(r, root, result.config); });
        checkAutoscalePolicies(r, root, result);
        section("alerts", [&] { readAlerts(r, root, result.config); });
        section("notifications", [&] { readNotifications(r, root, result.config); });
        section("planning", [&] { readPlanning(r, root, result.config); });
        section("gateway", [&] { readGateway(r, root, result.config); });
        section("dispatch", [&] { readDispatch(r, root, result); });
        section("storage", [&] { readStorage(r, root, result.config); });
        section("observe", [&] { readObserve(r, root, result.config); });
    } catch (const YAML::Exception &e) {
        // yaml-cpp throws on some malformed trees (e.g. an alias to nothing); keep the message.
        r.error(e.mark, DroverConfig::tr("cannot read the configuration: %1").arg(QString::fromStdString(e.msg)));
        result.fatal = true;
    }
    return result;
}

ConfigLoadResult loadConfigFile(const QString &path)
{
    QFile file(path);
    if (!file.exists()) {
        ConfigLoadResult result;
        result.config.tiers = defaultTiers();
        result.config.sourceFile = path;
        result.fatal = true;
        result.issues.append({path, 0, 0, ConfigIssue::Severity::Error,
                              DroverConfig::tr("the configuration file does not exist")});
        return result;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        ConfigLoadResult result;
        result.config.tiers = defaultTiers();
        result.config.sourceFile = path;
        result.fatal = true;
        result.issues.append({path, 0, 0, ConfigIssue::Severity::Error,
                              DroverConfig::tr("cannot read the configuration file: %1").arg(file.errorString())});
        return result;
    }
    return parseConfig(file.readAll(), path);
}

} // namespace drover
