// The engine: a worker QObject that lives in its own thread, ticks, and publishes snapshots.
//
// Nothing outside the engine thread touches an Engine directly: commands arrive as queued
// calls and results leave as Snapshot values (DESIGN.md, "Threads and data flow").
#pragma once

#include "core/config/config.h"
#include "core/platform/system_metrics.h"
#include "snapshot.h"

#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QThread>

#include <functional>
#include <memory>

class QFileSystemWatcher;
class QTimer;

namespace drover {

struct BottleneckTuning;

struct EngineOptions
{
    qint64 tickIntervalMs = 1000;
    int historyPoints = 600; // 10 minutes of 1 s points in every snapshot
    // Creates the OS metrics reader in the engine thread; tests substitute a recorded one.
    std::function<std::unique_ptr<SystemMetricsReader>()> metricsReaderFactory =
        &createSystemMetricsReader;
    bool superviseAgents = true;  // false: measure only (tests of the engine alone)
    QString logDir;               // replica logs; empty: <data dir>/logs
    QStringList agentSearchDirs;  // bare command names are looked up here first
    QString secretService = QStringLiteral("Drover");
    int eventsInSnapshot = 200;
    int minPublishGapMs = 500;    // at most two snapshots a second
    QString storePath;            // empty: storage.path from the config, else <data dir>/drover.sqlite
    bool useStore = true;
    // Autoscaling decisions that change nothing are recorded (store, snapshot history) at most
    // this often per pool; changes always are.
    qint64 scalingHeartbeatMs = 10000;
    int decisionsInSnapshot = 200;
    // Reload the configuration when its file changes (after this quiet time, so an editor's
    // several writes make one reload).
    bool watchConfigFile = true;
    int configReloadDebounceMs = 300;
    // Adjusts the bottleneck detector's tuning (tests shorten its windows); empty: defaults.
    std::function<void(BottleneckTuning &)> bottleneckTuning;
};

class Alerting;
class Bottlenecks;
class CapacityFeed;
class ScalingLoop;
class SeriesBook;
class Store;
class WorkWiring;
class Supervisor;
class WebhookSender;

class Engine : public QObject
{
    Q_OBJECT
public:
    Engine(ConfigLoadResult config, EngineOptions options = {});
    ~Engine() override;

public slots:
    // All run in the engine thread (EngineHost calls them through the event loop).
    void start();
    void stop();
    void scalePool(const QString &pool, int replicas, const QString &reason);
    void restartPool(const QString &pool, const QString &reason);
    void restartReplica(const QString &pool, int index, const QString &reason);
    void stopReplica(const QString &pool, int index, const QString &reason);
    void setPoolTier(const QString &pool, const QString &tier, const QString &reason);
    void requestReplicaLog(const QString &pool, int index);
    // Autoscaling modes. An operator scale (scalePool, stopReplica) puts the pool in manual
    // mode; pause stops the autoscaler deciding for the pool at all; resume hands the pool back
    // (no pause, no manual override). All persist in the store and are restored at start.
    void pauseAutoscaling(const QString &pool, bool paused);
    void resumeAutoscaling(const QString &pool);
    // Alerts: acknowledge a pending or firing alert (by its fingerprint, from the snapshot);
    // silence the alerts matching `matchers` (`pool="mail", alertname=~"High.*"`) for a while;
    // end a silence early.
    void acknowledgeAlert(const QString &fingerprint);
    void silence(const QString &matchers, qint64 durationMs, const QString &comment);
    void expireSilence(const QString &id);
    // The capacity plan now (it is also refreshed once a minute).
    void refreshCapacityPlan();
    // Bottleneck findings: apply the remediation of the active finding `signature` of `pool`
    // (empty: a host- or gateway-wide finding) as it says (scale out, retier, restart; provider
    // throttling is held, never scaled), or let Drover apply it on its own from now on.
    void applyRemediation(const QString &signature, const QString &pool);
    void setAutoRemediation(const QString &signature, bool enabled);
    // Work: put a dead letter back in its queue; submit a job to a pool's queue.
    void requeueDeadLetter(const QString &id);
    void submitJob(const QString &pool, const QJsonObject &payload, const QString &priority);
    // Reads the configuration file again and applies what is valid (see config_reload.h);
    // also runs on its own when the file changes.
    void reloadConfig();

signals:
    void snapshotPublished(const drover::Snapshot &snapshot);
    void commandRefused(const QString &message);
    void replicaLog(const QString &pool, int index, const QStringList &lines);

private:
    void tick();
    void refreshCapacity(qint64 nowMs);
    bool remediate(const BottleneckView &finding, const QString &who, QString *refusal);
    void autoRemediate();
    void publish();
    void requestPublish();
    void commandDone(bool ok, const QString &refusal);
    void rememberDesired(const QString &pool);
    void recordSamples(qint64 nowMs, const QVector<PoolStatus> &pools);
    void sampleSeries(qint64 nowMs, const QVector<PoolStatus> &pools);
    void autoscale(qint64 nowMs, const QVector<PoolStatus> &pools);
    void detect(qint64 nowMs, const QVector<PoolStatus> &pools);
    void recordEngineEvent(const SupervisorEvent &event, bool showInEvents);
    void startWebhooks();
    void restoreAlertState();
    void storeSilence(const QString &id);
    void deliverWebhooks();
    void recordMode(const QString &pool, const QString &mode, const QString &reason);
    QString modeOf(const QString &pool) const;
    void startWork();
    void wireWork(qint64 nowMs, const QVector<PoolStatus> &pools);
    void watchConfig();
    void configFileTouched();
    void reloadFrom(const QString &trigger);
    void rebuildScaling();
    void rebuildAlerting();
    void refreshConfigStatus(const QList<ConfigIssue> &reloadIssues);

