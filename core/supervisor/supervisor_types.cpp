#include "supervisor_types.h"

#include <QDateTime>

namespace drover {

QString replicaStateName(ReplicaState state)
{
    switch (state) {
    case ReplicaState::Starting: return QStringLiteral("starting");
    case ReplicaState::Ready: return QStringLiteral("ready");
    case ReplicaState::Unhealthy: return QStringLiteral("unhealthy");
    case ReplicaState::Stopping: return QStringLiteral("stopping");
    case ReplicaState::Exited: return QStringLiteral("exited");
    case ReplicaState::Crashed: return QStringLiteral("crashed");
    case ReplicaState::Backoff: return QStringLiteral("backoff");
    }
    return QStringLiteral("unknown");
}

QString poolStateName(PoolState state)
{
    switch (state) {
    case PoolState::Stopped: return QStringLiteral("stopped");
    case PoolState::Running: return QStringLiteral("running");
    case PoolState::Degraded: return QStringLiteral("degraded");
    case PoolState::CrashLoop: return QStringLiteral("crash loop");
    case PoolState::Error: return QStringLiteral("error");
    }
    return QStringLiteral("unknown");
}

QString limitEnforcementName(LimitEnforcement e)
{
    switch (e) {
    case LimitEnforcement::None: return QStringLiteral("none");
    case LimitEnforcement::JobObject: return QStringLiteral("job object");
    case LimitEnforcement::CgroupV2: return QStringLiteral("cgroup v2");
    case LimitEnforcement::Rlimit: return QStringLiteral("rlimit + watchdog");
    }
    return QStringLiteral("unknown");
}

QString SupervisorEvent::toString() const
{
    QString who = pool;
    if (replica >= 0)
        who += QLatin1Char('/') + QString::number(replica);
    QString change = kind;
    if (!from.isEmpty() || !to.isEmpty())
        change += QStringLiteral(" %1 -> %2").arg(from, to);
    return QStringLiteral("%1 %2 %3: %4")
        .arg(QDateTime::fromMSecsSinceEpoch(timeMs).toString(Qt::ISODateWithMs), who, change,
             reason);
}

} // namespace drover
