// The eight bottleneck signatures on synthetic 1 s series with simulated time: each present,
// absent and with missing data, the remediation each one recommends, the hysteresis, and the
// rule that a throttled pool is never scaled out.
#include "core/detect/bottleneck_detector.h"

#include <QtTest>
#include <functional>

using namespace drover;

namespace {

constexpr qint64 kNow = 1'000'000'000; // simulated ms

// `seconds` samples at 1 s ending at `now`; f(i) gives sample i (0 = oldest).
Series series(int seconds, const std::function<double(int)> &f, qint64 now = kNow, int stepS = 1)
{
    Series s;
    for (int i = 0; i < seconds; i += stepS)
        s.append({now - qint64(seconds - 1 - i) * 1000, f(i)});
    return s;
}
Series constant(int seconds, double v)
{
    return series(seconds, [v](int) { return v; });
}
// Linear from a to b over the window.
Series line(int seconds, double a, double b)
{
    return series(seconds, [=](int i) { return a + (b - a) * i / double(seconds - 1); });
}

const double MB = 1024.0 * 1024.0;

TierSpec tier(const QString &name)
{
    for (const TierSpec &t : defaultTiers()) {
        if (t.name == name)
            return t;
    }
    return {};
}

// A healthy fleet with every series present: nothing should be found.
DetectorInput healthy()
{
    DetectorInput in;
    in.nowMs = kNow;
    in.tiers = defaultTiers();
    in.host.logicalCores = 8;
    in.host.memoryTotalBytes = quint64(16) << 30;
    in.host.cpuPercent = constant(300, 40);
    in.host.memoryPercent = constant(300, 50);
    in.host.swapInBytesPerSecond = constant(300, 0);
    in.host.diskBusyPercent = constant(300, 20);
    in.host.diskWriteLatencyMs = constant(300, 2);
    in.host.storeWriteLatencyMs = constant(300, 5);
    in.gateway.upstreamLatencyP95Ms = constant(300, 800);
    in.gateway.upstreamBytesPerSecond = constant(300, 50000);
    in.gateway.connectionErrorsPerSecond = constant(300, 0);

    PoolSignals p;
    p.pool = QStringLiteral("mail");
    p.tier = tier(QStringLiteral("basic")); // 1 core, 2048 MB, 500 tok/min, 2 browsers, 5 tasks
    p.replicas = 2;
    p.minReplicas = 1;
    p.maxReplicas = 4;
    p.cpuCores = constant(300, 1.0); // 50 % of 2 cores
    p.replicaMemory = {{0, constant(300, 800 * MB)}, {1, constant(300, 900 * MB)}};
    p.queueDepth = constant(300, 3);
    p.arrivalsPerSecond = constant(300, 2);
    p.dispatchesPerSecond = constant(300, 2);
    p.upstreamRequestsPerSecond = constant(300, 10);
    p.upstream429PerSecond = constant(300, 0);
    p.retryAfterSeconds = constant(300, 0);
    p.tokensPerSecond = constant(300, 5);
    p.browsersInUse = constant(300, 2);
    p.cacheHitRatio = constant(300, 0.8);
    in.pools = {p};
    return in;
}

PoolSignals &mail(DetectorInput &in)
{
    return in.pools[0];
}

void throttle(DetectorInput &in)
{
    mail(in).upstream429PerSecond = constant(300, 2); // 20 % of 10 calls/s
    mail(in).retryAfterSeconds = line(300, 1, 5);     // rising
    mail(in).tokensPerSecond = constant(300, 6);      // flat
}

void backlog(DetectorInput &in)
{
    mail(in).queueDepth = line(300, 20, 140);
    mail(in).arrivalsPerSecond = constant(300, 3);
    mail(in).dispatchesPerSecond = constant(300, 2);
}

struct Case
{
    const char *name;
    std::function<void(DetectorInput &)> mutate;
    Bottleneck signature;
    QString pool;         // the finding's pool ("" host-wide)
    bool expectActive;    // after one evaluation (confidence >= 0.6)
    double minConfidence; // of the assessment (-1: must not be assessed at all)
    double maxConfidence;
    Remediation::Kind kind; // when active
    std::function<void(const BottleneckFinding &)> check = {};
};

const QString kMail = QStringLiteral("mail");
const QString kHost;

QVector<Case> cases()
{
    using K = Remediation::Kind;
    using B = Bottleneck;
    return {
        // 1. GPT throttling
        {"throttling: 429s, rising retry-after, flat tokens", throttle, B::GptThrottling, kMail,
         true, 0.95, 1.0, K::HoldScaleOut,
         [](const BottleneckFinding &f) {
             QCOMPARE(f.severity, BottleneckSeverity::Critical);
             QCOMPARE(f.evidence.first().series, QStringLiteral("upstream_429_ratio"));
             QCOMPARE(f.evidence.first().value, 0.2);
             QVERIFY(f.remediation.enableBackoff);
             QVERIFY(f.remediation.concurrencyFactor < 1.0);
             QVERIFY(f.remediation.holdForMs > 0);
             QVERIFY(f.remediation.text.contains(QStringLiteral("more replicas")));
         }},
        {"throttling: no 429s", [](DetectorInput &) {}, B::GptThrottling, kMail, false, -1, -1,
         K::NotifyOnly},
        {"throttling: 429s but tokens rising (demand met)",
         [](DetectorInput &in) {
             throttle(in);
             mail(in).tokensPerSecond =
                 series(300, [](int i) { return i < 240 ? 2.0 : 2.0 + (i - 240) * 0.5; });
             mail(in).retryAfterSeconds = constant(300, 0);
         },
         B::GptThrottling, kMail, false, 0.5, 0.59, K::HoldScaleOut},
        {"throttling: only 429s, corroboration missing",
         [](DetectorInput &in) {
             throttle(in);
             mail(in).retryAfterSeconds.clear();
             mail(in).tokensPerSecond.clear();
         },
         B::GptThrottling, kMail, false, 0.5, 0.59, K::HoldScaleOut},
        {"throttling: 429 series missing",
         [](DetectorInput &in) {
             throttle(in);
             mail(in).upstream429PerSecond.clear();
         },
         B::GptThrottling, kMail, false, -1, -1, K::NotifyOnly},
        {"throttling: call counts missing, 429 rate used",
         [](DetectorInput &in) {
             throttle(in);
             mail(in).upstreamRequestsPerSecond.clear();
         },
         B::GptThrottling, kMail, true, 0.95, 1.0, K::HoldScaleOut,
         [](const BottleneckFinding &f) {
             QCOMPARE(f.evidence.first().series, QStringLiteral("upstream_429_per_second"));
         }},
        {"throttling: sparse samples (1 in 5 s)",
         [](DetectorInput &in) {
             throttle(in);
             mail(in).upstream429PerSecond = series(
                 300, [](int) { return 2.0; }, kNow, 5);
         },
         B::GptThrottling, kMail, false, 0.2, 0.3, K::HoldScaleOut},
        {"throttling: stale (no sample for 30 s)",
         [](DetectorInput &in) {
             throttle(in);
             mail(in).upstream429PerSecond = series(
                 300, [](int) { return 2.0; }, kNow - 30000);
         },
         B::GptThrottling, kMail, false, -1, -1, K::NotifyOnly},

        // 2. Memory pressure
        {"memory: replica at its limit, flat -> re-tier",
         [](DetectorInput &in) {
             mail(in).replicaMemory[1].privateBytes = constant(300, 1990 * MB);
         },
         B::MemoryPressure, kMail, true, 0.64, 0.66, K::Retier,
         [](const BottleneckFinding &f) {
             QCOMPARE(f.remediation.targetTier, QStringLiteral("premium"));
             QCOMPARE(f.evidence.first().series, QStringLiteral("replica.private_bytes"));
         }},
        {"memory: replica growing towards its limit -> restart it",
         [](DetectorInput &in) {
             mail(in).replicaMemory[1].privateBytes = line(300, 1000 * MB, 1900 * MB);
             in.host.memoryPercent = constant(300, 90);
         },
         B::MemoryPressure, kMail, true, 0.7, 1.0, K::RestartReplicas,
         [](const BottleneckFinding &f) { QCOMPARE(f.remediation.replicas, QVector<int>{1}); }},
        {"memory: replicas well below the limit", [](DetectorInput &) {}, B::MemoryPressure, kMail,
         false, -1, -1, K::NotifyOnly},
        {"memory: replica memory missing",
         [](DetectorInput &in) { mail(in).replicaMemory.clear(); }, B::MemoryPressure, kMail, false,
         -1, -1, K::NotifyOnly},
        {"memory: host full and swapping, nobody growing -> hold scale-out",
         [](DetectorInput &in) {
             in.host.memoryPercent = constant(300, 96);
             in.host.swapInBytesPerSecond = constant(300, 30 * MB);
         },
         B::MemoryPressure, kHost, true, 0.84, 0.86, K::HoldScaleOut},
        {"memory: host full, one replica leaking -> restart it",
         [](DetectorInput &in) {
             in.host.memoryPercent = line(300, 90, 97);
             mail(in).replicaMemory[0].privateBytes = line(300, 400 * MB, 1000 * MB);
         },
         B::MemoryPressure, kHost, true, 0.6, 1.0, K::RestartReplicas,
         [](const BottleneckFinding &f) {
             QCOMPARE(f.remediation.pool, QStringLiteral("mail"));
             QCOMPARE(f.remediation.replicas, QVector<int>{0});
         }},
        {"memory: host full but swap missing", // 0.65 level + rising 0
         [](DetectorInput &in) {
             in.host.memoryPercent = constant(300, 96);
             in.host.swapInBytesPerSecond.clear();
         },
         B::MemoryPressure, kHost, true, 0.64, 0.66, K::HoldScaleOut},
        {"memory: host at 88 %, swap missing", // lower level, missing corroboration: not enough
         [](DetectorInput &in) {
             in.host.memoryPercent = constant(300, 88);
             in.host.swapInBytesPerSecond.clear();
         },
         B::MemoryPressure, kHost, false, 0.1, 0.3, K::HoldScaleOut},

        // 3. CPU saturation
        {"cpu: pool pinned at quota, host has room -> scale out",
         [](DetectorInput &in) { mail(in).cpuCores = constant(300, 1.95); }, B::CpuSaturation,
         kMail, true, 0.69, 0.71, K::ScaleOut,
         [](const BottleneckFinding &f) {
             QCOMPARE(f.severity, BottleneckSeverity::High);
             QCOMPARE(f.remediation.addReplicas, 1); // ceil(2 x 0.975 / 0.7) = 3
             QCOMPARE(f.remediation.targetReplicas, 3);
         }},
        {"cpu: pool pinned, at its max -> re-tier",
         [](DetectorInput &in) {
             mail(in).replicas = 4;
             mail(in).cpuCores = constant(300, 3.9);
         },
         B::CpuSaturation, kMail, true, 0.69, 0.71, K::Retier,
         [](const BottleneckFinding &f) {
             QCOMPARE(f.remediation.targetTier, QStringLiteral("premium"));
         }},
        {"cpu: pool pinned, host saturated -> re-tier, not scale out",
         [](DetectorInput &in) {
             mail(in).cpuCores = constant(300, 2.0);
             in.host.cpuPercent = constant(300, 92);
         },
         B::CpuSaturation, kMail, true, 0.99, 1.0, K::Retier},
        {"cpu: pool pinned, host CPU missing -> no scale out",
         [](DetectorInput &in) {
             mail(in).cpuCores = constant(300, 2.0);
             in.host.cpuPercent.clear();
         },
         B::CpuSaturation, kMail, true, 0.69, 0.71, K::Retier},
        {"cpu: pool at half its quota", [](DetectorInput &) {}, B::CpuSaturation, kMail, false, -1,
         -1, K::NotifyOnly},
        {"cpu: pinned only the last 30 s of 120 (not sustained)",
         [](DetectorInput &in) {
             mail(in).cpuCores = series(300, [](int i) { return i >= 270 ? 2.0 : 1.0; });
         },
         B::CpuSaturation, kMail, false, -1, -1, K::NotifyOnly},
        {"cpu: pool CPU missing", [](DetectorInput &in) { mail(in).cpuCores.clear(); },
         B::CpuSaturation, kMail, false, -1, -1, K::NotifyOnly},
        {"cpu: host saturated -> hold scale-out of all pools",
         [](DetectorInput &in) { in.host.cpuPercent = constant(300, 92); }, B::CpuSaturation, kHost,
         true, 0.8, 0.95, K::HoldScaleOut,
         [](const BottleneckFinding &f) { QVERIFY(f.remediation.pool.isEmpty()); }},

        // 4. Network congestion
        {"network: p95 latency doubles, traffic flat",
         [](DetectorInput &in) {
             in.gateway.upstreamLatencyP95Ms =
                 series(300, [](int i) { return i < 240 ? 800.0 : 800.0 + (i - 240) * 40.0; });
         },
         B::NetworkCongestion, kHost, true, 0.74, 0.76, K::HoldScaleOut},
        {"network: latency rises with traffic (load, not congestion)",
         [](DetectorInput &in) {
             in.gateway.upstreamLatencyP95Ms =
                 series(300, [](int i) { return i < 240 ? 800.0 : 800.0 + (i - 240) * 40.0; });
             in.gateway.upstreamBytesPerSecond = series(
                 300, [](int i) { return i < 240 ? 50000.0 : 50000.0 + (i - 240) * 2000.0; });
         },
         B::NetworkCongestion, kHost, false, 0.44, 0.46, K::HoldScaleOut},
        {"network: latency rising plus connection errors",
         [](DetectorInput &in) {
             in.gateway.upstreamLatencyP95Ms =
                 series(300, [](int i) { return i < 240 ? 800.0 : 2400.0; });
             in.gateway.connectionErrorsPerSecond = constant(300, 1);
         },
         B::NetworkCongestion, kHost, true, 0.99, 1.0, K::HoldScaleOut},
        {"network: flat latency", [](DetectorInput &) {}, B::NetworkCongestion, kHost, false, -1,
         -1, K::NotifyOnly},
        {"network: latency and errors missing",
         [](DetectorInput &in) {
             in.gateway.upstreamLatencyP95Ms.clear();
             in.gateway.connectionErrorsPerSecond.clear();
         },
         B::NetworkCongestion, kHost, false, -1, -1, K::NotifyOnly},

        // 5. Queue backlog
        {"queue: growing, arrivals outpace dispatches -> scale out", backlog, B::QueueBacklog,
         kMail, true, 0.95, 1.0, K::ScaleOut,
         [](const BottleneckFinding &f) {
             QCOMPARE(f.remediation.targetReplicas, 3); // ceil(2 x 1.5)
         }},
        {"queue: at max -> re-tier for more concurrent tasks",
         [](DetectorInput &in) {
             backlog(in);
             mail(in).replicas = 4;
         },
         B::QueueBacklog, kMail, true, 0.95, 1.0, K::Retier,
         [](const BottleneckFinding &f) {
             QCOMPARE(f.remediation.targetTier, QStringLiteral("premium"));
         }},
        {"queue: deep but flat", [](DetectorInput &in) { mail(in).queueDepth = constant(300, 80); },
         B::QueueBacklog, kMail, false, -1, -1, K::NotifyOnly},
        {"queue: growing, rates missing, still shallow",
         [](DetectorInput &in) {
             mail(in).queueDepth = line(300, 5, 60);
             mail(in).arrivalsPerSecond.clear();
             mail(in).dispatchesPerSecond.clear();
         },
         B::QueueBacklog, kMail, false, 0.5, 0.59, K::ScaleOut},
        {"queue: depth missing",
         [](DetectorInput &in) {
             backlog(in);
             mail(in).queueDepth.clear();
         },
         B::QueueBacklog, kMail, false, -1, -1, K::NotifyOnly},
        {"queue: backlog of a throttled pool -> hold, never scale out",
         [](DetectorInput &in) {
             backlog(in);
             throttle(in);
         },
         B::QueueBacklog, kMail, true, 0.95, 1.0, K::HoldScaleOut},

        // 6. Disk I/O
        {"disk: busy and slow writes",
         [](DetectorInput &in) {
             in.host.diskBusyPercent = constant(300, 97);
             in.host.diskWriteLatencyMs = constant(300, 150);
         },
         B::DiskIo, kHost, true, 0.69, 0.71, K::NotifyOnly,
         [](const BottleneckFinding &f) { QCOMPARE(f.severity, BottleneckSeverity::Medium); }},
        {"disk: busy, latencies missing (one signal is not enough)",
         [](DetectorInput &in) {
             in.host.diskBusyPercent = constant(300, 97);
             in.host.diskWriteLatencyMs.clear();
             in.host.storeWriteLatencyMs.clear();
         },
         B::DiskIo, kHost, false, 0.39, 0.41, K::NotifyOnly},
        {"disk: quiet", [](DetectorInput &) {}, B::DiskIo, kHost, false, -1, -1, K::NotifyOnly},
        {"disk: everything missing",
         [](DetectorInput &in) {
             in.host.diskBusyPercent.clear();
             in.host.diskWriteLatencyMs.clear();
             in.host.storeWriteLatencyMs.clear();
         },
         B::DiskIo, kHost, false, -1, -1, K::NotifyOnly},

        // 7. Cache inefficiency
        {"cache: hit ratio 15 %",
         [](DetectorInput &in) { mail(in).cacheHitRatio = constant(300, 0.15); },
         B::CacheInefficiency, kMail, true, 0.69, 0.71, K::NotifyOnly,
         [](const BottleneckFinding &f) { QCOMPARE(f.severity, BottleneckSeverity::Low); }},
        {"cache: hit ratio falling to 35 %",
         [](DetectorInput &in) { mail(in).cacheHitRatio = line(300, 0.65, 0.35); },
         B::CacheInefficiency, kMail, false, 0.3, 0.59, K::NotifyOnly},
        {"cache: healthy", [](DetectorInput &) {}, B::CacheInefficiency, kMail, false, -1, -1,
         K::NotifyOnly},
        {"cache: agent reports none", [](DetectorInput &in) { mail(in).cacheHitRatio.clear(); },
         B::CacheInefficiency, kMail, false, -1, -1, K::NotifyOnly},

        // 8. Browser pool exhaustion
        {"browsers: all 4 in use, jobs waiting -> scale out",
         [](DetectorInput &in) {
             mail(in).browsersInUse = constant(300, 4);
             mail(in).queueDepth = constant(300, 12);
         },
         B::BrowserPoolExhaustion, kMail, true, 0.99, 1.0, K::ScaleOut},
        {"browsers: all in use at max -> re-tier",
         [](DetectorInput &in) {
             mail(in).replicas = 4;
             mail(in).browsersInUse = constant(300, 8);
         },
         B::BrowserPoolExhaustion, kMail, true, 0.7, 0.8, K::Retier,
         [](const BottleneckFinding &f) {
             QCOMPARE(f.remediation.targetTier, QStringLiteral("premium"));
         }},
        {"browsers: half in use", [](DetectorInput &) {}, B::BrowserPoolExhaustion, kMail, false,
         -1, -1, K::NotifyOnly},
        {"browsers: not reported", [](DetectorInput &in) { mail(in).browsersInUse.clear(); },
         B::BrowserPoolExhaustion, kMail, false, -1, -1, K::NotifyOnly},
    };
}

const BottleneckFinding *find(const QVector<BottleneckFinding> &v, Bottleneck b,
                              const QString &pool)
{
    for (const BottleneckFinding &f : v) {
        if (f.signature == b && f.pool == pool)
            return &f;
    }
    return nullptr;
}

// A cache-only input whose confidence is exactly `c` (0.7 x core, constant ratio).
DetectorInput cacheAt(double c, qint64 now)
{
    DetectorInput in;
    in.nowMs = now;
    PoolSignals p;
    p.pool = kMail;
    const double core = c / 0.7;
    const double ratio = 0.6 - 0.3 * core;
    p.cacheHitRatio = series(
        300, [ratio](int) { return ratio; }, now);
    in.pools = {p};
    return in;
}

} // namespace

