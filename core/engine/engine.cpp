#include "engine.h"
#include "work_wiring.h"

#include "core/config/config_location.h"
#include "core/config/config_reload.h"
#include "core/observe/json_log.h"
#include "core/sync/thread_handoff.h"
#include "core/platform/process_tree.h"
#include "core/store/store.h"
#include "core/supervisor/supervisor.h"
#include "alerting.h"
#include "bottlenecks.h"
#include "pool_series.h"
#include "scaling_loop.h"
#include "webhook_sender.h"
#include "capacity_feed.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QStandardPaths>
#include <QStorageInfo>
#include <QTimer>

#include <cmath>

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
    m_series = std::make_unique<SeriesBook>();
    m_scaling = std::make_unique<ScalingLoop>(m_config.config);
    m_alerting = std::make_unique<Alerting>(m_config.config);
    m_bottlenecks = std::make_unique<Bottlenecks>(m_options.bottleneckTuning);
    m_capacity = std::make_unique<CapacityFeed>();
    refreshConfigStatus({});
}

void Engine::refreshConfigStatus(const QList<ConfigIssue> &reloadIssues)
{
    ConfigStatus s = configStatusOf(m_config);
    s.issues += m_alerting->problems();
    // Spec problems the loader cannot see (a policy on a metric the autoscaler cannot measure)
    // show with the configuration's issues.
    for (const QString &problem : m_scaling->problems())
        s.issues.append({m_config.config.sourceFile, 0, 0, ConfigIssue::Severity::Warning, problem});
    s.issues += reloadIssues;
    const ConfigStatus &was = m_current.config;
    s.lastReloadAtMs = was.lastReloadAtMs;
    s.lastReloadTrigger = was.lastReloadTrigger;
    s.lastReloadApplied = was.lastReloadApplied;
    s.lastReloadResult = was.lastReloadResult;
    s.reloads = was.reloads;
    m_current.config = s;
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
    startWebhooks();
    watchConfig();

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
        for (const DesiredState &d : desired) {
            restored.insert(d.pool, {d.replicas, d.tier});
            m_scaling->restore(d.pool, d.autoscalingPaused,
                               d.manualOverride ? std::optional<int>(d.replicas) : std::nullopt);
        }
        restoreAlertState();
    }
    if (m_options.superviseAgents)
        startWork();
    if (m_options.superviseAgents) {
        SupervisorOptions so;
        so.logDir = m_options.logDir.isEmpty()
                        ? dataDir() + QStringLiteral("/logs")
                        : m_options.logDir;
        so.searchDirs = m_options.agentSearchDirs;
        if (so.searchDirs.isEmpty() && QCoreApplication::instance())
            so.searchDirs << QCoreApplication::applicationDirPath();
        so.secretService = m_options.secretService;
        if (m_work) {
            so.replicaEnvironment = [this](const QString &pool, int index, const QString &tier,
                                           QProcessEnvironment &env) {
                m_work->replicaEnvironment(pool, index, tier, env);
            };
        }
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
    // No reload while (or after) the fleet stops.
    delete m_configWatcher;
    m_configWatcher = nullptr;
    delete m_configDebounce;
    m_configDebounce = nullptr;
    if (m_timer) {
        m_timer->stop();
        delete m_timer;
        m_timer = nullptr;
    }
    // No new work goes out while the agents stop; their jobs stay queued for the next start.
    if (m_work)
        m_work->stopDispatch();
    if (m_supervisor) {
        // Agents get their whole stop sequence; a second on top for the kill to land.
        m_supervisor->shutdown(int(longestStopTimeout(m_config.config) + 1000));
        delete m_supervisor;
        m_supervisor = nullptr;
    }
    // The gateway last: stopping agents may still finish a GPT call.
    m_work.reset();
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
    QElapsedTimer took;
    took.start();
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
    m_lastMemory = memory;
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
    m_series->recordSystem(SystemMetric::CpuPercent, now, cpuPercent.value_or(missingValue()));
    m_series->recordSystem(SystemMetric::MemoryPercent, now,
                           memory && memory->totalBytes ? memory->usedPercent() : missingValue());
    // sample -> scrape (the supervisor scrapes /metrics on its own timers) -> store -> decide
    // -> act -> publish
    QVector<PoolStatus> pools;
    if (m_supervisor) {
        m_supervisor->sample(now);
        pools = m_supervisor->status();
    }
    wireWork(now, pools);
    sampleSeries(now, pools);
    recordSamples(now, pools);
    if (m_supervisor)
        autoscale(now, pools);
    detect(now, pools);
    if (m_store)
        m_store->flush();
    m_current.ticks += 1;
    m_current.lastTickSeconds = double(took.nsecsElapsed()) / 1e9;
    publish();
}

