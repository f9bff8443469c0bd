#include "circuit_breaker.h"

namespace drover {

QString breakerStateName(BreakerState state)
{
    switch (state) {
    case BreakerState::Closed:
        return QStringLiteral("closed");
    case BreakerState::Open:
        return QStringLiteral("open");
    case BreakerState::HalfOpen:
        return QStringLiteral("half_open");
    }
    return QString();
}

BreakerState CircuitBreaker::state(qint64 nowMs) const
{
    if (m_state == BreakerState::Open && nowMs - m_openedAtMs >= m_tuning.openMs)
        return BreakerState::HalfOpen;
    return m_state;
}

bool CircuitBreaker::allows(qint64 nowMs) const
{
    switch (state(nowMs)) {
    case BreakerState::Closed:
        return true;
    case BreakerState::Open:
        return false;
    case BreakerState::HalfOpen:
        return !m_trialInFlight;
    }
    return false;
}

void CircuitBreaker::onDispatched(qint64 nowMs)
{
    if (state(nowMs) == BreakerState::HalfOpen) {
        m_state = BreakerState::HalfOpen;
        m_trialInFlight = true;
    }
}

void CircuitBreaker::onSuccess(qint64)
{
    m_state = BreakerState::Closed;
    m_failures = 0;
    m_trialInFlight = false;
}

void CircuitBreaker::onFailure(qint64 nowMs)
{
    ++m_failures;
    switch (state(nowMs)) {
    case BreakerState::Closed:
        if (m_failures >= qMax(1, m_tuning.failureThreshold))
            open(nowMs);
        break;
    case BreakerState::HalfOpen:
        // The trial failed (or a late answer from before the opening did): another cool-off.
        open(nowMs);
        break;
    case BreakerState::Open:
        // A job sent before the breaker opened failed late; the cool-off is already running.
        break;
    }
}

void CircuitBreaker::onReleased(qint64)
{
    m_trialInFlight = false;
}

void CircuitBreaker::open(qint64 nowMs)
{
    m_state = BreakerState::Open;
    m_openedAtMs = nowMs;
    m_trialInFlight = false;
    ++m_timesOpened;
}

BreakerStatus CircuitBreaker::status(qint64 nowMs) const
{
    BreakerStatus s;
    s.state = state(nowMs);
    s.consecutiveFailures = m_failures;
    s.openedAtMs = m_openedAtMs;
    s.retryAtMs = m_state == BreakerState::Open ? m_openedAtMs + m_tuning.openMs : -1;
    s.trialInFlight = m_trialInFlight;
    s.timesOpened = m_timesOpened;
    return s;
}

} // namespace drover
