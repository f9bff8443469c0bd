#include "restart_policy.h"

#include <algorithm>
#include <cmath>

namespace drover {

qint64 RestartPolicy::onCrash(qint64 nowMs, double random01)
{
    m_crashTimes.append(nowMs);
    const qint64 windowStart = nowMs - m_tuning.crashLoopWindowMs;
    m_crashTimes.erase(std::remove_if(m_crashTimes.begin(), m_crashTimes.end(),
                                      [windowStart](qint64 t) { return t < windowStart; }),
                       m_crashTimes.end());
    if (m_crashTimes.size() >= m_tuning.crashLoopCount) {
        m_crashLoop = true;
        return -1;
    }
    ++m_consecutive;
    if (m_consecutive == 1)
        return 0;
    // initial * 2^(n-2): the second crash waits `initial`, the third twice that, ...
    const int exponent = std::min(m_consecutive - 2, 30);
    const double base = std::min(double(m_tuning.maxMs),
                                 double(m_tuning.initialMs) * std::ldexp(1.0, exponent));
    const double factor = 1.0 + m_tuning.jitter * (2.0 * std::clamp(random01, 0.0, 1.0) - 1.0);
    return std::clamp<qint64>(qint64(std::llround(base * factor)), 0, m_tuning.maxMs);
}

void RestartPolicy::onHealthy(qint64 readySinceMs, qint64 nowMs)
{
    if (m_crashLoop || nowMs - readySinceMs < m_tuning.healthyResetMs)
        return;
    m_consecutive = 0;
    m_crashTimes.clear();
}

void RestartPolicy::reset()
{
    m_crashTimes.clear();
    m_consecutive = 0;
    m_crashLoop = false;
}

} // namespace drover
