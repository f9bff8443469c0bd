// The supervisor: every pool of the configuration, the commands the operator (or the
// autoscaler) sends them, and the record of what happened. Lives in the engine thread.
#pragma once

#include "core/config/config.h"
#include "replica_environment.h"
#include "supervisor_types.h"

#include <QMap>
#include <QObject>
#include <QVector>

#include <functional>
#include <memory>

class QNetworkAccessManager;
class QTimer;

namespace drover {

class Pool;
class PortAllocator;
class ProcessStatsReader;
class SecretStore;

struct SupervisorOptions
{
    QString logDir;                       // replica log files; empty: none on disk
    QString secretService = QStringLiteral("Drover"); // keychain service of `keychain:` refs
    QStringList searchDirs;               // where bare command names are looked up first
    std::function<qint64()> clock;        // ms since the epoch; defaults to the wall clock
    int eventHistory = 1000;              // recent events kept in memory
    // Called at every replica process start (the engine's gateway wiring); may be empty.
    ReplicaEnvironmentHook replicaEnvironment;
};

class Supervisor : public QObject
{
    Q_OBJECT
public:
    Supervisor(const Config &config, SupervisorOptions options, QObject *parent = nullptr);
    ~Supervisor() override;

    struct Restored
    {
        int replicas = -1; // -1: the configuration's initial count
        QString tier;      // empty: the configuration's tier
    };
    // Brings every pool to its initial replica count, or to what the operator last set
    // (restored from the store; clamped to the pool's current 0..max).
    void startAll(const QMap<QString, Restored> &restored = {});

    // Commands; false and a message when refused (unknown pool, beyond max, ...).
    bool scale(const QString &pool, int replicas, const QString &reason, QString *refusal = nullptr);
    bool restartPool(const QString &pool, const QString &reason, QString *refusal = nullptr);
    bool restartReplica(const QString &pool, int index, const QString &reason, QString *refusal = nullptr);
    bool stopReplica(const QString &pool, int index, const QString &reason, QString *refusal = nullptr);
    bool setTier(const QString &pool, const QString &tier, const QString &reason, QString *refusal = nullptr);

    // A configuration reload. setConfig: the tiers (and file) commands resolve from now on.
    // addPool starts a new pool at its initial count; removePool stops its replicas gracefully
    // (the pool leaves status() at once, its processes are reaped in the background); updatePool
    // gives a pool new settings, re-tiers it and rolls its replicas when asked. Each records an
    // event; false when there is no such pool (or it already exists, for addPool).
    void setConfig(const Config &config);
    bool addPool(const PoolSpec &spec, const QString &reason);
    bool removePool(const QString &pool, const QString &reason);
    bool updatePool(const PoolSpec &spec, bool tierChanged, bool rollingRestart,
                    const QString &reason, QString *note = nullptr);
    // Removed pools whose replicas are still stopping.
    int retiringPools() const { return int(m_retiring.size()); }

    // Per-replica CPU and memory; call once a second.
    void sample(qint64 nowMs);

    // Stops every replica gracefully and waits (running this thread's event loop) until all
    // are gone or `deadlineMs` passed; whatever remains is killed.
    void shutdown(int deadlineMs);

    QVector<PoolStatus> status() const;
    QVector<SupervisorEvent> recentEvents() const { return m_events; }
    QStringList replicaLog(const QString &pool, int index) const;
    // Resolves a pool's command: a bare name is looked up in searchDirs, then on PATH.
    QString resolveProgram(const QString &command, const QString &configDir) const;

signals:
    void eventRecorded(const drover::SupervisorEvent &event);

private:
    Pool *pool(const QString &name, QString *refusal) const;
    Pool *createPool(const PoolSpec &spec);
    void reapRetiring();
    void onEvent(const SupervisorEvent &event);

    Config m_config;
    SupervisorOptions m_options;
    QNetworkAccessManager *m_network;
    std::unique_ptr<PortAllocator> m_ports;
    SecretStore *m_secrets;
    std::unique_ptr<ProcessStatsReader> m_stats;
    QVector<Pool *> m_pools;
    struct Retiring
    {
        Pool *pool;
        qint64 deadlineMs; // killed (by deleting it) if still running then
    };
    QVector<Retiring> m_retiring;
    QTimer *m_reaper = nullptr;
    QVector<SupervisorEvent> m_events;
};

} // namespace drover
