#include "engine.h"

#include "core/config/config_location.h"
#include "core/platform/process_tree.h"
#include "core/store/store.h"
#include "core/supervisor/supervisor.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QStandardPaths>
#include <QTimer>

namespace drover {

namespace {
ConfigStatus configStatusOf(const ConfigLoadResult &r)
{
    ConfigStatus s;
    s.file = r.config.sourceFile;
    s.issues = r.issues;
    s.refusedPools = r.refusedPools;
    s.fatal = r.fatal;
    for (const PoolSpec &p : r.config.pools)
        s.pools << p.name;
    for (const TierSpec &t : r.config.tiers)
        s.tiers << t.name;
    return s;
}

qint64 longestStopTimeout(const Config &config)
{
    qint64 longest = 0;
    for (const PoolSpec &p : config.pools)
        longest = qMax(longest, p.stopTimeoutMs);
    return longest;
}
} // namespace

Engine::Engine(ConfigLoadResult config, EngineOptions options)
    : m_config(std::move(config)), m_options(std::move(options))
{
    qRegisterMetaType<drover::Snapshot>();
    m_current.config = configStatusOf(m_config);
    m_current.tickIntervalMs = m_options.tickIntervalMs;
}

Engine::~Engine() = default;

void Engine::start()
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (m_timer)
        return;
    // Created here, not in the constructor, so the reader, timers, processes and sockets all
    // belong to the engine thread.
    m_reader = m_options.metricsReaderFactory();
    m_timer = new QTimer(this);
    m_timer->setTimerType(Qt::PreciseTimer);
    m_timer->setInterval(int(m_options.tickIntervalMs));
    connect(m_timer, &QTimer::timeout, this, &Engine::tick);
    m_publishTimer = new QTimer(this);
    m_publishTimer->setSingleShot(true);
    connect(m_publishTimer, &QTimer::timeout, this, &Engine::publish);

    QMap<QString, Supervisor::Restored> restored;
    if (m_options.useStore) {
        const QString path = !m_options.storePath.isEmpty() ? m_options.storePath
                             : !m_config.config.storage.path.isEmpty()
                                 ? m_config.config.storage.path + QStringLiteral("/drover.sqlite")
                                 : dataDir() + QStringLiteral("/drover.sqlite");
        m_store = std::make_unique<Store>();
        StoreRetention retention;
        retention.rawMs = m_config.config.storage.rawRetentionMs;
        retention.tenSecondMs = m_config.config.storage.tenSecondRetentionMs;
        retention.minuteMs = m_config.config.storage.minuteRetentionMs;
        m_store->setRetention(retention);
        QString notice;
        m_store->open(path, &notice);
        m_current.storePath = path;
        m_current.storeNotice = notice;
        const QMap<QString, DesiredState> desired = m_store->loadDesiredState();
        for (const DesiredState &d : desired)
            restored.insert(d.pool, {d.replicas, d.tier});
    }
    if (m_options.superviseAgents) {
        SupervisorOptions so;
        so.logDir = m_options.logDir.isEmpty()
                        ? dataDir() + QStringLiteral("/logs")
                        : m_options.logDir;
        so.searchDirs = m_options.agentSearchDirs;
        if (so.searchDirs.isEmpty() && QCoreApplication::instance())
            so.searchDirs << QCoreApplication::applicationDirPath();
        so.secretService = m_options.secretService;
        m_supervisor = new Supervisor(m_config.config, so, this);
        // State changes reach the UI within half a second, not at the next tick.
        connect(m_supervisor, &Supervisor::eventRecorded, this, &Engine::requestPublish);
        connect(m_supervisor, &Supervisor::eventRecorded, this, [this](const SupervisorEvent &e) {
            if (m_store)
                m_store->addEvent(e);
        });
        m_current.cgroupRoot = delegatedCgroupRoot();
        m_supervisor->startAll(restored);
    }
    m_timer->start();
    tick(); // publish at once: the window should not wait a whole tick to show something
}

void Engine::stop()
{
    if (m_timer) {
        m_timer->stop();
        delete m_timer;
        m_timer = nullptr;
    }
    if (m_supervisor) {
        // Agents get their whole stop sequence; a second on top for the kill to land.
        m_supervisor->shutdown(int(longestStopTimeout(m_config.config) + 1000));
        delete m_supervisor;
        m_supervisor = nullptr;
    }
    if (m_store) {
        m_store->flush(); // the stop events too
        m_store.reset();
    }
    delete m_publishTimer;
    m_publishTimer = nullptr;
    m_reader.reset();
}

