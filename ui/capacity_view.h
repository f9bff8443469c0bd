// The Capacity view: the engine's capacity plan (core/planning/capacity_planner.h) as a
// projection chart (replicas, CPU cores and memory now and at 1, 3, 6 and 12 months), the seed's
// projection table with cost estimates, the pools' trends and the plain-language
// recommendations. The engine makes the plan from the store (once a minute, or on Refresh); this
// view only renders it and asks for a new one.
#pragma once

#include "core/engine/snapshot.h"

#include <QAbstractTableModel>
#include <QWidget>

class QLabel;
class QListWidget;
class QPushButton;
class QTableView;
class QTreeWidget;
class QChartView;
class QLineSeries;
class QValueAxis;

namespace drover::ui {

// The fleet's projection table: today, then one row per horizon.
class CapacityModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        When,
        Date,
        JobsPerDay,
        TokensPerDay,
        Replicas,
        CpuCores,
        Memory,
        Machines,
        TokenCost,
        MachineCost,
        TotalCost,
        ColumnCount
    };
    using QAbstractTableModel::QAbstractTableModel;

    void setPlan(const CapacityPlan &plan);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QVector<FleetProjection> m_rows;
};

class CapacityView : public QWidget
{
    Q_OBJECT
public:
    explicit CapacityView(QWidget *parent = nullptr);

    // Cheap for every snapshot: only a plan with a new time is rendered again.
    void setSnapshot(const Snapshot &snapshot);
    // The engine refused a command: a pending refresh will not bring a plan.
    void commandRefused();

    CapacityModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QPushButton *refreshButton() const { return m_refresh; }
    QLabel *stateLabel() const { return m_state; }
    QLabel *verdictLabel() const { return m_verdict; }
    QListWidget *recommendations() const { return m_recommendations; }
    QTreeWidget *poolsList() const { return m_pools; }
    QChartView *chartView() const { return m_chartView; }
    // The chart's lines by name ("Replicas", "CPU cores", "Memory (GiB)", translated).
    QList<QLineSeries *> chartSeries() const;

signals:
    void refreshRequested();

private:
    void render(const CapacityPlan &plan, qint64 atMs);

    CapacityModel *m_model;
    QLabel *m_state;
    QLabel *m_verdict;
    QPushButton *m_refresh;
    QChartView *m_chartView;
    QLineSeries *m_replicas;
    QLineSeries *m_cores;
    QLineSeries *m_memory;
    QValueAxis *m_months;
    QValueAxis *m_count;
    QValueAxis *m_gib;
    QTableView *m_table;
    QTreeWidget *m_pools;
    QListWidget *m_recommendations;
    qint64 m_shownAtMs = -1;
    bool m_refreshing = false;
};

} // namespace drover::ui
