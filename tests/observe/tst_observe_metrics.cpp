// Drover's /metrics text and /health assessment from hand-made snapshots: the page parses back
// with the project's own Prometheus parser (names, types, labels, escaping), counters stay
// monotonic across replica restarts and repeated snapshots, histograms are cumulative, and
// readiness follows the engine's ticking.
#include "core/config/config.h"
#include "core/metrics/prometheus_text.h"
#include "core/observe/health.h"
#include "core/observe/snapshot_metrics.h"

#include <QJsonObject>
#include <QRegularExpression>
#include <QtTest>

using namespace drover;

namespace {

ReplicaStatus replica(int index, ReplicaState state, double prompt = 0, double completion = 0)
{
    ReplicaStatus r;
    r.index = index;
    r.pid = 1000 + index;
    r.state = state;
    r.cpuValid = true;
    r.cpuPercent = 12.5 + index;
    r.rssBytes = 50'000'000 + quint64(index);
    r.privateBytes = 40'000'000;
    r.metricsValid = true;
    r.queueDepth = 3;
    r.promptTokensTotal = prompt;
    r.completionTokensTotal = completion;
    return r;
}

PoolStatus pool(const QString &name, QVector<ReplicaStatus> replicas)
{
    PoolStatus p;
    p.name = name;
    p.state = PoolState::Running;
    p.tier = QStringLiteral("basic");
    p.desired = int(replicas.size());
    p.minReplicas = 1;
    p.maxReplicas = 4;
    p.replicas = std::move(replicas);
    return p;
}

ScalingRecord decision(const QString &poolName, qint64 atMs, int from, int to, const QString &driver)
{
    ScalingRecord r;
    r.pool = poolName;
    r.decision.atMs = atMs;
    r.decision.currentReplicas = from;
    r.decision.finalReplicas = to;
    r.decision.driver = driver;
    r.applied = from != to;
    return r;
}

Snapshot baseSnapshot(quint64 sequence, qint64 nowMs)
{
    Snapshot s;
    s.sequence = sequence;
    s.publishedAtMs = nowMs;
    s.tickIntervalMs = 1000;
    s.ticks = sequence;
    s.lastTickSeconds = 0.004;
    s.cpuValid = true;
    s.cpuPercent = 42;
    s.memoryTotalBytes = 8'000'000'000;
    s.memoryUsedBytes = 3'000'000'000;
    s.pools = {pool(QStringLiteral("mail"), {replica(0, ReplicaState::Ready, 100, 40),
                                             replica(1, ReplicaState::Starting, 10, 5)})};
    s.storePath = QStringLiteral("/tmp/drover.sqlite");
    return s;
}

PrometheusParseResult parse(const QByteArray &text)
{
    PrometheusParseResult r = parsePrometheusText(text);
    for (const PrometheusParseError &e : r.errors)
        qWarning().noquote() << e.toString();
    return r;
}

QByteArray render(const Snapshot *s, const SnapshotCounters &c, qint64 nowMs)
{
    MetricsInput in;
    in.snapshot = s;
    in.counters = &c;
    in.nowMs = nowMs;
    return renderMetrics(in);
}

QByteArray builtinDefault()
{
    QFile f(QStringLiteral(DROVER_SOURCE_DIR "/resources/drover.yaml"));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestObserveMetrics : public QObject
{
    Q_OBJECT
private slots:
    void pageParsesBackWithTypesAndHelp()
    {
        const qint64 now = 1'700'000'000'000;
        SnapshotCounters counters;
        Snapshot s = baseSnapshot(7, now);
        s.scalingDecisions = {decision(QStringLiteral("mail"), now - 1000, 1, 2,
                                       QStringLiteral("rule:scale-out"))};
        counters.apply(s);
        const QByteArray text = render(&s, counters, now + 1500);
        const PrometheusParseResult r = parse(text);
        QVERIFY2(r.ok(), text.constData());

        const QMap<QString, PrometheusType> expected = {
            {QStringLiteral("drover_build_info"), PrometheusType::Gauge},
            {QStringLiteral("drover_snapshot_sequence"), PrometheusType::Gauge},
            {QStringLiteral("drover_snapshot_age_seconds"), PrometheusType::Gauge},
            {QStringLiteral("drover_replicas"), PrometheusType::Gauge},
            {QStringLiteral("drover_pool_desired_replicas"), PrometheusType::Gauge},
            {QStringLiteral("drover_replica_cpu_percent"), PrometheusType::Gauge},
            {QStringLiteral("drover_replica_memory_bytes"), PrometheusType::Gauge},
            {QStringLiteral("drover_queue_depth"), PrometheusType::Gauge},
            {QStringLiteral("drover_gpt_tokens_total"), PrometheusType::Counter},
            {QStringLiteral("drover_scaling_decisions_total"), PrometheusType::Counter},
            {QStringLiteral("drover_alerts_firing"), PrometheusType::Gauge},
            {QStringLiteral("drover_engine_tick_seconds"), PrometheusType::Histogram},
        };
        for (auto it = expected.cbegin(); it != expected.cend(); ++it) {
            QVERIFY2(r.families.contains(it.key()), qPrintable(it.key()));
            QCOMPARE(int(r.families.value(it.key()).type), int(it.value()));
            QVERIFY2(!r.families.value(it.key()).help.isEmpty(), qPrintable(it.key()));
        }
        // Prometheus naming: counters and only counters end in _total; every family is drover_.
        for (const PrometheusFamily &f : r.families) {
            QVERIFY2(f.name.startsWith(QLatin1String("drover_")), qPrintable(f.name));
            QCOMPARE(f.name.endsWith(QLatin1String("_total")), f.type == PrometheusType::Counter);
        }
        // Each family's HELP and TYPE appear exactly once (a repeated family is invalid).
        for (const QString &name : r.families.keys())
            QCOMPARE(text.count("# TYPE " + name.toUtf8() + ' '), qsizetype(1));

        QCOMPARE(r.value(QStringLiteral("drover_snapshot_sequence")), std::optional<double>(7));
        QCOMPARE(r.value(QStringLiteral("drover_snapshot_age_seconds")), std::optional<double>(1.5));
        QCOMPARE(r.value(QStringLiteral("drover_pool_desired_replicas"), {{QStringLiteral("pool"), QStringLiteral("mail")}}),
                 std::optional<double>(2));
        QCOMPARE(r.value(QStringLiteral("drover_replica_cpu_percent"),
                         {{QStringLiteral("pool"), QStringLiteral("mail")}, {QStringLiteral("replica"), QStringLiteral("1")}}),
                 std::optional<double>(13.5));
        QCOMPARE(r.value(QStringLiteral("drover_replica_memory_bytes"),
                         {{QStringLiteral("pool"), QStringLiteral("mail")},
                          {QStringLiteral("replica"), QStringLiteral("0")},
                          {QStringLiteral("kind"), QStringLiteral("rss")}}),
                 std::optional<double>(50'000'000));
        QCOMPARE(r.value(QStringLiteral("drover_queue_depth"), {{QStringLiteral("pool"), QStringLiteral("mail")}}),
                 std::optional<double>(6));
        QCOMPARE(r.value(QStringLiteral("drover_scaling_decisions_total"),
                         {{QStringLiteral("pool"), QStringLiteral("mail")},
                          {QStringLiteral("direction"), QStringLiteral("up")},
                          {QStringLiteral("reason"), QStringLiteral("rule:scale-out")}}),
                 std::optional<double>(1));
        const PrometheusLabels prompt = {{QStringLiteral("pool"), QStringLiteral("mail")},
                                         {QStringLiteral("tier"), QStringLiteral("basic")},
                                         {QStringLiteral("model"), QStringLiteral("unknown")},
                                         {QStringLiteral("kind"), QStringLiteral("prompt")}};
        QCOMPARE(r.value(QStringLiteral("drover_gpt_tokens_total"), prompt), std::optional<double>(110));
        QCOMPARE(r.sum(QStringLiteral("drover_build_info")), 1.0);
    }

    void everyStateAndSeverityIsPresentWithZeros()
    {
        const qint64 now = 1'700'000'000'000;
        SnapshotCounters counters;
        Snapshot s = baseSnapshot(1, now);
        AlertView firing;
        firing.state = QStringLiteral("firing");
        firing.severity = QStringLiteral("critical");
        AlertView pending = firing;
        pending.state = QStringLiteral("pending");
        s.activeAlerts = {firing, pending, firing};
        counters.apply(s);
        const PrometheusParseResult r = parse(render(&s, counters, now));
        QVERIFY(r.ok());
        // A state that empties reads 0 instead of disappearing (a vanished series is "stale",
        // not "none").
        for (const char *state : {"starting", "ready", "unhealthy", "stopping", "exited", "crashed", "backoff"})
            QVERIFY2(r.value(QStringLiteral("drover_replicas"),
                             {{QStringLiteral("pool"), QStringLiteral("mail")}, {QStringLiteral("state"), QLatin1String(state)}}),
                     state);
        QCOMPARE(r.value(QStringLiteral("drover_replicas"),
                         {{QStringLiteral("pool"), QStringLiteral("mail")}, {QStringLiteral("state"), QStringLiteral("ready")}}),
                 std::optional<double>(1));
        QCOMPARE(r.value(QStringLiteral("drover_alerts_firing"), {{QStringLiteral("severity"), QStringLiteral("critical")}}),
                 std::optional<double>(2));
        for (const char *sev : {"info", "warning", "high"})
            QCOMPARE(r.value(QStringLiteral("drover_alerts_firing"), {{QStringLiteral("severity"), QLatin1String(sev)}}),
                     std::optional<double>(0));
    }

    void missingDataIsAbsentNotZero()
    {
        const qint64 now = 1'700'000'000'000;
        Snapshot s = baseSnapshot(1, now);
        s.cpuValid = false;
        s.pools[0].replicas[0].metricsValid = false;
        s.pools[0].replicas[1].metricsValid = false;
        s.pools[0].replicas[1].cpuValid = false;
        SnapshotCounters counters;
        counters.apply(s);
        const PrometheusParseResult r = parse(render(&s, counters, now));
        QVERIFY(r.ok());
        QVERIFY(!r.value(QStringLiteral("drover_host_cpu_percent")));
        QVERIFY(!r.value(QStringLiteral("drover_queue_depth"), {{QStringLiteral("pool"), QStringLiteral("mail")}}));
        QVERIFY(!r.value(QStringLiteral("drover_replica_cpu_percent"),
                         {{QStringLiteral("pool"), QStringLiteral("mail")}, {QStringLiteral("replica"), QStringLiteral("1")}}));
        QVERIFY(r.value(QStringLiteral("drover_replica_cpu_percent"),
                        {{QStringLiteral("pool"), QStringLiteral("mail")}, {QStringLiteral("replica"), QStringLiteral("0")}}));
    }

    void beforeTheFirstSnapshotThePageIsStillValid()
    {
        const QByteArray text = renderMetrics({});
        const PrometheusParseResult r = parse(text);
        QVERIFY2(r.ok(), text.constData());
        QCOMPARE(r.value(QStringLiteral("drover_snapshot_sequence")), std::optional<double>(0));
        QVERIFY(r.families.contains(QStringLiteral("drover_replicas")));
        QCOMPARE(r.value(QStringLiteral("drover_engine_tick_seconds_count")), std::optional<double>(0));
    }

    void labelValuesAreEscaped()
    {
        // Pool and rule names come from the operator's YAML: quotes, backslashes and newlines
        // must survive the round trip instead of breaking the page.
        const QString nasty = QStringLiteral("we\"ird\\pool\nname \u00e9");
        const qint64 now = 1'700'000'000'000;
        Snapshot s = baseSnapshot(1, now);
        s.pools[0].name = nasty;
        s.scalingDecisions = {decision(nasty, now, 2, 1, QStringLiteral("rule:\"in\""))};
        SnapshotCounters counters;
        counters.apply(s);
        const QByteArray text = render(&s, counters, now);
        const PrometheusParseResult r = parse(text);
        QVERIFY2(r.ok(), text.constData());
        QCOMPARE(r.value(QStringLiteral("drover_pool_desired_replicas"), {{QStringLiteral("pool"), nasty}}),
                 std::optional<double>(2));
        QCOMPARE(r.value(QStringLiteral("drover_scaling_decisions_total"),
                         {{QStringLiteral("pool"), nasty},
                          {QStringLiteral("direction"), QStringLiteral("down")},
                          {QStringLiteral("reason"), QStringLiteral("rule:\"in\"")}}),
                 std::optional<double>(1));
        // No raw newline inside a sample line: every line starts with # or drover_.
        for (const QByteArray &line : text.split('\n'))
            QVERIFY2(line.isEmpty() || line.startsWith('#') || line.startsWith("drover_"), line.constData());
    }

    void countersAreMonotonicAcrossRestartsAndRepeats()
    {
        const qint64 now = 1'700'000'000'000;
        SnapshotCounters counters;
        Snapshot s = baseSnapshot(1, now);
        s.pools[0].replicas = {replica(0, ReplicaState::Ready, 100, 10)};
        s.scalingDecisions = {decision(QStringLiteral("mail"), now, 1, 1, QStringLiteral("none"))};
        counters.apply(s);
        // The same snapshot content again (a publish between ticks): nothing counts twice.
        s.sequence = 2;
        counters.apply(s);
        // The replica grew by 50 prompt tokens, then restarted (its total starts over at 7).
        s.sequence = 3;
        s.ticks = 2;
        s.pools[0].replicas[0].promptTokensTotal = 150;
        s.scalingDecisions.append(decision(QStringLiteral("mail"), now + 1000, 1, 1, QStringLiteral("none")));
        counters.apply(s);
        s.sequence = 4;
        s.ticks = 3;
        s.pools[0].replicas[0].promptTokensTotal = 7;
        counters.apply(s);

        const TokenKey promptKey{QStringLiteral("mail"), QStringLiteral("basic"), QStringLiteral("unknown"),
                                 QStringLiteral("prompt")};
        QCOMPARE(counters.gptTokens().value(promptKey), 157.0);
        const ScalingDecisionKey none{QStringLiteral("mail"), QStringLiteral("none"), QStringLiteral("none")};
        QCOMPARE(counters.scalingDecisions().value(none), quint64(2));
        QCOMPARE(counters.snapshotsSeen(), quint64(4));
        QCOMPARE(counters.tickSeconds().count(), quint64(3)); // ticks 1, 2, 3; the repeat not
    }

    void tickHistogramIsCumulative()
    {
        SnapshotCounters counters;
        const qint64 now = 1'700'000'000'000;
        const double durations[] = {0.0005, 0.003, 0.003, 0.2, 7.0};
        quint64 tick = 0;
        for (double d : durations) {
            Snapshot s = baseSnapshot(++tick, now);
            s.lastTickSeconds = d;
            counters.apply(s);
        }
        const Snapshot last = baseSnapshot(tick, now);
        const PrometheusParseResult r = parse(render(&last, counters, now));
        QVERIFY(r.ok());
        const std::optional<PrometheusHistogram> h = r.histogram(QStringLiteral("drover_engine_tick_seconds"));
        QVERIFY(h);
        QCOMPARE(h->count, 5.0);
        QCOMPARE(h->sum, 0.0005 + 0.003 + 0.003 + 0.2 + 7.0);
        double previous = 0;
        for (const PrometheusHistogram::Bucket &b : h->buckets) {
            QVERIFY(b.cumulativeCount >= previous);
            previous = b.cumulativeCount;
        }
        QVERIFY(std::isinf(h->buckets.last().upperBound));
        QCOMPARE(h->buckets.last().cumulativeCount, 5.0);
        QCOMPARE(r.value(QStringLiteral("drover_engine_tick_seconds_bucket"), {{QStringLiteral("le"), QStringLiteral("0.001")}}),
                 std::optional<double>(1));
        QCOMPARE(r.value(QStringLiteral("drover_engine_tick_seconds_bucket"), {{QStringLiteral("le"), QStringLiteral("0.005")}}),
                 std::optional<double>(3));
        QCOMPARE(r.value(QStringLiteral("drover_engine_tick_seconds_bucket"), {{QStringLiteral("le"), QStringLiteral("2.5")}}),
                 std::optional<double>(4));
    }

    void readinessFollowsTheEngine()
    {
        const qint64 now = 1'700'000'000'000;
        HealthInput in;
        in.nowMs = now;
        HealthReport h = assessHealth(in);
        QVERIFY(!h.ready);
        QVERIFY2(h.reason.contains(QLatin1String("not published")), qPrintable(h.reason));
        QCOMPARE(h.overall, HealthStatus::Down);

        Snapshot s = baseSnapshot(5, now - 1000);
        in.snapshot = &s;
        h = assessHealth(in);
        QVERIFY2(h.ready, qPrintable(h.reason));
        QCOMPARE(h.overall, HealthStatus::Ok);

        // Three tick intervals (at least 5 s) without a snapshot: stalled.
        in.nowMs = now + 10'000;
        h = assessHealth(in);
        QVERIFY(!h.ready);
        QVERIFY2(h.reason.contains(QLatin1String("not ticking")), qPrintable(h.reason));

        in.nowMs = now;
        in.engineStopped = true;
        h = assessHealth(in);
        QVERIFY(!h.ready);
        QVERIFY2(h.reason.contains(QLatin1String("stopped")), qPrintable(h.reason));
    }

    void componentsDegradeWithoutMakingDroverUnready()
    {
        const qint64 now = 1'700'000'000'000;
        Snapshot s = baseSnapshot(5, now);
        s.storeNotice = QStringLiteral("the store was damaged and moved aside");
        s.pools[0].state = PoolState::CrashLoop;
        SupervisorEvent secret;
        secret.pool = QStringLiteral("mail");
        secret.kind = QStringLiteral("secret");
        secret.reason = QStringLiteral("cannot read secrets: KEY (keychain:k): not found");
        s.recentEvents = {secret};
        HealthInput in;
        in.snapshot = &s;
        in.nowMs = now;
        in.reported = {{QStringLiteral("gateway"), HealthStatus::Ok, QStringLiteral("listening on 127.0.0.1:4000")}};
        const HealthReport h = assessHealth(in);
        QVERIFY(h.ready);
        QCOMPARE(h.overall, HealthStatus::Degraded);
        const QJsonObject json = h.toJson();
        const QJsonObject parts = json.value(QStringLiteral("components")).toObject();
        for (const char *name : {"engine", "store", "supervisor", "gateway", "keychain"})
            QVERIFY2(parts.contains(QLatin1String(name)), name);
        QCOMPARE(parts.value(QStringLiteral("engine")).toObject().value(QStringLiteral("status")).toString(),
                 QStringLiteral("ok"));
        QCOMPARE(parts.value(QStringLiteral("store")).toObject().value(QStringLiteral("status")).toString(),
                 QStringLiteral("degraded"));
        QCOMPARE(parts.value(QStringLiteral("supervisor")).toObject().value(QStringLiteral("status")).toString(),
                 QStringLiteral("degraded"));
        QCOMPARE(parts.value(QStringLiteral("keychain")).toObject().value(QStringLiteral("status")).toString(),
                 QStringLiteral("down"));
        QCOMPARE(parts.value(QStringLiteral("gateway")).toObject().value(QStringLiteral("detail")).toString(),
                 QStringLiteral("listening on 127.0.0.1:4000"));
    }

    void gatewayAndWorkFamiliesFollowTheSnapshot()
    {
        const qint64 now = 1'700'000'000'000;
        Snapshot s = baseSnapshot(3, now);
        SnapshotCounters counters;
        // Gateway disabled: the families are declared, with no samples that would claim it runs.
        {
            const PrometheusParseResult r = parse(render(&s, counters, now));
            QVERIFY(r.ok());
            QVERIFY(r.families.contains(QStringLiteral("drover_gateway_up")));
            QCOMPARE(r.value(QStringLiteral("drover_gateway_up"), {{QStringLiteral("upstream"), QStringLiteral("simulated")}}),
                     std::optional<double>());
        }
        s.gateway.enabled = true;
        s.gateway.running = true;
        s.gateway.port = 4000;
        s.gateway.upstream = QStringLiteral("https://api.example.test/v1");
        s.gateway.throttled = true;
        s.gateway.upstream429 = 17;
        s.gateway.unauthorized = 2;
        s.gateway.activeStreams = 3;
        s.gateway.promptTokens = 1200;
        s.gateway.cachedTokens = 200;
        PoolWorkView mail;
        mail.pool = QStringLiteral("mail");
        mail.waiting = 4;
        mail.oldestWaitMs = 2500;
        mail.delivered = 90;
        mail.deadLetters = 1;
        mail.waitP95Ms = 800;
        mail.rejected = 5;
        ReplicaWorkView open;
        open.replica = 1;
        open.breaker = QStringLiteral("open");
        mail.replicas = {open};
        PoolWorkView browser;
        browser.pool = QStringLiteral("browser"); // nothing delivered yet: no p95 to report
        s.work = {mail, browser};

        const QByteArray text = render(&s, counters, now);
        const PrometheusParseResult r = parse(text);
        QVERIFY2(r.ok(), text.constData());
        for (const PrometheusFamily &f : r.families)
            QCOMPARE(f.name.endsWith(QLatin1String("_total")), f.type == PrometheusType::Counter);
        const PrometheusLabels m = {{QStringLiteral("pool"), QStringLiteral("mail")}};
        const PrometheusLabels b = {{QStringLiteral("pool"), QStringLiteral("browser")}};
        QCOMPARE(r.value(QStringLiteral("drover_gateway_up"), {{QStringLiteral("upstream"), s.gateway.upstream}}),
                 std::optional<double>(1));
        QCOMPARE(r.value(QStringLiteral("drover_gateway_upstream_throttled")), std::optional<double>(1));
        QCOMPARE(r.value(QStringLiteral("drover_gateway_upstream_throttled_responses_total")), std::optional<double>(17));
        QCOMPARE(r.value(QStringLiteral("drover_gateway_unauthorized_requests_total")), std::optional<double>(2));
        QCOMPARE(r.value(QStringLiteral("drover_gateway_active_streams")), std::optional<double>(3));
        QCOMPARE(r.value(QStringLiteral("drover_gateway_tokens_total"), {{QStringLiteral("kind"), QStringLiteral("cached")}}),
                 std::optional<double>(200));
        QCOMPARE(r.value(QStringLiteral("drover_gateway_budget_rejections_total"), m), std::optional<double>(5));
        QCOMPARE(r.value(QStringLiteral("drover_dispatch_jobs_waiting"), m), std::optional<double>(4));
        QCOMPARE(r.value(QStringLiteral("drover_dispatch_oldest_wait_seconds"), m), std::optional<double>(2.5));
        QCOMPARE(r.value(QStringLiteral("drover_dispatch_jobs_delivered_total"), m), std::optional<double>(90));
        QCOMPARE(r.value(QStringLiteral("drover_dispatch_dead_letters"), m), std::optional<double>(1));
        QCOMPARE(r.value(QStringLiteral("drover_dispatch_wait_p95_seconds"), m), std::optional<double>(0.8));
        QCOMPARE(r.value(QStringLiteral("drover_dispatch_wait_p95_seconds"), b), std::optional<double>());
        QCOMPARE(r.value(QStringLiteral("drover_dispatch_jobs_waiting"), b), std::optional<double>(0));
        const auto breaker = [&](const char *state) {
            return r.value(QStringLiteral("drover_replica_circuit_breaker"),
                           {{QStringLiteral("pool"), QStringLiteral("mail")},
                            {QStringLiteral("replica"), QStringLiteral("1")},
                            {QStringLiteral("state"), QLatin1String(state)}});
        };
        QCOMPARE(breaker("open"), std::optional<double>(1));
        QCOMPARE(breaker("closed"), std::optional<double>(0));
        // The provider key never reaches the page, whatever the upstream URL looked like.
        QVERIFY(!text.contains("sk-"));
    }

    void gatewayAndDispatchHealthComeFromTheSnapshot()
    {
        const qint64 now = 1'700'000'000'000;
        Snapshot s = baseSnapshot(5, now);
        const auto component = [&](const char *name) {
            HealthInput in;
            in.snapshot = &s;
            in.nowMs = now;
            for (const ComponentHealth &c : assessHealth(in).components)
                if (c.name == QLatin1String(name))
                    return c;
            return ComponentHealth{};
        };
        QCOMPARE(component("gateway").status, HealthStatus::Unknown);
        QVERIFY(component("gateway").detail.contains(QLatin1String("disabled")));

        s.gateway.enabled = true;
        s.gateway.error = QStringLiteral("cannot listen on 127.0.0.1:4000: address in use");
        QCOMPARE(component("gateway").status, HealthStatus::Down);
        QCOMPARE(component("gateway").detail, s.gateway.error);

        s.gateway.running = true;
        s.gateway.port = 4000;
        s.gateway.simulated = true;
        s.gateway.upstream = QStringLiteral("simulated");
        s.gateway.simulatedReason = QStringLiteral("no provider key in the keychain");
        QCOMPARE(component("gateway").status, HealthStatus::Ok);
        QVERIFY(component("gateway").detail.contains(QLatin1String("no provider key")));
        s.gateway.throttled = true;
        QCOMPARE(component("gateway").status, HealthStatus::Degraded);
        QVERIFY(component("gateway").detail.contains(QLatin1String("throttling")));

        s.dispatch.enabled = true;
        s.dispatch.running = true;
        s.dispatch.intakePort = 4100;
        s.dispatch.intakeReady = true;
        PoolWorkView mail;
        mail.pool = QStringLiteral("mail");
        mail.waiting = 3;
        mail.deadLetters = 2;
        s.work = {mail};
        QCOMPARE(component("dispatch").status, HealthStatus::Ok);
        QVERIFY2(component("dispatch").detail.contains(QLatin1String("3 job(s) waiting, 2 dead letter(s)")),
                 qPrintable(component("dispatch").detail));
        s.dispatch.intakeReady = false;
        s.dispatch.intakeError = QStringLiteral("no intake token in the keychain");
        QCOMPARE(component("dispatch").status, HealthStatus::Degraded);
        QVERIFY(component("dispatch").detail.contains(s.dispatch.intakeError));
    }

    void configSection()
    {
        const ConfigLoadResult defaults = parseConfig("version: 1\n", QStringLiteral("d.yaml"));
        QVERIFY(!defaults.hasErrors());
        QVERIFY(defaults.config.observe.enabled);
        QCOMPARE(defaults.config.observe.port, 9464);

        const ConfigLoadResult set =
            parseConfig("version: 1\nobserve:\n  enabled: false\n  port: 0\n", QStringLiteral("s.yaml"));
        QVERIFY(!set.hasErrors());
        QVERIFY(!set.config.observe.enabled);
        QCOMPARE(set.config.observe.port, 0);

        // A typo and a port out of range are errors with file:line:column.
        const ConfigLoadResult bad =
            parseConfig("version: 1\nobserve:\n  enabeld: true\n  port: 70000\n", QStringLiteral("b.yaml"));
        QVERIFY(bad.hasErrors());
        QStringList messages;
        for (const ConfigIssue &i : bad.issues)
            messages << i.toString();
        QVERIFY2(messages.join(QLatin1Char('\n')).contains(QLatin1String("b.yaml:3:")), qPrintable(messages.join(QLatin1Char('\n'))));
        QVERIFY2(messages.join(QLatin1Char('\n')).contains(QLatin1String("b.yaml:4:")), qPrintable(messages.join(QLatin1Char('\n'))));

        // The shipped default configuration has the section and loads cleanly.
        const ConfigLoadResult shipped = parseConfig(builtinDefault(), QStringLiteral("drover.yaml"));
        QVERIFY(shipped.config.observe.enabled);
        QCOMPARE(shipped.config.observe.port, 9464);
    }
};

QTEST_GUILESS_MAIN(TestObserveMetrics)
#include "tst_observe_metrics.moc"