void Engine::sampleSeries(qint64 nowMs, const QVector<PoolStatus> &pools)
{
    const QString volume = m_current.storePath.isEmpty() ? dataDir()
                                                          : QFileInfo(m_current.storePath).absolutePath();
    const QStorageInfo disk(volume);
    m_series->recordSystem(SystemMetric::DiskFreeBytes, nowMs,
                           disk.isValid() && disk.isReady() ? double(disk.bytesAvailable())
                                                            : missingValue());
    QStringList names;
    for (const PoolStatus &p : pools) {
        names << p.name;
        const PoolSpec *spec = m_config.config.pool(p.name);
        // The rate window spans at least two scrapes, so a scrape interval longer than the tick
        // does not read as alternating idle and double-speed seconds.
        const qint64 window = qMax<qint64>(5000, 2 * (spec ? spec->scrapeIntervalMs : 2000) + 1000);
        m_series->recordPool(p, m_config.config.tier(p.tier), nowMs, window,
                             m_work ? m_work->workOf(p.name) : nullptr);
    }
    m_series->retainPools(names);
}

void Engine::autoscale(qint64 nowMs, const QVector<PoolStatus> &pools)
{
    const double freeMb = m_lastMemory ? double(m_lastMemory->availableBytes) / (1024.0 * 1024.0)
                                       : missingValue();
    const HostState host = hostStateFor(pools, m_config.config, freeMb, QThread::idealThreadCount());
    QVector<ScalingRecord> decisions = m_scaling->decide(pools, *m_series, host, nowMs);
    int ordinal = 0;
    for (ScalingRecord &r : decisions) {
        const ScalingDecision &d = r.decision;
        // The decision's correlation id: in its record, its event and its log line.
        r.decisionId = QStringLiteral("dec-%1-%2").arg(nowMs).arg(ordinal++);
        const ScopedLogContext logContext({r.decisionId, r.pool, -1});
        if (d.changed() && d.limit != LimitReason::ManualOverride) {
            PoolState state = PoolState::Running;
            for (const PoolStatus &p : pools)
                if (p.name == r.pool)
                    state = p.state;
            if (state == PoolState::CrashLoop || state == PoolState::Error) {
                // More replicas of a command that cannot start help nobody; the operator acts.
                r.refusal = QStringLiteral("pool is %1").arg(poolStateName(state));
            } else {
                const QString reason = QStringLiteral("autoscaler %1 (%2): %3")
                                           .arg(d.driver, limitReasonName(d.limit), d.explanation);
                r.applied = m_supervisor->scale(r.pool, d.finalReplicas, reason, &r.refusal);
                if (r.applied)
                    rememberDesired(r.pool);
            }
        }
        if (!m_scaling->shouldRecord(r, nowMs, m_options.scalingHeartbeatMs) && !r.refusal.size())
            continue;
        SupervisorEvent e;
        e.timeMs = nowMs;
        e.pool = r.pool;
        e.kind = QStringLiteral("scaling");
        e.from = QString::number(d.currentReplicas);
        e.to = QString::number(d.finalReplicas);
        e.reason = QStringLiteral("%1 (%2): %3; inputs: %4%5; decision %6")
                       .arg(d.driver, limitReasonName(d.limit), d.explanation,
                            describeInputs(d.input),
                            r.refusal.isEmpty() ? QString()
                                                : QStringLiteral("; not applied: ") + r.refusal,
                            r.decisionId);
        // Only what changed (or failed to) reaches the events view; the heartbeat of "no
        // change" goes to the store and the decision history.
        recordEngineEvent(e, d.changed() && d.limit != LimitReason::ManualOverride);
        if (d.changed() || !r.refusal.isEmpty())
            qCInfo(lcScaling).noquote() << d.summary()
                                        << (r.refusal.isEmpty() ? QStringLiteral("(applied)")
                                                                : QStringLiteral("(not applied: %1)").arg(r.refusal));
        else
            qCDebug(lcScaling).noquote() << d.summary();
        m_current.scalingDecisions.append(r);
    }
    const int excess = m_current.scalingDecisions.size() - m_options.decisionsInSnapshot;
    if (excess > 0)
        m_current.scalingDecisions.remove(0, excess);
    m_current.latestDecisions = decisions;
}

void Engine::detect(qint64 nowMs, const QVector<PoolStatus> &pools)
{
    QStringList names;
    for (const PoolStatus &p : pools)
        names << p.name;
    for (const SupervisorEvent &e : m_alerting->evaluate(*m_series, names, nowMs, &m_current)) {
        // Pending and its quiet end are noise in the events view; the store keeps every step.
        recordEngineEvent(e, e.to == QLatin1String("firing") || e.to == QLatin1String("resolved"));
    }
    deliverWebhooks();
    if (m_store) {
        for (const QString &fingerprint : m_alerting->takeEndedAcknowledgements())
            m_store->removeAcknowledgement(fingerprint);
    }
    const QVector<SupervisorEvent> findings =
        m_bottlenecks->evaluate(*m_series, pools, m_config.config, QThread::idealThreadCount(),
                                m_lastMemory ? m_lastMemory->totalBytes : 0, nowMs, &m_current);
    for (const SupervisorEvent &e : findings)
        recordEngineEvent(e, true);
    autoRemediate();
    // The capacity plan once a minute (completed days are cached, so this reads little).
    if (m_store && nowMs - m_current.capacityAtMs >= 60000)
        refreshCapacity(nowMs);
}

