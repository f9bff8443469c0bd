// The timeline of what the supervisor did and why: replica state changes, scaling, restarts,
// secrets, limits, operator commands, decisions, alert transitions. Newest first, filterable by
// kind, pool and text, exportable as CSV.
#pragma once

#include "core/supervisor/supervisor_types.h"

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>
#include <QWidget>

class QComboBox;
class QLineEdit;
class QPushButton;
class QTableView;

namespace drover::ui {

class EventsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Time, Pool, Replica, Kind, Change, Reason, ColumnCount };
    enum Role { KindRole = Qt::UserRole + 1, PoolRole };
    using QAbstractTableModel::QAbstractTableModel;

    void setEvents(const QVector<SupervisorEvent> &events);
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    const SupervisorEvent &event(int row) const { return m_events[row]; }
    // A cell's text; thread-safe (the CSV export formats on a pool thread).
    static QString cell(const SupervisorEvent &event, int column);
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVector<SupervisorEvent> m_events; // newest first
};

// Rows whose kind and pool equal the chosen ones (empty: any) and whose text contains the
// filter text in any column.
class EventsFilter : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setKind(const QString &kind);
    void setPool(const QString &pool);
    void setText(const QString &text);

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override;

private:
    QString m_kind;
    QString m_pool;
    QString m_text;
};

class EventsView : public QWidget
{
    Q_OBJECT
public:
    explicit EventsView(QWidget *parent = nullptr);
    void setEvents(const QVector<SupervisorEvent> &events);
    EventsModel *model() const { return m_model; }
    QLineEdit *filter() const { return m_filter; }
    QComboBox *kindFilter() const { return m_kind; }
    QComboBox *poolFilter() const { return m_pool; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QPushButton *exportButton() const { return m_export; }

    // The rows shown now (the filters applied), as CSV with a header line.
    QString csv() const;
    // Writes csv() to `path`. The UI thread only copies the rows shown (implicitly shared
    // values); formatting and the file write run on a pool thread, so neither a long export
    // (5,000 rows take ~90 ms to format) nor a slow drive stalls the UI. exported() reports
    // the outcome.
    void exportCsv(const QString &path);

signals:
    void exported(const QString &path, bool ok, const QString &error);

private:
    void chooseExportFile();
    QVector<SupervisorEvent> shownEvents() const;
    QStringList csvHeader() const;
    static QString csvOf(const QStringList &header, const QVector<SupervisorEvent> &events);
    void updateChoices();

    EventsModel *m_model;
    EventsFilter *m_proxy;
    QLineEdit *m_filter;
    QComboBox *m_kind;
    QComboBox *m_pool;
    QPushButton *m_export;
    QTableView *m_table;
};

} // namespace drover::ui
