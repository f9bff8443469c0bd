#include "downsample.h"

#include <cmath>
#include <limits>

namespace drover {

namespace {

QPointF gapMarker(double x)
{
    return QPointF(x, std::numeric_limits<double>::quiet_NaN());
}

// Standard LTTB over finite points; returns the indices kept (n >= 3, points.size() > n).
QVector<int> lttbIndices(const QVector<QPointF> &p, int n)
{
    const int size = int(p.size());
    QVector<int> kept;
    kept.reserve(n);
    kept.append(0);
    const double every = double(size - 2) / double(n - 2);
    int a = 0;
    for (int i = 0; i < n - 2; ++i) {
        // The average of the next bucket is the third corner of the triangle.
        const int avgStart = int(std::floor((i + 1) * every)) + 1;
        const int avgEnd = qMin(int(std::floor((i + 2) * every)) + 1, size);
        double avgX = 0, avgY = 0;
        const int avgCount = qMax(1, avgEnd - avgStart);
        if (avgEnd > avgStart) {
            for (int j = avgStart; j < avgEnd; ++j) {
                avgX += p[j].x();
                avgY += p[j].y();
            }
            avgX /= avgCount;
            avgY /= avgCount;
        } else { // the last bucket: the final point closes the triangle
            avgX = p[size - 1].x();
            avgY = p[size - 1].y();
        }
        const int from = int(std::floor(i * every)) + 1;
        const int to = qMin(int(std::floor((i + 1) * every)) + 1, size - 1);
        double bestArea = -1;
        int best = from;
        for (int j = from; j < to; ++j) {
            const double area = std::abs((p[a].x() - avgX) * (p[j].y() - p[a].y())
                                         - (p[a].x() - p[j].x()) * (avgY - p[a].y()));
            if (area > bestArea) {
                bestArea = area;
                best = j;
            }
        }
        kept.append(best);
        a = best;
    }
    kept.append(size - 1);
    return kept;
}

} // namespace

QVector<QPointF> lttb(const QVector<QPointF> &points, int maxPoints)
{
    maxPoints = qMax(3, maxPoints);
    if (points.size() <= maxPoints)
        return points;

    // The finite points, and for each the number of gaps seen up to it (a gap between two kept
    // points is then a difference of these counts).
    QVector<QPointF> finite;
    QVector<int> gapsBefore;
    finite.reserve(points.size());
    gapsBefore.reserve(points.size());
    int gaps = 0;
    bool inGap = false;
    for (const QPointF &p : points) {
        if (!std::isfinite(p.y()) || !std::isfinite(p.x())) {
            inGap = !finite.isEmpty(); // a leading gap separates nothing
            continue;
        }
        if (inGap)
            ++gaps;
        inGap = false;
        finite.append(p);
        gapsBefore.append(gaps);
    }
    if (finite.isEmpty())
        return {};

    // Reserve room for the gap markers so the output stays within maxPoints: with g markers
    // and n points, at most min(g, n - 1) markers can fall between kept points.
    const int n = maxPoints - qMin(gaps, maxPoints / 2);
    QVector<int> kept;
    if (finite.size() <= n) {
        kept.reserve(finite.size());
        for (int i = 0; i < finite.size(); ++i)
            kept.append(i);
    } else {
        kept = lttbIndices(finite, qMax(3, n));
    }

    QVector<QPointF> out;
    out.reserve(maxPoints);
    for (int k = 0; k < kept.size(); ++k) {
        const int i = kept[k];
        if (k > 0 && gapsBefore[i] != gapsBefore[kept[k - 1]])
            out.append(gapMarker((finite[kept[k - 1]].x() + finite[i].x()) / 2));
        out.append(finite[i]);
    }
    return out;
}

QVector<QPointF> minMaxPerBucket(const QVector<QPointF> &points, double fromX, double toX, int buckets)
{
    QVector<QPointF> out;
    if (buckets <= 0 || !(toX > fromX))
        return out;
    const double width = (toX - fromX) / buckets;
    struct Extremes
    {
        int min = -1;
        int max = -1;
    };
    QVector<Extremes> byBucket(buckets);
    for (int i = 0; i < points.size(); ++i) {
        const QPointF &p = points[i];
        if (!std::isfinite(p.x()) || !std::isfinite(p.y()) || p.x() < fromX || p.x() > toX)
            continue;
        const int b = qMin(buckets - 1, int((p.x() - fromX) / width));
        Extremes &e = byBucket[b];
        if (e.min < 0 || p.y() < points[e.min].y())
            e.min = i;
        if (e.max < 0 || p.y() > points[e.max].y())
            e.max = i;
    }
    out.reserve(2 * buckets);
    bool pendingGap = false;
    for (int b = 0; b < buckets; ++b) {
        const Extremes &e = byBucket[b];
        if (e.min < 0) {
            pendingGap = !out.isEmpty(); // only a gap between data is drawn as one
            continue;
        }
        if (pendingGap)
            out.append(gapMarker(fromX + b * width));
        pendingGap = false;
        // In time order, so the line goes through both extremes as the data did.
        const int first = qMin(e.min, e.max);
        const int second = qMax(e.min, e.max);
        out.append(points[first]);
        if (second != first)
            out.append(points[second]);
    }
    return out;
}

QVector<QPointF> markGaps(const QVector<QPointF> &points, double maxStepX)
{
    QVector<QPointF> out;
    out.reserve(points.size() + 8);
    for (int i = 0; i < points.size(); ++i) {
        if (i > 0 && points[i].x() - points[i - 1].x() > maxStepX && std::isfinite(points[i - 1].y()))
            out.append(gapMarker((points[i].x() + points[i - 1].x()) / 2));
        out.append(points[i]);
    }
    return out;
}

} // namespace drover
