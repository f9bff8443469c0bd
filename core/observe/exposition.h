// Writes the Prometheus text exposition format 0.0.4: one # HELP and # TYPE per family, then
// its samples. Families are written whole, so a family's samples are never split (promtool
// and Prometheus reject a family that appears twice).
#pragma once

#include "core/metrics/prometheus_text.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace drover {

// Label pairs in the order they are written (Prometheus does not care, humans reading diffs do).
using MetricLabels = QList<QPair<QString, QString>>;

// Cumulative histogram buckets as Prometheus wants them: each bucket counts every observation
// <= its bound, and the +Inf bucket equals the count.
class Histogram
{
public:
    explicit Histogram(QList<double> upperBounds = {});

    void observe(double value);
    const QList<double> &upperBounds() const { return m_bounds; }
    quint64 cumulativeCount(int bucket) const; // bucket == upperBounds().size(): +Inf
    quint64 count() const { return m_count; }
    double sum() const { return m_sum; }

private:
    QList<double> m_bounds;    // ascending, finite
    QList<quint64> m_inBucket; // observations in (previous bound, bound]; last: above all
    quint64 m_count = 0;
    double m_sum = 0;
};

class ExpositionWriter
{
public:
    // Starts a family. `name` is the family name (a counter's ends in _total).
    void family(const QString &name, PrometheusType type, const QString &help);
    void sample(const MetricLabels &labels, double value);
    // The sample `name` + `suffix` (a histogram's _bucket/_sum/_count).
    void sampleWithSuffix(const char *suffix, const MetricLabels &labels, double value);
    void histogram(const MetricLabels &labels, const Histogram &h);

    QByteArray text() const { return m_out; }

private:
    QString m_family;
    QByteArray m_out;
};

// A valid metric or label name (letters, digits, '_' and ':' for metrics; not a leading digit).
bool isValidMetricName(const QString &name);
bool isValidLabelName(const QString &name);

} // namespace drover
