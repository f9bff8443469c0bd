// The alerts the engine publishes, as a table: pending and firing first (most urgent first, the
// engine's order), then the recently resolved. Only renders; the engine decides.
#pragma once

#include "core/engine/snapshot.h"

#include <QAbstractTableModel>

namespace drover::ui {

class AlertsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Severity, State, Name, Pool, Since, Value, Summary, ColumnCount };
    enum Role { FingerprintRole = Qt::UserRole + 1, PoolRole, StateRole, SeverityRole, AcknowledgedRole };
    using QAbstractTableModel::QAbstractTableModel;

    void setAlerts(const QVector<AlertView> &active, const QVector<AlertView> &resolved, qint64 nowMs);
    const AlertView *alert(const QString &fingerprint) const;
    int rowOf(const QString &fingerprint) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Ordered from least to most severe; -1 for an unknown name.
    static int severityRank(const QString &severity);
    static QString severityText(const QString &severity);

private:
    QVector<AlertView> m_alerts;
    qint64 m_nowMs = 0;
};

} // namespace drover::ui