class TestBottleneckDetector : public QObject
{
    Q_OBJECT
private slots:
    void healthyFleetHasNoFindings()
    {
        BottleneckDetector d;
        const BottleneckReport r = d.evaluate(healthy());
        QVERIFY2(r.active.isEmpty(),
                 qPrintable(r.active.isEmpty() ? QString() : r.active.first().summary));
        QVERIFY(r.assessments.isEmpty());
    }

    void signatures_data()
    {
        QTest::addColumn<int>("index");
        const QVector<Case> all = cases();
        for (int i = 0; i < all.size(); ++i)
            QTest::newRow(all[i].name) << i;
    }

    void signatures()
    {
        QFETCH(int, index);
        const Case c = cases().at(index);
        DetectorInput in = healthy();
        c.mutate(in);
        BottleneckDetector d;
        const BottleneckReport r = d.evaluate(in);
        const BottleneckFinding *a = find(r.assessments, c.signature, c.pool);
        if (c.minConfidence < 0) {
            QVERIFY2(!a, a ? qPrintable(a->summary) : "");
            return;
        }
        QVERIFY2(a, "not assessed");
        QVERIFY2(a->confidence >= c.minConfidence && a->confidence <= c.maxConfidence,
                 qPrintable(QStringLiteral("confidence %1 not in [%2, %3]: %4")
                                .arg(a->confidence)
                                .arg(c.minConfidence)
                                .arg(c.maxConfidence)
                                .arg(a->summary)));
        QCOMPARE(a->severity, bottleneckSeverity(c.signature));
        QVERIFY(!a->evidence.isEmpty());
        QVERIFY(!a->summary.isEmpty());
        QVERIFY(!a->remediation.text.isEmpty());
        const BottleneckFinding *f = find(r.active, c.signature, c.pool);
        QCOMPARE(bool(f), c.expectActive);
        if (!f)
            return;
        QCOMPARE(f->sinceMs, kNow);
        QVERIFY(f->active);
        QCOMPARE(remediationKindName(f->remediation.kind), remediationKindName(c.kind));
        if (c.kind == Remediation::Kind::ScaleOut) {
            QVERIFY(f->remediation.addReplicas >= 1);
            QVERIFY(f->remediation.targetReplicas <= in.pools[0].maxReplicas);
        }
        if (c.check)
            c.check(*f);
    }

