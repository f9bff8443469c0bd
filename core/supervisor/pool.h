// A pool: one command run as N replicas. Owns its replicas and decides what happens to them:
// scaling to the desired count, restarts with backoff, the crash-loop stop, re-tiering (live
// or rolling), and resolving keychain secrets before anything starts.
#pragma once

#include "core/config/config.h"
#include "replica.h"
#include "restart_policy.h"
#include "supervisor_types.h"

#include <QMap>
#include <QObject>
#include <QSet>

#include <functional>

class QNetworkAccessManager;

namespace drover {

class PortAllocator;
class SecretStore;

struct PoolContext
{
    QNetworkAccessManager *network = nullptr;
    PortAllocator *ports = nullptr;
    SecretStore *secrets = nullptr;
    std::function<qint64()> clock;
    std::function<double()> random01; // jitter
    QString logDir;
    QString program; // the command, resolved to an executable path
    ReplicaEnvironmentHook environmentHook;
};

ResourceLimits limitsOf(const TierSpec &tier);

class Pool : public QObject
{
    Q_OBJECT
public:
    Pool(PoolSpec spec, TierSpec tier, PoolContext context, QObject *parent = nullptr);
    ~Pool() override;

    const QString &name() const { return m_spec.name; }
    const PoolSpec &spec() const { return m_spec; }
    int desired() const { return m_desired; }

    // Commands. Each records an event; refusals say why and change nothing.
    bool setDesired(int replicas, const QString &reason, QString *refusal = nullptr);
    void restartAll(const QString &reason);          // rolling; also clears a crash loop
    bool restartReplica(int index, const QString &reason, QString *refusal = nullptr);
    bool stopReplica(int index, const QString &reason, QString *refusal = nullptr);
    bool setTier(const TierSpec &tier, const QString &reason, QString *refusal = nullptr);

    // A configuration reload: new settings for replicas started from now on (and for the
    // pool's own checks: max, restart policy). Running replicas keep theirs until restarted.
    void updateSpec(const PoolSpec &spec, const QString &program);

    // Stops everything (Drover is quitting); allStopped() tells when it is done.
    void shutdown(const QString &reason);
    bool allStopped() const;

    void sample(ProcessStatsReader &reader, qint64 nowMs);
    PoolStatus status() const;
    QStringList replicaLog(int index) const;

signals:
    void event(const drover::SupervisorEvent &event);

private:
    void record(int replica, const QString &kind, const QString &from, const QString &to,
                const QString &reason);
    void resolveSecretsThenReconcile();
    void reconcile();
    Replica *createReplica(int index);
    void onReplicaGone(int index, bool expected, int exitCode, const QString &reason);
    void onRestartNeeded(int index, const QString &reason);
    void afterCrash(Replica *replica, const QString &reason);
    void continueRolling();
    bool isActive(const Replica *r) const;
    int activeCount() const;

    enum class Secrets { Unresolved, Pending, Resolved, Failed };
    enum class AfterStop { Remove, RestartNow, RestartAsCrash };

    PoolSpec m_spec;
    TierSpec m_tier;
    PoolContext m_ctx;
    QProcessEnvironment m_env;
    Secrets m_secrets = Secrets::Unresolved;
    QString m_secretError;
    int m_desired = 0;
    bool m_shuttingDown = false;
    QMap<int, Replica *> m_replicas;
    QMap<int, RestartPolicy> m_policies;
    QMap<int, AfterStop> m_afterStop;
    QSet<int> m_terminal; // crash-looped or finished for good: kept for the operator to see
    QList<int> m_rollingQueue;  // old replicas still to replace
    int m_rollingSurge = -1;    // the replacement being started
    int m_rollingOld = -1;      // the replica it replaces
};

} // namespace drover
