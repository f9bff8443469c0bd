// Restart decisions: exponential backoff with jitter and the crash-loop detector. Pure logic
// with time passed in (milliseconds), so tests drive it with simulated time.
#pragma once

#include <QVector>
#include <QtGlobal>

namespace drover {

struct RestartTuning
{
    qint64 initialMs = 1000;
    qint64 maxMs = 60000;
    double jitter = 0.2;          // +-20 % so a fleet that crashed together does not restart in lockstep
    int crashLoopCount = 5;       // this many crashes ...
    qint64 crashLoopWindowMs = 120000; // ... within this window is a crash loop
    qint64 healthyResetMs = 60000;     // ready this long: the backoff starts over
};

class RestartPolicy
{
public:
    explicit RestartPolicy(RestartTuning tuning = {}) : m_tuning(tuning) {}

    // Records a crash at `nowMs`. Returns the delay before restarting, or -1 when the crashes
    // form a crash loop (K within the window) and restarting should stop.
    // The first crash after a healthy period restarts at once (the replacement may well be
    // fine); repeats wait initial, 2x, 4x ... up to max. `random01` in [0, 1) draws the jitter.
    qint64 onCrash(qint64 nowMs, double random01);

    // The replica has been ready since `readySinceMs`; after healthyResetMs the backoff and
    // the crash history are forgotten.
    void onHealthy(qint64 readySinceMs, qint64 nowMs);

    // The operator restarted the pool: forget everything.
    void reset();

    bool inCrashLoop() const { return m_crashLoop; }
    int consecutiveCrashes() const { return m_consecutive; }
    const RestartTuning &tuning() const { return m_tuning; }

private:
    RestartTuning m_tuning;
    QVector<qint64> m_crashTimes; // within the window only
    int m_consecutive = 0;
    bool m_crashLoop = false;
};

} // namespace drover
