// Reducing a long series to what a plot of a given width can show. Both reducers are pure
// functions over points ordered by time; y = NaN marks a gap (missing data), which stays a gap
// in the output (one NaN point between the runs it separates), never a made-up value.
//
// - lttb: Largest-Triangle-Three-Buckets (Steinarsson 2013). Keeps the first and the last
//   point and, per bucket, the point that spans the largest triangle with its neighbours, so
//   spikes and the overall shape survive. For a line that should look like the original.
// - minMaxPerBucket: per time bucket (one per pixel column) the minimum and the maximum in
//   time order. Exact envelope: nothing higher or lower than the input is lost, so a 1 s spike
//   in a week of data is still drawn.
#pragma once

#include <QPointF>
#include <QVector>

namespace drover {

// At most `maxPoints` points (gap markers included); the input unchanged when it already fits.
// maxPoints < 3 is treated as 3.
QVector<QPointF> lttb(const QVector<QPointF> &points, int maxPoints);

// At most 2 * buckets points (a bucket without data yields one NaN gap marker when it lies
// between data). Buckets divide [fromX, toX] evenly; points outside it are ignored.
QVector<QPointF> minMaxPerBucket(const QVector<QPointF> &points, double fromX, double toX, int buckets);

// Inserts a NaN gap marker wherever consecutive points are more than `maxStepX` apart (the
// store does not write missing samples, so a gap there is a jump in time).
QVector<QPointF> markGaps(const QVector<QPointF> &points, double maxStepX);

} // namespace drover
