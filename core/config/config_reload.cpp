#include "config_reload.h"

#include <QCoreApplication>
#include <tuple>

namespace drover {

namespace {

class DroverReload
{
    Q_DECLARE_TR_FUNCTIONS(DroverReload)
};

bool sameTier(const TierSpec &a, const TierSpec &b)
{
    return std::tie(a.name, a.cpuCores, a.memoryMb, a.gptTokensPerMinute, a.browserInstances,
                    a.concurrentTasks) == std::tie(b.name, b.cpuCores, b.memoryMb,
                                                   b.gptTokensPerMinute, b.browserInstances,
                                                   b.concurrentTasks);
}

bool sameHealth(const HealthSpec &a, const HealthSpec &b)
{
    return std::tie(a.mode, a.intervalMs, a.startTimeoutMs, a.timeoutMs, a.failureThreshold,
                    a.livePath, a.readyPath) == std::tie(b.mode, b.intervalMs, b.startTimeoutMs,
                                                         b.timeoutMs, b.failureThreshold,
                                                         b.livePath, b.readyPath);
}

bool sameRestart(const RestartSpec &a, const RestartSpec &b)
{
    return std::tie(a.policy, a.backoffInitialMs, a.backoffMaxMs, a.crashLoopCount,
                    a.crashLoopWindowMs) == std::tie(b.policy, b.backoffInitialMs, b.backoffMaxMs,
                                                     b.crashLoopCount, b.crashLoopWindowMs);
}

bool sameRates(const QList<AutoscaleSpec::RatePolicy> &a, const QList<AutoscaleSpec::RatePolicy> &b)
{
    if (a.size() != b.size())
        return false;
    for (int i = 0; i < a.size(); ++i) {
        if (std::tie(a[i].percent, a[i].value, a[i].periodMs) !=
            std::tie(b[i].percent, b[i].value, b[i].periodMs))
            return false;
    }
    return true;
}

bool sameAutoscale(const AutoscaleSpec &a, const AutoscaleSpec &b)
{
    if (a.metrics.size() != b.metrics.size() || a.schedules.size() != b.schedules.size())
        return false;
    for (int i = 0; i < a.metrics.size(); ++i) {
        if (a.metrics[i].metric != b.metrics[i].metric ||
            a.metrics[i].target != b.metrics[i].target)
            return false;
    }
    for (int i = 0; i < a.schedules.size(); ++i) {
        const auto &x = a.schedules[i];
        const auto &y = b.schedules[i];
        if (std::tie(x.name, x.start, x.end, x.timeZone, x.minReplicas) !=
            std::tie(y.name, y.start, y.end, y.timeZone, y.minReplicas))
            return false;
    }
    return std::tie(a.enabled, a.policies, a.scaleUpStabilizationMs, a.scaleDownStabilizationMs,
                    a.tolerance, a.scaleUpSelect, a.scaleDownSelect, a.scaleToZero,
                    a.activationMetric, a.activationThreshold, a.scaleToZeroCooldownMs, a.fallback,
                    a.fallbackFailures, a.fallbackReplicas) ==
               std::tie(b.enabled, b.policies, b.scaleUpStabilizationMs, b.scaleDownStabilizationMs,
                        b.tolerance, b.scaleUpSelect, b.scaleDownSelect, b.scaleToZero,
                        b.activationMetric, b.activationThreshold, b.scaleToZeroCooldownMs,
                        b.fallback, b.fallbackFailures, b.fallbackReplicas) &&
           sameRates(a.scaleUpPolicies, b.scaleUpPolicies) &&
           sameRates(a.scaleDownPolicies, b.scaleDownPolicies);
}

// What changed in a pool, in the file's words. `oldTier`/`newTier` are the limits each
// version runs with (the same tier name may have new limits).
PoolChange comparePools(const PoolSpec &a, const PoolSpec &b, const TierSpec *oldTier,
                        const TierSpec *newTier)
{
    PoolChange c;
    c.pool = b.name;
    const auto field = [&](bool differs, const char *name) {
        if (differs)
            c.fields << QString::fromLatin1(name);
        return differs;
    };
    c.rollingRestart |= field(a.command != b.command, "command");
    c.rollingRestart |= field(a.args != b.args, "args");
    c.rollingRestart |= field(a.workingDir != b.workingDir, "working_dir");
    c.rollingRestart |= field(a.env != b.env, "env");
    field(a.minReplicas != b.minReplicas, "replicas.min");
    field(a.maxReplicas != b.maxReplicas, "replicas.max");
    field(a.initialReplicas != b.initialReplicas, "replicas.initial");
    if (a.tier != b.tier) {
        c.fields << QStringLiteral("tier");
        c.tierChanged = true;
    } else if (oldTier && newTier && !sameTier(*oldTier, *newTier)) {
        c.fields << QStringLiteral("tier limits");
        c.tierChanged = true;
    }
    field(a.retier != b.retier, "retier");
    c.newReplicasOnly |= field(a.stopTimeoutMs != b.stopTimeoutMs, "stop_timeout");
    c.newReplicasOnly |= field(a.scrapeIntervalMs != b.scrapeIntervalMs, "scrape_interval");
    c.newReplicasOnly |= field(!sameHealth(a.health, b.health), "health");
    c.newReplicasOnly |= field(!sameRestart(a.restart, b.restart), "restart");
    field(!sameAutoscale(a.autoscale, b.autoscale), "autoscale");
    return c;
}

ConfigIssue warning(const QString &file, const QString &message)
{
    return {file, 0, 0, ConfigIssue::Severity::Warning, message};
}

} // namespace

bool ConfigReloadPlan::changesAnything() const
{
    return !refused && (!addedPools.isEmpty() || !removedPools.isEmpty() ||
                        !changedPools.isEmpty() || !changedSections.isEmpty());
}

QString ConfigReloadPlan::summary() const
{
    if (refused)
        return DroverReload::tr("refused, the last good configuration keeps running: %1")
            .arg(refusal);
    QStringList parts;
    if (!addedPools.isEmpty())
        parts << DroverReload::tr("added pools %1").arg(addedPools.join(QStringLiteral(", ")));
    if (!removedPools.isEmpty())
        parts << DroverReload::tr("removed pools %1").arg(removedPools.join(QStringLiteral(", ")));
    for (const PoolChange &c : changedPools) {
        QString text = DroverReload::tr("pool %1 changed (%2)")
                           .arg(c.pool, c.fields.join(QStringLiteral(", ")));
        if (c.rollingRestart)
            text += DroverReload::tr(": rolling restart");
        else if (c.newReplicasOnly)
            text += DroverReload::tr(
                ": applies to replicas started from now on (restart the pool to apply it to all)");
        parts << text;
    }
    if (!changedSections.isEmpty())
        parts << DroverReload::tr("updated %1").arg(changedSections.join(QStringLiteral(", ")));
    if (!keptPools.isEmpty())
        parts << DroverReload::tr("pools %1 keep their last good settings (errors in the file)")
                     .arg(keptPools.join(QStringLiteral(", ")));
    if (!keptSections.isEmpty())
        parts << DroverReload::tr("%1 keep their previous good version (errors in the file)")
                     .arg(keptSections.join(QStringLiteral(", ")));
    if (!restartSections.isEmpty())
        parts << DroverReload::tr("%1 changed but take effect at the next start")
                     .arg(restartSections.join(QStringLiteral(", ")));
    if (parts.isEmpty())
        return DroverReload::tr("no changes");
    return parts.join(QStringLiteral("; "));
}

ConfigReloadPlan planConfigReload(const Config &running, const ConfigLoadResult &fresh)
{
    ConfigReloadPlan plan;
    plan.effective = running;
    if (fresh.fatal) {
        // Missing, unreadable, not YAML: nothing in it can be trusted, not even "no pools".
        plan.refused = true;
        plan.refusal = fresh.issues.isEmpty() ? DroverReload::tr("the file cannot be used")
                                              : fresh.issues.first().toString();
        return plan;
    }
    const QString file = fresh.config.sourceFile;
    Config &eff = plan.effective;
    eff.sourceFile = file;
    const Config &next = fresh.config;

    // Sections applied live: the new version, or the previous one when it had errors.
    const auto liveSection = [&](const char *key, auto member) {
        const QString name = QString::fromLatin1(key);
        const bool differs = running.sectionText.value(name) != next.sectionText.value(name);
        if (fresh.sectionsWithErrors.contains(name)) {
            if (differs) {
                plan.keptSections << name;
                plan.issues << warning(
                    file,
                    DroverReload::tr("'%1' has errors: its previous good version stays in use")
                        .arg(name));
            }
            return;
        }
        eff.*member = next.*member;
        eff.sectionText.insert(name, next.sectionText.value(name));
        if (differs)
            plan.changedSections << name;
    };
    liveSection("tiers", &Config::tiers);
    liveSection("policies", &Config::policies);
    liveSection("alerts", &Config::alerts);
    liveSection("notifications", &Config::notifications);
    liveSection("planning", &Config::planning);

    // Storage: retention applies live, the path only at the next start.
    {
        const QString name = QStringLiteral("storage");
        if (fresh.sectionsWithErrors.contains(name)) {
            if (running.sectionText.value(name) != next.sectionText.value(name)) {
                plan.keptSections << name;
                plan.issues << warning(
                    file, DroverReload::tr(
                              "'storage' has errors: its previous good version stays in use"));
            }
        } else {
            const StorageSpec &a = running.storage;
            const StorageSpec &b = next.storage;
            if (std::tie(a.rawRetentionMs, a.tenSecondRetentionMs, a.minuteRetentionMs) !=
                std::tie(b.rawRetentionMs, b.tenSecondRetentionMs, b.minuteRetentionMs)) {
                eff.storage.rawRetentionMs = b.rawRetentionMs;
                eff.storage.tenSecondRetentionMs = b.tenSecondRetentionMs;
                eff.storage.minuteRetentionMs = b.minuteRetentionMs;
                plan.changedSections << QStringLiteral("storage retention");
            }
            if (a.path != b.path) {
                plan.restartSections << QStringLiteral("storage.path");
                plan.issues << warning(
                    file,
                    DroverReload::tr(
                        "'storage.path' changed: the store moves at the next start of Drover"));
            }
        }
    }

    // Only read at start: the running services keep what they started with.
    for (const char *key : {"gateway", "dispatch", "observe"}) {
        const QString name = QString::fromLatin1(key);
        if (running.sectionText.value(name) != next.sectionText.value(name)) {
            plan.restartSections << name;
            plan.issues << warning(
                file, DroverReload::tr("'%1' changed: listener ports and these settings take "
                                       "effect at the next start of Drover")
                          .arg(name));
        }
    }

    // Pools, in the new file's order; kept pools after them.
    eff.pools.clear();
    QStringList seen;
    for (const PoolSpec &p : next.pools) {
        seen << p.name;
        const PoolSpec *old = running.pool(p.name);
        if (!eff.tier(p.tier)) {
            // Its tier is in a `tiers:` section that was kept back for errors.
            if (old) {
                eff.pools << *old;
                plan.keptPools << p.name;
            }
            plan.issues << warning(
                file, DroverReload::tr(
                          "pool '%1': tier '%2' is not in use (the tiers section has errors); %3")
                          .arg(p.name, p.tier,
                               old ? DroverReload::tr("the pool keeps its last good settings")
                                   : DroverReload::tr("the pool is not started")));
            continue;
        }
        eff.pools << p;
        if (!old) {
            plan.addedPools << p.name;
            continue;
        }
        const PoolChange c = comparePools(*old, p, running.tier(old->tier), eff.tier(p.tier));
        if (!c.fields.isEmpty())
            plan.changedPools << c;
    }
    for (const PoolSpec &old : running.pools) {
        if (seen.contains(old.name))
            continue;
        if (fresh.refusedPools.contains(old.name)) {
            eff.pools << old;
            plan.keptPools << old.name;
            plan.issues << warning(
                file,
                DroverReload::tr("pool '%1' has errors: it keeps running on its last good settings")
                    .arg(old.name));
            // Its tier must stay available even if the new tiers dropped it.
            if (!eff.tier(old.tier) && running.tier(old.tier))
                eff.tiers << *running.tier(old.tier);
        } else {
            plan.removedPools << old.name;
        }
    }
    return plan;
}

} // namespace drover
