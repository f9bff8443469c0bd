// The autoscaler decision core for one pool (core/scaling's public header).
//
// Plain C++ with time passed in: the engine hands decide() one AutoscalerInput per tick (the
// replica count it holds, per-replica readings, the queue, the host, the provider) and gets a
// ScalingDecision back: the inputs, what drove it, the proposal, the final count and the limit
// that applied. Every tick returns a record, "no change" included, so the store and the UI can
// show why a pool is the size it is.
//
// How a tick is decided, in order (each step is commented in autoscaler.cpp):
//  1. Manual override: the operator's count, nothing else runs ("manual-override").
//  2. Zero replicas: a schedule floor or the activation threshold wakes the pool ("scale-to-zero").
//  3. Outside min/max (or below an active schedule's minimum): straight back into range.
//  4. No usable metric at all: no change ("missing-metrics"); after N such ticks the fallback
//     count ("fallback").
//  5. Two reactive paths, computed every tick:
//     - the HPA path: for each target metric ceil(current * value / target) with tolerance and
//       missing/not-ready conservatism, the largest proposal wins, then the stabilization window;
//     - the rule path: the seed rules (threshold held continuously for `for`, per-rule
//       cooldown), the largest change in a direction wins.
//     The larger scale-out wins. Scale-in happens only when every path that can scale in agrees
//     (the HPA path when it has targets, the rules when they include a scale-in rule), and then
//     by the smaller step. A path with failing metrics never agrees to a scale-in.
//  6. Forecast (opt-in): raises the count ahead of a predicted breach; never lowers it.
//  7. Rate policies (behavior Pods/Percent per period, selectPolicy) and min/max bound the change.
//  8. Idle long enough with scale-to-zero on: 0.
//  9. Provider throttling on a GPT-bound pool holds any scale-out ("provider-throttled"); then
//     the host caps it to what fits in free memory and CPU ("host-bound").
// A change is recorded as a scale event (for the rate policies and cooldowns); the engine is
// expected to apply the final count and pass it back as currentReplicas next tick.
#pragma once

#include "autoscaler_spec.h"
#include "load_forecast.h"
#include "replica_calculator.h"
#include "scaling_behavior.h"

#include <QString>
#include <QVector>
#include <limits>
#include <optional>

namespace drover {

// One replica as the engine sees it this tick. NaN, infinities and negative values (a counter
// reset turned into a negative rate) are "missing", never zero load.
struct ReplicaSample
{
    bool ready = true; // false while starting or unhealthy
    double cpuPercent = std::numeric_limits<double>::quiet_NaN();    // % of the tier's cores
    double memoryPercent = std::numeric_limits<double>::quiet_NaN(); // % of the tier's memory
    double gptTokensPerSecond = std::numeric_limits<double>::quiet_NaN();
};

struct HostState
{
    double freeMemoryMb = std::numeric_limits<double>::quiet_NaN(); // NaN: unknown, no check
    double totalCpuCores = std::numeric_limits<double>::quiet_NaN();
    double allocatedCpuCores = 0; // tier cores of every replica running on the machine
};

struct AutoscalerInput
{
    qint64 nowMs = 0; // UTC milliseconds (schedules read it in their time zone)
    int currentReplicas = 0;
    QVector<ReplicaSample> replicas; // the replicas that exist; fewer than current: starting
    double queueDepth = std::numeric_limits<double>::quiet_NaN();   // the pool's total
    double jobLatencyMs = std::numeric_limits<double>::quiet_NaN(); // e.g. p95
    double tierCpuCores = 1.0;                                      // per replica; 0: no CPU check
    double tierMemoryMb = 1024; // per replica; 0: no memory check
    HostState host;
    bool providerThrottling = false; // upstream 429 rate rising
    bool gptBound = false;           // the pool's throughput is limited by the GPT API
};

// Why the final count is what it is. "None" means the drivers' proposal went through unchanged.
enum class LimitReason
{
    None,
    Tolerance,
    Stabilized,
    RateLimited,
    AtMax,
    AtMin,
    Cooldown,
    HostBound,
    ProviderThrottled,
    ManualOverride,
    MissingMetrics,
    ScaleToZero,
    ScheduleFloor,
    Fallback,
    Forecast,
};

// "none", "tolerance", "stabilized", "rate-limited", "at-max", "at-min", "cooldown",
// "host-bound", "provider-throttled", "manual-override", "missing-metrics", "scale-to-zero",
// "schedule-floor", "fallback", "forecast".
QString limitReasonName(LimitReason reason);

struct MetricEvaluation
{
    QString metric;
    double target = 0;
    ReplicaProposal proposal;
};

struct RuleEvaluation
{
    QString name;
    double value = 0;     // the rule's metric this tick (NaN: missing)
    bool holding = false; // the condition holds this tick
    qint64 heldMs = 0;    // continuously, up to now
    bool due = false;     // held for its `for`
    bool coolingDown = false;
    bool fired = false; // due, not cooling down, and its direction was applied
};

struct ScalingDecision
{
    qint64 atMs = 0;
    AutoscalerInput input;
    int currentReplicas = 0;
    int proposedReplicas = 0; // what the winning driver asked for, before the limits
    int finalReplicas = 0;
    // "metric:cpu_percent", "rule:scale-out-fast", "forecast", "schedule:office-hours", "manual",
    // "fallback", "activation", "idle", "min", "max", or "none".
    QString driver;
    LimitReason limit = LimitReason::None;
    QString explanation; // one sentence for the operator

