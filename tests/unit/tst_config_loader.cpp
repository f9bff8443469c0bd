// The YAML loader: a valid file, and each kind of error with the line:column it must name.
#include "core/config/config.h"
#include "core/config/config_location.h"

#include <QStandardPaths>
#include <QTimeZone>
#include <QTemporaryDir>
#include <QtTest>

using namespace drover;

namespace {
QString dataFile(const char *name)
{
    return QStringLiteral(DROVER_TEST_DATA_DIR "/config/") + QLatin1String(name);
}

// Finds the issue whose message contains `needle`; fails the test when there is none.
const ConfigIssue *findIssue(const ConfigLoadResult &r, const QString &needle)
{
    for (const ConfigIssue &i : r.issues) {
        if (i.message.contains(needle))
            return &i;
    }
    return nullptr;
}

QString dump(const ConfigLoadResult &r)
{
    QStringList lines;
    for (const ConfigIssue &i : r.issues)
        lines << i.toString();
    return lines.join(QLatin1Char('\n'));
}
} // namespace

class TestConfigLoader : public QObject
{
    Q_OBJECT
private slots:
    void validFileLoadsEveryField()
    {
        const ConfigLoadResult r = loadConfigFile(dataFile("valid.yaml"));
        QVERIFY2(r.issues.isEmpty(), qPrintable(dump(r)));
        QVERIFY(!r.fatal);
        const Config &c = r.config;
        QCOMPARE(c.tiers.size(), 5); // the four built-in tiers plus "gpu"
        QCOMPARE(c.tier(QStringLiteral("premium"))->cpuCores, 3.0);
        QCOMPARE(c.tier(QStringLiteral("premium"))->memoryMb, 4096); // untouched field kept
        QCOMPARE(c.tier(QStringLiteral("gpu"))->concurrentTasks, 40);
        QCOMPARE(c.tier(QStringLiteral("free"))->gptTokensPerMinute, 100);

        QCOMPARE(c.pools.size(), 2);
        const PoolSpec *mail = c.pool(QStringLiteral("mail"));
        QVERIFY(mail);
        QCOMPARE(mail->args, (QStringList{QStringLiteral("--role"), QStringLiteral("mail")}));
        QCOMPARE(mail->env.value(QStringLiteral("MAIL_PASSWORD")),
                 QStringLiteral("keychain:mail-password"));
        QCOMPARE(mail->minReplicas, 1);
        QCOMPARE(mail->maxReplicas, 4);
        QCOMPARE(mail->initialReplicas, 2);
        QCOMPARE(mail->tier, QStringLiteral("basic"));
        QCOMPARE(mail->stopTimeoutMs, 15000);
        QCOMPARE(mail->health.intervalMs, 2000);
        QCOMPARE(mail->health.timeoutMs, 500);
        QCOMPARE(mail->health.failureThreshold, 2);
        QCOMPARE(mail->restart.policy, RestartSpec::Policy::OnFailure);
        QCOMPARE(mail->restart.backoffMaxMs, 60000);
        QCOMPARE(mail->restart.crashLoopCount, 4);
        QCOMPARE(mail->line, 6);
        QCOMPARE(c.pool(QStringLiteral("vision"))->tier, QStringLiteral("gpu"));

        QCOMPARE(c.policies.size(), 1);
        QCOMPARE(c.policies.first().forMs, 120000);
        QCOMPARE(c.policies.first().change, 1);
        QCOMPARE(c.alerts.size(), 1);
        QCOMPARE(c.alerts.first().keepFiringForMs, 60000);
        QCOMPARE(c.alerts.first().severity, QStringLiteral("critical"));
        QCOMPARE(c.gateway.enabled, false);
        QCOMPARE(c.gateway.port, 8089);
        QCOMPARE(c.storage.path, QStringLiteral("/tmp/drover-store"));
        QCOMPARE(c.storage.minuteRetentionMs, 60LL * 24 * 3600 * 1000);
    }

    void builtinDefaultIsValid()
    {
        const QByteArray text = builtinDefaultConfig();
        QVERIFY(!text.isEmpty());
        const ConfigLoadResult r = parseConfig(text, QStringLiteral("drover.yaml"));
        QVERIFY2(r.issues.isEmpty(), qPrintable(dump(r)));
        QCOMPARE(r.config.pools.size(), 5);
        QCOMPARE(r.config.policies.size(), 6);
    }

    void syntaxErrorNamesLineAndColumn()
    {
        const ConfigLoadResult r = loadConfigFile(dataFile("syntax_error.yaml"));
        QVERIFY(r.fatal);
        QCOMPARE(r.issues.size(), 1);
        const ConfigIssue &i = r.issues.first();
        QVERIFY2(i.message.contains(QLatin1String("not valid YAML")), qPrintable(i.message));
        // The unclosed flow sequence opens on line 4; yaml-cpp reports where it gave up.
        QVERIFY2(i.line >= 4, qPrintable(i.toString()));
        QVERIFY(i.column >= 1);
        QVERIFY(i.toString().startsWith(dataFile("syntax_error.yaml") + QLatin1Char(':')));
        QVERIFY(r.config.pools.isEmpty());
    }

