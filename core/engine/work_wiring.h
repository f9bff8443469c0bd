// The engine's work plane: the GPT gateway (core/gateway, its own thread) and the dispatcher
// (core/dispatch, the engine thread) as the running product uses them.
//
//  - Every replica process starts with OPENAI_BASE_URL=http://127.0.0.1:<gateway>/v1 and a
//    fresh per-replica token as OPENAI_API_KEY (replicaEnvironment(), the supervisor's hook).
//    A replica that leaves the supervisor's status loses its token; a re-tier moves its token
//    to the new tier, so the gateway meters it against the new budget from its next request.
//    The provider key never leaves the keychain and the gateway thread.
//  - Every tick the dispatcher gets the supervisor's status (ready replicas, ports, tier caps)
//    and the engine gets back one PoolWork per pool: queue depth, wait, dispatch latency, dead
//    letters and the gateway's token rates, which the SeriesBook records for the autoscaler,
//    the alert rules and the bottleneck detector.
//  - The snapshot gets the queues, the breakers, the gateway's status and the dead letters.
//
// Lives in the engine thread; plain class (the Qt objects it owns do the signalling).
#pragma once

#include "core/config/config.h"
#include "core/supervisor/supervisor_types.h"
#include "pool_series.h"
#include "snapshot.h"

#include <QHash>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QVector>

#include <memory>

namespace drover {

class Dispatcher;
class GatewayHost;
struct DispatcherOptions;
struct DispatchPoolConfig;
struct GatewayOptions;
struct LoopSpec;

struct WorkWiringOptions
{
    QString queuePath;     // the dispatcher's SQLite file; empty: no dispatcher
    QString queueProblem;  // why there is no queue path (shown in the snapshot)
    QString secretService = QStringLiteral("Drover"); // provider key and intake token
    qint64 rateWindowMs = 5000;
};

// Counter -> rate over a sliding window of (time, value) samples; a counter that went down
// starts over. Rate is NaN until two samples exist.
class CounterWindow
{
public:
    void observe(qint64 nowMs, double value, qint64 windowMs);
    double rate() const;

private:
    QVector<TimedValue> m_points;
};

// The config's dispatch section as the dispatcher's own types (pure; tested).
QVector<LoopSpec> loopSpecsFromConfig(const Config &config);
QVector<DispatchPoolConfig> dispatchPoolsFromConfig(const Config &config);
GatewayOptions gatewayOptionsFromConfig(const Config &config, const QString &secretService);

class WorkWiring
{
public:
    WorkWiring(const Config &config, WorkWiringOptions options);
    ~WorkWiring();
    WorkWiring(const WorkWiring &) = delete;
    WorkWiring &operator=(const WorkWiring &) = delete;

    // In the engine thread, before the supervisor starts replicas.
    void start();
    // The dispatcher first (its POSTs end, queued jobs stay), before the agents stop.
    void stopDispatch();
    // The gateway last, after the agents are gone.
    void stopGateway();

    // The supervisor's hook: runs at every replica process start.
    void replicaEnvironment(const QString &pool, int index, const QString &tier,
                            QProcessEnvironment &env);

    // One tick: tokens follow the replicas, the dispatcher gets the status, the meters are
    // read. Returns one PoolWork per pool in `pools`.
    QHash<QString, PoolWork> tick(qint64 nowMs, const QVector<PoolStatus> &pools);
    // This tick's PoolWork of `pool`; null when the pool was not in the last tick.
    const PoolWork *workOf(const QString &pool) const;
    // Events since the last call: dead letters, the provider's quota, intake problems.
    QVector<SupervisorEvent> takeEvents();
    // The gateway-wide values for the system series (NaN without a gateway).
    double providerThrottled() const;
    double insufficientQuota() const;

    void fillSnapshot(Snapshot *snapshot) const;

    // Operator commands; false and a reason when refused.
    bool requeueDeadLetter(const QString &id, QString *refusal);
    bool submitJob(const QString &pool, const QJsonObject &payload, const QString &priority,
                   QString *refusal, QString *jobId = nullptr);

    bool gatewayRunning() const;
    quint16 gatewayPort() const;
    quint16 intakePort() const;

private:
    struct Meter;
    void readGateway(qint64 nowMs, const QVector<PoolStatus> &pools,
                     QHash<QString, PoolWork> &work);
    void followReplicas(const QVector<PoolStatus> &pools);
    void event(const QString &pool, int replica, const QString &kind, const QString &from,
               const QString &to, const QString &reason);

    Config m_config;
    WorkWiringOptions m_options;
    std::unique_ptr<GatewayHost> m_gateway;
    QString m_gatewayError;
    std::unique_ptr<Dispatcher> m_dispatcher;
    QString m_dispatchError;
    QString m_intakeError;
    QHash<QString, QString> m_issued; // "pool/index" -> tier its token is metered against
    std::unique_ptr<Meter> m_meter;
    QVector<SupervisorEvent> m_events;
    bool m_quotaReported = false;
    qint64 m_lastTickMs = 0;
    QHash<QString, PoolWork> m_lastWork;
};

} // namespace drover