    void hysteresisAppearsAtPointSixClearsBelowPointFour()
    {
        BottleneckDetector d;
        struct Step
        {
            double confidence;
            bool active;
            bool appeared;
            bool cleared;
        };
        const Step steps[] = {
            {0.50, false, false, false}, // below 0.6: not yet
            {0.65, true, true, false},   // crosses 0.6: appears
            {0.50, true, false, false},  // between: stays
            {0.41, true, false, false},  // still >= 0.4: stays
            {0.35, false, false, true},  // below 0.4: clears
            {0.55, false, false, false}, // between, coming from inactive: stays clear
            {0.62, true, true, false},   // appears again
        };
        qint64 now = kNow;
        qint64 appearedAt = -1;
        for (const Step &s : steps) {
            now += 1000;
            const BottleneckReport r = d.evaluate(cacheAt(s.confidence, now));
            const BottleneckFinding *a = find(r.assessments, Bottleneck::CacheInefficiency, kMail);
            QVERIFY(a);
            QVERIFY2(qAbs(a->confidence - s.confidence) < 1e-6,
                     qPrintable(QString::number(a->confidence)));
            QCOMPARE(bool(find(r.active, Bottleneck::CacheInefficiency, kMail)), s.active);
            QCOMPARE(r.appeared.size(), s.appeared ? 1 : 0);
            QCOMPARE(r.cleared.size(), s.cleared ? 1 : 0);
            if (s.appeared)
                appearedAt = now;
            if (s.active) // sinceMs is when it appeared, not the latest evaluation
                QCOMPARE(find(r.active, Bottleneck::CacheInefficiency, kMail)->sinceMs, appearedAt);
        }
    }

