// A circuit breaker per replica: closed (jobs flow), open after N consecutive delivery
// failures (no jobs for a cool-off), then half-open (exactly one trial job; its success
// closes the breaker, its failure opens it again for another cool-off). Pure logic with time
// passed in; the state is a value the UI can show.
#pragma once

#include <QString>
#include <QtGlobal>

namespace drover {

enum class BreakerState
{
    Closed,
    Open,
    HalfOpen
};

QString breakerStateName(BreakerState state); // "closed", "open", "half_open"

struct BreakerTuning
{
    int failureThreshold = 5; // consecutive failures (5xx, connection errors, timeouts)
    qint64 openMs = 30000;    // cool-off before the half-open trial
};

struct BreakerStatus
{
    BreakerState state = BreakerState::Closed;
    int consecutiveFailures = 0;
    qint64 openedAtMs = -1; // when it last opened
    qint64 retryAtMs = -1;  // open: when the half-open trial becomes possible
    bool trialInFlight = false;
    int timesOpened = 0;
};

class CircuitBreaker
{
public:
    CircuitBreaker() = default;
    explicit CircuitBreaker(BreakerTuning tuning) : m_tuning(tuning) {}

    // The state at `nowMs`: an open breaker whose cool-off has passed is half-open.
    BreakerState state(qint64 nowMs) const;
    // Whether a job may be sent now: closed, or half-open with no trial out yet.
    bool allows(qint64 nowMs) const;

    // A job was sent (the half-open trial, if that is the state).
    void onDispatched(qint64 nowMs);
    // The agent accepted a job: closed, failures forgotten.
    void onSuccess(qint64 nowMs);
    // A delivery failed: counts towards opening; a failed trial opens again.
    void onFailure(qint64 nowMs);
    // The job came back without a verdict (429, 503 draining): a trial may be sent again.
    void onReleased(qint64 nowMs);

    BreakerStatus status(qint64 nowMs) const;
    const BreakerTuning &tuning() const { return m_tuning; }
    void setTuning(const BreakerTuning &tuning) { m_tuning = tuning; }

private:
    void open(qint64 nowMs);

    BreakerTuning m_tuning;
    BreakerState m_state = BreakerState::Closed; // Open stays stored until a trial is sent
    int m_failures = 0;
    qint64 m_openedAtMs = -1;
    bool m_trialInFlight = false;
    int m_timesOpened = 0;
};

} // namespace drover