void Engine::recordEngineEvent(const SupervisorEvent &event, bool showInEvents)
{
    if (m_store)
        m_store->addEvent(event);
    if (!showInEvents)
        return;
    m_engineEvents.append(event);
    const int excess = m_engineEvents.size() - m_options.eventsInSnapshot;
    if (excess > 0)
        m_engineEvents.remove(0, excess);
}

void Engine::restoreAlertState()
{
    // The operator's silences and acknowledgements survive a restart, like the desired state.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QVector<SilenceView> silences;
    for (const StoredSilence &s : m_store->loadSilences(now))
        silences.append({s.id, s.matchers, s.startsAtMs, s.endsAtMs, s.createdBy, s.comment});
    m_alerting->restoreSilences(silences);
    QStringList acks;
    for (const StoredAcknowledgement &a : m_store->loadAcknowledgements())
        acks << a.fingerprint;
    m_alerting->restoreAcknowledgements(acks, now);
}

void Engine::storeSilence(const QString &id)
{
    if (!m_store)
        return;
    if (const std::optional<SilenceView> v = m_alerting->silenceById(id))
        m_store->saveSilence({v->id, v->matchers, v->startsAtMs, v->endsAtMs, v->createdBy, v->comment});
}

void Engine::startWebhooks()
{
    WebhookOptions options;
    options.secretService = m_options.secretService;
    m_webhooks = new WebhookSender(options, this);
    const auto record = [this](const QString &to, const QString &reason, bool show) {
        SupervisorEvent e;
        e.timeMs = QDateTime::currentMSecsSinceEpoch();
        e.kind = QStringLiteral("notification");
        e.to = to;
        e.reason = reason;
        recordEngineEvent(e, show);
        requestPublish();
    };
    // Each failed attempt goes to the store; the events view hears of a notification that is
    // lost (given up or dropped), not of every retry.
    connect(m_webhooks, &WebhookSender::attemptFailed, this,
            [record](const QString &entry, const QString &what, int attempt, const QString &error,
                     qint64 retryInMs) {
                record(QStringLiteral("retrying"),
                       QStringLiteral("webhook '%1' attempt %2 for %3 failed: %4%5")
                           .arg(entry)
                           .arg(attempt)
                           .arg(what, error,
                                retryInMs < 0 ? QString()
                                              : QStringLiteral("; retry in %1 s").arg(
                                                    double(retryInMs) / 1000.0)),
                       false);
            });
    connect(m_webhooks, &WebhookSender::givenUp, this,
            [record](const QString &entry, const QString &what, const QString &error) {
                record(QStringLiteral("failed"),
                       QStringLiteral("webhook '%1' gave up on %2: %3").arg(entry, what, error), true);
            });
    connect(m_webhooks, &WebhookSender::dropped, this,
            [record](const QString &entry, const QString &what) {
                record(QStringLiteral("dropped"),
                       QStringLiteral("webhook '%1' queue full: dropped %2").arg(entry, what), true);
            });
    connect(m_webhooks, &WebhookSender::delivered, this,
            [record](const QString &entry, const QString &what, int attempts) {
                record(QStringLiteral("delivered"),
                       QStringLiteral("webhook '%1' delivered %2 (attempt %3)").arg(entry, what).arg(attempts),
                       false);
            });
}

void Engine::deliverWebhooks()
{
    // The policy decided; the sender delivers in the background (keychain and HTTP are both
    // asynchronous, so the tick never waits on a receiver).
    for (const NotificationView &n : std::as_const(m_current.notifications)) {
        if (n.id <= m_webhooksHandedUpTo)
            continue;
        m_webhooksHandedUpTo = n.id;
        if (n.channel == QLatin1String("webhook") && m_webhooks)
            m_webhooks->send(n.secretName, slackWebhookPayload(n), n.title);
    }
}

void Engine::refreshCapacity(qint64 nowMs)
{
    if (!m_store || !m_store->isOpen())
        return;
    const PlanningSpec &spec = m_config.config.planning;
    PlannerPrices prices;
    prices.currency = spec.currency;
    prices.promptPer1k = spec.promptPer1k;
    prices.completionPer1k = spec.completionPer1k;
    prices.machine = {spec.machineName, spec.machineCores, spec.machineMemoryMb, spec.machineMonthlyPrice};
    m_current.capacity = m_capacity->plan(*m_store, m_config.config, prices, nowMs);
    m_current.capacityAtMs = nowMs;
}

void Engine::refreshCapacityPlan()
{
    if (!m_store || !m_store->isOpen()) {
        commandDone(false, QStringLiteral("capacity plan: no store, so no history to plan from"));
        return;
    }
    refreshCapacity(QDateTime::currentMSecsSinceEpoch());
    commandDone(true, {});
}

