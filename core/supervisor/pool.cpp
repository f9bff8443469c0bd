#include "pool.h"

#include "core/secrets/secret_store.h"
#include "port_allocator.h"

#include <QDir>

#include <algorithm>

namespace drover {

namespace {
const QString kKeychainPrefix = QStringLiteral("keychain:");

RestartTuning tuningOf(const RestartSpec &r)
{
    RestartTuning t;
    t.initialMs = r.backoffInitialMs;
    t.maxMs = r.backoffMaxMs;
    t.crashLoopCount = r.crashLoopCount;
    t.crashLoopWindowMs = r.crashLoopWindowMs;
    t.healthyResetMs = r.crashLoopWindowMs / 2;
    return t;
}
} // namespace

ResourceLimits limitsOf(const TierSpec &tier)
{
    ResourceLimits l;
    l.cpuCores = tier.cpuCores;
    l.memoryBytes = tier.memoryMb * 1024 * 1024;
    return l;
}

Pool::Pool(PoolSpec spec, TierSpec tier, PoolContext context, QObject *parent)
    : QObject(parent), m_spec(std::move(spec)), m_tier(std::move(tier)), m_ctx(std::move(context))
{
    m_env = QProcessEnvironment::systemEnvironment();
    for (auto it = m_spec.env.cbegin(); it != m_spec.env.cend(); ++it) {
        if (!it.value().startsWith(kKeychainPrefix))
            m_env.insert(it.key(), it.value());
    }
}

Pool::~Pool()
{
    // Replicas kill their processes in their destructors; release the ports they held.
    for (Replica *r : std::as_const(m_replicas))
        m_ctx.ports->release(r->port());
}

void Pool::record(int replica, const QString &kind, const QString &from, const QString &to,
                  const QString &reason)
{
    SupervisorEvent e;
    e.timeMs = m_ctx.clock();
    e.pool = m_spec.name;
    e.replica = replica;
    e.kind = kind;
    e.from = from;
    e.to = to;
    e.reason = reason;
    emit event(e);
}

bool Pool::setDesired(int replicas, const QString &reason, QString *refusal)
{
    if (replicas < 0 || replicas > m_spec.maxReplicas) {
        const QString why = QStringLiteral("%1 replicas is outside 0..%2 (the pool's max)")
                                .arg(replicas).arg(m_spec.maxReplicas);
        if (refusal)
            *refusal = why;
        record(-1, QStringLiteral("command"), QString(), QString(), QStringLiteral("refused: ") + why);
        return false;
    }
    if (m_shuttingDown) {
        if (refusal)
            *refusal = QStringLiteral("the pool is shutting down");
        return false;
    }
    const int before = m_desired;
    m_desired = replicas;
    if (replicas == 0) {
        m_rollingQueue.clear(); // nothing to roll when nothing runs
        m_rollingSurge = m_rollingOld = -1;
    }
    record(-1, QStringLiteral("scale"), QString::number(before), QString::number(replicas), reason);
    resolveSecretsThenReconcile();
    return true;
}

void Pool::resolveSecretsThenReconcile()
{
    if (m_secrets == Secrets::Resolved || m_secrets == Secrets::Pending) {
        if (m_secrets == Secrets::Resolved)
            reconcile();
        return;
    }
    QStringList names;
    for (auto it = m_spec.env.cbegin(); it != m_spec.env.cend(); ++it) {
        if (it.value().startsWith(kKeychainPrefix))
            names << it.key();
    }
    if (names.isEmpty() || m_desired == 0) {
        if (names.isEmpty())
            m_secrets = Secrets::Resolved;
        reconcile();
        return;
    }
    if (!m_ctx.secrets) {
        m_secrets = Secrets::Failed;
        m_secretError = QStringLiteral("no keychain available for %1").arg(names.join(QStringLiteral(", ")));
        record(-1, QStringLiteral("secret"), QString(), QString(), m_secretError);
        return;
    }
    m_secrets = Secrets::Pending;
    const int total = int(names.size());
    auto remaining = std::make_shared<int>(total);
    auto failures = std::make_shared<QStringList>();
    for (const QString &var : std::as_const(names)) {
        const QString secretName = m_spec.env.value(var).mid(kKeychainPrefix.size());
        // Only the names appear in events, never the values.
        m_ctx.secrets->read(secretName, [this, var, secretName, remaining, failures, total](
                                            bool ok, const QString &value, const QString &error) {
            if (ok)
                m_env.insert(var, value);
            else
                failures->append(QStringLiteral("%1 (keychain:%2): %3").arg(var, secretName, error));
            if (--*remaining > 0)
                return;
            if (failures->isEmpty()) {
                m_secrets = Secrets::Resolved;
                m_secretError.clear();
                record(-1, QStringLiteral("secret"), QString(), QString(),
                       QStringLiteral("resolved %1 secret(s) from the keychain").arg(total));
                reconcile();
            } else {
                m_secrets = Secrets::Failed;
                m_secretError = QStringLiteral("cannot read secrets: ") + failures->join(QStringLiteral("; "));
                record(-1, QStringLiteral("secret"), QString(), QString(), m_secretError);
            }
        });
    }
}

bool Pool::isActive(const Replica *r) const
{
    if (m_terminal.contains(r->index()))
        return false;
    switch (r->state()) {
    case ReplicaState::Starting:
    case ReplicaState::Ready:
    case ReplicaState::Unhealthy:
    case ReplicaState::Backoff:
    case ReplicaState::Crashed: // about to be restarted
        return true;
    case ReplicaState::Stopping:
    case ReplicaState::Exited:
        return m_afterStop.value(r->index(), AfterStop::Remove) != AfterStop::Remove;
    }
    return false;
}

int Pool::activeCount() const
{
    int n = 0;
    for (const Replica *r : m_replicas)
        n += isActive(r) ? 1 : 0;
    return n;
}

Replica *Pool::createReplica(int index)
{
    ReplicaLaunch launch;
    launch.pool = m_spec.name;
    launch.index = index;
    launch.port = m_ctx.ports->allocate();
    launch.program = m_ctx.program;
    launch.args = m_spec.args;
    launch.workingDir = m_spec.workingDir;
    launch.env = m_env;
    launch.tier = m_tier.name;
    launch.concurrentTasks = m_tier.concurrentTasks;
    launch.limits = limitsOf(m_tier);
    launch.health = m_spec.health;
    launch.stopTimeoutMs = m_spec.stopTimeoutMs;
    launch.scrapeIntervalMs = m_spec.scrapeIntervalMs;
    launch.environmentHook = m_ctx.environmentHook;
    if (!m_ctx.logDir.isEmpty())
        launch.logPath = QDir(m_ctx.logDir).filePath(QStringLiteral("%1-%2.log").arg(m_spec.name).arg(index));
    auto *r = new Replica(launch, m_ctx.network, m_ctx.clock, this);
    connect(r, &Replica::stateChanged, this,
            [this](int i, ReplicaState from, ReplicaState to, const QString &reason) {
                record(i, QStringLiteral("state"), replicaStateName(from), replicaStateName(to), reason);
                if (to == ReplicaState::Ready && i == m_rollingSurge)
                    continueRolling();
            });
    connect(r, &Replica::processGone, this, &Pool::onReplicaGone);
    connect(r, &Replica::restartNeeded, this, &Pool::onRestartNeeded);
    connect(r, &Replica::note, this, [this](int i, const QString &kind, const QString &message) {
        record(i, kind, QString(), QString(), message);
    });
    m_replicas.insert(index, r);
    m_policies.insert(index, RestartPolicy(tuningOf(m_spec.restart)));
    return r;
}

void Pool::reconcile()
{
    if (m_shuttingDown || m_secrets != Secrets::Resolved)
        return;
    const bool crashLoop = std::any_of(m_policies.cbegin(), m_policies.cend(),
                                       [](const RestartPolicy &p) { return p.inCrashLoop(); });
    const int surge = m_rollingSurge >= 0 ? 1 : 0;
    int active = activeCount();
    // Scale out: the lowest free indices, so replica numbers stay small and stable.
    while (active < m_desired + surge && !crashLoop) {
        int index = 0;
        while (m_replicas.contains(index))
            ++index;
        Replica *r = createReplica(index);
        if (r->port() == 0) {
            record(index, QStringLiteral("state"), QString(), QString(),
                   QStringLiteral("no free loopback port"));
        }
        r->start(QStringLiteral("scale to %1").arg(m_desired));
        ++active;
    }
    // Scale in: replicas that are not serving first, then those with the least work in
    // flight (scraped from the agent), then the highest index; they drain within stop_timeout.
    if (active > m_desired + surge) {
        QList<Replica *> candidates;
        for (Replica *r : std::as_const(m_replicas)) {
            if (isActive(r) && r->index() != m_rollingSurge
                && r->state() != ReplicaState::Stopping)
                candidates.append(r);
        }
        auto rank = [](const Replica *r) {
            switch (r->state()) {
            case ReplicaState::Backoff:
            case ReplicaState::Crashed: return 0;
            case ReplicaState::Starting: return 1;
            case ReplicaState::Unhealthy: return 2;
            default: return 3;
            }
        };
        std::sort(candidates.begin(), candidates.end(), [&rank](const Replica *a, const Replica *b) {
            if (rank(a) != rank(b))
                return rank(a) < rank(b);
            const double wa = a->status().inFlight + a->status().queueDepth;
            const double wb = b->status().inFlight + b->status().queueDepth;
            if (wa != wb)
                return wa < wb;
            return a->index() > b->index();
        });
        for (Replica *r : candidates) {
            if (active <= m_desired + surge)
                break;
            m_afterStop.insert(r->index(), AfterStop::Remove);
            m_rollingQueue.removeAll(r->index());
            r->stop(QStringLiteral("scale to %1").arg(m_desired));
            --active;
        }
    }
    // Terminal replicas (crash loop) beyond the desired count are dropped from view.
    for (int index : m_terminal.values()) {
        if (m_replicas.size() > m_desired && m_replicas.contains(index)
            && !m_replicas[index]->isRunning()) {
            m_replicas.take(index)->deleteLater();
            m_terminal.remove(index);
            m_policies.remove(index);
        }
    }
}

void Pool::onReplicaGone(int index, bool expected, int exitCode, const QString &reason)
{
    Replica *r = m_replicas.value(index);
    if (!r)
        return;
    if (expected) {
        const AfterStop next = m_afterStop.take(index);
        if (m_shuttingDown || next == AfterStop::Remove) {
            m_ctx.ports->release(r->port());
            m_replicas.remove(index);
            m_policies.remove(index);
            r->deleteLater();
            if (index == m_rollingOld)
                m_rollingOld = -1;
            reconcile();
            return;
        }
        if (next == AfterStop::RestartAsCrash) {
            afterCrash(r, reason);
            return;
        }
        r->setPort(m_ctx.ports->reuseOrAllocate(r->port()));
        r->start(QStringLiteral("restart requested"));
        return;
    }
    if (m_shuttingDown)
        return;
    const RestartSpec::Policy policy = m_spec.restart.policy;
    const bool clean = exitCode == 0 && r->state() == ReplicaState::Exited;
    if (policy == RestartSpec::Policy::Never || (policy == RestartSpec::Policy::OnFailure && clean)) {
        m_terminal.insert(index);
        record(index, QStringLiteral("restart"), QString(), QString(),
               QStringLiteral("not restarted (restart policy %1): %2")
                   .arg(policy == RestartSpec::Policy::Never ? QStringLiteral("never")
                                                              : QStringLiteral("on-failure"),
                        reason));
        return;
    }
    afterCrash(r, reason);
}

void Pool::afterCrash(Replica *r, const QString &reason)
{
    RestartPolicy &policy = m_policies[r->index()];
    const qint64 delay = policy.onCrash(m_ctx.clock(), m_ctx.random01());
    if (delay < 0) {
        m_terminal.insert(r->index());
        record(r->index(), QStringLiteral("crash loop"), QString(), QString(),
               QStringLiteral("%1 crashes within %2 s: restarts stopped until the operator "
                              "restarts the pool (last: %3)")
                   .arg(policy.tuning().crashLoopCount)
                   .arg(policy.tuning().crashLoopWindowMs / 1000)
                   .arg(reason));
        m_rollingQueue.clear();
        m_rollingSurge = m_rollingOld = -1;
        return;
    }
    r->setPort(m_ctx.ports->reuseOrAllocate(r->port()));
    if (delay == 0) {
        r->start(QStringLiteral("restart after: %1").arg(reason));
    } else {
        r->enterBackoff(delay, QStringLiteral("restart in %1 ms (crash %2 in a row)")
                                   .arg(delay).arg(policy.consecutiveCrashes()));
    }
}

void Pool::onRestartNeeded(int index, const QString &reason)
{
    Replica *r = m_replicas.value(index);
    if (!r || m_shuttingDown)
        return;
    m_afterStop.insert(index, AfterStop::RestartAsCrash);
    r->stop(QStringLiteral("unhealthy: ") + reason);
}

void Pool::restartAll(const QString &reason)
{
    for (RestartPolicy &p : m_policies)
        p.reset();
    const QList<int> terminal = m_terminal.values();
    m_terminal.clear();
    record(-1, QStringLiteral("command"), QString(), QString(),
           QStringLiteral("rolling restart: %1").arg(reason));
    // Crash-looped replicas are simply started again; the others are replaced one by one.
    for (int index : terminal) {
        if (Replica *r = m_replicas.value(index)) {
            r->setPort(m_ctx.ports->reuseOrAllocate(r->port()));
            r->start(QStringLiteral("operator restart"));
        }
    }
    m_rollingQueue.clear();
    for (Replica *r : std::as_const(m_replicas)) {
        if (!terminal.contains(r->index()) && isActive(r))
            m_rollingQueue.append(r->index());
    }
    if (m_rollingSurge < 0)
        continueRolling();
}

void Pool::continueRolling()
{
    // Surge one, then retire one: the pool never has fewer ready replicas than before.
    if (m_rollingSurge >= 0 && m_rollingOld >= 0) {
        if (Replica *old = m_replicas.value(m_rollingOld)) {
            m_afterStop.insert(m_rollingOld, AfterStop::Remove);
            old->stop(QStringLiteral("replaced by replica %1 (rolling restart)").arg(m_rollingSurge));
        }
    }
    m_rollingSurge = m_rollingOld = -1;
    while (!m_rollingQueue.isEmpty()) {
        const int old = m_rollingQueue.takeFirst();
        if (!m_replicas.contains(old) || !isActive(m_replicas[old]))
            continue;
        int index = 0;
        while (m_replicas.contains(index))
            ++index;
        m_rollingOld = old;
        m_rollingSurge = index;
        Replica *r = createReplica(index);
        r->start(QStringLiteral("rolling restart: replaces replica %1").arg(old));
        return;
    }
    record(-1, QStringLiteral("command"), QString(), QString(), QStringLiteral("rolling restart done"));
    reconcile();
}

bool Pool::restartReplica(int index, const QString &reason, QString *refusal)
{
    Replica *r = m_replicas.value(index);
    if (!r) {
        if (refusal)
            *refusal = QStringLiteral("pool %1 has no replica %2").arg(m_spec.name).arg(index);
        return false;
    }
    m_policies[index].reset();
    m_terminal.remove(index);
    record(index, QStringLiteral("command"), QString(), QString(), QStringLiteral("restart: ") + reason);
    if (!r->isRunning()) {
        r->setPort(m_ctx.ports->reuseOrAllocate(r->port()));
        r->start(QStringLiteral("operator restart"));
        return true;
    }
    m_afterStop.insert(index, AfterStop::RestartNow);
    r->stop(QStringLiteral("operator restart: ") + reason);
    return true;
}

bool Pool::stopReplica(int index, const QString &reason, QString *refusal)
{
    Replica *r = m_replicas.value(index);
    if (!r) {
        if (refusal)
            *refusal = QStringLiteral("pool %1 has no replica %2").arg(m_spec.name).arg(index);
        return false;
    }
    record(index, QStringLiteral("command"), QString(), QString(), QStringLiteral("stop: ") + reason);
    m_desired = qMax(0, m_desired - 1);
    m_terminal.remove(index);
    m_afterStop.insert(index, AfterStop::Remove);
    m_rollingQueue.removeAll(index);
    r->stop(QStringLiteral("operator stop: ") + reason);
    return true;
}

bool Pool::setTier(const TierSpec &tier, const QString &reason, QString *refusal)
{
    if (m_rollingSurge >= 0 || !m_rollingQueue.isEmpty()) {
        const QString why = QStringLiteral("a rolling restart is in progress; change the tier when it is done");
        if (refusal)
            *refusal = why;
        record(-1, QStringLiteral("command"), QString(), QString(), QStringLiteral("refused: ") + why);
        return false;
    }
    const QString before = m_tier.name;
    m_tier = tier;
    const ResourceLimits limits = limitsOf(tier);
    QStringList failures;
    for (Replica *r : std::as_const(m_replicas)) {
        const LimitsResult result = r->applyLimits(limits, tier.name, tier.concurrentTasks);
        if (!result.applied)
            failures << QStringLiteral("replica %1: %2").arg(r->index()).arg(result.detail);
    }
    if (m_spec.retier == PoolSpec::Retier::Restart || !failures.isEmpty()) {
        record(-1, QStringLiteral("retier"), before, tier.name,
               QStringLiteral("%1; rolling restart%2").arg(reason,
                                                          failures.isEmpty()
                                                              ? QString()
                                                              : QStringLiteral(" because ") + failures.join(QStringLiteral("; "))));
        restartAll(QStringLiteral("tier %1").arg(tier.name));
    } else {
        record(-1, QStringLiteral("retier"), before, tier.name,
               QStringLiteral("%1; limits applied live to %2 replica(s)").arg(reason).arg(m_replicas.size()));
    }
    return true;
}

void Pool::updateSpec(const PoolSpec &spec, const QString &program)
{
    const bool envChanged = spec.env != m_spec.env;
    m_spec = spec;
    m_ctx.program = program;
    if (envChanged) {
        m_env = QProcessEnvironment::systemEnvironment();
        for (auto it = m_spec.env.cbegin(); it != m_spec.env.cend(); ++it) {
            if (!it.value().startsWith(kKeychainPrefix))
                m_env.insert(it.key(), it.value());
        }
        // Keychain references are resolved again for the replicas started from now on.
        if (m_secrets != Secrets::Pending)
            m_secrets = Secrets::Unresolved;
        resolveSecretsThenReconcile();
    }
}

void Pool::shutdown(const QString &reason)
{
    m_shuttingDown = true;
    m_rollingQueue.clear();
    for (Replica *r : std::as_const(m_replicas))
        r->stop(reason);
}

bool Pool::allStopped() const
{
    return std::none_of(m_replicas.cbegin(), m_replicas.cend(),
                        [](const Replica *r) { return r->isRunning(); });
}

void Pool::sample(ProcessStatsReader &reader, qint64 nowMs)
{
    for (Replica *r : std::as_const(m_replicas)) {
        r->sample(reader, nowMs);
        if (r->state() == ReplicaState::Ready)
            m_policies[r->index()].onHealthy(r->readySinceMs(), nowMs);
    }
}

PoolStatus Pool::status() const
{
    PoolStatus s;
    s.name = m_spec.name;
    s.tier = m_tier.name;
    s.desired = m_desired;
    s.minReplicas = m_spec.minReplicas;
    s.maxReplicas = m_spec.maxReplicas;
    s.rollingRestart = m_rollingSurge >= 0;
    s.retierLive = m_spec.retier == PoolSpec::Retier::Live;
    for (const Replica *r : m_replicas) {
        s.replicas.append(r->status());
        s.ready += r->state() == ReplicaState::Ready ? 1 : 0;
        s.running += r->isRunning() ? 1 : 0;
    }
    const bool crashLoop = std::any_of(m_policies.cbegin(), m_policies.cend(),
                                       [](const RestartPolicy &p) { return p.inCrashLoop(); });
    if (m_secrets == Secrets::Failed) {
        s.state = PoolState::Error;
        s.stateReason = m_secretError;
    } else if (crashLoop) {
        s.state = PoolState::CrashLoop;
        s.stateReason = QStringLiteral("restarts stopped after repeated crashes; restart the pool to try again");
    } else if (m_desired == 0 && s.running == 0) {
        s.state = PoolState::Stopped;
    } else if (s.ready < m_desired) {
        s.state = PoolState::Degraded;
        s.stateReason = QStringLiteral("%1 of %2 replicas ready").arg(s.ready).arg(m_desired);
    } else {
        s.state = PoolState::Running;
    }
    return s;
}

QStringList Pool::replicaLog(int index) const
{
    const Replica *r = m_replicas.value(index);
    return r ? r->recentLog() : QStringList();
}

} // namespace drover