void Engine::tick()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const std::optional<CpuCounters> cpu = m_reader->readCpu();
    std::optional<double> cpuPercent;
    if (cpu && m_lastCpu)
        cpuPercent = cpuPercentBetween(*m_lastCpu, *cpu);
    if (cpu)
        m_lastCpu = cpu;
    m_current.cpuValid = cpuPercent.has_value();
    m_current.cpuPercent = cpuPercent.value_or(0.0);

    const std::optional<MemoryInfo> memory = m_reader->readMemory();
    if (memory) {
        m_current.memoryTotalBytes = memory->totalBytes;
        m_current.memoryUsedBytes = memory->usedBytes();
    }
    // A point goes into the history only when both values are real; a gap in the chart is
    // honest, a fabricated zero is not.
    if (cpuPercent && memory) {
        m_current.systemHistory.append({now, *cpuPercent, memory->usedPercent(), memory->usedBytes()});
        const int excess = m_current.systemHistory.size() - m_options.historyPoints;
        if (excess > 0)
            m_current.systemHistory.remove(0, excess);
    }
    if (m_supervisor)
        m_supervisor->sample(now);
    recordSamples(now);
    publish();
}

void Engine::recordSamples(qint64 nowMs)
{
    if (!m_store)
        return;
    if (m_current.cpuValid) {
        m_store->addSample(QStringLiteral("system_cpu_percent"), nowMs, m_current.cpuPercent);
        if (m_current.memoryTotalBytes)
            m_store->addSample(QStringLiteral("system_memory_percent"), nowMs,
                               100.0 * double(m_current.memoryUsedBytes) / double(m_current.memoryTotalBytes));
    }
    if (m_supervisor) {
        for (const PoolStatus &p : m_supervisor->status()) {
            double cpu = 0, memory = 0, queue = 0;
            for (const ReplicaStatus &r : p.replicas) {
                cpu += r.cpuValid ? r.cpuPercent : 0;
                memory += double(r.rssBytes);
                queue += r.metricsValid ? r.queueDepth : 0;
            }
            const QString label = QStringLiteral("{pool=\"%1\"}").arg(p.name);
            m_store->addSample(QStringLiteral("pool_cpu_percent") + label, nowMs, cpu);
            m_store->addSample(QStringLiteral("pool_memory_bytes") + label, nowMs, memory);
            m_store->addSample(QStringLiteral("pool_queue_depth") + label, nowMs, queue);
            m_store->addSample(QStringLiteral("pool_ready_replicas") + label, nowMs, p.ready);
            m_store->addSample(QStringLiteral("pool_desired_replicas") + label, nowMs, p.desired);
        }
    }
    m_store->flush();
    if (++m_ticks % 60 == 0)
        m_store->prune(nowMs);
}

void Engine::rememberDesired(const QString &pool)
{
    if (!m_store || !m_supervisor)
        return;
    for (const PoolStatus &p : m_supervisor->status()) {
        if (p.name != pool)
            continue;
        DesiredState d;
        d.pool = p.name;
        d.replicas = p.desired;
        d.tier = p.tier;
        d.manualOverride = true;
        d.updatedMs = QDateTime::currentMSecsSinceEpoch();
        m_store->saveDesiredState(d);
    }
}

void Engine::publish()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (m_publishTimer)
        m_publishTimer->stop();
    m_lastPublishMs = now;
    m_current.sequence += 1;
    m_current.publishedAtMs = now;
    if (m_supervisor) {
        m_current.pools = m_supervisor->status();
        const QVector<SupervisorEvent> events = m_supervisor->recentEvents();
        m_current.recentEvents = events.mid(qMax(0, int(events.size()) - m_options.eventsInSnapshot));
    }
    emit snapshotPublished(m_current);
}

void Engine::requestPublish()
{
    if (!m_publishTimer || m_publishTimer->isActive())
        return;
    const qint64 sinceLast = QDateTime::currentMSecsSinceEpoch() - m_lastPublishMs;
    m_publishTimer->start(int(qMax<qint64>(0, m_options.minPublishGapMs - sinceLast)));
}

void Engine::commandDone(bool ok, const QString &refusal)
{
    if (!ok && !refusal.isEmpty())
        emit commandRefused(refusal);
    requestPublish();
}

void Engine::scalePool(const QString &pool, int replicas, const QString &reason)
{
    QString refusal = QStringLiteral("agent supervision is off");
    const bool ok = m_supervisor && m_supervisor->scale(pool, replicas, reason, &refusal);
    if (ok)
        rememberDesired(pool);
    commandDone(ok, refusal);
}

void Engine::restartPool(const QString &pool, const QString &reason)
{
    QString refusal = QStringLiteral("agent supervision is off");
    commandDone(m_supervisor && m_supervisor->restartPool(pool, reason, &refusal), refusal);
}

