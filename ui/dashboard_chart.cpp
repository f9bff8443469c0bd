#include "dashboard_chart.h"

#include "core/metrics/downsample.h"

#include <QDateTime>
#include <QGraphicsLineItem>
#include <QLocale>
#include <QMouseEvent>
#include <QToolTip>
#include <QtCharts/QChart>
#include <QtCharts/QDateTimeAxis>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QLineSeries>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

namespace drover::ui {

namespace {
// Beyond this many gaps a line's further gaps are bridged: a QLineSeries per segment costs a
// graphics item each, and a line broken a hundred times reads as noise anyway.
constexpr int kMaxSegmentsPerLine = 32;
constexpr int kMaxLegendLines = 12;
constexpr int kPointsPerColumn = 4;
constexpr int kMaxTooltipLines = 15;

// Splits at the gap markers into runs of finite points.
QVector<QList<QPointF>> segmentsOf(const QVector<QPointF> &points)
{
    QVector<QList<QPointF>> out(1);
    for (const QPointF &p : points) {
        if (!std::isfinite(p.y())) {
            if (!out.last().isEmpty() && out.size() < kMaxSegmentsPerLine)
                out.append(QList<QPointF>());
            continue;
        }
        out.last().append(p);
    }
    if (out.size() > 1 && out.last().isEmpty())
        out.removeLast();
    return out;
}

double niceCeiling(double value)
{
    if (!(value > 0))
        return 1;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (double step : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (value <= step * magnitude)
            return step * magnitude;
    return 10 * magnitude;
}
} // namespace

DashboardChart::DashboardChart(const QString &title, const QString &unit, bool percent, QWidget *parent)
    : QChartView(parent),
      m_unit(unit),
      m_percent(percent),
      m_scalingMarkers(new QScatterSeries),
      m_alertMarkers(new QScatterSeries),
      m_time(new QDateTimeAxis),
      m_values(new QValueAxis)
{
    auto *chart = new QChart;
    chart->setTitle(title);
    chart->legend()->setAlignment(Qt::AlignBottom);
    // Animations would replay on every update and cost CPU all day for nothing.
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setMargins(QMargins(4, 4, 4, 4));
    m_time->setFormat(QStringLiteral("HH:mm"));
    m_time->setTickCount(6);
    m_values->setRange(0, percent ? 100 : 1);
    m_values->setLabelFormat(percent ? QStringLiteral("%d %%") : QStringLiteral("%g"));
    chart->addAxis(m_time, Qt::AlignBottom);
    chart->addAxis(m_values, Qt::AlignLeft);

    m_scalingMarkers->setName(tr("Scaling"));
    m_scalingMarkers->setMarkerShape(QScatterSeries::MarkerShapeTriangle);
    m_scalingMarkers->setMarkerSize(11);
    m_scalingMarkers->setColor(QColor(0x29, 0x80, 0xb9));
    m_alertMarkers->setName(tr("Alerts"));
    m_alertMarkers->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
    m_alertMarkers->setMarkerSize(9);
    m_alertMarkers->setColor(QColor(0xc0, 0x39, 0x2b));
    for (QScatterSeries *s : {m_scalingMarkers, m_alertMarkers}) {
        s->setBorderColor(Qt::transparent);
        chart->addSeries(s);
        s->attachAxis(m_time);
        s->attachAxis(m_values);
    }
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMouseTracking(true);
    setMinimumSize(320, 220);

    m_crosshair = new QGraphicsLineItem(chart);
    m_crosshair->setPen(QPen(QColor(128, 128, 128, 160), 1, Qt::DashLine));
    m_crosshair->setZValue(100);
    m_crosshair->hide();

    // A wider plot can show more detail; a narrower one must not carry more points than it has
    // pixel columns. Queued: the chart is mid-layout when it reports the change.
    // Growth re-renders only past 5 %, so axis labels changing width cannot ping-pong.
    connect(chart, &QChart::plotAreaChanged, this, [this] {
        const int budget = pointBudget();
        if (!m_lines.isEmpty() && (budget < m_renderedBudget || budget > m_renderedBudget * 21 / 20))
            render();
    }, Qt::QueuedConnection);
}

int DashboardChart::pointBudget() const
{
    const int width = int(chart()->plotArea().width());
    // Before the first layout the plot area is empty; the widget's width is a safe bound.
    return qMax(16, width > 0 ? width : this->width());
}

void DashboardChart::setData(const QVector<ChartLine> &lines, qint64 fromMs, qint64 toMs)
{
    m_lines = lines;
    m_fromMs = fromMs;
    m_toMs = qMax(toMs, fromMs + 1000);
    render();
}

void DashboardChart::setData(const QVector<ChartLine> &lines, qint64 fromMs, qint64 toMs,
                             const QVector<ChartMarker> &markers)
{
    m_markers = markers;
    setData(lines, fromMs, toMs);
}

void DashboardChart::setMarkers(const QVector<ChartMarker> &markers)
{
    m_markers = markers;
    render();
}

void DashboardChart::render()
{
    QChart *c = chart();
    const int budget = pointBudget();
    m_renderedBudget = budget;
    m_time->setRange(QDateTime::fromMSecsSinceEpoch(m_fromMs), QDateTime::fromMSecsSinceEpoch(m_toMs));
    const qint64 span = m_toMs - m_fromMs;
    m_time->setFormat(span > 2LL * 86400 * 1000 ? QStringLiteral("ddd HH:mm")
                      : span > 3600LL * 1000    ? QStringLiteral("HH:mm")
                                                : QStringLiteral("HH:mm:ss"));

    // Reduce first, then decide which series objects are needed. QtCharts' cost grows with the
    // points of all lines together (each series builds a stroked path), so many lines share a
    // budget of a few points per pixel column: fifty overlapping pool lines cannot show more.
    const int perLine = qMin(budget, qMax(64, kPointsPerColumn * budget / qMax(1, int(m_lines.size()))));
    QVector<QVector<QList<QPointF>>> segments;
    segments.reserve(m_lines.size());
    double top = 0;
    for (const ChartLine &line : m_lines) {
        segments.append(segmentsOf(lttb(line.points, perLine)));
        for (const QList<QPointF> &segment : segments.last())
            for (const QPointF &p : segment)
                top = qMax(top, p.y());
    }

    // Both axes before the points: every axis change recomputes every series' geometry, so
    // setting one after replace() would do that work twice.
    const double ceiling = m_percent ? qMax(100.0, niceCeiling(top * 1.05)) : niceCeiling(top * 1.1);
    m_values->setRange(0, ceiling);

    // Adding and removing QLineSeries is what costs (legend, axes, theme for each: 100 lines
    // took seconds); replace() is cheap. So series objects are kept whenever the line is the
    // same, and only a line whose number of segments changed (a gap opened or closed) is rebuilt.
    bool sameLines = m_series.size() == m_lines.size();
    for (int i = 0; sameLines && i < m_lines.size(); ++i)
        sameLines = m_series[i].first()->name() == m_lines[i].name;
    const auto removeLine = [c](QVector<QLineSeries *> &line) {
        for (QLineSeries *s : std::as_const(line)) {
            c->removeSeries(s);
            delete s;
        }
        line.clear();
    };
    if (!sameLines) { // pools came or went
        for (QVector<QLineSeries *> &line : m_series)
            removeLine(line);
        m_series = QVector<QVector<QLineSeries *>>(m_lines.size());
    }
    for (int i = 0; i < m_lines.size(); ++i) {
        QVector<QLineSeries *> &line = m_series[i];
        if (line.size() == segments[i].size())
            continue;
        const QPen pen = line.isEmpty() ? QPen() : line.first()->pen();
        const bool keepColour = !line.isEmpty();
        removeLine(line);
        for (int k = 0; k < segments[i].size(); ++k) {
            auto *s = new QLineSeries;
            s->setName(m_lines[i].name);
            c->addSeries(s);
            s->attachAxis(m_time);
            s->attachAxis(m_values);
            if (k == 0) {
                QPen first = keepColour ? pen : s->pen();
                first.setWidthF(1.5);
                first.setStyle(m_lines[i].isLimit ? Qt::DashLine : Qt::SolidLine);
                s->setPen(first);
            } else {
                s->setPen(line.first()->pen()); // one line, one colour
                for (QLegendMarker *m : c->legend()->markers(s))
                    m->setVisible(false);
            }
            line.append(s);
        }
    }
    for (int i = 0; i < m_lines.size(); ++i)
        for (int k = 0; k < segments[i].size(); ++k)
            m_series[i][k]->replace(segments[i][k]);
    // Fifty pools' names would leave no room for the plot; the tooltip names them instead.
    c->legend()->setVisible(m_lines.size() <= kMaxLegendLines);
    // Antialiasing many lines costs more than it shows.
    setRenderHint(QPainter::Antialiasing, m_lines.size() <= kMaxLegendLines);


    QList<QPointF> scaling, alerts;
    for (const ChartMarker &m : std::as_const(m_markers)) {
        if (m.timeMs < m_fromMs || m.timeMs > m_toMs)
            continue;
        (m.kind == ChartMarker::Kind::Alert ? alerts : scaling).append(QPointF(double(m.timeMs), 0));
    }
    m_scalingMarkers->replace(scaling);
    m_alertMarkers->replace(alerts);
}

int DashboardChart::shownPointCount(const QString &name) const
{
    for (int i = 0; i < m_lines.size() && i < m_series.size(); ++i) {
        if (m_lines[i].name != name)
            continue;
        int n = 0;
        for (const QLineSeries *s : m_series[i])
            n += s->count();
        return n;
    }
    return -1;
}

QVector<QLineSeries *> DashboardChart::lineSegments(const QString &name) const
{
    for (int i = 0; i < m_lines.size() && i < m_series.size(); ++i)
        if (m_lines[i].name == name)
            return m_series[i];
    return {};
}

QStringList DashboardChart::lineNames() const
{
    QStringList out;
    for (const ChartLine &l : m_lines)
        out << l.name;
    return out;
}

int DashboardChart::markerCount() const
{
    return m_scalingMarkers->count() + m_alertMarkers->count();
}

QString DashboardChart::timeText(qint64 timeMs) const
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(timeMs);
    return m_toMs - m_fromMs > 86400LL * 1000 ? QLocale().toString(t, QLocale::ShortFormat)
                                              : t.toString(QStringLiteral("HH:mm:ss"));
}

QString DashboardChart::describeAt(qint64 timeMs) const
{
    const QLocale locale;
    QStringList rows;
    rows << QStringLiteral("<b>%1</b>").arg(timeText(timeMs).toHtmlEscaped());
    // Nearest point of each line, if it is close enough to be "the value at this time": within
    // two pixels' worth of time, or a gap shows as no value rather than a neighbour's.
    const double tolerance = qMax(1500.0, 2.0 * double(m_toMs - m_fromMs) / qMax(1, m_renderedBudget));
    struct Row
    {
        QString name;
        double value;
    };
    QVector<Row> values;
    for (const ChartLine &line : m_lines) {
        const QVector<QPointF> &p = line.points;
        auto it = std::lower_bound(p.cbegin(), p.cend(), double(timeMs),
                                   [](const QPointF &a, double x) { return a.x() < x; });
        const QPointF *best = nullptr;
        for (auto candidate : {it, it == p.cbegin() ? p.cend() : it - 1}) {
            if (candidate == p.cend() || !std::isfinite(candidate->y()))
                continue;
            if (!best || std::abs(candidate->x() - timeMs) < std::abs(best->x() - timeMs))
                best = &*candidate;
        }
        values.append({line.name, best && std::abs(best->x() - timeMs) <= tolerance
                                      ? best->y()
                                      : std::numeric_limits<double>::quiet_NaN()});
    }
    // Many lines: the highest values are the interesting ones.
    const int hidden = qMax(0, int(values.size()) - kMaxTooltipLines);
    if (hidden > 0) {
        std::stable_sort(values.begin(), values.end(), [](const Row &a, const Row &b) {
            return (std::isnan(b.value) && !std::isnan(a.value)) || a.value > b.value;
        });
        values.resize(kMaxTooltipLines);
    }
    for (const Row &row : std::as_const(values)) {
        const QString value = std::isfinite(row.value)
                                  ? QStringLiteral("%1 %2").arg(locale.toString(row.value, 'f', 1), m_unit)
                                  : tr("no data");
        rows << QStringLiteral("%1: %2").arg(row.name.toHtmlEscaped(), value.toHtmlEscaped());
    }
    if (hidden > 0)
        rows << tr("\u2026 and %n more line(s)", nullptr, hidden);
    const double near = 4.0 * double(m_toMs - m_fromMs) / qMax(1, m_renderedBudget);
    for (const ChartMarker &m : m_markers) {
        if (std::abs(double(m.timeMs - timeMs)) > near)
            continue;
        rows << QStringLiteral("%1 %2 %3")
                    .arg(m.kind == ChartMarker::Kind::Alert ? QStringLiteral("\u25a0") : QStringLiteral("\u25b2"),
                         timeText(m.timeMs).toHtmlEscaped(), m.text.toHtmlEscaped());
    }
    return rows.join(QStringLiteral("<br>"));
}

void DashboardChart::mouseMoveEvent(QMouseEvent *event)
{
    QChartView::mouseMoveEvent(event);
    const QPointF scenePos = mapToScene(event->position().toPoint());
    const QPointF chartPos = chart()->mapFromScene(scenePos);
    const QRectF plot = chart()->plotArea();
    if (!plot.contains(chartPos) || m_lines.isEmpty()) {
        m_crosshair->hide();
        QToolTip::hideText();
        return;
    }
    const qint64 timeMs = qint64(chart()->mapToValue(chartPos, m_series.isEmpty() || m_series.first().isEmpty()
                                                                   ? static_cast<QAbstractSeries *>(m_scalingMarkers)
                                                                   : m_series.first().first())
                                     .x());
    m_crosshair->setLine(chartPos.x(), plot.top(), chartPos.x(), plot.bottom());
    m_crosshair->show();
    QToolTip::showText(event->globalPosition().toPoint(), describeAt(timeMs), this);
}

void DashboardChart::leaveEvent(QEvent *event)
{
    m_crosshair->hide();
    QToolTip::hideText();
    QChartView::leaveEvent(event);
}

} // namespace drover::ui
