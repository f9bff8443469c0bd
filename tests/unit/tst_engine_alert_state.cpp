// The operator's silences and acknowledgements survive a restart of the engine with the same
// store (a real SQLite file): the silence mutes again at once with its id and comment, the
// acknowledgement is applied when the alert is active again, an alert that resolved takes
// its acknowledgement with it, and an expired silence stays expired. Scripted system metrics,
// no agents.
#include "core/engine/engine.h"

#include <QTemporaryDir>
#include <QtTest>

#include <atomic>

using namespace drover;

namespace {

std::atomic<int> g_busyPercent{25};

// CPU busy g_busyPercent % of each interval; memory 40 % used.
class ScriptedReader final : public SystemMetricsReader
{
public:
    std::optional<CpuCounters> readCpu() override
    {
        m_busy += quint64(g_busyPercent.load());
        m_total += 100;
        return CpuCounters{m_busy, m_total};
    }
    std::optional<MemoryInfo> readMemory() override { return MemoryInfo{1000, 600}; }

private:
    quint64 m_busy = 0;
    quint64 m_total = 0;
};

const QByteArray kConfig = "version: 1\n"
                           "alerts:\n"
                           "  - { name: Busy, series: system_cpu_percent, op: '>', threshold: 20, "
                           "for: 0s, severity: warning, summary: 'CPU at {{value}} %' }\n";

struct Console
{
    std::unique_ptr<EngineHost> host;
    Snapshot last;
    QStringList refusals;

    explicit Console(const QString &storePath)
    {
        EngineOptions o;
        o.tickIntervalMs = 50;
        o.superviseAgents = false;
        o.storePath = storePath;
        o.metricsReaderFactory = [] { return std::make_unique<ScriptedReader>(); };
        host = std::make_unique<EngineHost>(parseConfig(kConfig, QStringLiteral("t.yaml")), o);
        QObject::connect(host.get(), &EngineHost::snapshotPublished, host.get(),
                         [this](const Snapshot &s) { last = s; });
        QObject::connect(host.get(), &EngineHost::commandRefused, host.get(),
                         [this](const QString &m) { refusals << m; });
        host->start();
    }
    ~Console() { host->stop(); }

    const AlertView *busy() const
    {
        for (const AlertView &a : last.activeAlerts)
            if (a.name == QLatin1String("Busy"))
                return &a;
        return nullptr;
    }
    bool busyFiring() const { return busy() && busy()->state == QLatin1String("firing"); }
};

} // namespace

class TestEngineAlertState : public QObject
{
    Q_OBJECT
private slots:
    void silencesAndAcknowledgementsSurviveARestart()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString store = dir.filePath(QStringLiteral("drover.sqlite"));
        g_busyPercent = 25;

        QString fingerprint;
        QString silenceId;
        {
            Console c(store);
            QTRY_VERIFY_WITH_TIMEOUT(c.busyFiring(), 15000);
            fingerprint = c.busy()->fingerprint;
            QVERIFY(!c.busy()->acknowledged);
            c.host->acknowledgeAlert(fingerprint);
            c.host->silence(QStringLiteral("alertname=\"Busy\""), 3600 * 1000, QStringLiteral("maintenance"));
            QTRY_VERIFY_WITH_TIMEOUT(c.busy() && c.busy()->acknowledged && !c.busy()->silencedBy.isEmpty(), 15000);
            QCOMPARE(c.last.silences.size(), 1);
            silenceId = c.last.silences.first().id;
            QVERIFY(c.refusals.isEmpty());
        }