    void findingClearsWhenItsDataDisappears()
    {
        BottleneckDetector d;
        DetectorInput in = healthy();
        throttle(in);
        QCOMPARE(d.evaluate(in).appeared.size(), 1);
        mail(in).upstream429PerSecond.clear(); // the gateway stopped reporting
        in.nowMs += 1000;
        const BottleneckReport r = d.evaluate(in);
        QVERIFY(r.active.isEmpty());
        QCOMPARE(r.cleared.size(), 1);
        QCOMPARE(r.cleared.first().signature, Bottleneck::GptThrottling);
        QCOMPARE(r.cleared.first().sinceMs, kNow);

        // ... and the same when the whole pool disappears.
        in = healthy();
        throttle(in);
        in.nowMs += 2000;
        QCOMPARE(d.evaluate(in).appeared.size(), 1);
        in.pools.clear();
        in.nowMs += 1000;
        QCOMPARE(d.evaluate(in).cleared.size(), 1);
    }

    void missingDataAloneNeverProducesAFinding()
    {
        // Every series empty, host and pools: nothing at all is assessed.
        DetectorInput in;
        in.nowMs = kNow;
        in.tiers = defaultTiers();
        PoolSignals p;
        p.pool = kMail;
        p.tier = tier(QStringLiteral("basic"));
        p.replicas = 2;
        p.maxReplicas = 4;
        p.replicaMemory = {{0, {}}, {1, {}}};
        in.pools = {p};
        BottleneckDetector d;
        for (int i = 0; i < 5; ++i, in.nowMs += 1000) {
            const BottleneckReport r = d.evaluate(in);
            QVERIFY(r.assessments.isEmpty());
            QVERIFY(r.active.isEmpty());
        }
    }

