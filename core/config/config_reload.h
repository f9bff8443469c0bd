// What a configuration reload changes: the running (last good) configuration against a freshly
// loaded one, as a plan the engine applies. Plain C++ with no engine state, so the rules are
// tested table-driven (tests/unit/tst_config_reload.cpp).
//
// The rules: a pool refused in the new file keeps its last good settings; a section with an
// error (tiers, policies, alerts, notifications, planning, storage) keeps its previous good
// version; sections only read at start (gateway, dispatch, observe, storage.path) keep running
// as they started and produce a warning saying a restart applies them; a file that cannot be
// used at all (missing, not YAML) refuses the whole reload.
#pragma once

#include "config.h"

namespace drover {

struct PoolChange
{
    QString pool;
    QStringList fields;          // what changed, in the file's words (replicas.max, tier, env, ...)
    bool rollingRestart = false; // command, args, working_dir or env: replicas must be replaced
    bool tierChanged = false;    // another tier, or the same tier with other limits
    bool newReplicasOnly = false; // health, restart, stop_timeout, scrape_interval: new replicas
};

struct ConfigReloadPlan
{
    bool refused = false; // nothing applies; `refusal` says why
    QString refusal;
    Config effective; // what runs from now on
    QStringList addedPools;
    QStringList removedPools;
    QList<PoolChange> changedPools;
    QStringList keptPools;       // refused in the new file, running on their last good settings
    QStringList keptSections;    // had errors: the previous good version stays
    QStringList changedSections; // applied live: tiers, policies, alerts, notifications, ...
    QStringList restartSections; // changed but only read at start
    // Warnings for the configuration view: kept parts and settings that need a restart.
    QList<ConfigIssue> issues;

    bool changesAnything() const;
    // One line for the event: what changed, or that nothing did, or why it was refused.
    QString summary() const;
};

ConfigReloadPlan planConfigReload(const Config &running, const ConfigLoadResult &fresh);

} // namespace drover