        // Restarted on the same store: the silence mutes at once, the acknowledgement is back.
        {
            Console c(store);
            QTRY_VERIFY_WITH_TIMEOUT(c.busy(), 15000);
            QCOMPARE(c.busy()->fingerprint, fingerprint); // stable across processes and runs
            QCOMPARE(c.last.silences.size(), 1);
            const SilenceView s = c.last.silences.first();
            QCOMPARE(s.id, silenceId);
            QCOMPARE(s.matchers, QStringLiteral("alertname=\"Busy\""));
            QCOMPARE(s.comment, QStringLiteral("maintenance"));
            QCOMPARE(s.createdBy, QStringLiteral("operator"));
            QVERIFY(s.endsAtMs > QDateTime::currentMSecsSinceEpoch() + 3000 * 1000);
            QTRY_VERIFY_WITH_TIMEOUT(c.busyFiring(), 15000);
            QVERIFY(c.busy()->acknowledged);
            QCOMPARE(c.busy()->silencedBy, QStringList{silenceId});

            // A new silence does not reuse the restored id; ending the old one is kept too.
            c.host->silence(QStringLiteral("severity=\"critical\""), 60000, QString());
            QTRY_COMPARE_WITH_TIMEOUT(c.last.silences.size(), 2, 15000);
            QVERIFY(c.last.silences.at(0).id != c.last.silences.at(1).id);
            c.host->expireSilence(silenceId);
            QTRY_COMPARE_WITH_TIMEOUT(c.last.silences.size(), 1, 15000);

            // The alert resolves: its acknowledgement ends with it.
            g_busyPercent = 5;
            QTRY_VERIFY_WITH_TIMEOUT(!c.busy(), 15000);
            QVERIFY(c.refusals.isEmpty());
        }

        // Third start: the alert fires again as a new instance, not acknowledged; the expired
        // silence does not come back, the other one does.
        g_busyPercent = 25;
        {
            Console c(store);
            QTRY_VERIFY_WITH_TIMEOUT(c.busyFiring(), 15000);
            QVERIFY(!c.busy()->acknowledged);
            QCOMPARE(c.last.silences.size(), 1);
            QVERIFY(c.last.silences.first().id != silenceId);
            QVERIFY(c.busy()->silencedBy.isEmpty());
        }
    }

    // The engine's other operator commands around findings and planning: a remediation for a
    // finding that is not active is refused by name, automatic remediation is switched per
    // signature and recorded, and the capacity plan is made from the store on demand.
    void remediationAndCapacityCommands()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        g_busyPercent = 25;
        Console c(dir.filePath(QStringLiteral("drover.sqlite")));
        QTRY_VERIFY_WITH_TIMEOUT(c.last.sequence > 0, 15000);

        c.host->applyRemediation(QStringLiteral("gpt_throttling"), QStringLiteral("mail"));
        QTRY_COMPARE_WITH_TIMEOUT(c.refusals.size(), 1, 15000);
        QCOMPARE(c.refusals.first(), QStringLiteral("no active gpt_throttling finding for pool 'mail'"));

        c.host->setAutoRemediation(QStringLiteral("queue_backlog"), true);
        QTRY_COMPARE_WITH_TIMEOUT(c.last.autoRemediation, QStringList{QStringLiteral("queue_backlog")}, 15000);
        bool recorded = false;
        for (const SupervisorEvent &e : std::as_const(c.last.recentEvents))
            recorded = recorded || (e.kind == QLatin1String("remediation") && e.from == QLatin1String("queue_backlog")
                                    && e.to == QLatin1String("automatic"));
        QVERIFY(recorded);
        c.host->setAutoRemediation(QStringLiteral("queue_backlog"), false);
        QTRY_VERIFY_WITH_TIMEOUT(c.last.autoRemediation.isEmpty(), 15000);

        // No history yet: a plan that says so, made as of today (UTC), not a made-up projection.
        c.host->refreshCapacityPlan();
        QTRY_VERIFY_WITH_TIMEOUT(c.last.capacityAtMs > 0, 15000);
        QCOMPARE(c.last.capacity.asOf, QDateTime::currentDateTimeUtc().date());
        QVERIFY(!c.last.capacity.enoughHistory);
        QVERIFY(!c.last.capacity.message.isEmpty());
        QCOMPARE(c.refusals.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestEngineAlertState)
#include "tst_engine_alert_state.moc"
