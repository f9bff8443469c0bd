// The autoscaler decision core with simulated time: the HPA formula and behavior, the seed rules
// and how they combine with the HPA path, schedules across daylight saving changes, missing
// metrics, the host, the provider, manual overrides, scale to zero and the forecast.
#include "core/scaling/autoscaler.h"
#include "core/scaling/scale_schedule.h"

#include <QtTest>
#include <cmath>

using namespace drover;

namespace {

constexpr qint64 S = 1000;
const double NaN = std::numeric_limits<double>::quiet_NaN();

qint64 utc(int y, int mo, int d, int h, int mi)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi), QTimeZone::utc()).toMSecsSinceEpoch();
}

AutoscalerInput poolAt(qint64 now, int current, double cpuEach, double queue = NaN)
{
    AutoscalerInput in;
    in.nowMs = now;
    in.currentReplicas = current;
    for (int i = 0; i < current; ++i) {
        ReplicaSample r;
        r.cpuPercent = cpuEach;
        in.replicas.append(r);
    }
    in.queueDepth = queue;
    return in;
}

// Only the HPA path: no seed rules.
AutoscalerSpec hpaOnly(const QString &metric, double target, int minReplicas = 1,
                       int maxReplicas = 100)
{
    AutoscalerSpec s;
    s.minReplicas = minReplicas;
    s.maxReplicas = maxReplicas;
    s.rules.clear();
    s.metrics = {{metric, target}};
    return s;
}

QString line(const ScalingDecision &d)
{
    return QStringLiteral("%1 %2->%3 %4 %5")
        .arg(d.atMs / S)
        .arg(d.currentReplicas)
        .arg(d.finalReplicas)
        .arg(d.driver, limitReasonName(d.limit));
}

// A load segment: from `fromS` on, the pool's total CPU load is `load` (in replica-percent, so
// each of n ready replicas reads load / n) and the queue holds `queue` jobs.
struct Segment
{
    int fromS = 0;
    double load = 0;
    double queue = NaN;
};

// Ticks once a second, applies every decision as the engine would, and returns the changes
// (plus the decisions at `probes`) as lines "t from->to driver limit".
QStringList simulate(Autoscaler &a, int startReplicas, const QVector<Segment> &segments, int untilS,
                     const QVector<int> &probes = {})
{
    QStringList out;
    int cur = startReplicas;
    for (int t = 0; t <= untilS; ++t) {
        Segment seg;
        for (const Segment &s : segments) {
            if (s.fromS <= t)
                seg = s;
        }
        const double cpu = std::isfinite(seg.load) && cur > 0 ? seg.load / cur : NaN;
        const ScalingDecision d = a.decide(poolAt(t * S, cur, cpu, seg.queue));
        if (d.changed() || probes.contains(t))
            out << line(d);
        cur = d.finalReplicas;
    }
    return out;
}

} // namespace

Q_DECLARE_METATYPE(QVector<Segment>)
Q_DECLARE_METATYPE(QVector<ReplicaReading>)
Q_DECLARE_METATYPE(SelectPolicy)
Q_DECLARE_METATYPE(LimitReason)

class TestAutoscaler : public QObject
{
    Q_OBJECT
private slots:
    // --- the HPA formula -----------------------------------------------------------------

    void averageMetricFormula_data()
    {
        QTest::addColumn<int>("current");
        QTest::addColumn<QVector<ReplicaReading>>("readings");
        QTest::addColumn<double>("target");
        QTest::addColumn<int>("expected");

        const auto ready = [](double v) { return ReplicaReading{true, v}; };
        const ReplicaReading notReady{false, NaN};
        QTest::newRow("4 at 200 % of target -> 8")
            << 4 << QVector<ReplicaReading>{ready(100), ready(100), ready(100), ready(100)} << 50.0
            << 8;
        QTest::newRow("ratio 1.05 within tolerance 0.1 -> no change")
            << 4 << QVector<ReplicaReading>{ready(52.5), ready(52.5), ready(52.5), ready(52.5)}
            << 50.0 << 4;
        QTest::newRow("ratio 0.95 within tolerance -> no change")
            << 4 << QVector<ReplicaReading>{ready(47.5), ready(47.5), ready(47.5), ready(47.5)}
            << 50.0 << 4;
        QTest::newRow("ratio 1.2 -> ceil(4.8) = 5")
            << 4 << QVector<ReplicaReading>{ready(60), ready(60), ready(60), ready(60)} << 50.0
            << 5;
        QTest::newRow("ratio 0.25 -> 1")
            << 4 << QVector<ReplicaReading>{ready(12.5), ready(12.5), ready(12.5), ready(12.5)}
            << 50.0 << 1;
        // Scale-down with one reading missing: it counts as at target, (60 + 50) / 4 = 27.5,
        // ceil(0.55 * 4) = 3 rather than ceil(0.4 * 3) = 2.
        QTest::newRow("missing counts as 100 % of target on scale-down")
            << 4 << QVector<ReplicaReading>{ready(20), ready(20), ready(20), ready(NaN)} << 50.0
            << 3;
        // Scale-up with three readings missing: they count as 0, 60 / 4 = 15 would flip the
        // direction, so no change (not ceil(1.2 * 1) = 2, a scale-down on partial data).
        QTest::newRow("missing counts as 0 on scale-up, never flips to a scale-down")
            << 4 << QVector<ReplicaReading>{ready(60), ready(NaN), ready(NaN), ready(NaN)} << 50.0
            << 4;
        QTest::newRow("missing on scale-up: 3 at 90 + 1 missing -> ceil(270/50) = 6")
            << 4 << QVector<ReplicaReading>{ready(90), ready(90), ready(90), ready(NaN)} << 50.0
            << 6;
        // Not-ready replicas count as 0 on a scale-up: 200 / 4 = 50, at target.
        QTest::newRow("not-ready replicas damp a scale-up")
            << 4 << QVector<ReplicaReading>{ready(100), ready(100), notReady, notReady} << 50.0
            << 4;
        QTest::newRow("not-ready replicas: 2 at 150 + 2 starting -> 6")
            << 4 << QVector<ReplicaReading>{ready(150), ready(150), notReady, notReady} << 50.0
            << 6;
        QTest::newRow("fewer readings than replicas: the rest are starting")
            << 4 << QVector<ReplicaReading>{ready(100), ready(100)} << 50.0 << 4;
        // Counter resets (a negative rate), NaN and infinity are missing, not zero load.
        QTest::newRow("negative, NaN and inf readings are missing, not idle")
            << 4
            << QVector<ReplicaReading>{ready(10), ready(-500), ready(NaN),
                                       ready(std::numeric_limits<double>::infinity())}
            << 100.0 << 4;
    }