    void throttledPoolIsNeverScaledOut()
    {
        // Every combination that would otherwise scale out, with the pool throttled.
        int checked = 0;
        for (int replicas : {1, 2, 3, 4}) {
            for (bool hostBusy : {false, true}) {
                for (int mix = 0; mix < 8; ++mix) {
                    DetectorInput in = healthy();
                    throttle(in);
                    mail(in).replicas = replicas;
                    if (hostBusy)
                        in.host.cpuPercent = constant(300, 92);
                    if (mix & 1)
                        backlog(in);
                    if (mix & 2)
                        mail(in).cpuCores = constant(300, replicas * 1.0);
                    if (mix & 4) {
                        mail(in).browsersInUse = constant(300, 2 * replicas);
                        mail(in).queueDepth = constant(300, 12);
                    }
                    BottleneckDetector d;
                    const BottleneckReport r = d.evaluate(in);
                    QVERIFY(find(r.active, Bottleneck::GptThrottling, kMail));
                    for (const BottleneckFinding &f : r.assessments) {
                        QVERIFY2(
                            f.remediation.kind != Remediation::Kind::ScaleOut,
                            qPrintable(f.summary + QStringLiteral(" -> ") + f.remediation.text));
                        ++checked;
                    }
                }
            }
        }
        QVERIFY(checked > 64);
    }

