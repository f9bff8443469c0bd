// The work plane as tables: one row per pool the dispatcher serves (queue, deliveries, wait,
// circuit breakers) and the dead letters (jobs the dispatcher gave up on). Only renders what the
// engine publishes; the raw value of every cell is in SortRole for sorting.
#pragma once

#include "core/engine/snapshot.h"

#include <QAbstractTableModel>

namespace drover::ui {

inline constexpr int SortRole = Qt::UserRole + 100;

class PoolWorkModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Pool,
        Waiting,
        Delivering,
        QueueDepth,
        OldestWait,
        WaitP95,
        DispatchP95,
        Delivered,
        DeadLetters,
        TokensPerSecond,
        ProviderRejected,
        Breakers,
        Algorithm,
        ColumnCount
    };
    enum Role
    {
        PoolRole = Qt::UserRole + 1
    };
    using QAbstractTableModel::QAbstractTableModel;

    void setWork(const QVector<PoolWorkView> &work);
    const PoolWorkView *pool(const QString &name) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // "2 closed, 1 open" and, for the tooltip, one line per replica.
    static QString breakerSummary(const PoolWorkView &p);
    static QString breakerDetails(const PoolWorkView &p);
    static QString breakerText(const QString &state);

private:
    QVector<PoolWorkView> m_pools;
};

class DeadLetterModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Id,
        Pool,
        Loop,
        Priority,
        Reason,
        Attempts,
        LastError,
        Enqueued,
        Dead,
        ColumnCount
    };
    enum Role
    {
        IdRole = Qt::UserRole + 1
    };
    using QAbstractTableModel::QAbstractTableModel;

    void setDeadLetters(const QVector<DeadLetterView> &letters);
    const DeadLetterView *letter(const QString &id) const;
    int rowOf(const QString &id) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QVector<DeadLetterView> m_letters;
};

} // namespace drover::ui
