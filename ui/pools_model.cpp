#include "pools_model.h"

#include <QBrush>
#include <QColor>
#include <QLocale>

namespace drover::ui {

namespace {
// Internal ids: 0 for pool rows, pool row + 1 for replica rows (so a replica knows its pool).
constexpr quintptr kPoolRow = 0;

QString duration(qint64 ms)
{
    if (ms <= 0)
        return QString();
    const qint64 s = ms / 1000;
    if (s < 60)
        return QStringLiteral("%1 s").arg(s);
    if (s < 3600)
        return QStringLiteral("%1 min").arg(s / 60);
    if (s < 86400)
        return QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
    return QStringLiteral("%1 d %2 h").arg(s / 86400).arg((s % 86400) / 3600);
}

QColor replicaColour(ReplicaState s)
{
    switch (s) {
    case ReplicaState::Ready: return QColor(0x2e, 0x8b, 0x57);
    case ReplicaState::Starting:
    case ReplicaState::Stopping:
    case ReplicaState::Backoff: return QColor(0xb8, 0x86, 0x0b);
    case ReplicaState::Unhealthy:
    case ReplicaState::Crashed: return QColor(0xc0, 0x39, 0x2b);
    case ReplicaState::Exited: return QColor(0x80, 0x80, 0x80);
    }
    return {};
}

QColor poolColour(PoolState s)
{
    switch (s) {
    case PoolState::Running: return QColor(0x2e, 0x8b, 0x57);
    case PoolState::Degraded: return QColor(0xb8, 0x86, 0x0b);
    case PoolState::CrashLoop:
    case PoolState::Error: return QColor(0xc0, 0x39, 0x2b);
    case PoolState::Stopped: return QColor(0x80, 0x80, 0x80);
    }
    return {};
}
} // namespace

PoolsModel::PoolsModel(QObject *parent) : QAbstractItemModel(parent) {}

const PoolStatus *PoolsModel::pool(const QString &name) const
{
    for (const PoolStatus &p : m_pools)
        if (p.name == name)
            return &p;
    return nullptr;
}

void PoolsModel::setPools(const QVector<PoolStatus> &pools, qint64 nowMs)
{
    m_nowMs = nowMs;
    bool sameShape = pools.size() == m_pools.size();
    for (int i = 0; sameShape && i < pools.size(); ++i) {
        sameShape = pools[i].name == m_pools[i].name
                    && pools[i].replicas.size() == m_pools[i].replicas.size();
        for (int j = 0; sameShape && j < pools[i].replicas.size(); ++j)
            sameShape = pools[i].replicas[j].index == m_pools[i].replicas[j].index;
    }
    if (!sameShape) {
        // Rows appeared or went away: a reset is simplest and the view restores its
        // selection by (pool, replica) key.
        beginResetModel();
        m_pools = pools;
        endResetModel();
        return;
    }
    m_pools = pools;
    for (int i = 0; i < m_pools.size(); ++i) {
        emit dataChanged(index(i, 0), index(i, ColumnCount - 1));
        const QModelIndex parent = index(i, 0);
        if (!m_pools[i].replicas.isEmpty())
            emit dataChanged(index(0, 0, parent), index(int(m_pools[i].replicas.size()) - 1, ColumnCount - 1, parent));
    }
}

QModelIndex PoolsModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0)
        return {};
    if (!parent.isValid())
        return row < m_pools.size() ? createIndex(row, column, kPoolRow) : QModelIndex();
    if (parent.internalId() != kPoolRow)
        return {};
    const int poolRow = parent.row();
    if (poolRow >= m_pools.size() || row >= m_pools[poolRow].replicas.size())
        return {};
    return createIndex(row, column, quintptr(poolRow + 1));
}

QModelIndex PoolsModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == kPoolRow)
        return {};
    return createIndex(int(child.internalId() - 1), 0, kPoolRow);
}

int PoolsModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_pools.size());
    if (parent.internalId() != kPoolRow || parent.column() != 0)
        return 0;
    return int(m_pools[parent.row()].replicas.size());
}

int PoolsModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant PoolsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    if (index.internalId() == kPoolRow) {
        const PoolStatus &p = m_pools[index.row()];
        if (role == PoolNameRole)
            return p.name;
        if (role == ReplicaIndexRole)
            return -1;
        return poolData(p, index.column(), role);
    }
    const PoolStatus &p = m_pools[int(index.internalId() - 1)];
    const ReplicaStatus &r = p.replicas[index.row()];
    if (role == PoolNameRole)
        return p.name;
    if (role == ReplicaIndexRole)
        return r.index;
    return replicaData(p, r, index.column(), role);
}

QVariant PoolsModel::poolData(const PoolStatus &p, int column, int role) const
{
    const QLocale locale;
    if (role == StateReasonRole || (role == Qt::ToolTipRole && column == State))
        return p.stateReason;
    if (role == Qt::ForegroundRole && column == State)
        return QBrush(poolColour(p.state));
    if (role != Qt::DisplayRole)
        return {};
    double cpu = 0, queue = 0;
    quint64 memory = 0;
    int restarts = 0;
    for (const ReplicaStatus &r : p.replicas) {
        cpu += r.cpuValid ? r.cpuPercent : 0;
        memory += r.rssBytes;
        queue += r.metricsValid ? r.queueDepth : 0;
        restarts += r.restarts;
    }
    switch (column) {
    case Name: return p.name;
    case State:
        return p.rollingRestart ? tr("%1 (rolling restart)").arg(poolStateName(p.state))
                                : poolStateName(p.state);
    case Tier: return p.tier;
    case Replicas: return tr("%1 / %2  (%3\u2013%4)").arg(p.ready).arg(p.desired).arg(p.minReplicas).arg(p.maxReplicas);
    case Cpu: return tr("%1 %").arg(locale.toString(cpu, 'f', 1));
    case Memory: return locale.formattedDataSize(qint64(memory));
    case Queue: return locale.toString(queue, 'f', 0);
    case Restarts: return restarts;
    default: return {};
    }
}

QVariant PoolsModel::replicaData(const PoolStatus &, const ReplicaStatus &r, int column, int role) const
{
    const QLocale locale;
    if (role == StateReasonRole || (role == Qt::ToolTipRole && column == State))
        return r.stateReason;
    if (role == Qt::ToolTipRole && column == Cpu)
        return r.overCpuQuota ? tr("Over the tier's CPU quota") : QVariant();
    if (role == Qt::ToolTipRole && column == Queue && !r.metricsError.isEmpty())
        return r.metricsError;
    if (role == Qt::ForegroundRole && column == State)
        return QBrush(replicaColour(r.state));
    if (role == Qt::ForegroundRole && ((column == Cpu && r.overCpuQuota) || (column == Memory && r.overMemoryQuota)))
        return QBrush(QColor(0xc0, 0x39, 0x2b));
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case Name: return tr("replica %1").arg(r.index);
    case State: return replicaStateName(r.state);
    case Cpu: return r.cpuValid ? tr("%1 %").arg(locale.toString(r.cpuPercent, 'f', 1)) : QString();
    case Memory: return r.rssBytes ? locale.formattedDataSize(qint64(r.rssBytes)) : QString();
    case Queue:
        return r.metricsValid ? locale.toString(r.queueDepth, 'f', 0)
                              : (r.metricsError.isEmpty() ? QString() : tr("n/a"));
    case Restarts: return r.restarts;
    case Uptime:
        return r.state == ReplicaState::Ready || r.state == ReplicaState::Starting
                       || r.state == ReplicaState::Unhealthy
                   ? duration(m_nowMs - r.startedAtMs)
                   : QString();
    case Endpoint: return r.pid ? tr("pid %1, port %2").arg(r.pid).arg(r.port) : QString();
    case Limits: return limitEnforcementName(r.enforcement);
    default: return {};
    }
}

QVariant PoolsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name: return tr("Pool / replica");
    case State: return tr("State");
    case Tier: return tr("Tier");
    case Replicas: return tr("Ready / desired (min\u2013max)");
    case Cpu: return tr("CPU");
    case Memory: return tr("Memory");
    case Queue: return tr("Queue");
    case Restarts: return tr("Restarts");
    case Uptime: return tr("Uptime");
    case Endpoint: return tr("Process");
    case Limits: return tr("Limits");
    }
    return {};
}

} // namespace drover::ui