void Engine::restartReplica(const QString &pool, int index, const QString &reason)
{
    QString refusal = QStringLiteral("agent supervision is off");
    commandDone(m_supervisor && m_supervisor->restartReplica(pool, index, reason, &refusal), refusal);
}

void Engine::stopReplica(const QString &pool, int index, const QString &reason)
{
    QString refusal = QStringLiteral("agent supervision is off");
    const bool ok = m_supervisor && m_supervisor->stopReplica(pool, index, reason, &refusal);
    if (ok)
        rememberDesired(pool);
    commandDone(ok, refusal);
}

void Engine::setPoolTier(const QString &pool, const QString &tier, const QString &reason)
{
    QString refusal = QStringLiteral("agent supervision is off");
    const bool ok = m_supervisor && m_supervisor->setTier(pool, tier, reason, &refusal);
    if (ok)
        rememberDesired(pool);
    commandDone(ok, refusal);
}

void Engine::requestReplicaLog(const QString &pool, int index)
{
    emit replicaLog(pool, index, m_supervisor ? m_supervisor->replicaLog(pool, index) : QStringList());
}

EngineHost::EngineHost(ConfigLoadResult config, EngineOptions options, QObject *parent)
    : QObject(parent), m_engine(new Engine(std::move(config), std::move(options)))
{
    m_thread.setObjectName(QStringLiteral("drover-engine"));
    connect(&m_thread, &QThread::started, m_engine, &Engine::start);
    // The engine is deleted in its own thread after its event loop ends.
    connect(&m_thread, &QThread::finished, m_engine, &QObject::deleteLater);
    connect(m_engine, &Engine::snapshotPublished, this, &EngineHost::snapshotPublished,
            Qt::QueuedConnection);
    connect(m_engine, &Engine::commandRefused, this, &EngineHost::commandRefused,
            Qt::QueuedConnection);
    connect(m_engine, &Engine::replicaLog, this, &EngineHost::replicaLog, Qt::QueuedConnection);
}

EngineHost::~EngineHost()
{
    stop();
    // Never started: the engine still lives in this thread and nothing else will delete it.
    delete m_engine;
}

void EngineHost::start()
{
    if (m_thread.isRunning() || !m_engine)
        return;
    // Moved only now, so an engine that never starts stays in (and dies with) this thread.
    m_engine->moveToThread(&m_thread);
    m_thread.start();
}

void EngineHost::stop()
{
    if (!m_thread.isRunning())
        return;
    // Queued so stop() runs in the engine thread before the loop quits (timers, processes
    // and sockets must be stopped from the thread that owns them).
    QMetaObject::invokeMethod(m_engine, &Engine::stop, Qt::QueuedConnection);
    m_thread.quit();
    m_thread.wait();
    m_engine = nullptr; // deleted by the finished -> deleteLater connection
}

bool EngineHost::isRunning() const
{
    return m_thread.isRunning();
}

// Commands cross into the engine thread as queued calls carrying values only.
void EngineHost::scalePool(const QString &pool, int replicas, const QString &reason)
{
    if (m_engine)
        QMetaObject::invokeMethod(m_engine, [e = m_engine, pool, replicas, reason] {
            e->scalePool(pool, replicas, reason);
        }, Qt::QueuedConnection);
}

void EngineHost::restartPool(const QString &pool, const QString &reason)
{
    if (m_engine)
        QMetaObject::invokeMethod(m_engine, [e = m_engine, pool, reason] { e->restartPool(pool, reason); },
                                  Qt::QueuedConnection);
}

void EngineHost::restartReplica(const QString &pool, int index, const QString &reason)
{
    if (m_engine)
        QMetaObject::invokeMethod(m_engine, [e = m_engine, pool, index, reason] {
            e->restartReplica(pool, index, reason);
        }, Qt::QueuedConnection);
}

void EngineHost::stopReplica(const QString &pool, int index, const QString &reason)
{
    if (m_engine)
        QMetaObject::invokeMethod(m_engine, [e = m_engine, pool, index, reason] {
            e->stopReplica(pool, index, reason);
        }, Qt::QueuedConnection);
}

void EngineHost::setPoolTier(const QString &pool, const QString &tier, const QString &reason)
{
    if (m_engine)
        QMetaObject::invokeMethod(m_engine, [e = m_engine, pool, tier, reason] {
            e->setPoolTier(pool, tier, reason);
        }, Qt::QueuedConnection);
}

void EngineHost::requestReplicaLog(const QString &pool, int index)
{
    if (m_engine)
        QMetaObject::invokeMethod(m_engine, [e = m_engine, pool, index] { e->requestReplicaLog(pool, index); },
                                  Qt::QueuedConnection);
}

} // namespace drover
