// Alerts through the running engine: a rule from drover.yaml over the engine's system series
// fires into the snapshot, the operator acknowledges and silences it through EngineHost, and a
// bad silence is refused. Scripted system metrics, no agents, no store.
#include "core/engine/engine.h"

#include <QtTest>

using namespace drover;

namespace {

// Busy 25 % of the time, memory 60 % used: deterministic values for the rules below.
class ScriptedReader final : public SystemMetricsReader
{
public:
    std::optional<CpuCounters> readCpu() override
    {
        ++m_calls;
        return CpuCounters{quint64(m_calls) * 25, quint64(m_calls) * 100};
    }
    std::optional<MemoryInfo> readMemory() override { return MemoryInfo{1000, 400}; }

private:
    int m_calls = 0;
};

struct Console
{
    std::unique_ptr<EngineHost> host;
    Snapshot last;
    QStringList refusals;

    explicit Console(const QByteArray &yaml)
    {
        EngineOptions o;
        o.tickIntervalMs = 50;
        o.superviseAgents = false;
        o.useStore = false;
        o.metricsReaderFactory = [] { return std::make_unique<ScriptedReader>(); };
        host = std::make_unique<EngineHost>(parseConfig(yaml, QStringLiteral("t.yaml")), o);
        QObject::connect(host.get(), &EngineHost::snapshotPublished, host.get(),
                         [this](const Snapshot &s) { last = s; });
        QObject::connect(host.get(), &EngineHost::commandRefused, host.get(),
                         [this](const QString &m) { refusals << m; });
        host->start();
    }

    const AlertView *alert(const QString &name) const
    {
        for (const AlertView &a : last.activeAlerts)
            if (a.name == name)
                return &a;
        return nullptr;
    }
};

} // namespace

class TestEngineAlerts : public QObject
{
    Q_OBJECT
private slots:
    void ruleFiresAndOperatorActsOnIt()
    {
        Console c(
            "version: 1\n"
            "alerts:\n"
            "  - { name: Busy, series: system_cpu_percent, op: '>', threshold: 20, for: 0s, "
            "severity: critical, summary: 'CPU at {{value}} %' }\n"
            "  - { name: Calm, series: system_memory_percent, op: '>', threshold: 90, for: 0s }\n"
            "  - { name: Broken, series: 'queue_depth{pool=', op: '>', threshold: 1 }\n");
        // The broken selector is refused alone, as a configuration warning.
        QTRY_VERIFY_WITH_TIMEOUT(c.last.sequence > 0, 5000);
        bool reported = false;
        for (const ConfigIssue &i : c.last.config.issues)
            reported = reported || i.message.contains(QLatin1String("alert 'Broken'"));
        QVERIFY(reported);

        QTRY_VERIFY_WITH_TIMEOUT(c.alert(QStringLiteral("Busy")) &&
                                     c.alert(QStringLiteral("Busy"))->state ==
                                         QLatin1String("firing"),
                                 5000);
        const AlertView busy = *c.alert(QStringLiteral("Busy"));
        QCOMPARE(busy.severity, QStringLiteral("critical"));
        QCOMPARE(busy.summary, QStringLiteral("CPU at 25 %"));
        QCOMPARE(busy.value, 25.0);
        QVERIFY(!c.alert(QStringLiteral("Calm")));
        // The transition is in the events view.
        bool event = false;
        for (const SupervisorEvent &e : c.last.recentEvents)
            event = event || (e.kind == QLatin1String("alert") && e.to == QLatin1String("firing") &&
                              e.reason.startsWith(QLatin1String("Busy")));
        QVERIFY(event);

        c.host->acknowledgeAlert(busy.fingerprint);
        QTRY_VERIFY_WITH_TIMEOUT(c.alert(QStringLiteral("Busy"))->acknowledged, 5000);

        c.host->silence(QStringLiteral("alertname=\"Busy\""), 60000, QStringLiteral("known"));
        QTRY_COMPARE_WITH_TIMEOUT(c.last.silences.size(), 1, 5000);
        QCOMPARE(c.last.silences.first().matchers, QStringLiteral("alertname=\"Busy\""));
        QTRY_VERIFY_WITH_TIMEOUT(!c.alert(QStringLiteral("Busy"))->silencedBy.isEmpty(), 5000);
        QCOMPARE(c.alert(QStringLiteral("Busy"))->silencedBy.first(), c.last.silences.first().id);

        c.host->expireSilence(c.last.silences.first().id);
        QTRY_VERIFY_WITH_TIMEOUT(c.last.silences.isEmpty(), 5000);

        QVERIFY(c.refusals.isEmpty());
        c.host->silence(QStringLiteral("alertname=~\"(\""), 60000);
        c.host->acknowledgeAlert(QStringLiteral("0000000000000000"));
        QTRY_COMPARE_WITH_TIMEOUT(c.refusals.size(), 2, 5000);
        QVERIFY2(c.refusals.first().startsWith(QLatin1String("silence")),
                 qPrintable(c.refusals.first()));
        c.host->stop();
    }
};

QTEST_GUILESS_MAIN(TestEngineAlerts)
#include "tst_engine_alerts.moc"