// Acts on a bottleneck finding as its remediation says. Provider throttling is held, never
// scaled: more replicas only send more calls into the 429s.
bool Engine::remediate(const BottleneckView &finding, const QString &who, QString *refusal)
{
    const QString reason = QStringLiteral("%1 remediation of %2: %3").arg(who, finding.signature, finding.remediation);
    bool ok = false;
    if (finding.remediationKind == QLatin1String("scale_out")) {
        if (!m_supervisor) {
            *refusal = QStringLiteral("agent supervision is off");
            return false;
        }
        ok = m_supervisor->scale(finding.pool, finding.targetReplicas, reason, refusal);
        if (ok) {
            // Like an operator's scale: the autoscaler must not undo it at once.
            m_scaling->setManual(finding.pool, finding.targetReplicas);
            rememberDesired(finding.pool);
        }
    } else if (finding.remediationKind == QLatin1String("retier")) {
        ok = m_supervisor && m_supervisor->setTier(finding.pool, finding.targetTier, reason, refusal);
        if (ok)
            rememberDesired(finding.pool);
    } else if (finding.remediationKind == QLatin1String("restart_replicas")) {
        if (!m_supervisor) {
            *refusal = QStringLiteral("agent supervision is off");
            return false;
        }
        if (finding.restartReplicas.isEmpty()) {
            ok = m_supervisor->restartPool(finding.pool, reason, refusal);
        } else {
            ok = true;
            for (int index : finding.restartReplicas)
                ok = m_supervisor->restartReplica(finding.pool, index, reason, refusal) && ok;
        }
    } else if (finding.remediationKind == QLatin1String("hold_scale_out")) {
        // Nothing to start or stop: the finding already holds the pool's scale-out.
        ok = true;
    } else {
        *refusal = QStringLiteral("%1 has nothing to apply: %2").arg(finding.signature, finding.remediation);
        return false;
    }
    SupervisorEvent e;
    e.timeMs = QDateTime::currentMSecsSinceEpoch();
    e.pool = finding.pool;
    e.kind = QStringLiteral("remediation");
    e.from = finding.signature;
    e.to = ok ? finding.remediationKind : QStringLiteral("refused");
    e.reason = ok ? reason : reason + QStringLiteral("; not applied: ") + *refusal;
    recordEngineEvent(e, true);
    return ok;
}

void Engine::applyRemediation(const QString &signature, const QString &pool)
{
    for (const BottleneckView &b : std::as_const(m_current.bottlenecks)) {
        if (b.signature == signature && b.pool == pool) {
            QString refusal;
            const bool ok = remediate(b, QStringLiteral("operator"), &refusal);
            commandDone(ok, refusal);
            return;
        }
    }
    commandDone(false, QStringLiteral("no active %1 finding%2").arg(signature,
                           pool.isEmpty() ? QString() : QStringLiteral(" for pool '%1'").arg(pool)));
}

void Engine::setAutoRemediation(const QString &signature, bool enabled)
{
    if (enabled)
        m_autoRemediation.insert(signature);
    else
        m_autoRemediation.remove(signature);
    m_current.autoRemediation = QStringList(m_autoRemediation.cbegin(), m_autoRemediation.cend());
    m_current.autoRemediation.sort();
    SupervisorEvent e;
    e.timeMs = QDateTime::currentMSecsSinceEpoch();
    e.kind = QStringLiteral("remediation");
    e.from = signature;
    e.to = enabled ? QStringLiteral("automatic") : QStringLiteral("manual");
    e.reason = QStringLiteral("operator %1 automatic remediation of %2")
                   .arg(enabled ? QStringLiteral("enabled") : QStringLiteral("disabled"), signature);
    recordEngineEvent(e, true);
    commandDone(true, {});
    if (enabled)
        autoRemediate();
}

// Each active finding of an enabled signature is remediated once (per time it became active).
void Engine::autoRemediate()
{
    for (const BottleneckView &b : std::as_const(m_current.bottlenecks)) {
        if (!m_autoRemediation.contains(b.signature))
            continue;
        const QString key = QStringLiteral("%1|%2|%3").arg(b.signature, b.pool).arg(b.sinceMs);
        if (m_autoRemediated.contains(key))
            continue;
        m_autoRemediated.insert(key);
        QString refusal;
        remediate(b, QStringLiteral("automatic"), &refusal);
    }
}

void Engine::recordSamples(qint64 nowMs, const QVector<PoolStatus> &pools)
{
    if (!m_store)
        return;
    for (int m = 0; m < kSystemMetricCount; ++m) {
        const double v = m_series->currentSystem(SystemMetric(m), nowMs);
        if (std::isfinite(v))
            m_store->addSample(systemMetricName(SystemMetric(m)), nowMs, v);
    }
    for (const PoolStatus &p : pools) {
        const QString label = QStringLiteral("{pool=\"%1\"}").arg(p.name);
        const PoolAggregate a = m_series->latest(p.name);
        if (a.timeMs != nowMs)
            continue;
        // Missing values are not written: the store keeps gaps too.
        for (int m = 0; m < kPoolMetricCount; ++m) {
            if (std::isfinite(a.values[size_t(m)]))
                m_store->addSample(poolMetricName(PoolMetric(m)) + label, nowMs, a.values[size_t(m)]);
        }
        if (std::isfinite(a.memoryBytes))
            m_store->addSample(QStringLiteral("pool_memory_bytes") + label, nowMs, a.memoryBytes);
        m_store->addSample(QStringLiteral("pool_desired_replicas") + label, nowMs, p.desired);
    }
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
        d.manualOverride = m_scaling->manualReplicas(pool).has_value();
        d.autoscalingPaused = m_scaling->isPaused(pool);
        d.updatedMs = QDateTime::currentMSecsSinceEpoch();
        m_store->saveDesiredState(d);
    }
}

