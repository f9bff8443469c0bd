#include "autoscaler.h"

#include "scale_schedule.h"

#include <algorithm>
#include <cmath>

namespace drover {

namespace {

constexpr qint64 kNever = std::numeric_limits<qint64>::min();

int ceilToInt(double x)
{
    const double rounded = std::ceil(x - 1e-9);
    return rounded > 1e9 ? 1000000000 : int(std::max(0.0, rounded));
}

QString number(double v)
{
    return std::isfinite(v) ? QString::number(v, 'g', 4) : QStringLiteral("missing");
}

// The average of a per-replica metric over ready replicas with a usable reading; NaN if none.
double readyAverage(const QVector<ReplicaSample> &replicas, double ReplicaSample::*field,
                    int *readyCount = nullptr)
{
    double sum = 0;
    int n = 0;
    int ready = 0;
    for (const ReplicaSample &r : replicas) {
        if (!r.ready)
            continue;
        ++ready;
        if (isUsableReading(r.*field)) {
            sum += r.*field;
            ++n;
        }
    }
    if (readyCount)
        *readyCount = ready;
    return n > 0 ? sum / n : std::numeric_limits<double>::quiet_NaN();
}

double ReplicaSample::*perReplicaField(ScalingMetric m)
{
    switch (m) {
    case ScalingMetric::CpuPercent:
        return &ReplicaSample::cpuPercent;
    case ScalingMetric::MemoryPercent:
        return &ReplicaSample::memoryPercent;
    case ScalingMetric::GptTokensPerSecond:
        return &ReplicaSample::gptTokensPerSecond;
    case ScalingMetric::QueueDepth:
    case ScalingMetric::JobLatencyMs:
        break;
    }
    return nullptr;
}

// The value a rule compares: per-replica metrics as the ready replicas' average, pool metrics
// as they are. NaN when missing.
double ruleValue(const AutoscalerInput &in, const QString &metric)
{
    const auto m = scalingMetricFromName(metric);
    if (!m)
        return std::numeric_limits<double>::quiet_NaN();
    if (*m == ScalingMetric::QueueDepth)
        return isUsableReading(in.queueDepth) ? in.queueDepth
                                              : std::numeric_limits<double>::quiet_NaN();
    if (*m == ScalingMetric::JobLatencyMs)
        return isUsableReading(in.jobLatencyMs) ? in.jobLatencyMs
                                                : std::numeric_limits<double>::quiet_NaN();
    return readyAverage(in.replicas, perReplicaField(*m));
}

// The pool's total load of a metric for the forecast: per-replica average x ready replicas
// (replicas that are starting add no load yet), or the queue total. NaN when missing.
double totalLoad(const AutoscalerInput &in, const QString &metric)
{
    const auto m = scalingMetricFromName(metric);
    if (!m || *m == ScalingMetric::JobLatencyMs)
        return std::numeric_limits<double>::quiet_NaN();
    if (*m == ScalingMetric::QueueDepth)
        return isUsableReading(in.queueDepth) ? in.queueDepth
                                              : std::numeric_limits<double>::quiet_NaN();
    int ready = 0;
    const double avg = readyAverage(in.replicas, perReplicaField(*m), &ready);
    return avg * ready;
}

// How many more replicas fit on the machine; nullopt when neither memory nor CPU is known.
std::optional<int> hostRoom(const AutoscalerInput &in, const HostFitSpec &fit)
{
    std::optional<double> room;
    if (std::isfinite(in.host.freeMemoryMb) && in.tierMemoryMb > 0) {
        room = std::floor((in.host.freeMemoryMb - fit.memoryReserveMb) / in.tierMemoryMb);
    }
    if (std::isfinite(in.host.totalCpuCores) && in.tierCpuCores > 0) {
        const double allocated =
            std::isfinite(in.host.allocatedCpuCores) && in.host.allocatedCpuCores > 0
                ? in.host.allocatedCpuCores
                : 0.0;
        const double cpuRoom = std::floor(
            (in.host.totalCpuCores * fit.cpuOvercommit - allocated) / in.tierCpuCores + 1e-9);
        room = room ? std::min(*room, cpuRoom) : cpuRoom;
    }
    if (!room)
        return std::nullopt;
    return int(std::clamp(*room, 0.0, 1e9));
}

} // namespace

QString limitReasonName(LimitReason reason)
{
    switch (reason) {
    case LimitReason::None:
        return QStringLiteral("none");
    case LimitReason::Tolerance:
        return QStringLiteral("tolerance");
    case LimitReason::Stabilized:
        return QStringLiteral("stabilized");
    case LimitReason::RateLimited:
        return QStringLiteral("rate-limited");
    case LimitReason::AtMax:
        return QStringLiteral("at-max");
    case LimitReason::AtMin:
        return QStringLiteral("at-min");
    case LimitReason::Cooldown:
        return QStringLiteral("cooldown");
    case LimitReason::HostBound:
        return QStringLiteral("host-bound");
    case LimitReason::ProviderThrottled:
        return QStringLiteral("provider-throttled");
    case LimitReason::ManualOverride:
        return QStringLiteral("manual-override");
    case LimitReason::MissingMetrics:
        return QStringLiteral("missing-metrics");
    case LimitReason::ScaleToZero:
        return QStringLiteral("scale-to-zero");
    case LimitReason::ScheduleFloor:
        return QStringLiteral("schedule-floor");
    case LimitReason::Fallback:
        return QStringLiteral("fallback");
    case LimitReason::Forecast:
        return QStringLiteral("forecast");
    }
    return QStringLiteral("none");
}

QString ScalingDecision::summary() const
{
    return QStringLiteral("%1 -> %2 %3 (%4): %5")
        .arg(currentReplicas)
        .arg(finalReplicas)
        .arg(driver, limitReasonName(limit), explanation);
}

double counterRate(double previous, qint64 previousMs, double current, qint64 currentMs)
{
    if (!std::isfinite(previous) || !std::isfinite(current) || currentMs <= previousMs ||
        current < previous)
        return std::numeric_limits<double>::quiet_NaN();
    return (current - previous) / (double(currentMs - previousMs) / 1000.0);
}

Autoscaler::Autoscaler(AutoscalerSpec spec)
    : m_spec(std::move(spec)), m_ruleStates(m_spec.rules.size()),
      m_forecaster(m_spec.forecast.alpha, m_spec.forecast.beta, m_spec.forecast.stepMs)
{
}

void Autoscaler::setSpec(const AutoscalerSpec &spec)
{
    // Keep each rule's timer when a rule of the same name survives the reload.
    QVector<RuleState> states(spec.rules.size());
    for (int i = 0; i < spec.rules.size(); ++i) {
        for (int j = 0; j < m_spec.rules.size(); ++j) {
            if (m_spec.rules[j].name == spec.rules[i].name &&
                m_spec.rules[j].metric == spec.rules[i].metric)
                states[i] = m_ruleStates[j];
        }
    }
    const ForecastSpec &was = m_spec.forecast;
    if (was.alpha != spec.forecast.alpha || was.beta != spec.forecast.beta ||
        was.stepMs != spec.forecast.stepMs || was.metric != spec.forecast.metric)
        m_forecaster =
            HoltForecaster(spec.forecast.alpha, spec.forecast.beta, spec.forecast.stepMs);
    m_spec = spec;
    m_ruleStates = states;
}

void Autoscaler::setManualOverride(int replicas)
{
    m_manual = std::max(0, replicas);
}

void Autoscaler::clearManualOverride(qint64 nowMs)
{
    if (!m_manual)
        return;
    m_manual.reset();
    // The next decide() seeds the scale-down window with the operator's count, as HPA does on
    // its first run; the rule cooldowns count from the hand-back.
    m_recommendations.clear();
    m_windowSeeded = false;
    m_lastScaleUpMs = nowMs;
    m_lastScaleDownMs = nowMs;
}

// Feeds this tick's readings to the stateful parts: rule timers, forecast history, idle timer.
void Autoscaler::observe(const AutoscalerInput &in, ScalingDecision *d)
{
    const qint64 now = in.nowMs;
    if (m_ruleStates.size() != m_spec.rules.size())
        m_ruleStates.resize(m_spec.rules.size());
    for (int i = 0; i < m_spec.rules.size(); ++i) {
        const ScalingRule &rule = m_spec.rules[i];
        RuleState &st = m_ruleStates[i];
        // "for" needs continuous evidence: a long hole in the samples, or time running
        // backwards, starts the timer over.
        if (st.lastSampleMs >= 0 &&
            (now - st.lastSampleMs > m_spec.maxSampleGapMs || now < st.lastSampleMs))
            st.sinceMs = -1;
        RuleEvaluation e;
        e.name = rule.name;
        e.value = ruleValue(in, rule.metric);
        // A missing value proves nothing either way: it breaks the run (HPA counts a missing
        // reading as "at target", which satisfies neither an above- nor a below-threshold rule).
        e.holding = std::isfinite(e.value) &&
                    (rule.op == ScalingRule::Op::Above ? e.value > rule.threshold
                                                       : e.value < rule.threshold);
        if (!e.holding)
            st.sinceMs = -1;
        else if (st.sinceMs < 0)
            st.sinceMs = now;
        st.lastSampleMs = now;
        e.heldMs = e.holding ? now - st.sinceMs : 0;
        e.due = e.holding && e.heldMs >= rule.forMs;
        d->rules.append(e);
    }

    if (m_spec.forecast.enabled) {
        const double load = totalLoad(in, m_spec.forecast.metric);
        if (std::isfinite(load))
            m_forecaster.add(now, load);
    }

    if (m_spec.scaleToZero.enabled && in.currentReplicas > 0) {
        const double activation = ruleValue(in, m_spec.scaleToZero.activationMetric);
        // Missing is not idle: only a reading at or below the threshold counts as nothing to do.
        if (std::isfinite(activation) && activation <= m_spec.scaleToZero.activationThreshold) {
            if (m_idleSinceMs < 0)
                m_idleSinceMs = now;
        } else {
            m_idleSinceMs = -1;
        }
    } else {
        m_idleSinceMs = -1;
    }
}

// Stores an applied change: scale events for the rate policies, cooldown times, and re-arms the
// rules that fired (their evidence is spent; they need a fresh `for` to fire again).
void Autoscaler::record(const ScalingDecision &d)
{
    const qint64 now = d.atMs;
    if (d.finalReplicas == d.currentReplicas)
        return;
    const bool up = d.finalReplicas > d.currentReplicas;
    m_events.append({now, d.currentReplicas, d.finalReplicas});
    pruneScaleEvents(&m_events, m_spec.behavior, now);
    (up ? m_lastScaleUpMs : m_lastScaleDownMs) = now;
    for (int i = 0; i < d.rules.size() && i < m_ruleStates.size(); ++i) {
        if (d.rules[i].fired)
            m_ruleStates[i].sinceMs = now;
    }
    if (d.finalReplicas == 0)
        m_idleSinceMs = -1;
}

ScalingDecision Autoscaler::decide(const AutoscalerInput &in)
{
    ScalingDecision d;
    const qint64 now = in.nowMs;
    const int cur = std::max(0, in.currentReplicas);
    d.atMs = now;
    d.input = in;
    d.currentReplicas = cur;
    d.proposedReplicas = cur;
    d.finalReplicas = cur;
    d.driver = QStringLiteral("none");
    observe(in, &d);

    const AutoscalerSpec &spec = m_spec;
    const int maxReplicas = std::max(0, spec.maxReplicas);

    // Scheduled minimums: the highest active one, never above max.
    for (const ScheduleWindow &w : spec.schedules) {
        if (scheduleWindowActive(w, now).value_or(false) && w.minReplicas > d.scheduleFloor) {
            d.scheduleFloor = std::min(w.minReplicas, maxReplicas);
            d.activeSchedule = w.name;
        }
    }
    const int floor = std::min(std::max(spec.minReplicas, d.scheduleFloor), maxReplicas);
    const bool floorIsSchedule = d.scheduleFloor > spec.minReplicas;
    const QString floorDriver = floorIsSchedule
                                    ? QStringLiteral("schedule:%1").arg(d.activeSchedule)
                                    : QStringLiteral("min");
    const LimitReason floorReason =
        floorIsSchedule ? LimitReason::ScheduleFloor : LimitReason::AtMin;

    // Caps an increase to what fits on the machine; the engine raises the alert.
    const auto applyHostCap = [&]() {
        if (d.finalReplicas <= cur)
            return;
        d.hostRoom = hostRoom(in, spec.host);
        if (d.hostRoom && d.finalReplicas - cur > *d.hostRoom) {
            d.finalReplicas = cur + *d.hostRoom;
            d.limit = LimitReason::HostBound;
            d.explanation =
                QStringLiteral("wanted %1 replicas but the machine fits only %2 more "
                               "(free memory %3 MB, %4 of %5 cores allotted; a "
                               "replica needs %6 MB and %7 cores)")
                    .arg(d.proposedReplicas)
                    .arg(*d.hostRoom)
                    .arg(number(in.host.freeMemoryMb), number(in.host.allocatedCpuCores),
                         number(in.host.totalCpuCores), number(in.tierMemoryMb),
                         number(in.tierCpuCores));
        }
    };
    const auto finish = [&]() {
        record(d);
        return d;
    };

    // 1. The operator's count wins; nothing is recorded as the autoscaler's own change.
    if (m_manual) {
        d.proposedReplicas = d.finalReplicas = *m_manual;
        d.driver = QStringLiteral("manual");
        d.limit = LimitReason::ManualOverride;
        d.explanation = QStringLiteral("the operator set %1 replicas; autoscaling resumes when "
                                       "handed back")
                            .arg(*m_manual);
        return d;
    }

    // 2. At zero there is nothing to measure per replica: a schedule or the activation
    //    threshold wakes the pool.
    if (cur == 0) {
        if (d.scheduleFloor > 0) {
            d.proposedReplicas = d.finalReplicas = std::max(floor, 1);
            d.driver = QStringLiteral("schedule:%1").arg(d.activeSchedule);
            d.limit = LimitReason::ScheduleFloor;
            d.explanation = QStringLiteral("schedule \"%1\" keeps at least %2 replicas")
                                .arg(d.activeSchedule)
                                .arg(d.scheduleFloor);
        } else if (spec.scaleToZero.enabled) {
            const double activation = ruleValue(in, spec.scaleToZero.activationMetric);
            d.limit = LimitReason::ScaleToZero;
            if (std::isfinite(activation) && activation > spec.scaleToZero.activationThreshold) {
                d.proposedReplicas = d.finalReplicas =
                    std::min(std::max(1, spec.minReplicas), std::max(1, maxReplicas));
                d.driver = QStringLiteral("activation");
                d.explanation = QStringLiteral("%1 %2 is above the activation threshold %3: "
                                               "waking the pool")
                                    .arg(spec.scaleToZero.activationMetric, number(activation),
                                         number(spec.scaleToZero.activationThreshold));
            } else {
                d.driver = QStringLiteral("idle");
                d.explanation = QStringLiteral("scaled to zero; %1 %2 is not above the "
                                               "activation threshold %3")
                                    .arg(spec.scaleToZero.activationMetric, number(activation),
                                         number(spec.scaleToZero.activationThreshold));
            }
        } else if (floor > 0) {
            d.proposedReplicas = d.finalReplicas = floor;
            d.driver = QStringLiteral("min");
            d.limit = LimitReason::AtMin;
            d.explanation = QStringLiteral("below min_replicas %1").arg(spec.minReplicas);
        }
        applyHostCap();
        return finish();
    }

    // 3. Outside the range: straight back in, without rate policies (HPA does the same).
    if (cur > maxReplicas) {
        d.proposedReplicas = d.finalReplicas = maxReplicas;
        d.driver = QStringLiteral("max");
        d.limit = LimitReason::AtMax;
        d.explanation = QStringLiteral("above max_replicas %1").arg(maxReplicas);
        return finish();
    }
    if (cur < floor) {
        d.proposedReplicas = d.finalReplicas = floor;
        d.driver = floorDriver;
        d.limit = floorReason;
        d.explanation = floorIsSchedule
                            ? QStringLiteral("schedule \"%1\" keeps at least %2 "
                                             "replicas")
                                  .arg(d.activeSchedule)
                                  .arg(d.scheduleFloor)
                            : QStringLiteral("below min_replicas %1").arg(spec.minReplicas);
        applyHostCap();
        return finish();
    }

    // The HPA path: one proposal per target, the largest wins.
    const Tolerances tolerances{spec.behavior.scaleUp.tolerance, spec.behavior.scaleDown.tolerance};
    int readyCount = 0;
    QVector<ReplicaReading> readings;
    for (const ReplicaSample &r : in.replicas)
        readyCount += r.ready ? 1 : 0;
    const bool hpaConfigured = !spec.metrics.isEmpty();
    int invalid = 0;
    int best = -1;
    QString bestMetric;
    bool allWithinTolerance = true;
    for (const MetricTarget &t : spec.metrics) {
        MetricEvaluation e;
        e.metric = t.metric;
        e.target = t.target;
        const auto kind = scalingMetricFromName(t.metric);
        if (!kind) {
            e.proposal.note = QStringLiteral("unknown metric");
        } else if (*kind == ScalingMetric::QueueDepth) {
            e.proposal = totalMetricReplicas(cur, in.queueDepth, t.target, tolerances);
        } else if (*kind == ScalingMetric::JobLatencyMs) {
            e.proposal =
                valueMetricReplicas(cur, readyCount, in.jobLatencyMs, t.target, tolerances);
        } else {
            const auto field = perReplicaField(*kind);
            readings.clear();
            for (const ReplicaSample &r : in.replicas)
                readings.append({r.ready, r.*field});
            e.proposal = averageMetricReplicas(cur, readings, t.target, tolerances);
        }
        if (!e.proposal.valid) {
            ++invalid;
        } else {
            allWithinTolerance = allWithinTolerance && e.proposal.replicas == cur;
            if (e.proposal.replicas > best) {
                best = e.proposal.replicas;
                bestMetric = t.metric;
            }
        }
        d.metrics.append(e);
    }
    // HPA: all targets failing, or some failing while the rest would scale down, is no decision:
    // a partial failure may scale up, never down.
    const bool hpaAllFailed = hpaConfigured && invalid == spec.metrics.size();
    const bool hpaPartialDown = hpaConfigured && invalid > 0 && !hpaAllFailed && best < cur;
    const bool hpaValid = hpaConfigured && !hpaAllFailed && !hpaPartialDown;

    // 4. Nothing usable at all: hold, and after N such ticks run the fallback count.
    bool anyRuleValue = false;
    for (const RuleEvaluation &e : std::as_const(d.rules))
        anyRuleValue = anyRuleValue || std::isfinite(e.value);
    const bool nothingUsable = (hpaConfigured || !spec.rules.isEmpty()) &&
                               (!hpaConfigured || hpaAllFailed) && !anyRuleValue;
    if (nothingUsable && readyCount == 0) {
        // Every replica is still starting: no reading is expected yet, so this is not a metrics
        // failure and does not count towards the fallback.
        d.limit = LimitReason::MissingMetrics;
        d.explanation = QStringLiteral("no replica is ready yet: holding %1 replicas").arg(cur);
        return finish();
    }
    if (nothingUsable) {
        ++m_consecutiveFailures;
        if (spec.fallback.enabled && m_consecutiveFailures >= spec.fallback.failureThreshold) {
            d.proposedReplicas = spec.fallback.replicas;
            d.finalReplicas = std::clamp(spec.fallback.replicas, floor, maxReplicas);
            d.driver = QStringLiteral("fallback");
            d.limit = LimitReason::Fallback;
            d.explanation = QStringLiteral("no usable metric for %1 consecutive decisions: "
                                           "running the fallback count %2")
                                .arg(m_consecutiveFailures)
                                .arg(spec.fallback.replicas);
            applyHostCap();
            return finish();
        }
        d.limit = LimitReason::MissingMetrics;
        d.explanation = QStringLiteral("no usable metric (%1 consecutive): holding %2 replicas")
                            .arg(m_consecutiveFailures)
                            .arg(cur);
        return finish();
    }
    m_consecutiveFailures = 0;

    // Stabilization applies to the HPA path only: the rules carry their own "for" and cooldown,
    // and a rule's one-tick proposal would never survive a window of "no change" entries.
    if (hpaValid) {
        d.hpaRecommendation = best;
        if (!m_windowSeeded && m_recommendations.isEmpty() &&
            spec.behavior.scaleDown.stabilizationWindowMs > 0) {
            // HPA seeds the window with the current count on its first run, so a restart does
            // not scale down before a full window of evidence.
            m_recommendations.append({now, cur});
        }
        m_windowSeeded = true;
        d.hpaStabilized =
            stabilizeRecommendation(cur, best, now, spec.behavior, &m_recommendations);
    }

    // The rule path: per direction, the biggest change among the due rules out of cooldown.
    int ruleUp = 0;
    int ruleDown = 0;
    QString ruleUpName;
    QString ruleDownName;
    bool coolingDown = false;
    bool hasScaleInRule = false;
    for (int i = 0; i < spec.rules.size(); ++i) {
        const ScalingRule &rule = spec.rules[i];
        RuleEvaluation &e = d.rules[i];
        hasScaleInRule = hasScaleInRule || rule.change < 0;
        if (!e.due)
            continue;
        // Scale-out rules wait for the last scale-out; scale-in rules for the last change of
        // either kind (just after growing is no time to shrink).
        const qint64 since =
            rule.change > 0 ? m_lastScaleUpMs : std::max(m_lastScaleUpMs, m_lastScaleDownMs);
        e.coolingDown = rule.cooldownMs > 0 && since != kNever && now - since < rule.cooldownMs;
        if (e.coolingDown) {
            coolingDown = true;
            continue;
        }
        if (rule.change > ruleUp) {
            ruleUp = rule.change;
            ruleUpName = rule.name;
        } else if (rule.change < ruleDown) {
            ruleDown = rule.change;
            ruleDownName = rule.name;
        }
    }
    if (ruleUp > 0)
        d.ruleProposal = cur + ruleUp;
    else if (ruleDown < 0)
        d.ruleProposal = std::max(0, cur + ruleDown);

    // The forecast: only ever a floor above the current count.
    if (spec.forecast.enabled) {
        d.forecastLoad = m_forecaster.forecast(spec.forecast.horizonMs, spec.forecast.minHistoryMs);
        if (d.forecastLoad)
            d.forecastFloor = ceilToInt(*d.forecastLoad / spec.forecast.threshold);
    }

    // 5./6. Combine. Scale-out: the largest of the paths (ties go to the reactive ones, so
    // "forecast" means the forecast alone asked for more).
    int proposal = cur;
    if (d.hpaStabilized && *d.hpaStabilized > proposal) {
        proposal = *d.hpaStabilized;
        d.driver = QStringLiteral("metric:%1").arg(bestMetric);
    }
    if (d.ruleProposal && *d.ruleProposal > proposal) {
        proposal = *d.ruleProposal;
        d.driver = QStringLiteral("rule:%1").arg(ruleUpName);
    }
    bool byForecast = false;
    if (d.forecastFloor && *d.forecastFloor > proposal) {
        proposal = *d.forecastFloor;
        d.driver = QStringLiteral("forecast");
        byForecast = true;
    }
    // Scale-in: every path that can scale in must agree; the smaller step is taken.
    if (proposal == cur) {
        const bool hpaVoter = hpaConfigured;
        const bool ruleVoter = hasScaleInRule;
        const bool hpaSaysDown = hpaValid && d.hpaStabilized && *d.hpaStabilized < cur;
        const bool rulesSayDown = d.ruleProposal && *d.ruleProposal < cur;
        if ((hpaVoter || ruleVoter) && (!hpaVoter || hpaSaysDown) && (!ruleVoter || rulesSayDown)) {
            if (hpaVoter && (!ruleVoter || *d.hpaStabilized >= *d.ruleProposal)) {
                proposal = *d.hpaStabilized;
                d.driver = QStringLiteral("metric:%1").arg(bestMetric);
            } else {
                proposal = *d.ruleProposal;
                d.driver = QStringLiteral("rule:%1").arg(ruleDownName);
            }
        }
    }
    d.proposedReplicas = proposal;
    d.finalReplicas = proposal;

    // Why nothing changes, when nothing does (the most specific reason first).
    if (proposal == cur) {
        const bool hpaWantedDown = d.hpaRecommendation && *d.hpaRecommendation < cur;
        const bool rulesWantDown = d.ruleProposal && *d.ruleProposal < cur;
        if (hpaConfigured && !hpaValid && (rulesWantDown || hpaPartialDown)) {
            d.limit = LimitReason::MissingMetrics;
            d.explanation = hpaPartialDown
                                ? QStringLiteral("some target metrics are missing: no scale-down "
                                                 "on partial data")
                                : QStringLiteral("target metrics are missing: no scale-down "
                                                 "without them");
        } else if (hpaWantedDown && d.hpaStabilized && *d.hpaStabilized >= cur) {
            d.limit = LimitReason::Stabilized;
            d.explanation = QStringLiteral("%1 proposes %2, but the highest recommendation of the "
                                           "last %3 s is %4")
                                .arg(bestMetric)
                                .arg(*d.hpaRecommendation)
                                .arg(spec.behavior.scaleDown.stabilizationWindowMs / 1000)
                                .arg(*d.hpaStabilized);
        } else if (coolingDown) {
            d.limit = LimitReason::Cooldown;
            QStringList names;
            for (const RuleEvaluation &e : std::as_const(d.rules)) {
                if (e.coolingDown)
                    names << e.name;
            }
            d.explanation = QStringLiteral("rule %1 is due but cooling down")
                                .arg(names.join(QStringLiteral(", ")));
        } else if (hpaWantedDown || rulesWantDown) {
            d.explanation =
                QStringLiteral("scale-in needs every path to agree (metrics: %1, "
                               "rules: %2)")
                    .arg(d.hpaStabilized ? QString::number(*d.hpaStabilized) : QStringLiteral("no"),
                         d.ruleProposal ? QString::number(*d.ruleProposal) : QStringLiteral("no"));
        } else if (hpaValid && allWithinTolerance && invalid == 0) {
            d.limit = LimitReason::Tolerance;
            QStringList ratios;
            for (const MetricEvaluation &e : std::as_const(d.metrics))
                ratios << QStringLiteral("%1 %2").arg(e.metric, number(e.proposal.ratio));
            d.explanation = QStringLiteral("within tolerance (ratio %1)")
                                .arg(ratios.join(QStringLiteral(", ")));
        } else {
            d.explanation = QStringLiteral("no path asks for a change");
        }
    }

    // 7. Rate policies and bounds, as HPA's convertDesiredReplicasWithBehaviorRate: the tighter
    //    of the policy limit and min/max names the limit.
    if (proposal > cur) {
        const int upLimit = std::max(cur, scaleUpLimit(cur, m_events, spec.behavior.scaleUp, now));
        const int allowed = std::min(maxReplicas, upLimit);
        if (proposal > allowed) {
            d.finalReplicas = allowed;
            d.limit = upLimit < maxReplicas ? LimitReason::RateLimited : LimitReason::AtMax;
            d.explanation = upLimit < maxReplicas
                                ? (spec.behavior.scaleUp.select == SelectPolicy::Disabled
                                       ? QStringLiteral("%1 asks for %2; scale-up is disabled")
                                             .arg(d.driver)
                                             .arg(proposal)
                                       : QStringLiteral("%1 asks for %2; the scale-up policies "
                                                        "allow %3 now")
                                             .arg(d.driver)
                                             .arg(proposal)
                                             .arg(allowed))
                                : QStringLiteral("%1 asks for %2; max_replicas is %3")
                                      .arg(d.driver)
                                      .arg(proposal)
                                      .arg(maxReplicas);
        }
    } else if (proposal < cur) {
        const int downLimit =
            std::min(cur, scaleDownLimit(cur, m_events, spec.behavior.scaleDown, now));
        const int allowed = std::max(floor, downLimit);
        if (proposal < allowed) {
            d.finalReplicas = allowed;
            d.limit = downLimit > floor ? LimitReason::RateLimited : floorReason;
            d.explanation = downLimit > floor
                                ? (spec.behavior.scaleDown.select == SelectPolicy::Disabled
                                       ? QStringLiteral("%1 asks for %2; scale-down is disabled")
                                             .arg(d.driver)
                                             .arg(proposal)
                                       : QStringLiteral("%1 asks for %2; the scale-down policies "
                                                        "allow %3 now")
                                             .arg(d.driver)
                                             .arg(proposal)
                                             .arg(allowed))
                                : QStringLiteral("%1 asks for %2; the floor is %3")
                                      .arg(d.driver)
                                      .arg(proposal)
                                      .arg(floor);
        }
    }
    if (d.finalReplicas != cur && d.limit == LimitReason::None) {
        if (byForecast) {
            d.limit = LimitReason::Forecast;
            d.explanation = QStringLiteral("%1 load forecast %2 s ahead is %3, %4 replicas at "
                                           "%5 each")
                                .arg(spec.forecast.metric)
                                .arg(spec.forecast.horizonMs / 1000)
                                .arg(number(*d.forecastLoad))
                                .arg(*d.forecastFloor)
                                .arg(number(spec.forecast.threshold));
        } else {
            d.explanation = QStringLiteral("%1 asks for %2").arg(d.driver).arg(proposal);
        }
    }

    // 8. Idle for the whole cooldown with scale-to-zero on (and no schedule holding a floor).
    if (spec.scaleToZero.enabled && d.scheduleFloor == 0 && d.finalReplicas <= cur &&
        m_idleSinceMs >= 0 && now - m_idleSinceMs >= spec.scaleToZero.idleCooldownMs) {
        d.proposedReplicas = d.finalReplicas = 0;
        d.driver = QStringLiteral("idle");
        d.limit = LimitReason::ScaleToZero;
        d.explanation = QStringLiteral("nothing to do for %1 s: scaling to zero")
                            .arg((now - m_idleSinceMs) / 1000);
    }

    // 9. Outside limits on growth: a throttling provider, then the machine.
    if (d.finalReplicas > cur && in.gptBound && in.providerThrottling) {
        d.finalReplicas = cur;
        d.limit = LimitReason::ProviderThrottled;
        d.explanation = QStringLiteral("%1 asks for %2, held: rate-limited by provider, not "
                                       "capacity-limited (more replicas would only add 429s)")
                            .arg(d.driver)
                            .arg(d.proposedReplicas);
    }
    applyHostCap();

    // The rules whose direction was applied have fired.
    if (d.finalReplicas != cur) {
        const bool up = d.finalReplicas > cur;
        for (int i = 0; i < spec.rules.size(); ++i) {
            RuleEvaluation &e = d.rules[i];
            e.fired = e.due && !e.coolingDown && (spec.rules[i].change > 0) == up;
        }
    }
    return finish();
}

} // namespace drover
