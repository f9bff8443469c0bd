#include "resource_chart.h"

#include <QDateTime>
#include <QtCharts/QChart>
#include <QtCharts/QDateTimeAxis>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>

namespace drover::ui {

ResourceChart::ResourceChart(QWidget *parent)
    : QChartView(parent),
      m_cpu(new QLineSeries),
      m_memory(new QLineSeries),
      m_time(new QDateTimeAxis),
      m_percent(new QValueAxis)
{
    auto *chart = new QChart;
    chart->setTitle(tr("Machine CPU and memory"));
    chart->legend()->setAlignment(Qt::AlignBottom);
    // Animations would replay on every replace() and cost CPU all day for nothing.
    chart->setAnimationOptions(QChart::NoAnimation);

    m_cpu->setName(tr("CPU %"));
    m_memory->setName(tr("Memory %"));
    chart->addSeries(m_cpu);
    chart->addSeries(m_memory);

    m_time->setFormat(QStringLiteral("HH:mm:ss"));
    m_time->setTitleText(tr("Time"));
    m_time->setTickCount(6);
    m_percent->setRange(0, 100);
    m_percent->setLabelFormat(QStringLiteral("%d %%"));
    m_percent->setTitleText(tr("Percent of machine"));
    chart->addAxis(m_time, Qt::AlignBottom);
    chart->addAxis(m_percent, Qt::AlignLeft);
    for (QLineSeries *s : {m_cpu, m_memory}) {
        s->attachAxis(m_time);
        s->attachAxis(m_percent);
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_time->setRange(QDateTime::fromMSecsSinceEpoch(now - 60000),
                     QDateTime::fromMSecsSinceEpoch(now));

    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setAccessibleName(tr("CPU and memory chart"));
    setToolTip(tr("Busy share of all CPU cores and memory in use, once a second"));
}

void ResourceChart::setHistory(const QVector<SystemPoint> &points)
{
    QList<QPointF> cpu;
    QList<QPointF> memory;
    cpu.reserve(points.size());
    memory.reserve(points.size());
    for (const SystemPoint &p : points) {
        cpu.append(QPointF(double(p.timeMs), p.cpuPercent));
        memory.append(QPointF(double(p.timeMs), p.memoryPercent));
    }
    m_cpu->replace(cpu);
    m_memory->replace(memory);
    if (!points.isEmpty()) {
        // At least a minute wide so the first seconds do not stretch across the whole chart.
        const qint64 last = points.last().timeMs;
        const qint64 first = qMin(points.first().timeMs, last - 60000);
        m_time->setRange(QDateTime::fromMSecsSinceEpoch(first), QDateTime::fromMSecsSinceEpoch(last));
    }
}

} // namespace drover::ui
