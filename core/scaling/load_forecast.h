// Holt's linear trend (double exponential smoothing) over a load series sampled at irregular
// times: samples are averaged into fixed buckets, each finished bucket updates level and trend.
// Time is passed in; no clock, no I/O.
#pragma once

#include <QtGlobal>
#include <optional>

namespace drover {

class HoltForecaster
{
public:
    HoltForecaster(double alpha = 0.5, double beta = 0.3, qint64 stepMs = 30000)
        : m_alpha(alpha), m_beta(beta), m_stepMs(qMax<qint64>(1, stepMs))
    {
    }

    // A sample of the load at `atMs`. Samples must not go back in time (older ones are ignored).
    // A gap of more than two empty buckets starts the model over: a trend across a hole is
    // a guess.
    void add(qint64 atMs, double value);

    // The load `horizonMs` after the last finished bucket, once at least `minHistoryMs` of
    // continuous buckets back it.
    std::optional<double> forecast(qint64 horizonMs, qint64 minHistoryMs) const;

    int buckets() const { return m_buckets; }
    double level() const { return m_level; }
    double trendPerStep() const { return m_trend; }
    void reset();

private:
    void finishBucket();

    double m_alpha;
    double m_beta;
    qint64 m_stepMs;
    qint64 m_bucketStart = -1;
    double m_bucketSum = 0;
    int m_bucketCount = 0;
    int m_buckets = 0; // finished buckets in the model
    double m_level = 0;
    double m_trend = 0;
};

} // namespace drover