    // The working: each path's say.
    QVector<MetricEvaluation> metrics;
    QVector<RuleEvaluation> rules;
    std::optional<int> hpaRecommendation; // the HPA path before stabilization
    std::optional<int> hpaStabilized;
    std::optional<int> ruleProposal;
    std::optional<double> forecastLoad; // predicted total load at the horizon
    std::optional<int> forecastFloor;
    int scheduleFloor = 0;
    QString activeSchedule;
    std::optional<int> hostRoom; // replicas that still fit; nullopt: not checked or unknown

    bool changed() const { return finalReplicas != currentReplicas; }
    // "4 -> 8 metric:cpu_percent (none): ..." for logs.
    QString summary() const;
};

class Autoscaler
{
public:
    explicit Autoscaler(AutoscalerSpec spec = {});

    // Decides this tick. Updates the rule timers, the forecast history, the stabilization
    // window and, when the count changes, the scale events.
    ScalingDecision decide(const AutoscalerInput &input);

    // The operator takes over: decide() returns `replicas` until handed back.
    void setManualOverride(int replicas);
    // Handed back at `nowMs`: the scale-down window starts over from the operator's count and the
    // rule cooldowns run from now, so the autoscaler does not undo the operator at once.
    void clearManualOverride(qint64 nowMs);
    std::optional<int> manualOverride() const { return m_manual; }

    const AutoscalerSpec &spec() const { return m_spec; }
    // A reloaded config: the history (events, window, timers) is kept.
    void setSpec(const AutoscalerSpec &spec);

    const QVector<ScaleEvent> &scaleEvents() const { return m_events; }
    const QVector<Recommendation> &recommendations() const { return m_recommendations; }

private:
    struct RuleState
    {
        qint64 sinceMs = -1; // the condition has held since; -1: not holding
        qint64 lastSampleMs = -1;
    };

    void observe(const AutoscalerInput &input, ScalingDecision *d);
    void record(const ScalingDecision &d);

    AutoscalerSpec m_spec;
    QVector<RuleState> m_ruleStates; // parallel to m_spec.rules
    QVector<Recommendation> m_recommendations;
    QVector<ScaleEvent> m_events;
    HoltForecaster m_forecaster;
    std::optional<int> m_manual;
    qint64 m_lastScaleUpMs = std::numeric_limits<qint64>::min();
    qint64 m_lastScaleDownMs = std::numeric_limits<qint64>::min();
    qint64 m_idleSinceMs = -1;
    int m_consecutiveFailures = 0;
    bool m_windowSeeded = false;
};

// The per-replica rate of a counter between two scrapes; NaN when the counter went backwards
// (the agent restarted), when either value is missing or the interval is not positive, so a
// reset reads as "missing", never as zero load.
double counterRate(double previous, qint64 previousMs, double current, qint64 currentMs);

} // namespace drover