namespace {
// The tail of the pool's rings for the dashboard (see PoolSeriesTail).
PoolSeriesTail poolSeriesTail(const SeriesBook &series, const PoolStatus &pool, const TierSpec *tier,
                              qint64 sinceMs)
{
    const auto tail = [&](PoolMetric metric) {
        const QVector<TimedValue> window = series.window(pool.name, metric, sinceMs);
        QVector<SeriesPoint> out;
        out.reserve(window.size());
        for (const TimedValue &v : window)
            out.append({v.timeMs, v.value});
        return out;
    };
    PoolSeriesTail t;
    t.pool = pool.name;
    t.cpuPercent = tail(PoolMetric::CpuPercent);
    t.memoryPercent = tail(PoolMetric::MemoryPercent);
    t.queueDepth = tail(PoolMetric::QueueDepth);
    t.promptTokensPerSecond = tail(PoolMetric::PromptTokensPerSecond);
    t.completionTokensPerSecond = tail(PoolMetric::CompletionTokensPerSecond);
    if (tier) // the same budget the bottleneck detector measures against
        t.tokenBudgetPerSecond = tier->gptTokensPerMinute * std::max(1, pool.desired) / 60.0;
    return t;
}
} // namespace

void Engine::publish()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (m_publishTimer)
        m_publishTimer->stop();
    m_lastPublishMs = now;
    m_current.sequence += 1;
    m_current.publishedAtMs = now;
    QVector<SupervisorEvent> events;
    if (m_supervisor) {
        m_current.pools = m_supervisor->status();
        m_current.autoscaling = m_scaling->status(m_current.pools);
        events = m_supervisor->recentEvents();
    }
    m_current.poolSeries.clear();
    for (const PoolStatus &p : m_current.pools)
        m_current.poolSeries.append(poolSeriesTail(*m_series, p, m_config.config.tier(p.tier),
                                                   now - m_options.historyPoints * m_options.tickIntervalMs));
    // The engine's own events (modes, decisions, alerts, bottlenecks) in time order with the
    // supervisor's.
    if (!m_engineEvents.isEmpty()) {
        events += m_engineEvents;
        std::stable_sort(events.begin(), events.end(),
                         [](const SupervisorEvent &a, const SupervisorEvent &b) {
                             return a.timeMs < b.timeMs;
                         });
    }
    if (m_webhooks)
        m_current.webhook = m_webhooks->status();
    m_current.recentEvents = events.mid(qMax(0, int(events.size()) - m_options.eventsInSnapshot));
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
    if (ok) {
        // The operator's count holds until handed back: the autoscaler must not fight it.
        m_scaling->setManual(pool, replicas);
        rememberDesired(pool);
        recordMode(pool, QStringLiteral("manual"),
                   QStringLiteral("operator set %1 replicas: %2").arg(replicas).arg(reason));
    }
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
    if (ok) {
        // Stopping a replica is an operator's scale-in: keep the smaller count.
        for (const PoolStatus &p : m_supervisor->status())
            if (p.name == pool)
                m_scaling->setManual(pool, p.desired);
        rememberDesired(pool);
        recordMode(pool, QStringLiteral("manual"),
                   QStringLiteral("operator stopped replica %1: %2").arg(index).arg(reason));
    }
    commandDone(ok, refusal);
}

void Engine::pauseAutoscaling(const QString &pool, bool paused)
{
    if (!m_supervisor || !m_scaling->setPaused(pool, paused)) {
        commandDone(false, QStringLiteral("no pool named '%1'").arg(pool));
        return;
    }
    rememberDesired(pool);
    recordMode(pool, paused ? QStringLiteral("paused") : modeOf(pool),
               paused ? QStringLiteral("operator paused autoscaling")
                      : QStringLiteral("operator unpaused autoscaling"));
    commandDone(true, {});
}

void Engine::resumeAutoscaling(const QString &pool)
{
    if (!m_supervisor || !m_scaling->handBack(pool, QDateTime::currentMSecsSinceEpoch())) {
        commandDone(false, QStringLiteral("no pool named '%1'").arg(pool));
        return;
    }
    rememberDesired(pool);
    recordMode(pool, QStringLiteral("auto"), QStringLiteral("operator handed the pool back to the autoscaler"));
    commandDone(true, {});
}

