// In-memory history of one series at 1 s resolution: a fixed-capacity ring (the last hour by
// default), feeding the charts and the decision cores without touching the disk.
#pragma once

#include <QString>
#include <QVector>

#include <cmath>

namespace drover {

struct SeriesPoint
{
    qint64 timeMs = 0;
    double value = 0;
};

class SeriesRing
{
public:
    explicit SeriesRing(int capacity = 3600) : m_points(qMax(1, capacity)) {}

    // NaN and infinities are not stored: a missing sample is a gap, never a made-up number.
    void append(qint64 timeMs, double value)
    {
        if (!std::isfinite(value))
            return;
        m_points[m_next] = {timeMs, value};
        m_next = (m_next + 1) % m_points.size();
        if (m_size < m_points.size())
            ++m_size;
    }

    int size() const { return m_size; }
    bool isEmpty() const { return m_size == 0; }
    const SeriesPoint &at(int i) const // 0 = oldest
    {
        return m_points[(m_next - m_size + i + m_points.size()) % m_points.size()];
    }
    const SeriesPoint &last() const { return at(m_size - 1); }

    // Points with timeMs >= sinceMs, oldest first.
    QVector<SeriesPoint> since(qint64 sinceMs) const
    {
        QVector<SeriesPoint> out;
        for (int i = 0; i < m_size; ++i) {
            const SeriesPoint &p = at(i);
            if (p.timeMs >= sinceMs)
                out.append(p);
        }
        return out;
    }

private:
    QVector<SeriesPoint> m_points;
    int m_next = 0;
    int m_size = 0;
};

} // namespace drover