    void averageMetricFormula()
    {
        QFETCH(int, current);
        QFETCH(QVector<ReplicaReading>, readings);
        QFETCH(double, target);
        QFETCH(int, expected);
        const ReplicaProposal p = averageMetricReplicas(current, readings, target, Tolerances{});
        QVERIFY2(p.valid, qPrintable(p.note));
        QCOMPARE(p.replicas, expected);
    }

    void noReadingAtAllIsNoProposal()
    {
        const ReplicaProposal p =
            averageMetricReplicas(3, {{true, NaN}, {true, -1}, {false, 50}}, 50, Tolerances{});
        QVERIFY(!p.valid);
    }

    void toleranceIsPerDirection()
    {
        Tolerances t;
        t.scaleUp = 0.05;
        t.scaleDown = 0.3;
        QVector<ReplicaReading> at108(4, {true, 54});
        QVector<ReplicaReading> at80(4, {true, 40});
        QCOMPARE(averageMetricReplicas(4, at108, 50, t).replicas, 5); // 1.08 > 1.05
        QCOMPARE(averageMetricReplicas(4, at80, 50, t).replicas, 4);  // 0.8 >= 0.7
    }

    void poolMetrics_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("current");
        QTest::addColumn<double>("value");
        QTest::addColumn<double>("target");
        QTest::addColumn<int>("expected");
        QTest::newRow("queue 250 at 50 per replica -> 5") << "total" << 4 << 250.0 << 50.0 << 5;
        QTest::newRow("queue ratio 1.05 -> no change") << "total" << 4 << 210.0 << 50.0 << 4;
        QTest::newRow("queue 20 at 50 per replica -> 1") << "total" << 4 << 20.0 << 50.0 << 1;
        QTest::newRow("latency 400 ms for 200 ms with 3 ready -> 6")
            << "value" << 3 << 400.0 << 200.0 << 6;
        QTest::newRow("latency 210 ms within tolerance") << "value" << 3 << 210.0 << 200.0 << 3;
    }

    void poolMetrics()
    {
        QFETCH(QString, kind);
        QFETCH(int, current);
        QFETCH(double, value);
        QFETCH(double, target);
        QFETCH(int, expected);
        const ReplicaProposal p =
            kind == QLatin1String("total")
                ? totalMetricReplicas(current, value, target, Tolerances{})
                : valueMetricReplicas(current, current, value, target, Tolerances{});
        QVERIFY(p.valid);
        QCOMPARE(p.replicas, expected);
    }

    void fourAtTwiceTheTargetGoToEight()
    {
        Autoscaler a(hpaOnly(QStringLiteral("cpu_percent"), 50));
        const ScalingDecision d = a.decide(poolAt(0, 4, 100));
        QCOMPARE(d.finalReplicas, 8);
        QCOMPARE(d.driver, QStringLiteral("metric:cpu_percent"));
        QCOMPARE(d.limit, LimitReason::None);
        QCOMPARE(d.hpaRecommendation.value_or(-1), 8);
        QCOMPARE(d.metrics.size(), 1);
        QCOMPARE(d.metrics[0].proposal.ratio, 2.0);
    }

    void withinToleranceIsRecordedAsNoChange()
    {
        Autoscaler a(hpaOnly(QStringLiteral("cpu_percent"), 50));
        const ScalingDecision d = a.decide(poolAt(0, 4, 52.5));
        QCOMPARE(d.finalReplicas, 4);
        QVERIFY(!d.changed());
        QCOMPARE(d.limit, LimitReason::Tolerance);
        QVERIFY(!d.explanation.isEmpty());
    }

    void largestProposalAcrossMetricsWins()
    {
        AutoscalerSpec s = hpaOnly(QStringLiteral("cpu_percent"), 50);
        s.metrics.append({QStringLiteral("queue_depth"), 10});
        Autoscaler a(s);
        const ScalingDecision d = a.decide(poolAt(0, 4, 75, 100)); // cpu -> 6, queue -> 10
        QCOMPARE(d.finalReplicas, 8); // the default policies allow 8 from 4
        QCOMPARE(d.proposedReplicas, 10);
        QCOMPARE(d.driver, QStringLiteral("metric:queue_depth"));
        QCOMPARE(d.limit, LimitReason::RateLimited);
    }

    // --- behavior: policies, selectPolicy, stabilization -----------------------------------

    void defaultScaleUpDoublesOrAddsFourPer15s()
    {
        // HPA's documented example: 1 -> 20 wanted goes 5, 10, 20 with the default policies
        // (Percent 100 % and Pods 4 per 15 s, selectPolicy Max).
        Autoscaler a(hpaOnly(QStringLiteral("cpu_percent"), 50));
        struct Step
        {
            qint64 t;
            int expected;
            LimitReason limit;
        };
        const Step steps[] = {
            {0, 5, LimitReason::RateLimited},
            {5 * S, 5, LimitReason::RateLimited}, // 4 added within the last 15 s: wait
            {15 * S, 10, LimitReason::RateLimited},
            {29 * S, 10, LimitReason::RateLimited},
            {30 * S, 20, LimitReason::None},
            {45 * S, 20, LimitReason::Tolerance},
        };
        int cur = 1;
        for (const Step &step : steps) {
            const double cpu = 50.0 * 20 / cur; // always wants 20
            const ScalingDecision d = a.decide(poolAt(step.t, cur, cpu));
            QVERIFY2(d.finalReplicas == step.expected && d.limit == step.limit,
                     qPrintable(line(d) + QLatin1Char(' ') + d.explanation));
            cur = d.finalReplicas;
        }
    }

    void selectPolicy_data()
    {
        QTest::addColumn<bool>("up");
        QTest::addColumn<SelectPolicy>("select");
        QTest::addColumn<int>("expected");
        QTest::addColumn<LimitReason>("limit");
        // Up: 10 wanting 40 with Percent 100 (-> 20) and Pods 4 (-> 14) per 15 s.
        QTest::newRow("up Max") << true << SelectPolicy::Max << 20 << LimitReason::RateLimited;
        QTest::newRow("up Min") << true << SelectPolicy::Min << 14 << LimitReason::RateLimited;
        QTest::newRow("up Disabled")
            << true << SelectPolicy::Disabled << 10 << LimitReason::RateLimited;
        // Down: 20 wanting 2 with Percent 50 (-> 10) and Pods 3 (-> 17) per 15 s.
        QTest::newRow("down Max") << false << SelectPolicy::Max << 10 << LimitReason::RateLimited;
        QTest::newRow("down Min") << false << SelectPolicy::Min << 17 << LimitReason::RateLimited;
        QTest::newRow("down Disabled")
            << false << SelectPolicy::Disabled << 20 << LimitReason::RateLimited;
    }

    void selectPolicy()
    {
        QFETCH(bool, up);
        QFETCH(SelectPolicy, select);
        QFETCH(int, expected);
        QFETCH(LimitReason, limit);
        AutoscalerSpec s = hpaOnly(QStringLiteral("cpu_percent"), 50, 1, 100);
        s.behavior.scaleUp.policies = {{ScalingPolicy::Type::Percent, 100, 15 * S},
                                       {ScalingPolicy::Type::Pods, 4, 15 * S}};
        s.behavior.scaleDown.stabilizationWindowMs = 0;
        s.behavior.scaleDown.policies = {{ScalingPolicy::Type::Percent, 50, 15 * S},
                                         {ScalingPolicy::Type::Pods, 3, 15 * S}};
        (up ? s.behavior.scaleUp : s.behavior.scaleDown).select = select;
        Autoscaler a(s);
        const ScalingDecision d = up ? a.decide(poolAt(0, 10, 200)) : a.decide(poolAt(0, 20, 5));
        QCOMPARE(d.proposedReplicas, up ? 40 : 2);
        QVERIFY2(d.finalReplicas == expected, qPrintable(line(d)));
        QCOMPARE(d.limit, limit);
    }

    void scaleDownLimitCountsFromThePeriodStart()
    {
        // Two scale-downs within one period share its budget: Pods 2 per 60 s.
        ScalingRules down;
        down.policies = {{ScalingPolicy::Type::Pods, 2, 60 * S}};
        QVector<ScaleEvent> events{{0, 10, 9}};
        QCOMPARE(scaleDownLimit(9, events, down, 30 * S), 8);
        QCOMPARE(scaleDownLimit(9, events, down, 60 * S), 7); // the event left the period
    }

    void scaleDownStabilizationHoldsTheHighestRecommendation()
    {
        Autoscaler a(hpaOnly(QStringLiteral("cpu_percent"), 50));
        // Total load in replica-percent; each of the 10 replicas reads load / 10.
        struct Step
        {
            qint64 t;
            double load;
            int expected;
            LimitReason limit;
        };
        const Step steps[] = {
            {0, 500, 10, LimitReason::Tolerance},        // at target; seeds the window with 10
            {15 * S, 200, 10, LimitReason::Stabilized},  // wants 4
            {100 * S, 400, 10, LimitReason::Stabilized}, // wants 8
            {200 * S, 200, 10, LimitReason::Stabilized},
            {299 * S, 200, 10, LimitReason::Stabilized}, // the 10 from t=0 is still in the window
            {300 * S, 200, 8, LimitReason::None},        // now the highest is the 8 from t=100
            {399 * S, 200, 8, LimitReason::Stabilized},
            {400 * S, 200, 4, LimitReason::None},
        };
        int cur = 10;
        for (const Step &step : steps) {
            const ScalingDecision d = a.decide(poolAt(step.t, cur, step.load / cur));
            QVERIFY2(d.finalReplicas == step.expected && d.limit == step.limit,
                     qPrintable(line(d) + QLatin1Char(' ') + d.explanation));
            cur = d.finalReplicas;
        }
    }

    // --- the seed rules and how they combine with the HPA path ------------------------------

    void rules_data()
    {
        QTest::addColumn<bool>("withHpa");
        QTest::addColumn<qint64>("emergencyCooldownMs");
        QTest::addColumn<int>("start");
        QTest::addColumn<QVector<Segment>>("segments");
        QTest::addColumn<int>("untilS");
        QTest::addColumn<QVector<int>>("probes");
        QTest::addColumn<QStringList>("expected");

        const auto L = [](std::initializer_list<const char *> items) {
            QStringList list;
            for (const char *item : items)
                list << QString::fromUtf8(item);
            return list;
        };
        using V = QVector<Segment>;
        QTest::newRow("cpu 75 % for 2 min: +1, then 60 % holds")
            << false << 0LL << 4 << V{{0, 300}} << 400 << QVector<int>{119}
            << L({"119 4->4 none none", "120 4->5 rule:scale-out none"});
        QTest::newRow("cpu 90 % for 1 min: +3")
            << false << 0LL << 4 << V{{0, 360}} << 300 << QVector<int>{}
            << L({"60 4->7 rule:scale-out-fast none"});
        QTest::newRow("queue 150 for 2 min: +5, capped by the scale-up policy")
            << false << 0LL << 4 << V{{0, 200, 150}} << 130 << QVector<int>{}
            << L({"120 4->8 rule:scale-out-max rate-limited"});
        QTest::newRow("cpu 25 % for 10 min: -1")
            << false << 0LL << 4 << V{{0, 100}} << 1300 << QVector<int>{599}
            << L({"599 4->4 none none", "600 4->3 rule:scale-in none"});
        QTest::newRow("cpu 14 % for 15 min: -1 at 10 min, -2 at 15 min after the cooldown")
            << false << 0LL << 4 << V{{0, 56}} << 1000 << QVector<int>{}
            << L({"600 4->3 rule:scale-in none", "900 3->1 rule:scale-in-safe none"});
        QTest::newRow("emergency ignores the scale-out cooldown")
            << false << 0LL << 4 << V{{0, 300}, {125, 485}} << 170 << QVector<int>{}
            << L({"120 4->5 rule:scale-out none", "155 5->10 rule:emergency none"});
        // cpu far above 95 % throughout: +5 once per 30 s of fresh evidence, not every tick.
        QTest::newRow("emergency re-fires per 30 s, not per tick")
            << false << 0LL << 4 << V{{0, 2000}} << 125 << QVector<int>{}
            << L({"30 4->8 rule:emergency rate-limited", "60 8->13 rule:emergency none",
                  "90 13->18 rule:emergency none", "120 18->20 rule:emergency at-max"});
        QTest::newRow("the same rule with a cooldown waits for it")
            << false << 60 * S << 4 << V{{0, 300}, {125, 485}} << 190 << QVector<int>{160}
            << L({"120 4->5 rule:scale-out none", "160 5->5 none cooldown",
                  "180 5->10 rule:emergency none"});
        QTest::newRow("a missing sample restarts the 2 min")
            << false << 0LL << 4 << V{{0, 300}, {60, NaN}, {61, 300}} << 200 << QVector<int>{60}
            << L({"60 4->4 none missing-metrics", "181 4->5 rule:scale-out none"});
        // With an HPA target of 50 % the metric path acts at once; rules would need 2 min.
        QTest::newRow("combined: the larger scale-out wins (HPA at once)")
            << true << 0LL << 4 << V{{0, 300}} << 200 << QVector<int>{}
            << L({"0 4->6 metric:cpu_percent none"});
        // cpu 35 %: HPA wants 3, the rules see no reason to scale in.
        QTest::newRow("combined: no scale-in while the rules disagree")
            << true << 0LL << 4 << V{{0, 140}} << 1300 << QVector<int>{400}
            << L({"400 4->4 none none"});
        // cpu 25 %: HPA wants 2 at once, the scale-in rule agrees after 10 min, -1 is taken.
        QTest::newRow("combined: scale-in when both agree, by the smaller step")
            << true << 0LL << 4 << V{{0, 100}} << 1300 << QVector<int>{}
            << L({"600 4->3 rule:scale-in none"});
    }

    void rules()
    {
        QFETCH(bool, withHpa);
        QFETCH(qint64, emergencyCooldownMs);
        QFETCH(int, start);
        QFETCH(QVector<Segment>, segments);
        QFETCH(int, untilS);
        QFETCH(QVector<int>, probes);
        QFETCH(QStringList, expected);
        AutoscalerSpec s;
        s.minReplicas = 1;
        s.maxReplicas = 20;
        for (ScalingRule &r : s.rules) {
            if (r.name == QLatin1String("emergency"))
                r.cooldownMs = emergencyCooldownMs;
        }
        if (withHpa)
            s.metrics = {{QStringLiteral("cpu_percent"), 50}};
        Autoscaler a(s);
        const QStringList got = simulate(a, start, segments, untilS, probes);
        if (got != expected)
            qWarning() << "got" << got;
        QCOMPARE(got, expected);
    }

    void ruleDecisionsCarryTheirWorking()
    {
        AutoscalerSpec s;
        s.maxReplicas = 20;
        Autoscaler a(s);
        ScalingDecision d;
        for (int t = 0; t <= 120; ++t)
            d = a.decide(poolAt(t * S, 4, 75));
        QCOMPARE(d.finalReplicas, 5);
        QCOMPARE(d.ruleProposal.value_or(-1), 5);
        bool found = false;
        for (const RuleEvaluation &e : d.rules) {
            if (e.name == QLatin1String("scale-out")) {
                found = true;
                QVERIFY(e.holding && e.due && e.fired);
                QCOMPARE(e.heldMs, 120 * S);
                QCOMPARE(e.value, 75.0);
            }
        }
        QVERIFY(found);
        QVERIFY(d.summary().contains(QLatin1String("rule:scale-out")));
    }

    // --- missing metrics and fallback --------------------------------------------------------

    void partialMetricFailureMayScaleUpNeverDown_data()
    {
        QTest::addColumn<double>("cpu");
        QTest::addColumn<int>("expected");
        QTest::addColumn<LimitReason>("limit");
        QTest::newRow("cpu says down, queue missing: hold")
            << 10.0 << 4 << LimitReason::MissingMetrics;
        QTest::newRow("cpu says up, queue missing: scale up") << 100.0 << 8 << LimitReason::None;
    }

    void partialMetricFailureMayScaleUpNeverDown()
    {
        QFETCH(double, cpu);
        QFETCH(int, expected);
        QFETCH(LimitReason, limit);
        AutoscalerSpec s = hpaOnly(QStringLiteral("cpu_percent"), 50);
        s.metrics.append({QStringLiteral("queue_depth"), 10});
        s.behavior.scaleDown.stabilizationWindowMs = 0;
        Autoscaler a(s);
        const ScalingDecision d = a.decide(poolAt(0, 4, cpu, NaN));
        QVERIFY2(d.finalReplicas == expected && d.limit == limit, qPrintable(line(d)));
    }

    void allMetricsFailingHoldsThenFallsBack()
    {
        AutoscalerSpec s = hpaOnly(QStringLiteral("cpu_percent"), 50);
        s.fallback.enabled = true;
        s.fallback.failureThreshold = 3;
        s.fallback.replicas = 6;
        Autoscaler a(s);
        // Replicas that are all still starting are not a metrics failure.
        AutoscalerInput starting = poolAt(0, 4, NaN);
        for (ReplicaSample &r : starting.replicas)
            r.ready = false;
        for (int i = 0; i < 5; ++i) {
            starting.nowMs = -10 * S + i * S;
            QCOMPARE(a.decide(starting).limit, LimitReason::MissingMetrics);
        }
        for (int i = 0; i < 2; ++i) {
            const ScalingDecision d = a.decide(poolAt(i * S, 4, NaN));
            QCOMPARE(d.finalReplicas, 4);
            QCOMPARE(d.limit, LimitReason::MissingMetrics);
        }
        ScalingDecision d = a.decide(poolAt(2 * S, 4, NaN));
        QCOMPARE(d.finalReplicas, 6);
        QCOMPARE(d.limit, LimitReason::Fallback);
        // Metrics return: the count is the metrics' again (at target: no change).
        d = a.decide(poolAt(3 * S, 6, 50));
        QCOMPARE(d.finalReplicas, 6);
        QCOMPARE(d.limit, LimitReason::Tolerance);
    }

    void nanAndCounterResetsAreNeverZeroLoad()
    {
        // Token rates: two replicas at 10 tok/s, one NaN, one negative (a counter reset). As
        // zero load this would be ceil(0.05 * 4) = 1; as missing-at-target it is 3.
        AutoscalerSpec s = hpaOnly(QStringLiteral("gpt_tokens_per_second"), 100);
        s.behavior.scaleDown.stabilizationWindowMs = 0;
        Autoscaler a(s);
        AutoscalerInput in = poolAt(0, 4, NaN);
        in.replicas[0].gptTokensPerSecond = 10;
        in.replicas[1].gptTokensPerSecond = 10;
        in.replicas[2].gptTokensPerSecond = NaN;
        in.replicas[3].gptTokensPerSecond = counterRate(5000, 0, 20, 2000); // reset
        QVERIFY(std::isnan(in.replicas[3].gptTokensPerSecond));
        in.replicas[3].gptTokensPerSecond = -2490; // a naive rate across the reset
        const ScalingDecision d = a.decide(in);
        QCOMPARE(d.finalReplicas, 3);

        // Rules: a pool whose CPU readings vanish never "holds" below 30 %.
        Autoscaler rules{AutoscalerSpec{}};
        for (int t = 0; t <= 1200; ++t) {
            const ScalingDecision r = rules.decide(poolAt(t * S, 4, t % 2 ? NaN : -1.0));
            QCOMPARE(r.finalReplicas, 4);
        }
        QCOMPARE(counterRate(100, 0, 300, 2000), 100.0);
        QVERIFY(std::isnan(counterRate(100, 2000, 300, 2000)));
    }

    // --- host and provider ----------------------------------------------------------------

    void hostBound_data()
    {
        QTest::addColumn<double>("freeMemoryMb");
        QTest::addColumn<double>("totalCores");
        QTest::addColumn<double>("allocatedCores");
        QTest::addColumn<int>("expected");
        QTest::addColumn<LimitReason>("limit");
        // 4 replicas wanting 8; a replica needs 1024 MB and 1 core; 512 MB stay in reserve.
        QTest::newRow("room for all") << 16384.0 << 16.0 << 4.0 << 8 << LimitReason::None;
        QTest::newRow("memory for 2 more") << 2560.0 << 16.0 << 4.0 << 6 << LimitReason::HostBound;
        QTest::newRow("cores for 1 more") << 16384.0 << 8.0 << 7.0 << 5 << LimitReason::HostBound;
        QTest::newRow("no room") << 1000.0 << 16.0 << 4.0 << 4 << LimitReason::HostBound;
        QTest::newRow("host unknown: no check") << NaN << NaN << 0.0 << 8 << LimitReason::None;
    }

    void hostBound()
    {
        QFETCH(double, freeMemoryMb);
        QFETCH(double, totalCores);
        QFETCH(double, allocatedCores);
        QFETCH(int, expected);
        QFETCH(LimitReason, limit);
        Autoscaler a(hpaOnly(QStringLiteral("cpu_percent"), 50));
        AutoscalerInput in = poolAt(0, 4, 100);
        in.tierCpuCores = 1;
        in.tierMemoryMb = 1024;
        in.host.freeMemoryMb = freeMemoryMb;
        in.host.totalCpuCores = totalCores;
        in.host.allocatedCpuCores = allocatedCores;
        const ScalingDecision d = a.decide(in);
        QVERIFY2(d.finalReplicas == expected && d.limit == limit,
                 qPrintable(line(d) + QLatin1Char(' ') + d.explanation));
        QCOMPARE(d.proposedReplicas, 8);
    }

    void providerThrottling_data()
    {
        QTest::addColumn<bool>("gptBound");
        QTest::addColumn<bool>("throttling");
        QTest::addColumn<int>("expected");
        QTest::addColumn<LimitReason>("limit");
        QTest::newRow("GPT-bound and throttled: hold")
            << true << true << 4 << LimitReason::ProviderThrottled;
        QTest::newRow("GPT-bound, provider fine") << true << false << 8 << LimitReason::None;
        QTest::newRow("throttled but CPU-bound") << false << true << 8 << LimitReason::None;
    }

    void providerThrottling()
    {
        QFETCH(bool, gptBound);
        QFETCH(bool, throttling);
        QFETCH(int, expected);
        QFETCH(LimitReason, limit);
        Autoscaler a(hpaOnly(QStringLiteral("cpu_percent"), 50));
        AutoscalerInput in = poolAt(0, 4, 100);
        in.gptBound = gptBound;
        in.providerThrottling = throttling;
        const ScalingDecision d = a.decide(in);
        QVERIFY2(d.finalReplicas == expected && d.limit == limit, qPrintable(line(d)));
        if (limit == LimitReason::ProviderThrottled)
            QVERIFY(d.explanation.contains(QLatin1String("not capacity-limited")));
    }

    // --- manual override ---------------------------------------------------------------------

    void manualOverrideWinsUntilHandedBack()
    {
        Autoscaler a(hpaOnly(QStringLiteral("cpu_percent"), 50));
        a.setManualOverride(7);
        for (qint64 t = 0; t < 10 * S; t += S) {
            const ScalingDecision d = a.decide(poolAt(t, 4, 100)); // metrics want 8
            QCOMPARE(d.finalReplicas, 7);
            QCOMPARE(d.driver, QStringLiteral("manual"));
            QCOMPARE(d.limit, LimitReason::ManualOverride);
        }
        QVERIFY(a.scaleEvents().isEmpty());
        a.clearManualOverride(10 * S);
        QVERIFY(!a.manualOverride());
        // Resumed at the operator's 7: low load does not undo it before a full window.
        ScalingDecision d = a.decide(poolAt(11 * S, 7, 10));
        QCOMPARE(d.finalReplicas, 7);
        QCOMPARE(d.limit, LimitReason::Stabilized);
        d = a.decide(poolAt(12 * S, 7, 100)); // but high load scales up at once
        QCOMPARE(d.finalReplicas, 14);
    }

    // --- scale to zero -----------------------------------------------------------------------

    void scaleToZeroAndActivation()
    {
        AutoscalerSpec s;
        s.scaleToZero.enabled = true;
        s.scaleToZero.activationThreshold = 0;
        s.scaleToZero.idleCooldownMs = 300 * S;
        s.minReplicas = 2;
        Autoscaler a(s);
        struct Step
        {
            qint64 t;
            int cur;
            double queue;
            int expected;
            QString driver;
        };
        const Step steps[] = {
            {0, 2, 3, 2, QStringLiteral("none")},         // work to do
            {10 * S, 2, 0, 2, QStringLiteral("none")},    // idle from here
            {200 * S, 2, NaN, 2, QStringLiteral("none")}, // missing is not idle: starts over
            {201 * S, 2, 0, 2, QStringLiteral("none")},
            {500 * S, 2, 0, 2, QStringLiteral("none")},
            {501 * S, 2, 0, 0, QStringLiteral("idle")},   // 300 s idle
            {600 * S, 0, 0, 0, QStringLiteral("idle")},   // at zero, nothing to do
            {601 * S, 0, NaN, 0, QStringLiteral("idle")}, // missing never wakes
            {602 * S, 0, 1, 2, QStringLiteral("activation")},
        };
        for (const Step &step : steps) {
            AutoscalerInput in = poolAt(step.t, step.cur, 50, step.queue);
            const ScalingDecision d = a.decide(in);
            QVERIFY2(d.finalReplicas == step.expected && d.driver == step.driver,
                     qPrintable(line(d) + QLatin1Char(' ') + d.explanation));
            if (step.driver != QLatin1String("none"))
                QCOMPARE(d.limit, LimitReason::ScaleToZero);
        }
    }

    // --- schedules ---------------------------------------------------------------------------

    void scheduleAcrossDst_data()
    {
        QTest::addColumn<QString>("start");
        QTest::addColumn<QString>("end");
        QTest::addColumn<qint64>("at");
        QTest::addColumn<bool>("active");
        const QString eight = QStringLiteral("0 8 * * *");
        const QString six = QStringLiteral("0 18 * * *");
        // Europe/Berlin: CET (UTC+1) until 2026-03-29 02:00, CEST (UTC+2) until 2026-10-25 03:00.
        QTest::newRow("03-28 07:30 CET: before")
            << eight << six << utc(2026, 3, 28, 6, 30) << false;
        QTest::newRow("03-28 08:30 CET: in") << eight << six << utc(2026, 3, 28, 7, 30) << true;
        QTest::newRow("03-29 07:30 CEST: before")
            << eight << six << utc(2026, 3, 29, 5, 30) << false;
        QTest::newRow("03-29 08:30 CEST: in") << eight << six << utc(2026, 3, 29, 6, 30) << true;
        QTest::newRow("03-29 17:30 CEST: in") << eight << six << utc(2026, 3, 29, 15, 30) << true;
        QTest::newRow("03-29 18:30 CEST: after")
            << eight << six << utc(2026, 3, 29, 16, 30) << false;
        QTest::newRow("10-24 08:30 CEST: in") << eight << six << utc(2026, 10, 24, 6, 30) << true;
        QTest::newRow("10-25 07:30 CET: before")
            << eight << six << utc(2026, 10, 25, 6, 30) << false;
        QTest::newRow("10-25 08:30 CET: in") << eight << six << utc(2026, 10, 25, 7, 30) << true;
        QTest::newRow("10-25 18:30 CET: after")
            << eight << six << utc(2026, 10, 25, 17, 30) << false;
        // 01:00-04:00 local spans the change: 2 real hours in March, 4 in October.
        const QString one = QStringLiteral("0 1 * * *");
        const QString four = QStringLiteral("0 4 * * *");
        QTest::newRow("03-29 01:30 CET: in") << one << four << utc(2026, 3, 29, 0, 30) << true;
        QTest::newRow("03-29 03:30 CEST: in") << one << four << utc(2026, 3, 29, 1, 30) << true;
        QTest::newRow("03-29 04:00 CEST: ended after 2 h")
            << one << four << utc(2026, 3, 29, 2, 0) << false;
        QTest::newRow("10-25 02:30 CEST: in") << one << four << utc(2026, 10, 25, 0, 30) << true;
        QTest::newRow("10-25 03:30 CET: in, 3.5 h on")
            << one << four << utc(2026, 10, 25, 2, 30) << true;
        QTest::newRow("10-25 04:00 CET: ended after 4 h")
            << one << four << utc(2026, 10, 25, 3, 0) << false;
        // A start inside the spring-forward gap happens right after it, as in cron.
        const QString gap = QStringLiteral("30 2 * * *");
        const QString five = QStringLiteral("0 5 * * *");
        QTest::newRow("03-29 01:59 CET: before the gap")
            << gap << five << utc(2026, 3, 29, 0, 59) << false;
        QTest::newRow("03-29 03:00 CEST: right after the gap")
            << gap << five << utc(2026, 3, 29, 1, 0) << true;
        // Weekdays only: 2026-03-28 is a Saturday, 2026-03-30 a Monday.
        const QString weekdays = QStringLiteral("0 8 * * MON-FRI");
        QTest::newRow("Saturday") << weekdays << six << utc(2026, 3, 28, 8, 30) << false;
        QTest::newRow("Monday") << weekdays << six << utc(2026, 3, 30, 6, 30) << true;
    }

    void scheduleAcrossDst()
    {
        QFETCH(QString, start);
        QFETCH(QString, end);
        QFETCH(qint64, at);
        QFETCH(bool, active);
        const ScheduleWindow w{QStringLiteral("office"), start, end,
                               QStringLiteral("Europe/Berlin"), 5};
        QCOMPARE(scheduleWindowActive(w, at), std::optional<bool>(active));
    }

    void scheduleRaisesTheFloor()
    {
        AutoscalerSpec s;
        s.schedules = {{QStringLiteral("office"), QStringLiteral("0 8 * * 1-5"),
                        QStringLiteral("0 18 * * 1-5"), QStringLiteral("Europe/Berlin"), 5}};
        Autoscaler a(s);
        // Monday 2026-03-30 07:59 CEST: the floor is min_replicas.
        ScalingDecision d = a.decide(poolAt(utc(2026, 3, 30, 5, 59), 2, 50));
        QCOMPARE(d.finalReplicas, 2);
        QCOMPARE(d.scheduleFloor, 0);
        // 08:00 CEST = 06:00 UTC after the change (it was 07:00 UTC the week before).
        d = a.decide(poolAt(utc(2026, 3, 30, 6, 0), 2, 50));
        QCOMPARE(d.finalReplicas, 5);
        QCOMPARE(d.driver, QStringLiteral("schedule:office"));
        QCOMPARE(d.limit, LimitReason::ScheduleFloor);
        // Within the window the seed scale-in rules cannot go below it.
        qint64 t = utc(2026, 3, 30, 6, 0);
        int cur = 5;
        for (int i = 0; i < 1200; ++i) {
            d = a.decide(poolAt(t + i * S, cur, 5));
            cur = d.finalReplicas;
        }
        QCOMPARE(cur, 5);
    }

    void cronParsing_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::newRow("every minute") << "* * * * *" << true;
        QTest::newRow("steps and lists") << "*/15 8-18/2 1,15 JAN-MAR mon,wed,fri" << true;
        QTest::newRow("sunday as 7") << "0 0 * * 7" << true;
        QTest::newRow("four fields") << "0 8 * *" << false;
        QTest::newRow("minute 60") << "60 8 * * *" << false;
        QTest::newRow("backwards range") << "0 18-8 * * *" << false;
        QTest::newRow("zero step") << "*/0 * * * *" << false;
        QTest::newRow("unknown name") << "0 8 * * funday" << false;
    }

    void cronParsing()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QString error;
        QCOMPARE(bool(CronExpression::parse(text, &error)), valid);
        QCOMPARE(error.isEmpty(), valid);
    }

    // --- forecast ----------------------------------------------------------------------------

    void forecastRaisesTheFloorAheadOfABreach()
    {
        AutoscalerSpec s;
        s.rules.clear();
        s.maxReplicas = 20;
        s.forecast.enabled = true;
        Autoscaler a(s);
        // Total load rises 0.25 replica-% per second: 4 replicas cross 70 % at t = 640 s.
        int cur = 4;
        int firstChange = -1;
        ScalingDecision changed;
        for (int t = 0; t <= 700 && firstChange < 0; ++t) {
            const double load = 120 + 0.25 * t;
            const ScalingDecision d = a.decide(poolAt(t * S, cur, load / cur));
            if (d.changed()) {
                firstChange = t;
                changed = d;
            }
            cur = d.finalReplicas;
        }
        QVERIFY2(firstChange >= 600 && firstChange < 640, qPrintable(QString::number(firstChange)));
        QCOMPARE(changed.driver, QStringLiteral("forecast"));
        QCOMPARE(changed.limit, LimitReason::Forecast);
        QVERIFY(changed.finalReplicas > 4);
        QVERIFY(changed.forecastLoad.value_or(0) > 280);
    }

    void forecastNeverScalesIn()
    {
        AutoscalerSpec s;
        s.rules.clear();
        s.forecast.enabled = true;
        Autoscaler a(s);
        for (int t = 0; t <= 1800; ++t) {
            const double load = std::max(0.0, 270 - 0.25 * t); // falling to nothing
            const ScalingDecision d = a.decide(poolAt(t * S, 4, load / 4));
            QCOMPARE(d.finalReplicas, 4);
            if (t == 1800)
                QVERIFY(d.forecastFloor.value_or(99) < 4);
        }
    }

    void holtFollowsALinearTrend()
    {
        HoltForecaster f(0.5, 0.3, 10 * S);
        for (int t = 0; t < 200; ++t)
            f.add(t * S, 2.0 * t); // +20 per 10 s bucket
        const auto v = f.forecast(60 * S, 0);
        QVERIFY(v);
        // The last full bucket is 180..189 s (mean 369); six buckets on: 369 + 120.
        QVERIFY2(std::abs(*v - 489) < 1.0, qPrintable(QString::number(*v)));
        QVERIFY(!f.forecast(60 * S, 600 * S)); // not enough history
        f.add(400 * S, 10);                    // a long hole starts over
        QCOMPARE(f.buckets(), 0);
    }

    // --- the spec ----------------------------------------------------------------------------

    void defaultsAreTheSeedPolicy()
    {
        const AutoscalerSpec s;
        QVERIFY2(validateAutoscalerSpec(s).isEmpty(),
                 qPrintable(validateAutoscalerSpec(s).join(QLatin1Char('\n'))));
        QCOMPARE(s.rules.size(), 6);
        QCOMPARE(s.behavior.scaleUp.stabilizationWindowMs, qint64(0));
        QCOMPARE(s.behavior.scaleDown.stabilizationWindowMs, 300 * S);
        QCOMPARE(s.behavior.scaleUp.tolerance, 0.1);
        QCOMPARE(s.behavior.scaleDown.tolerance, 0.1);
        for (const ScalingRule &r : s.rules) {
            if (r.name == QLatin1String("emergency")) {
                QCOMPARE(r.threshold, 95.0);
                QCOMPARE(r.forMs, 30 * S);
                QCOMPARE(r.change, 5);
                QCOMPARE(r.cooldownMs, qint64(0));
            } else {
                QCOMPARE(r.cooldownMs, r.change > 0 ? 60 * S : 300 * S);
            }
        }
    }

    void validation_data()
    {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("min > max") << 0 << "greater than max_replicas";
        QTest::newRow("negative target") << 1 << "target must be above 0";
        QTest::newRow("percent policy over 100") << 2 << "more than 100 %";
        QTest::newRow("bad cron") << 3 << "needs five fields";
        QTest::newRow("unknown time zone") << 4 << "not a known IANA time zone";
        QTest::newRow("unknown metric in a target") << 5 << "unknown metric \"cpu\"";
        QTest::newRow("unknown metric in a rule") << 6 << "rule \"x\": unknown metric";
        QTest::newRow("zero change") << 7 << "change must be";
        QTest::newRow("scale to zero on cpu") << 8 << "must be queue_depth";
    }

    void validation()
    {
        QFETCH(int, which);
        QFETCH(QString, mentions);
        AutoscalerSpec s;
        switch (which) {
        case 0:
            s.minReplicas = 5;
            s.maxReplicas = 3;
            break;
        case 1:
            s.metrics = {{QStringLiteral("cpu_percent"), -10}};
            break;
        case 2:
            s.behavior.scaleDown.policies = {{ScalingPolicy::Type::Percent, 150, 15 * S}};
            break;
        case 3:
            s.schedules = {{QStringLiteral("o"), QStringLiteral("0 8 * *"),
                            QStringLiteral("0 18 * * *"), QStringLiteral("UTC"), 2}};
            break;
        case 4:
            s.schedules = {{QStringLiteral("o"), QStringLiteral("0 8 * * *"),
                            QStringLiteral("0 18 * * *"), QStringLiteral("Mars/Olympus"), 2}};
            break;
        case 5:
            s.metrics = {{QStringLiteral("cpu"), 50}};
            break;
        case 6:
            s.rules.append(
                {QStringLiteral("x"), QStringLiteral("load"), ScalingRule::Op::Above, 1, 0, 1, 0});
            break;
        case 7:
            s.rules.append({QStringLiteral("y"), QStringLiteral("cpu_percent"),
                            ScalingRule::Op::Above, 1, 0, 0, 0});
            break;
        case 8:
            s.scaleToZero.enabled = true;
            s.scaleToZero.activationMetric = QStringLiteral("cpu_percent");
            break;
        }
        const QStringList problems = validateAutoscalerSpec(s);
        QVERIFY2(problems.join(QLatin1Char('\n')).contains(mentions),
                 qPrintable(problems.join(QLatin1Char('\n'))));
    }

    void scaleUpPercentAbove100IsAllowed()
    {
        AutoscalerSpec s;
        s.behavior.scaleUp.policies = {{ScalingPolicy::Type::Percent, 900, 60 * S}};
        QVERIFY(validateAutoscalerSpec(s).isEmpty());
    }

    void limitReasonNames()
    {
        QCOMPARE(limitReasonName(LimitReason::RateLimited), QStringLiteral("rate-limited"));
        QCOMPARE(limitReasonName(LimitReason::HostBound), QStringLiteral("host-bound"));
        QCOMPARE(limitReasonName(LimitReason::ProviderThrottled),
                 QStringLiteral("provider-throttled"));
        QCOMPARE(limitReasonName(LimitReason::ScheduleFloor), QStringLiteral("schedule-floor"));
    }
};

QTEST_GUILESS_MAIN(TestAutoscaler)
#include "tst_autoscaler.moc"
