// planConfigReload: the rules of a configuration reload, table-driven over real YAML through
// the loader (so the file:line:column issues and the canonical section texts are the real ones).
#include "core/config/config.h"
#include "core/config/config_reload.h"

#include <QtTest>

using namespace drover;

namespace {

// A small fleet: two pools, a tier, a policy and an alert rule.
const QByteArray kBase =
    "version: 1\n"
    "tiers:\n"
    "  small: { cpu_cores: 0.5, memory_mb: 256 }\n"
    "pools:\n"
    "  - name: a\n"
    "    command: agent\n"
    "    replicas: { min: 1, max: 3, initial: 1 }\n"
    "    tier: small\n"
    "  - name: b\n"
    "    command: agent\n"
    "    replicas: { min: 0, max: 2, initial: 1 }\n"
    "policies:\n"
    "  - { name: up, metric: queue_depth, op: '>', threshold: 5, for: 1s, change: 1 }\n"
    "alerts:\n"
    "  - { name: Busy, series: system_cpu_percent, op: '>', threshold: 90, for: 1m }\n"
    "gateway: { port: 0 }\n";

QByteArray edited(QByteArray text, const char *from, const char *to)
{
    const QByteArray f(from);
    if (!text.contains(f))
        qFatal("fixture does not contain %s", from);
    return text.replace(f, to);
}

} // namespace

class TestConfigReload : public QObject
{
    Q_OBJECT
private slots:
    void plan_data()
    {
        QTest::addColumn<QByteArray>("next");
        QTest::addColumn<QStringList>("added");
        QTest::addColumn<QStringList>("removed");
        QTest::addColumn<QString>("changed"); // "pool:field,field;..."
        QTest::addColumn<QStringList>("kept");
        QTest::addColumn<QStringList>("sections"); // applied live
        QTest::addColumn<QStringList>("keptSections");
        QTest::addColumn<QStringList>("restartSections");
        QTest::addColumn<int>("effectiveMaxOfA");

        const QStringList none;
        QTest::newRow("same file")
            << kBase << none << none << QString() << none << none << none << none << 3;
        QTest::newRow("comments and layout only")
            << edited(kBase, "  - name: a\n", "  # the main pool\n  - name: a\n") << none << none
            << QString() << none << none << none << none << 3;
        QTest::newRow("max raised")
            << edited(kBase, "{ min: 1, max: 3, initial: 1 }", "{ min: 1, max: 5, initial: 1 }")
            << none << none << QStringLiteral("a:replicas.max") << none << none << none << none
            << 5;
        QTest::newRow("new pool") << edited(kBase, "policies:\n",
                                            "  - name: c\n    command: agent\npolicies:\n")
                                  << QStringList{QStringLiteral("c")} << none << QString() << none
                                  << none << none << none << 3;
        QTest::newRow("pool removed") << edited(kBase,
                                                "  - name: b\n    command: agent\n    replicas: { "
                                                "min: 0, max: 2, initial: 1 }\n",
                                                "")
                                      << none << QStringList{QStringLiteral("b")} << QString()
                                      << none << none << none << none << 3;
        QTest::newRow("broken pool keeps its last good settings")
            << edited(kBase, "{ min: 1, max: 3, initial: 1 }", "{ min: 4, max: 3, initial: 1 }")
            << none << none << QString() << QStringList{QStringLiteral("a")} << none << none << none
            << 3;
        QTest::newRow("command changed: rolling restart")
            << edited(kBase, "  - name: b\n    command: agent\n",
                      "  - name: b\n    command: agent2\n")
            << none << none << QStringLiteral("b:command!") << none << none << none << none << 3;
        QTest::newRow("tier limits changed")
            << edited(kBase, "cpu_cores: 0.5", "cpu_cores: 1.5") << none << none
            << QStringLiteral("a:tier limits") << none << QStringList{QStringLiteral("tiers")}
            << none << none << 3;
        QTest::newRow("bad alert rule keeps the previous rules")
            << edited(kBase, "series: system_cpu_percent", "series: no_such_series") << none << none
            << QString() << none << none << QStringList{QStringLiteral("alerts")} << none << 3;
        QTest::newRow("alert threshold changed")
            << edited(kBase, "threshold: 90", "threshold: 80") << none << none << QString() << none
            << QStringList{QStringLiteral("alerts")} << none << none << 3;
        QTest::newRow("gateway port needs a restart")
            << edited(kBase, "gateway: { port: 0 }", "gateway: { port: 18080 }") << none << none
            << QString() << none << none << none << QStringList{QStringLiteral("gateway")} << 3;
        QTest::newRow("health: new replicas only")
            << edited(kBase, "    tier: small\n", "    tier: small\n    health: { interval: 1s }\n")
            << none << none << QStringLiteral("a:health~") << none << none << none << none << 3;
    }

