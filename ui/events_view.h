// The timeline of what the supervisor did and why: replica state changes, scaling, restarts,
// secrets, limits, operator commands. Newest first, filterable.
#pragma once

#include "core/supervisor/supervisor_types.h"

#include <QAbstractTableModel>
#include <QWidget>

class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace drover::ui {

class EventsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Time, Pool, Replica, Kind, Change, Reason, ColumnCount };
    using QAbstractTableModel::QAbstractTableModel;

    void setEvents(const QVector<SupervisorEvent> &events);
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVector<SupervisorEvent> m_events; // newest first
};

class EventsView : public QWidget
{
    Q_OBJECT
public:
    explicit EventsView(QWidget *parent = nullptr);
    void setEvents(const QVector<SupervisorEvent> &events);
    EventsModel *model() const { return m_model; }
    QLineEdit *filter() const { return m_filter; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }

private:
    EventsModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QLineEdit *m_filter;
    QTableView *m_table;
};

} // namespace drover::ui
