#include "config.h"
#include "config_text.h"
#include "core/scaling/autoscaler_spec.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>

#include <yaml-cpp/yaml.h>

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
    QStringLiteral("policies"), QStringLiteral("alerts"), QStringLiteral("gateway"),
    QStringLiteral("storage")};

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

// A pool's `autoscale:` block. Policy names are checked against `policies:` afterwards
// (checkAutoscalePolicies), because the pools are read first.
void readAutoscale(Reader &r, const YAML::Node &n, AutoscaleSpec &a)
{
    if (!r.checkKeys(n, QStringLiteral("'autoscale'"),
                     {QStringLiteral("enabled"), QStringLiteral("metrics"),
                      QStringLiteral("policies"), QStringLiteral("behavior")}))
        return;
    r.boolean(n, "enabled", a.enabled);
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
                         QStringLiteral("scale_down_stabilization"), QStringLiteral("tolerance")})) {
            r.duration(b, "scale_up_stabilization", a.scaleUpStabilizationMs);
            r.duration(b, "scale_down_stabilization", a.scaleDownStabilizationMs);
            r.number(b, "tolerance", a.tolerance, 0, 0.99);
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
        if (const YAML::Node autoscale = n["autoscale"])
            readAutoscale(r, autoscale, pool.autoscale);
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
        if (ok)
            config.alerts.append(a);
    });
}

void readGateway(Reader &r, const YAML::Node &root, Config &config)
{
    const YAML::Node n = root["gateway"];
    if (!n || n.IsNull())
        return;
    if (!r.checkKeys(n, QStringLiteral("'gateway'"),
                     {QStringLiteral("enabled"), QStringLiteral("port"),
                      QStringLiteral("upstream")}))
        return;
    r.boolean(n, "enabled", config.gateway.enabled);
    r.integer(n, "port", config.gateway.port, 0, 65535);
    r.string(n, "upstream", config.gateway.upstream);
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
        readTiers(r, root, result.config);
        readPools(r, root, result);
        readPolicies(r, root, result.config);
        checkAutoscalePolicies(r, root, result);
        readAlerts(r, root, result.config);
        readGateway(r, root, result.config);
        readStorage(r, root, result.config);
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
