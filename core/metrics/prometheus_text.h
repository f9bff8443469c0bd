// Parser for the Prometheus text exposition format 0.0.4, what agents serve on /metrics.
//
// It never gives up on the whole page for one bad line: each bad line becomes an error with
// its 1-based line number and is skipped, the rest is still read. A page that is not metrics
// at all (an HTML error page, binary junk) shows up as "not Prometheus text" errors, so the
// supervisor can say what it actually received instead of reporting empty metrics.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QList>
#include <QMap>
#include <QString>

#include <optional>

namespace drover {

enum class PrometheusType { Untyped, Counter, Gauge, Histogram, Summary };

using PrometheusLabels = QMap<QString, QString>;

struct PrometheusSample
{
    QString name; // the sample's own name, e.g. agent_job_duration_seconds_bucket
    PrometheusLabels labels;
    double value = 0;
    std::optional<qint64> timestampMs;
    int line = 0;
};

struct PrometheusFamily
{
    QString name; // agent_job_duration_seconds for its _bucket/_sum/_count samples
    PrometheusType type = PrometheusType::Untyped;
    QString help;
};

struct PrometheusParseError
{
    int line = 0; // 1-based
    QString message;

    QString toString() const; // "line N: message"
};

struct PrometheusHistogram
{
    struct Bucket
    {
        double upperBound = 0; // "le"; +Inf for the last one
        double cumulativeCount = 0;
    };
    QList<Bucket> buckets; // sorted by upperBound
    double sum = 0;
    double count = 0;

    // Linear interpolation inside the bucket holding quantile q (0..1), like PromQL's
    // histogram_quantile; nothing when the histogram is empty or has no +Inf bucket.
    std::optional<double> quantile(double q) const;
};

struct PrometheusParseResult
{
    QList<PrometheusSample> samples;
    QHash<QString, PrometheusFamily> families; // only families named by # TYPE or # HELP
    QList<PrometheusParseError> errors;
    bool truncated = false; // stopped after too many errors

    bool ok() const { return errors.isEmpty(); }
    // The family a sample name belongs to: "x_bucket" -> "x" when x is a histogram, etc.
    QString familyOf(const QString &sampleName) const;
    PrometheusType typeOf(const QString &sampleName) const;
    // The value of the sample with exactly these labels.
    std::optional<double> value(const QString &name, const PrometheusLabels &labels = {}) const;
    // Sum over every sample of `name` whose labels include `subset` (e.g. all statuses).
    double sum(const QString &name, const PrometheusLabels &subset = {}) const;
    // The histogram `family` with these labels (besides "le"), if it has any samples.
    std::optional<PrometheusHistogram> histogram(const QString &family,
                                                 const PrometheusLabels &labels = {}) const;
};

// At most this many errors are collected; after that parsing stops (truncated = true), so
// a megabyte of garbage costs a bounded amount of memory.
constexpr int kPrometheusMaxErrors = 100;

PrometheusParseResult parsePrometheusText(QByteArrayView text);

// Escaping for writers: label values (\\, \", \n) and HELP text (\\, \n).
QString prometheusEscapeLabelValue(const QString &value);
QString prometheusEscapeHelp(const QString &help);
// Go's formatting of sample values: +Inf, -Inf, NaN, otherwise the shortest exact form.
QByteArray prometheusFormatValue(double value);

} // namespace drover
