#include "dashboard_chart.h"

#include "core/metrics/downsample.h"

#include <QDateTime>
#include <QGraphicsLineItem>
#include <QLocale>
#include <QMouseEvent>
#include <QToolTip>
#include <QtCharts/QAreaSeries>
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
// A legend row of more names than this is cut to "S..." on a chart half a screen wide.
constexpr int kMaxLegendLines = 8;
constexpr int kPointsPerColumn = 4;
constexpr int kAntialiasPointsPerColumn = 1;
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
    : QChartView(new QChart, parent), // with its chart: QChartView(parent) makes one of its own
      m_unit(unit),
      m_percent(percent),
      m_band(new QAreaSeries),
      m_bandUpper(new QLineSeries(this)),
      m_bandLower(new QLineSeries(this)),
      m_scalingMarkers(new QScatterSeries),
      m_alertMarkers(new QScatterSeries),
      m_time(new QDateTimeAxis),
      m_values(new QValueAxis)
{
    QChart *const chart = this->chart();
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

    // The band first: QtCharts draws series in the order they were added, so the lines and the
    // markers stay on top of it.
    m_band->setUpperSeries(m_bandUpper);
    m_band->setLowerSeries(m_bandLower);
    m_band->setColor(QColor(127, 140, 141, 90));
    m_band->setBorderColor(QColor(127, 140, 141, 160));
    chart->addSeries(m_band);
    m_band->attachAxis(m_time);
    m_band->attachAxis(m_values);
    m_band->setVisible(false);

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

    // Which lines are drawn as lines: all of them, or for a large fleet the pinned ones and the
    // busiest others; the rest become the band.
    m_drawn.clear();
    QVector<int> folded;
    if (m_lines.size() <= kMaxSeparateLines) {
        for (int i = 0; i < m_lines.size(); ++i)
            m_drawn.append(i);
    } else {
        QVector<QPair<double, int>> byMean; // the lines that may be folded, by their mean
        for (int i = 0; i < m_lines.size(); ++i) {
            const ChartLine &line = m_lines[i];
            if (line.pinned || line.isLimit) {
                m_drawn.append(i);
                continue;
            }
            double sum = 0;
            int n = 0;
            for (const QPointF &p : line.points)
                if (std::isfinite(p.y())) {
                    sum += p.y();
                    ++n;
                }
            byMean.append({n > 0 ? sum / n : -1.0, i});
        }
        std::stable_sort(byMean.begin(), byMean.end(),
                         [](const QPair<double, int> &a, const QPair<double, int> &b) { return a.first > b.first; });
        for (int k = 0; k < byMean.size(); ++k)
            (k < kBusiestLines ? m_drawn : folded).append(byMean[k].second);
        std::sort(m_drawn.begin(), m_drawn.end()); // the caller's order: the legend stays stable
    }
    m_folded = int(folded.size());

    // Reduce first, then decide which series objects are needed. QtCharts' cost grows with the
    // points of all lines together (each series builds a stroked path), so many lines share a
    // budget of a few points per pixel column.
    const int perLine = qMin(budget, qMax(64, kPointsPerColumn * budget / qMax(1, int(m_drawn.size()))));
    QVector<QVector<QList<QPointF>>> segments;
    segments.reserve(m_drawn.size());
    double top = 0;
    for (int index : std::as_const(m_drawn)) {
        segments.append(segmentsOf(lttb(m_lines[index].points, perLine)));
        for (const QList<QPointF> &segment : segments.last())
            for (const QPointF &p : segment)
                top = qMax(top, p.y());
    }

    // The band: per pixel column, the lowest and the highest value of the folded lines. Exact
    // (no line's peak is lost), and never more points than the plot has columns. A column
    // without data is bridged: the band is an envelope, not a measurement of its own.
    QList<QPointF> upper, lower;
    if (!folded.isEmpty()) {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        QVector<double> lo(budget, nan), hi(budget, nan);
        const double from = double(m_fromMs), width = double(m_toMs - m_fromMs);
        for (int index : std::as_const(folded)) {
            for (const QPointF &p : m_lines[index].points) {
                if (!std::isfinite(p.y()) || p.x() < from || p.x() > from + width)
                    continue;
                const int col = qBound(0, int((p.x() - from) / width * budget), budget - 1);
                if (std::isnan(lo[col]) || p.y() < lo[col])
                    lo[col] = p.y();
                if (std::isnan(hi[col]) || p.y() > hi[col])
                    hi[col] = p.y();
            }
        }
        for (int col = 0; col < budget; ++col) {
            if (std::isnan(lo[col]))
                continue;
            const double x = from + (col + 0.5) * width / budget;
            upper.append(QPointF(x, hi[col]));
            lower.append(QPointF(x, lo[col]));
            top = qMax(top, hi[col]);
        }
    }

    // Both axes before the points: every axis change recomputes every series' geometry, so
    // setting one after replace() would do that work twice.
    const double ceiling = m_percent ? qMax(100.0, niceCeiling(top * 1.05)) : niceCeiling(top * 1.1);
    m_values->setRange(0, ceiling);

    // Adding and removing QLineSeries is what costs (legend, axes, theme for each: 100 lines
    // took seconds); replace() and setName() are cheap. So the series objects of each drawn
    // position are kept (renamed when another pool is now the busiest there), and only a
    // position whose number of segments changed (a gap opened or closed) is rebuilt.
    const auto removeLine = [c](QVector<QLineSeries *> &line) {
        for (QLineSeries *s : std::as_const(line)) {
            c->removeSeries(s);
            delete s;
        }
        line.clear();
    };
    while (m_series.size() > m_drawn.size()) {
        removeLine(m_series.last());
        m_series.removeLast();
    }
    m_series.resize(m_drawn.size());
    for (int slot = 0; slot < m_drawn.size(); ++slot) {
        const ChartLine &source = m_lines[m_drawn[slot]];
        const Qt::PenStyle style = source.isLimit ? Qt::DashLine : Qt::SolidLine;
        QVector<QLineSeries *> &line = m_series[slot];
        if (line.size() == segments[slot].size()) {
            for (QLineSeries *s : std::as_const(line)) {
                if (s->name() != source.name)
                    s->setName(source.name);
                if (s->pen().style() != style) {
                    QPen pen = s->pen();
                    pen.setStyle(style);
                    s->setPen(pen);
                }
            }
            continue;
        }
        const QPen pen = line.isEmpty() ? QPen() : line.first()->pen();
        const bool keepColour = !line.isEmpty();
        removeLine(line);
        for (int k = 0; k < segments[slot].size(); ++k) {
            auto *s = new QLineSeries;
            s->setName(source.name);
            c->addSeries(s);
            s->attachAxis(m_time);
            s->attachAxis(m_values);
            if (k == 0) {
                QPen first = keepColour ? pen : s->pen();
                first.setWidthF(1.5);
                first.setStyle(style);
                s->setPen(first);
            } else {
                s->setPen(line.first()->pen()); // one line, one colour
                for (QLegendMarker *m : c->legend()->markers(s))
                    m->setVisible(false);
            }
            line.append(s);
        }
    }
    for (int slot = 0; slot < m_drawn.size(); ++slot)
        for (int k = 0; k < segments[slot].size(); ++k)
            m_series[slot][k]->replace(segments[slot][k]);

    m_bandUpper->replace(upper);
    m_bandLower->replace(lower);
    m_band->setName(tr("%n other line(s): lowest to highest", nullptr, m_folded));
    m_band->setVisible(m_folded > 0);
    for (QLegendMarker *m : c->legend()->markers(m_band))
        m->setVisible(m_folded > 0);
    // More names than this would leave no room for the plot; the tooltip names them instead.
    const int entries = int(m_drawn.size()) + (m_folded > 0 ? 1 : 0);
    c->legend()->setVisible(entries <= kMaxLegendLines);
    // Antialiasing dense lines costs more than it shows: a 24 h chart of a few jagged lines at one
    // point per pixel column took 80-110 ms to paint antialiased (docs/benchmarks/ui.md).
    int drawnPoints = int(upper.size() + lower.size());
    for (const QVector<QList<QPointF>> &line : std::as_const(segments))
        for (const QList<QPointF> &segment : line)
            drawnPoints += int(segment.size());
    setRenderHint(QPainter::Antialiasing, drawnPoints <= kAntialiasPointsPerColumn * budget);

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
    for (int slot = 0; slot < m_drawn.size() && slot < m_series.size(); ++slot) {
        if (m_lines[m_drawn[slot]].name != name)
            continue;
        int n = 0;
        for (const QLineSeries *s : m_series[slot])
            n += s->count();
        return n;
    }
    return lineNames().contains(name) ? 0 : -1;
}

QVector<QLineSeries *> DashboardChart::lineSegments(const QString &name) const
{
    for (int slot = 0; slot < m_drawn.size() && slot < m_series.size(); ++slot)
        if (m_lines[m_drawn[slot]].name == name)
            return m_series[slot];
    return {};
}

QStringList DashboardChart::drawnLineNames() const
{
    QStringList out;
    for (int index : m_drawn)
        out << m_lines[index].name;
    return out;
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
