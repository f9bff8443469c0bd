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
    const QString configDir = QFileInfo(config.sourceFile).absolutePath();
    for (const PoolSpec &spec : config.pools) {
        const TierSpec *tier = config.tier(spec.tier);
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
    }
}

Supervisor::~Supervisor()
{
    qDeleteAll(m_pools); // replicas kill whatever still runs
    m_pools.clear();
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
