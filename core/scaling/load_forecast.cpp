#include "load_forecast.h"

#include <cmath>

namespace drover {

void HoltForecaster::reset()
{
    m_bucketStart = -1;
    m_bucketSum = 0;
    m_bucketCount = 0;
    m_buckets = 0;
    m_level = 0;
    m_trend = 0;
}

void HoltForecaster::finishBucket()
{
    if (m_bucketCount == 0)
        return;
    const double x = m_bucketSum / m_bucketCount;
    if (m_buckets == 0) {
        m_level = x;
        m_trend = 0;
    } else if (m_buckets == 1) {
        // Seed the trend from the first two points rather than smoothing it in from zero.
        m_trend = x - m_level;
        m_level = x;
    } else {
        const double previousLevel = m_level;
        m_level = m_alpha * x + (1.0 - m_alpha) * (m_level + m_trend);
        m_trend = m_beta * (m_level - previousLevel) + (1.0 - m_beta) * m_trend;
    }
    ++m_buckets;
    m_bucketSum = 0;
    m_bucketCount = 0;
}

void HoltForecaster::add(qint64 atMs, double value)
{
    if (!std::isfinite(value))
        return;
    if (m_bucketStart < 0) {
        m_bucketStart = atMs - atMs % m_stepMs;
    } else if (atMs < m_bucketStart) {
        return;
    } else if (atMs >= m_bucketStart + m_stepMs) {
        finishBucket();
        const qint64 start = atMs - atMs % m_stepMs;
        if (start - m_bucketStart > 3 * m_stepMs) {
            reset();
        }
        m_bucketStart = start;
    }
    m_bucketSum += value;
    ++m_bucketCount;
}

std::optional<double> HoltForecaster::forecast(qint64 horizonMs, qint64 minHistoryMs) const
{
    if (m_buckets < 2 || qint64(m_buckets) * m_stepMs < minHistoryMs)
        return std::nullopt;
    return m_level + m_trend * (double(horizonMs) / double(m_stepMs));
}

} // namespace drover
