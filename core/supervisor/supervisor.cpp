#include "supervisor.h"

#include "core/platform/process_stats.h"
#include "core/secrets/secret_store.h"
#include "pool.h"
#include "port_allocator.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTimer>

#include <algorithm>

namespace drover {

Supervisor::Supervisor(const Config &config, SupervisorOptions options, QObject *parent)
    : QObject(parent),
      m_config(config),
      m_options(std::move(options)),
      m_network(new QNetworkAccessManager(this)),
      m_ports(std::make_unique<PortAllocator>()),
      m_secrets(new SecretStore(m_options.secretService, this)),
      m_stats(createProcessStatsReader())
{
    qRegisterMetaType<drover::SupervisorEvent>();
    if (!m_options.clock)
        m_options.clock = [] { return QDateTime::currentMSecsSinceEpoch(); };
    // Loopback only and no proxy: a system proxy must never see agent traffic.
    m_network->setProxy(QNetworkProxy::NoProxy);
    for (const PoolSpec &spec : config.pools)
        createPool(spec);
}

Pool *Supervisor::createPool(const PoolSpec &spec)
{
    const QString configDir = QFileInfo(m_config.sourceFile).absolutePath();
    {
        const TierSpec *tier = m_config.tier(spec.tier);
        PoolContext ctx;
        ctx.network = m_network;
        ctx.ports = m_ports.get();
        ctx.secrets = m_secrets;
        ctx.clock = m_options.clock;
        ctx.random01 = [] { return QRandomGenerator::global()->generateDouble(); };
        ctx.logDir = m_options.logDir;
        ctx.program = resolveProgram(spec.command, configDir);
        ctx.environmentHook = m_options.replicaEnvironment;
        auto *pool = new Pool(spec, tier ? *tier : TierSpec{}, ctx, this);
        connect(pool, &Pool::event, this, &Supervisor::onEvent);
        m_pools.append(pool);
        return pool;
    }
}

Supervisor::~Supervisor()
{
    qDeleteAll(m_pools); // replicas kill whatever still runs
    m_pools.clear();
    for (const Retiring &r : std::as_const(m_retiring))
        delete r.pool;
    m_retiring.clear();
}

void Supervisor::setConfig(const Config &config)
{
    m_config = config;
}

bool Supervisor::addPool(const PoolSpec &spec, const QString &reason)
{
    if (pool(spec.name, nullptr))
        return false;
    createPool(spec)->setDesired(spec.initialReplicas, reason);
    return true;
}

bool Supervisor::removePool(const QString &name, const QString &reason)
{
    Pool *p = pool(name, nullptr);
    if (!p)
        return false;
    // Out of the fleet at once: commands and the snapshot no longer see it while it stops.
    m_pools.removeOne(p);
    SupervisorEvent e;
    e.timeMs = m_options.clock();
    e.pool = name;
    e.kind = QStringLiteral("pool");
    e.from = QStringLiteral("configured");
    e.to = QStringLiteral("removed");
    e.reason = reason;
    onEvent(e);
    p->shutdown(reason);
    // The replicas get their whole stop sequence, a second on top for the kill to land.
    m_retiring.append({p, m_options.clock() + p->spec().stopTimeoutMs + 1000});
    if (!m_reaper) {
        m_reaper = new QTimer(this);
        m_reaper->setInterval(50);
        connect(m_reaper, &QTimer::timeout, this, &Supervisor::reapRetiring);
    }
    m_reaper->start();
    return true;
}

void Supervisor::reapRetiring()
{
    const qint64 now = m_options.clock();
    for (int i = int(m_retiring.size()) - 1; i >= 0; --i) {
        const Retiring r = m_retiring.at(i);
        if (r.pool->allStopped() || now >= r.deadlineMs) {
            m_retiring.removeAt(i);
            delete r.pool; // kills whatever outlived its stop timeout
        }
    }
    if (m_retiring.isEmpty() && m_reaper)
        m_reaper->stop();
}

bool Supervisor::updatePool(const PoolSpec &spec, bool tierChanged, bool rollingRestart,
                            const QString &reason, QString *note)
{
    Pool *p = pool(spec.name, nullptr);
    if (!p)
        return false;
    p->updateSpec(spec, resolveProgram(spec.command, QFileInfo(m_config.sourceFile).absolutePath()));
    if (p->desired() > spec.maxReplicas)
        p->setDesired(spec.maxReplicas, reason + QStringLiteral(" (above the new max)"));
    if (tierChanged) {
        QString refusal;
        const TierSpec *tier = m_config.tier(spec.tier);
        if (!tier)
            refusal = QStringLiteral("no tier named '%1'").arg(spec.tier);
        if (tier && p->setTier(*tier, reason, &refusal))
            refusal.clear();
        if (!refusal.isEmpty() && note)
            *note = QStringLiteral("tier not applied: %1").arg(refusal);
    }
    if (rollingRestart)
        p->restartAll(reason);
    return true;
}

QString Supervisor::resolveProgram(const QString &command, const QString &configDir) const
{
    if (command.contains(QLatin1Char('/')) || command.contains(QLatin1Char('\\'))) {
        const QFileInfo info(command);
        return info.isAbsolute() ? command : QDir(configDir).absoluteFilePath(command);
    }
    for (const QString &dir : m_options.searchDirs) {
        const QString found = QStandardPaths::findExecutable(command, {dir});
        if (!found.isEmpty())
            return found;
    }
    const QString onPath = QStandardPaths::findExecutable(command);
    // Not found: keep the bare name so the start fails with a clear "failed to start" event.
    return onPath.isEmpty() ? command : onPath;
}

void Supervisor::onEvent(const SupervisorEvent &event)
{
    m_events.append(event);
    if (m_events.size() > m_options.eventHistory)
        m_events.remove(0, m_events.size() - m_options.eventHistory);
    emit eventRecorded(event);
}

void Supervisor::startAll(const QMap<QString, Restored> &restored)
{
    for (Pool *p : std::as_const(m_pools)) {
        const auto it = restored.find(p->name());
        if (it == restored.end()) {
            p->setDesired(p->spec().initialReplicas, QStringLiteral("initial replicas from the configuration"));
            continue;
        }
        if (!it->tier.isEmpty() && it->tier != p->spec().tier && m_config.tier(it->tier))
            p->setTier(*m_config.tier(it->tier), QStringLiteral("restored from the store"));
        const int replicas = it->replicas < 0 ? p->spec().initialReplicas
                                              : std::clamp(it->replicas, 0, p->spec().maxReplicas);
        p->setDesired(replicas, QStringLiteral("restored from the store (the operator's last setting)"));
    }
}

Pool *Supervisor::pool(const QString &name, QString *refusal) const
{
    for (Pool *p : m_pools) {
        if (p->name() == name)
            return p;
    }
    if (refusal)
        *refusal = QStringLiteral("no pool named '%1'").arg(name);
    return nullptr;
}

bool Supervisor::scale(const QString &name, int replicas, const QString &reason, QString *refusal)
{
    Pool *p = pool(name, refusal);
    return p && p->setDesired(replicas, reason, refusal);
}

bool Supervisor::restartPool(const QString &name, const QString &reason, QString *refusal)
{
    Pool *p = pool(name, refusal);
    if (p)
        p->restartAll(reason);
    return p;
}

bool Supervisor::restartReplica(const QString &name, int index, const QString &reason, QString *refusal)
{
    Pool *p = pool(name, refusal);
    return p && p->restartReplica(index, reason, refusal);
}

bool Supervisor::stopReplica(const QString &name, int index, const QString &reason, QString *refusal)
{
    Pool *p = pool(name, refusal);
    return p && p->stopReplica(index, reason, refusal);
}

bool Supervisor::setTier(const QString &name, const QString &tierName, const QString &reason,
                         QString *refusal)
{
    Pool *p = pool(name, refusal);
    if (!p)
        return false;
    const TierSpec *tier = m_config.tier(tierName);
    if (!tier) {
        if (refusal)
            *refusal = QStringLiteral("no tier named '%1'").arg(tierName);
        return false;
    }
    return p->setTier(*tier, reason, refusal);
}

void Supervisor::sample(qint64 nowMs)
{
    for (Pool *p : std::as_const(m_pools))
        p->sample(*m_stats, nowMs);
}

void Supervisor::shutdown(int deadlineMs)
{
    for (Pool *p : std::as_const(m_pools))
        p->shutdown(QStringLiteral("Drover is quitting"));
    // Pools removed by a reload and still stopping are waited for too.
    for (const Retiring &r : std::as_const(m_retiring))
        m_pools.append(r.pool);
    m_retiring.clear();
    if (m_reaper)
        m_reaper->stop();
    auto allStopped = [this] {
        return std::all_of(m_pools.cbegin(), m_pools.cend(), [](const Pool *p) { return p->allStopped(); });
    };
    // The stop sequence needs this thread's event loop (HTTP /shutdown, process signals).
    QDeadlineTimer deadline(deadlineMs);
    QEventLoop loop;
    QTimer poll;
    connect(&poll, &QTimer::timeout, &loop, [&] {
        if (allStopped() || deadline.hasExpired())
            loop.quit();
    });
    poll.start(20);
    if (!allStopped())
        loop.exec();
    qDeleteAll(m_pools); // kills anything that outlived the deadline
    m_pools.clear();
}

QVector<PoolStatus> Supervisor::status() const
{
    QVector<PoolStatus> out;
    out.reserve(m_pools.size());
    for (const Pool *p : m_pools)
        out.append(p->status());
    return out;
}

QStringList Supervisor::replicaLog(const QString &name, int index) const
{
    const Pool *p = pool(name, nullptr);
    return p ? p->replicaLog(index) : QStringList();
}

} // namespace drover