    void plan()
    {
        QFETCH(QByteArray, next);
        QFETCH(QStringList, added);
        QFETCH(QStringList, removed);
        QFETCH(QString, changed);
        QFETCH(QStringList, kept);
        QFETCH(QStringList, sections);
        QFETCH(QStringList, keptSections);
        QFETCH(QStringList, restartSections);
        QFETCH(int, effectiveMaxOfA);

        const ConfigLoadResult running = parseConfig(kBase, QStringLiteral("drover.yaml"));
        QVERIFY2(running.issues.isEmpty(), qPrintable(running.issues.value(0).toString()));
        const ConfigLoadResult fresh = parseConfig(next, QStringLiteral("drover.yaml"));
        const ConfigReloadPlan p = planConfigReload(running.config, fresh);

        QVERIFY(!p.refused);
        QCOMPARE(p.addedPools, added);
        QCOMPARE(p.removedPools, removed);
        QStringList changes;
        for (const PoolChange &c : p.changedPools)
            changes << c.pool + QLatin1Char(':') + c.fields.join(QLatin1Char(',')) +
                           (c.rollingRestart ? QStringLiteral("!") : QString()) +
                           (c.newReplicasOnly ? QStringLiteral("~") : QString());
        QCOMPARE(changes.join(QLatin1Char(';')), changed);
        QCOMPARE(p.keptPools, kept);
        QCOMPARE(p.changedSections, sections);
        QCOMPARE(p.keptSections, keptSections);
        QCOMPARE(p.restartSections, restartSections);
        QVERIFY(p.effective.pool(QStringLiteral("a")));
        QCOMPARE(p.effective.pool(QStringLiteral("a"))->maxReplicas, effectiveMaxOfA);
        // Every pool that runs afterwards has its tier.
        for (const PoolSpec &pool : p.effective.pools)
            QVERIFY2(p.effective.tier(pool.tier), qPrintable(pool.name));
        // Removed pools are gone, added ones are there.
        for (const QString &r : removed)
            QVERIFY(!p.effective.pool(r));
        for (const QString &a : added)
            QVERIFY(p.effective.pool(a));
        // Kept parts are explained as warnings; the loader's own errors carry file:line:column.
        if (!kept.isEmpty() || !keptSections.isEmpty() || !restartSections.isEmpty())
            QVERIFY(!p.issues.isEmpty());
        for (const ConfigIssue &i : fresh.issues)
            QVERIFY2(i.line > 0 && i.column > 0, qPrintable(i.toString()));
        QVERIFY(!p.summary().isEmpty());
    }

    void keptSectionsKeepThePreviousVersion()
    {
        const ConfigLoadResult running = parseConfig(kBase, QStringLiteral("drover.yaml"));
        const ConfigLoadResult fresh =
            parseConfig(edited(kBase, "series: system_cpu_percent", "series: no_such_series"),
                        QStringLiteral("drover.yaml"));
        QCOMPARE(fresh.sectionsWithErrors, QStringList{QStringLiteral("alerts")});
        QVERIFY(fresh.config.alerts.isEmpty()); // the loader dropped the bad rule
        const ConfigReloadPlan p = planConfigReload(running.config, fresh);
        QCOMPARE(p.effective.alerts.size(), 1);
        QCOMPARE(p.effective.alerts.first().series, QStringLiteral("system_cpu_percent"));
        // A second reload of the same broken file still keeps the good rule.
        const ConfigReloadPlan again = planConfigReload(p.effective, fresh);
        QCOMPARE(again.effective.alerts.size(), 1);
    }

    void unusableFileRefusesTheWholeReload()
    {
        const ConfigLoadResult running = parseConfig(kBase, QStringLiteral("drover.yaml"));
        const ConfigLoadResult fresh = parseConfig("pools: [ {", QStringLiteral("drover.yaml"));
        QVERIFY(fresh.fatal);
        const ConfigReloadPlan p = planConfigReload(running.config, fresh);
        QVERIFY(p.refused);
        QVERIFY(p.refusal.startsWith(QStringLiteral("drover.yaml:")));
        QCOMPARE(p.effective.pools.size(), 2); // everything keeps running
        QVERIFY(!p.changesAnything());
        QVERIFY(p.summary().contains(QStringLiteral("refused")));
    }
};

QTEST_GUILESS_MAIN(TestConfigReload)
#include "tst_config_reload.moc"