    void unknownKeysAreReportedWithPosition()
    {
        const ConfigLoadResult r = loadConfigFile(dataFile("unknown_keys.yaml"));
        const ConfigIssue *pool = findIssue(r, QStringLiteral("unknown key 'replcas'"));
        QVERIFY2(pool, qPrintable(dump(r)));
        QCOMPARE(pool->line, 5);
        QCOMPARE(pool->column, 5);
        const ConfigIssue *top = findIssue(r, QStringLiteral("unknown key 'gatway'"));
        QVERIFY2(top, qPrintable(dump(r)));
        QCOMPARE(top->line, 6);
        QCOMPARE(top->column, 1);
        QVERIFY(top->message.contains(QLatin1String("gateway"))); // lists what was expected
        QCOMPARE(r.refusedPools, QStringList{QStringLiteral("mail")});
    }

    void badPoolIsRefusedAloneAndTheRestLoads()
    {
        const ConfigLoadResult r = loadConfigFile(dataFile("bad_pool.yaml"));
        QVERIFY(!r.fatal);
        QCOMPARE(r.config.pools.size(), 1);
        QCOMPARE(r.config.pools.first().name, QStringLiteral("good"));
        QCOMPARE(r.refusedPools, (QStringList{QStringLiteral("broken"), QStringLiteral("wrongtier"),
                                              QStringLiteral("good2")}));

        const ConfigIssue *minMax = findIssue(r, QStringLiteral("'min' (5) is greater than 'max' (2)"));
        QVERIFY2(minMax, qPrintable(dump(r)));
        QCOMPARE(minMax->line, 7);
        QCOMPARE(minMax->column, 15);
        const ConfigIssue *tier = findIssue(r, QStringLiteral("unknown tier 'platinum'"));
        QVERIFY2(tier, qPrintable(dump(r)));
        QCOMPARE(tier->line, 10);
        QCOMPARE(tier->column, 11);
        const ConfigIssue *number = findIssue(r, QStringLiteral("'min' must be a whole number"));
        QVERIFY2(number, qPrintable(dump(r)));
        QCOMPARE(number->line, 13);
        QCOMPARE(number->column, 22);
    }

    void wrongTypesAndValuesAreEachReported()
    {
        const ConfigLoadResult r = loadConfigFile(dataFile("bad_types.yaml"));
        struct Expected { const char *needle; int line; int column; };
        const Expected expected[] = {
            {"'stop_timeout' must be a duration", 5, 19},
            {"'failure_threshold' must be between 1 and 100", 6, 34},
            {"missing required key 'name'", 7, 5},
            {"duplicate pool name 'a'", 8, 11},
            {"'enabled' must be true or false", 10, 21},
            {"'port' must be between 0 and 65535", 10, 34},
            {"'op' must be one of", 12, 31},
            {"'severity' must be one of", 13, 60},
        };
        for (const Expected &e : expected) {
            const ConfigIssue *i = findIssue(r, QString::fromLatin1(e.needle));
            QVERIFY2(i, qPrintable(QStringLiteral("no issue '%1' in:\n%2")
                                       .arg(QLatin1String(e.needle), dump(r))));
            QVERIFY2(i->line == e.line && i->column == e.column,
                     qPrintable(QStringLiteral("%1 expected at %2:%3")
                                    .arg(i->toString()).arg(e.line).arg(e.column)));
        }
        QVERIFY(r.config.pools.isEmpty());
        QVERIFY(r.config.alerts.isEmpty());
        QCOMPARE(r.config.gateway.port, 0); // a bad value keeps the default
    }

    void missingAndEmptyFilesAreFatalWithTheirName()
    {
        const ConfigLoadResult missing = loadConfigFile(QStringLiteral("/nonexistent/drover.yaml"));
        QVERIFY(missing.fatal);
        QCOMPARE(missing.issues.size(), 1);
        QCOMPARE(missing.issues.first().toString(),
                 QStringLiteral("/nonexistent/drover.yaml: error: the configuration file does not exist"));

        const ConfigLoadResult empty = parseConfig(QByteArray(), QStringLiteral("empty.yaml"));
        QVERIFY(empty.fatal);
        QVERIFY(empty.hasErrors());

        const ConfigLoadResult scalar = parseConfig("just text", QStringLiteral("s.yaml"));
        QVERIFY(scalar.fatal);
        QCOMPARE(scalar.issues.first().line, 1);
    }

    void wrongVersionIsAnError()
    {
        const ConfigLoadResult r = parseConfig("version: 2\n", QStringLiteral("v.yaml"));
        const ConfigIssue *i = findIssue(r, QStringLiteral("version 1"));
        QVERIFY2(i, qPrintable(dump(r)));
        QCOMPARE(i->line, 1);
        QCOMPARE(i->column, 10);
    }

