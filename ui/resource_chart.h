// Live CPU and memory chart of the whole machine.
#pragma once

#include "core/engine/snapshot.h"

#include <QtCharts/QChartView>

class QLineSeries;
class QDateTimeAxis;
class QValueAxis;

namespace drover::ui {

class ResourceChart : public QChartView
{
    Q_OBJECT
public:
    explicit ResourceChart(QWidget *parent = nullptr);

    // Replaces the plotted history (replace(), not clear()+append(): one repaint, not N).
    void setHistory(const QVector<SystemPoint> &points);

    QLineSeries *cpuSeries() const { return m_cpu; }
    QLineSeries *memorySeries() const { return m_memory; }
    QDateTimeAxis *timeAxis() const { return m_time; }

private:
    QLineSeries *m_cpu;
    QLineSeries *m_memory;
    QDateTimeAxis *m_time;
    QValueAxis *m_percent;
};

} // namespace drover::ui