void Engine::acknowledgeAlert(const QString &fingerprint)
{
    QString refusal;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const bool ok = m_alerting->acknowledge(fingerprint, now, &refusal);
    if (ok) {
        SupervisorEvent e;
        e.timeMs = now;
        e.kind = QStringLiteral("alert");
        e.to = QStringLiteral("acknowledged");
        e.reason = QStringLiteral("operator acknowledged alert %1").arg(fingerprint);
        recordEngineEvent(e, true);
        if (m_store)
            m_store->saveAcknowledgement({fingerprint, now, QStringLiteral("operator")});
    }
    commandDone(ok, refusal);
}

void Engine::silence(const QString &matchers, qint64 durationMs, const QString &comment)
{
    QString refusal;
    QString id;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const bool ok = m_alerting->silence(matchers, durationMs, now, comment, &id, &refusal);
    if (ok) {
        SupervisorEvent e;
        e.timeMs = now;
        e.kind = QStringLiteral("alert");
        e.to = QStringLiteral("silenced");
        e.reason = QStringLiteral("operator silenced {%1} for %2 s as %3%4")
                       .arg(matchers)
                       .arg(durationMs / 1000)
                       .arg(id, comment.isEmpty() ? QString() : QStringLiteral(": ") + comment);
        recordEngineEvent(e, true);
        storeSilence(id);
    }
    commandDone(ok, refusal);
}

void Engine::expireSilence(const QString &id)
{
    const bool ok = m_alerting->expireSilence(id, QDateTime::currentMSecsSinceEpoch());
    if (ok)
        storeSilence(id);
    commandDone(ok, ok ? QString() : QStringLiteral("no silence %1").arg(id));
}

// ---- Work distribution and the gateway -------------------------------------------------------

void Engine::startWork()
{
    WorkWiringOptions o;
    o.secretService = m_options.secretService;
    // The job queue persists next to the store; without a store there is nowhere to keep it.
    if (!m_current.storePath.isEmpty())
        o.queuePath = QFileInfo(m_current.storePath).absolutePath() + QStringLiteral("/dispatch.sqlite");
    else
        o.queueProblem = QStringLiteral("no store: the job queue has nowhere to persist");
    m_work = std::make_unique<WorkWiring>(m_config.config, o);
    m_work->start();
}

void Engine::wireWork(qint64 nowMs, const QVector<PoolStatus> &pools)
{
    if (!m_work)
        return;
    m_work->tick(nowMs, pools);
    m_series->recordSystem(SystemMetric::GatewayProviderThrottled, nowMs, m_work->providerThrottled());
    m_series->recordSystem(SystemMetric::GatewayInsufficientQuota, nowMs, m_work->insufficientQuota());
    const QVector<SupervisorEvent> events = m_work->takeEvents();
    for (const SupervisorEvent &e : events)
        recordEngineEvent(e, true);
    m_work->fillSnapshot(&m_current);
}

void Engine::requeueDeadLetter(const QString &id)
{
    QString refusal = QStringLiteral("the dispatcher is not running");
    const bool ok = m_work && m_work->requeueDeadLetter(id, &refusal);
    if (ok) {
        for (const SupervisorEvent &e : m_work->takeEvents())
            recordEngineEvent(e, true);
        m_work->fillSnapshot(&m_current);
    }
    commandDone(ok, refusal);
}

void Engine::submitJob(const QString &pool, const QJsonObject &payload, const QString &priority)
{
    QString refusal = QStringLiteral("the dispatcher is not running");
    const bool ok = m_work && m_work->submitJob(pool, payload, priority, &refusal);
    if (ok)
        m_work->fillSnapshot(&m_current);
    commandDone(ok, refusal);
}

QString Engine::modeOf(const QString &pool) const
{
    return m_scaling->manualReplicas(pool) ? QStringLiteral("manual") : QStringLiteral("auto");
}