    void activeFindingsAreOrderedBySeverity()
    {
        DetectorInput in = healthy();
        mail(in).cacheHitRatio = constant(300, 0.1); // low
        in.host.cpuPercent = constant(300, 92);      // high
        throttle(in);                                // critical
        BottleneckDetector d;
        const BottleneckReport r = d.evaluate(in);
        QVERIFY(r.active.size() >= 3);
        QCOMPARE(r.active.first().signature, Bottleneck::GptThrottling);
        QCOMPARE(r.active.last().signature, Bottleneck::CacheInefficiency);
    }

    void namesAreStable()
    {
        QCOMPARE(bottleneckName(Bottleneck::BrowserPoolExhaustion),
                 QStringLiteral("browser_pool_exhaustion"));
        QCOMPARE(remediationKindName(Remediation::Kind::HoldScaleOut),
                 QStringLiteral("hold_scale_out"));
        QCOMPARE(severityName(bottleneckSeverity(Bottleneck::GptThrottling)),
                 QStringLiteral("critical"));
        QCOMPARE(severityName(bottleneckSeverity(Bottleneck::DiskIo)), QStringLiteral("medium"));
    }
};

QTEST_GUILESS_MAIN(TestBottleneckDetector)
#include "tst_bottleneck_detector.moc"