    ConfigLoadResult m_config; // the running configuration, with the last load's issues
    EngineOptions m_options;
    std::unique_ptr<SystemMetricsReader> m_reader;
    QTimer *m_timer = nullptr;
    QTimer *m_publishTimer = nullptr;
    Supervisor *m_supervisor = nullptr;
    std::unique_ptr<Store> m_store;
    int m_ticks = 0;
    std::optional<CpuCounters> m_lastCpu;
    std::optional<MemoryInfo> m_lastMemory;
    std::unique_ptr<SeriesBook> m_series;
    std::unique_ptr<ScalingLoop> m_scaling;
    std::unique_ptr<Alerting> m_alerting;
    std::unique_ptr<Bottlenecks> m_bottlenecks;
    WebhookSender *m_webhooks = nullptr;  // created in start(), in the engine thread
    quint64 m_webhooksHandedUpTo = 0;     // the last notification id given to m_webhooks
    std::unique_ptr<CapacityFeed> m_capacity;
    QSet<QString> m_autoRemediation; // signatures remediated without asking
    QSet<QString> m_autoRemediated;  // findings (signature|pool|since) already acted on
    std::unique_ptr<WorkWiring> m_work; // the gateway and the dispatcher
    QVector<SupervisorEvent> m_engineEvents; // the engine's own (modes, decisions), newest last
    qint64 m_lastPublishMs = 0;
    Snapshot m_current;
    QFileSystemWatcher *m_configWatcher = nullptr;
    QTimer *m_configDebounce = nullptr;
};

// Owns the engine thread. Construct and destroy it in the thread that owns the application
// (the UI thread); destruction stops the engine and waits for its thread to finish.
class EngineHost : public QObject
{
    Q_OBJECT
public:
    EngineHost(ConfigLoadResult config, EngineOptions options = {}, QObject *parent = nullptr);
    ~EngineHost() override;

    void start();
    void stop();
    bool isRunning() const;

    // Commands: queued to the engine thread; they return at once. Refusals come back as
    // commandRefused(), the outcome shows in the next snapshots.
    void scalePool(const QString &pool, int replicas, const QString &reason);
    void restartPool(const QString &pool, const QString &reason);
    void restartReplica(const QString &pool, int index, const QString &reason);
    void stopReplica(const QString &pool, int index, const QString &reason);
    void setPoolTier(const QString &pool, const QString &tier, const QString &reason);
    void requestReplicaLog(const QString &pool, int index);
    void pauseAutoscaling(const QString &pool, bool paused);
    void resumeAutoscaling(const QString &pool);
    void acknowledgeAlert(const QString &fingerprint);
    void silence(const QString &matchers, qint64 durationMs, const QString &comment = QString());
    void expireSilence(const QString &id);
    void refreshCapacityPlan();
    void applyRemediation(const QString &signature, const QString &pool);
    void setAutoRemediation(const QString &signature, bool enabled);
    void requeueDeadLetter(const QString &id);
    void submitJob(const QString &pool, const QJsonObject &payload, const QString &priority);
    void reloadConfig();

signals:
    // Re-emitted in the host's thread: connect UI slots here, never to the Engine.
    void snapshotPublished(const drover::Snapshot &snapshot);
    void commandRefused(const QString &message);
    void replicaLog(const QString &pool, int index, const QStringList &lines);

private:
    QThread m_thread;
    Engine *m_engine = nullptr; // owned by m_thread's event loop once moved
};

} // namespace drover
