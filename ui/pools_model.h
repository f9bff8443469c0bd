// Pools and their replicas as a two-level tree for the Pools view. Fed with snapshot values;
// keeps its rows stable across updates so selection and expansion survive every tick.
#pragma once

#include "core/supervisor/supervisor_types.h"

#include <QAbstractItemModel>
#include <QVector>

namespace drover::ui {

class PoolsModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { Name, State, Tier, Replicas, Cpu, Memory, Queue, Restarts, Uptime, Endpoint, Limits, ColumnCount };
    enum Role { PoolNameRole = Qt::UserRole + 1, ReplicaIndexRole, StateReasonRole };

    explicit PoolsModel(QObject *parent = nullptr);

    void setPools(const QVector<PoolStatus> &pools, qint64 nowMs);
    const QVector<PoolStatus> &pools() const { return m_pools; }
    const PoolStatus *pool(const QString &name) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant poolData(const PoolStatus &p, int column, int role) const;
    QVariant replicaData(const PoolStatus &p, const ReplicaStatus &r, int column, int role) const;

    QVector<PoolStatus> m_pools;
    qint64 m_nowMs = 0;
};

} // namespace drover::ui