    void durations_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("ms");
        QTest::newRow("bare ms") << QStringLiteral("250") << qint64(250);
        QTest::newRow("ms") << QStringLiteral("250ms") << qint64(250);
        QTest::newRow("seconds") << QStringLiteral("30s") << qint64(30000);
        QTest::newRow("fraction") << QStringLiteral("1.5s") << qint64(1500);
        QTest::newRow("minutes") << QStringLiteral("2m") << qint64(120000);
        QTest::newRow("hours") << QStringLiteral("1h") << qint64(3600000);
        QTest::newRow("days") << QStringLiteral("7d") << qint64(7LL * 24 * 3600 * 1000);
        QTest::newRow("garbage") << QStringLiteral("soon") << qint64(-1);
        QTest::newRow("negative") << QStringLiteral("-5s") << qint64(-1);
        QTest::newRow("unknown unit") << QStringLiteral("5w") << qint64(-1);
        QTest::newRow("huge") << QStringLiteral("99999999999999d") << qint64(-1);
    }
    void durations()
    {
        QFETCH(QString, text);
        QFETCH(qint64, ms);
        const std::optional<qint64> parsed = parseDurationMs(text);
        if (ms < 0)
            QVERIFY(!parsed);
        else
            QCOMPARE(parsed.value_or(-1), ms);
    }

    void firstRunCopiesDefaultAndNeverOverwrites()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("sub/drover.yaml"));
        const ConfigPathResult first = ensureUserConfig(path);
        QVERIFY2(first.error.isEmpty(), qPrintable(first.error));
        QVERIFY(first.createdFromDefault);
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), builtinDefaultConfig());
        f.close();

        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("version: 1\n# the operator's own edits\n");
        f.close();
        const ConfigPathResult second = ensureUserConfig(path);
        QVERIFY(!second.createdFromDefault);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readAll().contains("operator's own edits"));
    }

    void autoscaleBlockLoads()
    {
        const ConfigLoadResult r = parseConfig(
            "version: 1\n"
            "pools:\n"
            "  - name: a\n"
            "    command: x\n"
            "    autoscale:\n"
            "      enabled: true\n"
            "      metrics: [ { metric: cpu_percent, target: 60 }, { metric: queue_depth, target: 10 } ]\n"
            "      policies: [ out ]\n"
            "      behavior: { scale_up_stabilization: 0s, scale_down_stabilization: 30s, tolerance: 0.2 }\n"
            "  - { name: b, command: x, autoscale: { enabled: false } }\n"
            "  - { name: c, command: x }\n"
            "policies:\n"
            "  - { name: out, metric: queue_depth, op: '>', threshold: 5, for: 1s, change: 2 }\n",
            QStringLiteral("a.yaml"));
        QVERIFY2(r.issues.isEmpty(), qPrintable(dump(r)));
        const AutoscaleSpec &a = r.config.pool(QStringLiteral("a"))->autoscale;
        QVERIFY(a.enabled);
        QCOMPARE(a.metrics.size(), 2);
        QCOMPARE(a.metrics[1].metric, QStringLiteral("queue_depth"));
        QCOMPARE(a.metrics[1].target, 10.0);
        QCOMPARE(a.policies, std::optional<QStringList>(QStringList{QStringLiteral("out")}));
        QCOMPARE(a.scaleUpStabilizationMs, 0);
        QCOMPARE(a.scaleDownStabilizationMs, 30000);
        QCOMPARE(a.tolerance, 0.2);
        QVERIFY(!r.config.pool(QStringLiteral("b"))->autoscale.enabled);
        // No block: autoscaled by every policy, HPA defaults.
        const AutoscaleSpec &c = r.config.pool(QStringLiteral("c"))->autoscale;
        QVERIFY(c.enabled);
        QVERIFY(!c.policies);
        QCOMPARE(c.scaleDownStabilizationMs, -1);
    }

    void planningPricesLoad()
    {
        const ConfigLoadResult r = parseConfig(
            "version: 1\n"
            "planning:\n"
            "  currency: EUR\n"
            "  prompt_per_1k: 0.15\n"
            "  completion_per_1k: 0.6\n"
            "  machine: { name: box, cores: 8, memory_mb: 32768, monthly_price: 120 }\n",
            QStringLiteral("a.yaml"));
        QVERIFY2(!r.hasErrors(), qPrintable(dump(r)));
        const PlanningSpec &p = r.config.planning;
        QCOMPARE(p.currency, QStringLiteral("EUR"));
        QCOMPARE(p.promptPer1k, 0.15);
        QCOMPARE(p.completionPer1k, 0.6);
        QCOMPARE(p.machineName, QStringLiteral("box"));
        QCOMPARE(p.machineCores, 8.0);
        QCOMPARE(p.machineMemoryMb, 32768.0);
        QCOMPARE(p.machineMonthlyPrice, 120.0);

        const ConfigLoadResult bad = parseConfig("version: 1\nplanning: { prompt_per_1k: -1, machine: { cores: 0 } }\n",
                                                 QStringLiteral("b.yaml"));
        const ConfigIssue *price = findIssue(bad, QStringLiteral("'prompt_per_1k' must be between"));
        QVERIFY2(price, qPrintable(dump(bad)));
        QCOMPARE(price->line, 2);
        QCOMPARE(price->column, 28);
        QVERIFY2(findIssue(bad, QStringLiteral("'cores' must be between")), qPrintable(dump(bad)));
        QCOMPARE(bad.config.planning.promptPer1k, 0.0); // the default stays
    }

    void autoscaleSchedulesScaleToZeroFallbackAndRatesLoad()
    {
        const ConfigLoadResult r = parseConfig(
            "version: 1\n"
            "pools:\n"
            "  - name: mail\n"
            "    command: x\n"
            "    replicas: { min: 0, max: 8 }\n"
            "    autoscale:\n"
            "      schedules:\n"
            "        - { name: office, start: '0 8 * * 1-5', end: '0 18 * * 1-5', time_zone: Europe/Berlin, min: 3 }\n"
            "      scale_to_zero: { activation_threshold: 2, cooldown: 10m }\n"
            "      fallback: { failures: 4, replicas: 2 }\n"
            "      behavior:\n"
            "        scale_up: { select: min, policies: [ { type: percent, value: 100, period: 15s }, { type: pods, value: 2, period: 1m } ] }\n"
            "        scale_down: { select: disabled }\n",
            QStringLiteral("a.yaml"));
        QVERIFY2(!r.hasErrors(), qPrintable(dump(r)));
        QCOMPARE(r.config.pools.size(), 1);
        const AutoscaleSpec &a = r.config.pools.first().autoscale;
        QCOMPARE(a.schedules.size(), 1);
        QCOMPARE(a.schedules[0].name, QStringLiteral("office"));
        QCOMPARE(a.schedules[0].start, QStringLiteral("0 8 * * 1-5"));
        QCOMPARE(a.schedules[0].end, QStringLiteral("0 18 * * 1-5"));
        QCOMPARE(a.schedules[0].timeZone, QStringLiteral("Europe/Berlin"));
        QCOMPARE(a.schedules[0].minReplicas, 3);
        QVERIFY(a.scaleToZero);
        QCOMPARE(a.activationMetric, QStringLiteral("queue_depth"));
        QCOMPARE(a.activationThreshold, 2.0);
        QCOMPARE(a.scaleToZeroCooldownMs, 600000LL);
        QVERIFY(a.fallback);
        QCOMPARE(a.fallbackFailures, 4);
        QCOMPARE(a.fallbackReplicas, 2);
        QCOMPARE(a.scaleUpSelect, QStringLiteral("min"));
        QCOMPARE(a.scaleUpPolicies.size(), 2);
        QVERIFY(a.scaleUpPolicies[0].percent);
        QCOMPARE(a.scaleUpPolicies[0].value, 100);
        QCOMPARE(a.scaleUpPolicies[0].periodMs, 15000LL);
        QVERIFY(!a.scaleUpPolicies[1].percent);
        QCOMPARE(a.scaleUpPolicies[1].periodMs, 60000LL);
        QCOMPARE(a.scaleDownSelect, QStringLiteral("disabled"));
        QVERIFY(a.scaleDownPolicies.isEmpty());
    }

    // Each bad autoscale input refuses its pool with the position of the offending value; the
    // good pool next to it still loads.
    void autoscaleBadInputRefusesThePool_data()
    {
        QTest::addColumn<QByteArray>("autoscale");
        QTest::addColumn<QString>("message");
        QTest::addColumn<int>("column"); // on line 6
        QTest::newRow("invalid cron") << QByteArray("{ schedules: [ { start: '0 25 * * *', end: '0 18 * * *', min: 2 } ] }")
                                      << QStringLiteral("'start' is not a cron expression") << 40;
        QTest::newRow("unknown zone") << QByteArray("{ schedules: [ { start: '0 8 * * *', end: '0 18 * * *', time_zone: Mars/Olympus, min: 2 } ] }")
                                      << QStringLiteral("unknown time zone 'Mars/Olympus'") << 83;
        QTest::newRow("schedule min > max") << QByteArray("{ schedules: [ { start: '0 8 * * *', end: '0 18 * * *', min: 9 } ] }")
                                            << QStringLiteral("schedule 'min' (9) is greater than the pool's max (4)") << 77;
        QTest::newRow("percent over 100") << QByteArray("{ behavior: { scale_up: { policies: [ { type: percent, value: 150 } ] } } }")
                                          << QStringLiteral("'value' must be between 1 and 100, got 150") << 78;
        QTest::newRow("negative target") << QByteArray("{ metrics: [ { metric: cpu_percent, target: -5 } ] }")
                                         << QStringLiteral("'target' must be between") << 60;
        QTest::newRow("bad select") << QByteArray("{ behavior: { scale_down: { select: maybe } } }")
                                    << QStringLiteral("'select' must be max, min or disabled") << 52;
        QTest::newRow("zero with min 1") << QByteArray("{ scale_to_zero: { cooldown: 5m } }")
                                         << QStringLiteral("'scale_to_zero' needs replicas.min 0") << 33;
        QTest::newRow("fallback above max") << QByteArray("{ fallback: { replicas: 7 } }")
                                            << QStringLiteral("fallback 'replicas' (7) must be between min (1) and max (4)") << 40;
    }

    void autoscaleBadInputRefusesThePool()
    {
        QFETCH(QByteArray, autoscale);
        QFETCH(QString, message);
        QFETCH(int, column);
        const ConfigLoadResult r = parseConfig("version: 1\n"
                                               "pools:\n"
                                               "  - name: bad\n"
                                               "    command: x\n"
                                               "    replicas: { min: 1, max: 4 }\n"
                                               "    autoscale: " + autoscale + "\n"
                                               "  - { name: good, command: x }\n",
                                               QStringLiteral("a.yaml"));
        const ConfigIssue *issue = findIssue(r, message);
        QVERIFY2(issue, qPrintable(dump(r)));
        QCOMPARE(issue->line, 6);
        QCOMPARE(issue->column, column);
        QVERIFY(issue->toString().startsWith(QStringLiteral("a.yaml:6:%1: error: ").arg(column)));
        QCOMPARE(r.refusedPools, QStringList{QStringLiteral("bad")});
        QCOMPARE(r.config.pools.size(), 1);
        QCOMPARE(r.config.pools.first().name, QStringLiteral("good"));
    }

    void notificationsLoad()
    {
        const ConfigLoadResult r = parseConfig(
            "version: 1\n"
            "notifications:\n"
            "  receivers:\n"
            "    - { name: desk, tray: {}, log: { send_resolved: false } }\n"
            "    - { name: ops, webhook: { url_secret: slack_ops_webhook, send_resolved: false } }\n"
            "  default: { receiver: desk, group_by: [alertname], group_wait: 45s }\n"
            "  routes:\n"
            "    - name: pages\n"
            "      matchers: 'severity=~\"critical|high\", pool!=\"batch\"'\n"
            "      receiver: ops\n"
            "      group_by: [alertname, pool]\n"
            "      group_wait: 10s\n"
            "      group_interval: 2m\n"
            "      repeat_interval: 1h\n"
            "      continue: true\n"
            "  inhibit_rules:\n"
            "    - { source_matchers: 'alertname=\"PoolDown\"', target_matchers: ['alertname=\"QueueBacklog\"'], equal: [pool] }\n"
            "  silences:\n"
            "    - { matchers: 'pool=\"batch\"', starts: '2026-12-24T00:00:00Z', ends: '2026-12-27T00:00:00+01:00', comment: holidays }\n",
            QStringLiteral("a.yaml"));
        QVERIFY2(!r.hasErrors(), qPrintable(dump(r)));
        const NotificationsSpec &n = r.config.notifications;
        QVERIFY(n.given);
        QCOMPARE(n.receivers.size(), 2);
        QCOMPARE(n.receivers[0].channels.size(), 2);
        QCOMPARE(n.receivers[0].channels[1].kind, QStringLiteral("log"));
        QVERIFY(!n.receivers[0].channels[1].sendResolved);
        QCOMPARE(n.receivers[1].channels[0].kind, QStringLiteral("webhook"));
        QCOMPARE(n.receivers[1].channels[0].urlSecret, QStringLiteral("slack_ops_webhook"));
        QCOMPARE(n.defaultRoute.receiver, QStringLiteral("desk"));
        QCOMPARE(n.defaultRoute.groupWaitMs, 45000LL);
        QCOMPARE(n.routes.size(), 1);
        const RouteSpec &p = n.routes[0];
        QCOMPARE(p.name, QStringLiteral("pages"));
        QCOMPARE(p.matchers, QStringLiteral("severity=~\"critical|high\", pool!=\"batch\""));
        QCOMPARE(p.groupBy, std::optional<QStringList>({QStringLiteral("alertname"), QStringLiteral("pool")}));
        QCOMPARE(p.groupWaitMs, 10000LL);
        QCOMPARE(p.groupIntervalMs, 120000LL);
        QCOMPARE(p.repeatIntervalMs, 3600000LL);
        QVERIFY(p.continueMatching);
        QVERIFY(n.inhibitRulesGiven);
        QCOMPARE(n.inhibitRules.size(), 1);
        QCOMPARE(n.inhibitRules[0].equal, QStringList{QStringLiteral("pool")});
        QCOMPARE(n.silences.size(), 1);
        QCOMPARE(n.silences[0].startsAtMs, QDateTime(QDate(2026, 12, 24), QTime(0, 0), QTimeZone::utc()).toMSecsSinceEpoch());
        QCOMPARE(n.silences[0].endsAtMs, QDateTime(QDate(2026, 12, 26), QTime(23, 0), QTimeZone::utc()).toMSecsSinceEpoch());
        QCOMPARE(n.silences[0].comment, QStringLiteral("holidays"));
    }

    void notificationAndAlertErrorsNamePosition_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("message");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        const QByteArray receivers = "notifications:\n  receivers: [ { name: desk, tray: {} } ]\n";
        QTest::newRow("unknown receiver") << receivers + "  routes: [ { name: r, receiver: pager } ]\n"
                                          << QStringLiteral("unknown receiver 'pager'") << 3 << 34;
        QTest::newRow("url instead of entry") << QByteArray("notifications:\n  receivers:\n    - { name: ops, webhook: { url_secret: 'https://hooks.slack.com/services/T/B/x' } }\n")
                                              << QStringLiteral("'url_secret' names a keychain entry, not the URL") << 3 << 43;
        QTest::newRow("webhook without entry") << QByteArray("notifications:\n  receivers:\n    - { name: ops, webhook: { send_resolved: true } }\n")
                                               << QStringLiteral("missing required key 'url_secret'") << 3 << 29;
        QTest::newRow("bad matcher") << receivers + "  routes: [ { name: r, receiver: desk, matchers: severity~critical } ]\n"
                                     << QStringLiteral("'matchers':") << 3 << 58;
        QTest::newRow("zero repeat") << receivers + "  default: { receiver: desk, repeat_interval: 0s }\n"
                                     << QStringLiteral("'repeat_interval' must be longer than 0") << 3 << 47;
        QTest::newRow("silence ends first") << QByteArray("notifications:\n  silences: [ { matchers: 'pool=\"a\"', starts: '2026-12-24T00:00:00Z', ends: '2026-12-23T00:00:00Z' } ]\n")
                                            << QStringLiteral("'ends' must be after 'starts'") << 2 << 77;
        QTest::newRow("silence matching all") << QByteArray("notifications:\n  silences: [ { matchers: 'pool=~\".*\"', ends: '2026-12-23T00:00:00Z' } ]\n")
                                              << QStringLiteral("silence refused") << 2 << 15;
        QTest::newRow("unknown series") << QByteArray("alerts:\n  - { name: Typo, series: queue_dept, op: '>', threshold: 1 }\n")
                                        << QStringLiteral("alert 'Typo':") << 2 << 27;
    }

    void notificationAndAlertErrorsNamePosition()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, message);
        QFETCH(int, line);
        QFETCH(int, column);
        const ConfigLoadResult r = parseConfig("version: 1\n" + yaml, QStringLiteral("n.yaml"));
        const ConfigIssue *issue = findIssue(r, message);
        QVERIFY2(issue, qPrintable(dump(r)));
        QCOMPARE(issue->severity, ConfigIssue::Severity::Error);
        QCOMPARE(issue->line, line + 1); // after the version line
        QCOMPARE(issue->column, column);
        // What was refused is left out, not half-applied.
        QVERIFY(r.config.notifications.routes.isEmpty());
        QVERIFY(r.config.notifications.silences.isEmpty());
        QVERIFY(r.config.alerts.isEmpty());
    }

    // The seed's default alert rules ship in the default file.
    void builtinDefaultHasTheSeedAlertRules()
    {
        const ConfigLoadResult r = loadConfigFile(QStringLiteral(DROVER_SOURCE_DIR "/resources/drover.yaml"));
        QVERIFY2(!r.hasErrors(), qPrintable(dump(r)));
        QMap<QString, QString> rules; // series -> "op threshold"
        for (const AlertRuleSpec &a : r.config.alerts)
            rules.insert(a.series, a.op + QLatin1Char(' ') + QString::number(a.threshold));
        QCOMPARE(rules.value(QStringLiteral("error_rate_percent")), QStringLiteral("> 5"));
        QCOMPARE(rules.value(QStringLiteral("queue_depth")), QStringLiteral("> 1000"));
        QCOMPARE(rules.value(QStringLiteral("system_memory_percent")), QStringLiteral("> 80"));
        QCOMPARE(rules.value(QStringLiteral("system_cpu_percent")), QStringLiteral("> 90"));
        QCOMPARE(rules.value(QStringLiteral("system_disk_free_bytes")), QStringLiteral("< 1e+09"));
        QCOMPARE(rules.value(QStringLiteral("pool_ready_replicas")), QStringLiteral("< 1"));
    }

    void autoscaleErrorsNamePositionAndRefuseThePool()
    {
        const ConfigLoadResult r = parseConfig(
            "version: 1\n"
            "pools:\n"
            "  - name: a\n"
            "    command: x\n"
            "    autoscale:\n"
            "      metrics: [ { metric: cpu_pct, target: 60 } ]\n"
            "  - name: b\n"
            "    command: x\n"
            "    autoscale: { policies: [ nope ], enabeld: true }\n"
            "  - name: c\n"
            "    command: x\n"
            "    autoscale: { metrics: [ { metric: cpu_percent, target: 0 } ], behavior: { tolerance: 2 } }\n"
            "  - { name: ok, command: x }\n",
            QStringLiteral("a.yaml"));
        const ConfigIssue *metric = findIssue(r, QStringLiteral("unknown autoscale metric 'cpu_pct'"));
        QVERIFY2(metric, qPrintable(dump(r)));
        QCOMPARE(metric->line, 6);
        QCOMPARE(metric->column, 28);
        const ConfigIssue *key = findIssue(r, QStringLiteral("unknown key 'enabeld'"));
        QVERIFY2(key, qPrintable(dump(r)));
        QCOMPARE(key->line, 9);
        const ConfigIssue *policy = findIssue(r, QStringLiteral("unknown policy 'nope'"));
        QVERIFY2(policy, qPrintable(dump(r)));
        QCOMPARE(policy->line, 9);
        QCOMPARE(policy->column, 30);
        QVERIFY2(findIssue(r, QStringLiteral("'target' must be between")), qPrintable(dump(r)));
        QVERIFY2(findIssue(r, QStringLiteral("'tolerance' must be between")), qPrintable(dump(r)));
        QCOMPARE(r.refusedPools, QStringList({QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}));
        QCOMPARE(r.config.pools.size(), 1);
        QCOMPARE(r.config.pools.first().name, QStringLiteral("ok"));
    }

    void gatewayAndDispatchSectionsLoad()
    {
        const ConfigLoadResult r = parseConfig(
            "version: 1\n"
            "pools:\n"
            "  - { name: mail, command: x, tier: basic }\n"
            "  - { name: loops, command: x, tier: free }\n"
            "gateway:\n"
            "  upstream: https://api.example.com/v1\n"
            "  provider_key: my_key\n"
            "  completion_estimate: 64\n"
            "  max_retries: 1\n"
            "  simulated: { requests_per_minute: 600, tokens_per_minute: 100000 }\n"
            "  budgets: { basic: { tokens_per_minute: 900, requests_per_minute: 30 } }\n"
            "dispatch:\n"
            "  intake_port: 8790\n"
            "  max_retries: 5\n"
            "  retry_backoff: 2s\n"
            "  missed_runs: run_once\n"
            "  pools: { mail: { balancer: consistent_hash, max_retries: 1 } }\n"
            "  loops:\n"
            "    - { name: l1, pool: loops, every: 5m, priority: high, payload: { gpt: true, cpu_ms: 20 } }\n"
            "    - { name: l2, pool: mail, every: monthly, missed: skip, jitter: 0s }\n",
            QStringLiteral("g.yaml"));
        QVERIFY2(r.issues.isEmpty(), qPrintable(dump(r)));
        const GatewaySpec &g = r.config.gateway;
        QCOMPARE(g.upstream, QStringLiteral("https://api.example.com/v1"));
        QCOMPARE(g.providerKey, QStringLiteral("my_key"));
        QCOMPARE(g.completionEstimate, 64);
        QCOMPARE(g.maxRetries, 1);
        QCOMPARE(g.simulatedRequestsPerMinute, 600);
        QCOMPARE(g.simulatedTokensPerMinute, 100000);
        QCOMPARE(g.budgets.value(QStringLiteral("basic")).tokensPerMinute, 900);
        QCOMPARE(g.budgets.value(QStringLiteral("basic")).requestsPerMinute, 30);
        const DispatchSpec &d = r.config.dispatch;
        QCOMPARE(d.intakePort, 8790);
        QCOMPARE(d.maxRetries, 5);
        QCOMPARE(d.retryBackoffMs, 2000);
        QCOMPARE(d.missedRuns, QStringLiteral("run_once"));
        QCOMPARE(d.pools.value(QStringLiteral("mail")).algorithm, QStringLiteral("consistent_hash"));
        QCOMPARE(d.pools.value(QStringLiteral("mail")).maxRetries, 1);
        QVERIFY(d.loopsGiven);
        QCOMPARE(d.loops.size(), 2);
        QCOMPARE(d.loops[0].intervalMs, 300000);
        QCOMPARE(d.loops[0].priority, QStringLiteral("high"));
        QCOMPARE(d.loops[0].payloadText.value(QStringLiteral("gpt")), QStringLiteral("true"));
        QCOMPARE(d.loops[0].line, 19);
        QVERIFY(d.loops[1].monthly);
        QCOMPARE(d.loops[1].missed, QStringLiteral("skip"));
        QCOMPARE(d.loops[1].jitterMs, 0);
    }

    void builtinDefaultHasTheSeedLoopsAndTheSimulatedGateway()
    {
        const ConfigLoadResult r = parseConfig(builtinDefaultConfig(), QStringLiteral("drover.yaml"));
        QVERIFY2(r.issues.isEmpty(), qPrintable(dump(r)));
        QCOMPARE(r.config.gateway.upstream, QStringLiteral("simulated"));
        QStringList seed;
        for (const LoopConfigSpec &l : r.config.dispatch.loops) {
            if (l.name.startsWith(QLatin1String("loop_")))
                seed << l.name;
        }
        QCOMPARE(seed.size(), 15);
        const auto loop = [&](const QString &name) {
            for (const LoopConfigSpec &l : r.config.dispatch.loops)
                if (l.name == name)
                    return l;
            return LoopConfigSpec();
        };
        QCOMPARE(loop(QStringLiteral("loop_01")).intervalMs, 5 * 60000);
        QCOMPARE(loop(QStringLiteral("loop_01")).priority, QStringLiteral("high"));
        QCOMPARE(loop(QStringLiteral("loop_04")).priority, QStringLiteral("medium"));
        QCOMPARE(loop(QStringLiteral("loop_13")).intervalMs, 24LL * 3600 * 1000);
        QCOMPARE(loop(QStringLiteral("loop_14")).intervalMs, 7LL * 24 * 3600 * 1000);
        QVERIFY(loop(QStringLiteral("loop_15")).monthly);
    }

    void gatewayAndDispatchErrorsNamePosition()
    {
        const ConfigLoadResult r = parseConfig(
            "version: 1\n"
            "pools:\n"
            "  - { name: mail, command: x }\n"
            "gateway:\n"
            "  upstream: ftp://nowhere\n"
            "  budgets: { platinum: { tokens_per_minute: 5 }, basic: { tokens_per_min: 5 } }\n"
            "  max_retries: 50\n"
            "dispatch:\n"
            "  missed_runs: sometimes\n"
            "  pools: { mail: { balancer: random }, nope: {} }\n"
            "  loops:\n"
            "    - { name: l1, pool: ghost, every: 5m }\n"
            "    - { name: l2, pool: mail, every: often }\n"
            "    - { name: l3, pool: mail, every: 1m, priority: urgent }\n"
            "    - { name: l4, pool: mail }\n"
            "    - { name: l4, pool: mail, every: 1m }\n"
            "    - { name: l4, pool: mail, every: 1m }\n"
            "    - { name: l5, pool: mail, every: 1m, payload: { a: [1, 2] } }\n",
            QStringLiteral("bad.yaml"));
        struct Expect
        {
            const char *needle;
            int line;
            int column;
        };
        const Expect expected[] = {
            {"'upstream' must be \"simulated\" or an http(s) base URL", 5, 13},
            {"unknown tier 'platinum' in 'gateway.budgets'", 6, 14},
            {"unknown key 'tokens_per_min'", 6, 59},
            {"'max_retries' must be between 0 and 10, got 50", 7, 16},
            {"'missed_runs' must be run_once or skip, got 'sometimes'", 9, 16},
            {"'balancer' must be one of", 10, 30},
            {"unknown pool 'nope' in 'dispatch.pools'", 10, 40},
            {"loop 'l1' targets unknown pool 'ghost'", 12, 25},
            {"'every' must be a duration", 13, 38},
            {"'priority' must be high, medium or low, got 'urgent'", 14, 52},
            {"missing required key 'every'", 15, 7},
            {"a loop named 'l4' is already defined", 17, 15},
            {"payload field 'a' must be", 18, 56},
        };
        for (const Expect &e : expected) {
            const ConfigIssue *i = findIssue(r, QString::fromUtf8(e.needle));
            QVERIFY2(i, qPrintable(QStringLiteral("%1 not in:\n%2").arg(QLatin1String(e.needle), dump(r))));
            QVERIFY2(i->line == e.line && i->column == e.column,
                     qPrintable(QStringLiteral("%1 at %2:%3").arg(i->toString()).arg(e.line).arg(e.column)));
        }
        QCOMPARE(r.issues.size(), int(std::size(expected)));
        // What was wrong kept its default; what was right loaded.
        QCOMPARE(r.config.gateway.upstream, QStringLiteral("simulated"));
        QCOMPARE(r.config.gateway.maxRetries, 2);
        QCOMPARE(r.config.dispatch.loops.size(), 1); // the first l4
        QCOMPARE(r.config.dispatch.loops.first().name, QStringLiteral("l4"));
        QVERIFY(r.config.pools.size() == 1); // dispatch errors never refuse a pool
    }
};

QTEST_GUILESS_MAIN(TestConfigLoader)
#include "tst_config_loader.moc"
