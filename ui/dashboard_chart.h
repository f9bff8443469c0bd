// One chart of the dashboard: named lines over a time range, downsampled to the plot's width
// before they reach a QLineSeries (STYLE.md point 6), event markers on the time axis, and a
// crosshair with a tooltip of every line's value under the mouse.
//
// A large fleet is drawn condensed: beyond kMaxSeparateLines lines, the pinned lines (machine,
// totals, budget) and the few busiest others are drawn as lines and the rest as one min/max
// band. Fifty overlapping pool lines cannot be told apart anyway, and QtCharts' cost grows with
// every line (a stroked path each): the 24 h redraw of 50 pools stalled the UI thread for
// 50-100 ms with 103 token lines (docs/benchmarks/ui.md). The tooltip still names every line.
#pragma once

#include <QColor>
#include <QPointF>
#include <QVector>
#include <QtCharts/QChartView>

class QAreaSeries;
class QGraphicsLineItem;
class QLineSeries;
class QScatterSeries;
class QDateTimeAxis;
class QValueAxis;

namespace drover::ui {

struct ChartLine
{
    QString name;
    QVector<QPointF> points; // x: ms since the epoch; NaN y: a gap
    bool isLimit = false;    // drawn dashed (a budget, not a measurement); always drawn
    bool pinned = false;     // always drawn as a line, never folded into the band (machine, totals)
};

struct ChartMarker
{
    qint64 timeMs = 0;
    enum class Kind { Scaling, Alert } kind = Kind::Scaling;
    QString text; // "mail: 2 -> 3 (rule:scale-out)"
};

class DashboardChart : public QChartView
{
    Q_OBJECT
public:
    // `unit` follows values in the tooltip ("%", "jobs", "tokens/s"); `percent`: the value axis
    // starts at 0..100 and grows only when a value exceeds 100.
    DashboardChart(const QString &title, const QString &unit, bool percent, QWidget *parent = nullptr);

    // Replaces what is shown. Each line is reduced to at most pointBudget() points.
    void setData(const QVector<ChartLine> &lines, qint64 fromMs, qint64 toMs);
    // Lines and markers at once: one render instead of two.
    void setData(const QVector<ChartLine> &lines, qint64 fromMs, qint64 toMs,
                 const QVector<ChartMarker> &markers);
    void setMarkers(const QVector<ChartMarker> &markers);

    // Beyond this many lines the chart is condensed (see above) to its pinned lines, the
    // kBusiestLines busiest others (highest mean over the range) and a band for the rest.
    static constexpr int kMaxSeparateLines = 12;
    static constexpr int kBusiestLines = 5;

    // Points a line may have: the plot area's width in pixels (one point per pixel column).
    int pointBudget() const;
    // The points shown for a line (all its segments, gaps excluded); 0: folded into the band;
    // -1: no such line.
    int shownPointCount(const QString &name) const;
    // The segments of a line (a gap starts a new QLineSeries: QtCharts draws through NaN);
    // empty for a line folded into the band.
    QVector<QLineSeries *> lineSegments(const QString &name) const;
    QStringList lineNames() const;      // every line given, drawn or folded
    QStringList drawnLineNames() const; // the lines drawn as lines
    // The band of the lines not drawn separately (hidden when every line is drawn).
    QAreaSeries *band() const { return m_band; }
    int foldedLineCount() const { return m_folded; }
    int markerCount() const;
    QDateTimeAxis *timeAxis() const { return m_time; }
    QValueAxis *valueAxis() const { return m_values; }
    // What the hover tooltip says at `timeMs`: the time, each line's value there, markers near.
    QString describeAt(qint64 timeMs) const;

protected:
    void mouseMoveEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    void render();
    QString timeText(qint64 timeMs) const;

    QString m_unit;
    bool m_percent;
    QVector<ChartLine> m_lines; // as given (already bounded by the caller's source)
    QVector<ChartMarker> m_markers;
    qint64 m_fromMs = 0;
    qint64 m_toMs = 0;
    int m_renderedBudget = 0;
    QVector<int> m_drawn;                     // indices into m_lines of the lines drawn as lines
    QVector<QVector<QLineSeries *>> m_series; // parallel to m_drawn: each drawn line's segments
    QAreaSeries *m_band;
    QLineSeries *m_bandUpper;
    QLineSeries *m_bandLower;
    int m_folded = 0;
    QScatterSeries *m_scalingMarkers;
    QScatterSeries *m_alertMarkers;
    QDateTimeAxis *m_time;
    QValueAxis *m_values;
    QGraphicsLineItem *m_crosshair = nullptr;
};

} // namespace drover::ui