void Engine::recordMode(const QString &pool, const QString &mode, const QString &reason)
{
    SupervisorEvent e;
    e.timeMs = QDateTime::currentMSecsSinceEpoch();
    e.pool = pool;
    e.kind = QStringLiteral("autoscaling");
    e.to = mode;
    e.reason = reason;
    recordEngineEvent(e, true);
    if (m_store)
        m_store->flush();
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

// ---- Configuration reload ---------------------------------------------------------------------

void Engine::watchConfig()
{
    const QString path = m_config.config.sourceFile;
    if (!m_options.watchConfigFile || path.isEmpty())
        return;
    m_configDebounce = new QTimer(this);
    m_configDebounce->setSingleShot(true);
    m_configDebounce->setInterval(m_options.configReloadDebounceMs);
    connect(m_configDebounce, &QTimer::timeout, this, [this] { reloadFrom(QStringLiteral("file changed")); });
    m_configWatcher = new QFileSystemWatcher(this);
    // The folder too: an editor that saves by writing a new file and renaming it over the old
    // one replaces the watched file, and the watch on the file ends with it.
    const QString dir = QFileInfo(path).absolutePath();
    if (QFileInfo::exists(dir))
        m_configWatcher->addPath(dir);
    if (QFileInfo::exists(path))
        m_configWatcher->addPath(path);
    connect(m_configWatcher, &QFileSystemWatcher::fileChanged, this, &Engine::configFileTouched);
    connect(m_configWatcher, &QFileSystemWatcher::directoryChanged, this, [this] {
        // Something in the folder changed: only the configuration file matters, and only when
        // it is (again) there or was being watched.
        const QString file = m_config.config.sourceFile;
        if (QFileInfo::exists(file) && !m_configWatcher->files().contains(file))
            configFileTouched();
    });
}

void Engine::configFileTouched()
{
    const QString path = m_config.config.sourceFile;
    // Re-add: after a rename/replace the watcher has dropped the path.
    if (QFileInfo::exists(path) && !m_configWatcher->files().contains(path))
        m_configWatcher->addPath(path);
    if (m_configDebounce)
        m_configDebounce->start();
}

void Engine::reloadConfig()
{
    reloadFrom(QStringLiteral("operator"));
}

void Engine::rebuildScaling()
{
    // The operator's modes (manual count, pause) carry over for the pools that remain; the
    // autoscaler's windows start afresh with the new specs.
    auto next = std::make_unique<ScalingLoop>(m_config.config);
    for (const PoolSpec &p : m_config.config.pools) {
        const bool paused = m_scaling->isPaused(p.name);
        std::optional<int> manual = m_scaling->manualReplicas(p.name);
        if (manual)
            manual = std::clamp(*manual, 0, p.maxReplicas);
        if (paused || manual)
            next->restore(p.name, paused, manual);
    }
    m_scaling = std::move(next);
}

void Engine::rebuildAlerting()
{
    // Silences and acknowledgements carry over; the rules' pending/firing state starts afresh.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto next = std::make_unique<Alerting>(m_config.config);
    // The file's own silences come from the new file; the operator's are carried over.
    QVector<SilenceView> operatorSilences;
    for (const SilenceView &v : std::as_const(m_current.silences))
        if (v.createdBy != QLatin1String("drover.yaml"))
            operatorSilences.append(v);
    next->restoreSilences(operatorSilences);
    QStringList acks;
    for (const AlertView &a : std::as_const(m_current.activeAlerts))
        if (a.acknowledged)
            acks << a.fingerprint;
    next->restoreAcknowledgements(acks, now);
    quint64 lastId = 0;
    for (const NotificationView &n : std::as_const(m_current.notifications))
        lastId = qMax(lastId, n.id);
    next->continueNotificationIdsAfter(qMax(lastId, m_webhooksHandedUpTo));
    m_alerting = std::move(next);
}

void Engine::reloadFrom(const QString &trigger)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const ConfigLoadResult fresh = loadConfigFile(m_config.config.sourceFile);
    const ConfigReloadPlan plan = planConfigReload(m_config.config, fresh);
    QStringList notes;
    if (!plan.refused) {
        const QString reason = QStringLiteral("configuration reload (%1)").arg(trigger);
        m_config.config = plan.effective;
        m_config.refusedPools = fresh.refusedPools;
        m_config.sectionsWithErrors = fresh.sectionsWithErrors;
        m_config.fatal = false;
        if (m_supervisor) {
            m_supervisor->setConfig(m_config.config);
            for (const QString &pool : plan.removedPools)
                m_supervisor->removePool(pool, reason + QStringLiteral(": removed from the file"));
            for (const PoolChange &c : plan.changedPools) {
                QString note;
                m_supervisor->updatePool(*m_config.config.pool(c.pool), c.tierChanged, c.rollingRestart,
                                         reason, &note);
                if (!note.isEmpty())
                    notes << QStringLiteral("%1: %2").arg(c.pool, note);
            }
            for (const QString &pool : plan.addedPools)
                m_supervisor->addPool(*m_config.config.pool(pool), reason + QStringLiteral(": new in the file"));
            if (m_work && !plan.addedPools.isEmpty())
                notes << QStringLiteral("jobs for %1 are dispatched after the next start")
                             .arg(plan.addedPools.join(QStringLiteral(", ")));
        }
        bool scalingChanged = !plan.addedPools.isEmpty() || !plan.removedPools.isEmpty()
                              || plan.changedSections.contains(QStringLiteral("policies"));
        for (const PoolChange &c : plan.changedPools)
            scalingChanged = scalingChanged || c.fields.contains(QStringLiteral("autoscale"))
                             || c.fields.contains(QStringLiteral("replicas.min"))
                             || c.fields.contains(QStringLiteral("replicas.max"));
        if (scalingChanged)
            rebuildScaling();
        if (plan.changedSections.contains(QStringLiteral("alerts"))
            || plan.changedSections.contains(QStringLiteral("notifications")))
            rebuildAlerting();
        if (m_store && plan.changedSections.contains(QStringLiteral("storage retention"))) {
            StoreRetention retention;
            retention.rawMs = m_config.config.storage.rawRetentionMs;
            retention.tenSecondMs = m_config.config.storage.tenSecondRetentionMs;
            retention.minuteMs = m_config.config.storage.minuteRetentionMs;
            m_store->setRetention(retention);
        }
        // The operator's desired state (counts clamped to a new max, tiers) stays in the store.
        for (const PoolChange &c : plan.changedPools)
            rememberDesired(c.pool);
        if (m_supervisor)
            m_current.pools = m_supervisor->status();
    }
    // The issues shown are the new file's (its errors point at the new lines) whether or not
    // anything applied.
    m_config.issues = fresh.issues;
    QString result = plan.summary();
    if (!notes.isEmpty())
        result += QStringLiteral("; ") + notes.join(QStringLiteral("; "));
    ConfigStatus &status = m_current.config;
    status.lastReloadAtMs = now;
    status.lastReloadTrigger = trigger;
    status.lastReloadApplied = !plan.refused;
    status.lastReloadResult = result;
    status.reloads += 1;
    refreshConfigStatus(plan.issues);

    SupervisorEvent e;
    e.timeMs = now;
    e.kind = QStringLiteral("config");
    e.from = trigger;
    e.to = plan.refused ? QStringLiteral("refused")
                        : plan.changesAnything() ? QStringLiteral("applied") : QStringLiteral("unchanged");
    e.reason = QStringLiteral("configuration reload: %1").arg(result);
    recordEngineEvent(e, true);
    if (m_store)
        m_store->flush();
    qInfo().noquote() << e.reason;
    requestPublish();
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
    QMetaObject::invokeMethod(m_engine, [e = m_engine, thread = &m_thread] {
        e->stop();
        handOffRelease(thread); // what it queued to us before it stopped
    }, Qt::QueuedConnection);
    m_thread.quit();
    m_thread.wait();
    handOffAcquire(&m_thread);
    m_engine = nullptr; // deleted by the finished -> deleteLater connection
    // Snapshots the engine queued to us before it stopped would otherwise arrive after stop()
    // returned; a stopped engine publishes nothing (the only queued calls to the host are the
    // engine's signals).
    QCoreApplication::removePostedEvents(this, QEvent::MetaCall);
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

void EngineHost::pauseAutoscaling(const QString &pool, bool paused)
{
    if (m_engine)
        QMetaObject::invokeMethod(m_engine, [e = m_engine, pool, paused] { e->pauseAutoscaling(pool, paused); },
                                  Qt::QueuedConnection);
}

void EngineHost::acknowledgeAlert(const QString &fingerprint)
{
    if (m_engine)
        QMetaObject::invokeMethod(m_engine, [e = m_engine, fingerprint] { e->acknowledgeAlert(fingerprint); },
                                  Qt::QueuedConnection);
}

void EngineHost::silence(const QString &matchers, qint64 durationMs, const QString &comment)
{
    if (m_engine)
        QMetaObject::invokeMethod(m_engine, [e = m_engine, matchers, durationMs, comment] {
            e->silence(matchers, durationMs, comment);
        }, Qt::QueuedConnection);
}

void EngineHost::expireSilence(const QString &id)
{
    if (m_engine)
        QMetaObject::invokeMethod(m_engine, [e = m_engine, id] { e->expireSilence(id); },
                                  Qt::QueuedConnection);
}

void EngineHost::refreshCapacityPlan()
{
    if (m_engine)
        QMetaObject::invokeMethod(m_engine, &Engine::refreshCapacityPlan, Qt::QueuedConnection);
}

void EngineHost::applyRemediation(const QString &signature, const QString &pool)
{
    if (m_engine)
        QMetaObject::invokeMethod(m_engine, [e = m_engine, signature, pool] {
            e->applyRemediation(signature, pool);
        }, Qt::QueuedConnection);
}

void EngineHost::setAutoRemediation(const QString &signature, bool enabled)
{
    if (m_engine)
        QMetaObject::invokeMethod(m_engine, [e = m_engine, signature, enabled] {
            e->setAutoRemediation(signature, enabled);
        }, Qt::QueuedConnection);
}

void EngineHost::resumeAutoscaling(const QString &pool)
{
    if (m_engine)
        QMetaObject::invokeMethod(m_engine, [e = m_engine, pool] { e->resumeAutoscaling(pool); },
                                  Qt::QueuedConnection);
}

void EngineHost::requeueDeadLetter(const QString &id)
{
    if (m_engine)
        QMetaObject::invokeMethod(m_engine, [e = m_engine, id] { e->requeueDeadLetter(id); },
                                  Qt::QueuedConnection);
}

void EngineHost::reloadConfig()
{
    if (m_engine)
        QMetaObject::invokeMethod(m_engine, &Engine::reloadConfig, Qt::QueuedConnection);
}

void EngineHost::submitJob(const QString &pool, const QJsonObject &payload, const QString &priority)
{
    if (m_engine)
        QMetaObject::invokeMethod(m_engine, [e = m_engine, pool, payload, priority] {
            e->submitJob(pool, payload, priority);
        }, Qt::QueuedConnection);
}

} // namespace drover
