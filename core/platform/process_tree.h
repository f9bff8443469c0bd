// One replica's process tree as the OS sees it: how it is started (its own process group or
// Job Object, death with Drover), how its tier limits are enforced, and how it is stopped.
#pragma once

#include "core/supervisor/supervisor_types.h"

#include <QString>

#include <memory>

class QProcess;

namespace drover {

struct ResourceLimits
{
    double cpuCores = 0;     // 0: unlimited
    qint64 memoryBytes = 0;  // 0: unlimited
};

struct LimitsResult
{
    bool applied = false;    // the OS accepted the limits (live, where the tree already runs)
    LimitEnforcement enforcement = LimitEnforcement::None;
    QString detail;          // what was applied, or why not
};

class ProcessTree
{
public:
    virtual ~ProcessTree() = default;

    // Before QProcess::start(): the child gets its own process group (Linux) or Job Object
    // (Windows), dies with Drover, and starts with `limits` already in force.
    virtual void prepare(QProcess &process, const ResourceLimits &limits) = 0;
    // After the process started.
    virtual void attach(qint64 pid) = 0;
    // Changes the limits of the running tree (re-tiering).
    virtual LimitsResult applyLimits(const ResourceLimits &limits) = 0;
    virtual LimitsResult currentLimits() const = 0;
    // The graceful signal: SIGTERM to the group (Linux), CTRL_BREAK (Windows console agents).
    virtual bool terminate() = 0;
    // Hard kill of the whole tree, children included.
    virtual void kill() = 0;
};

// `name` identifies the replica (e.g. "mail-3"); it names the cgroup or the job.
std::unique_ptr<ProcessTree> createProcessTree(const QString &name);

// Linux: the cgroup v2 directory under which Drover can create limited cgroups, or empty
// when none is writable with the cpu and memory controllers (then rlimits are used).
QString delegatedCgroupRoot();

} // namespace drover
