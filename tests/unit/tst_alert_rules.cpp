// Alert rules with simulated time: the Prometheus lifecycle (pending, firing, keep_firing_for,
// resolved), one instance per label set, acknowledgement, templates, selectors, validation.
#include "core/config/config.h"
#include "core/detect/alert_rules.h"

#include <QtTest>
#include <cmath>
#include <limits>

using namespace drover;

namespace {

constexpr qint64 kSecond = 1000;
constexpr qint64 kMinute = 60 * kSecond;
const double kMissing = std::numeric_limits<double>::infinity(); // a test marker: no point at all
const double kNaN = std::numeric_limits<double>::quiet_NaN();

AlertRule cpuRule(qint64 forMs, qint64 keepMs)
{
    AlertRule r;
    r.name = QStringLiteral("HighCpu");
    r.selector.series = QStringLiteral("system_cpu_percent");
    r.op = Comparison::Greater;
    r.threshold = 90;
    r.forMs = forMs;
    r.keepFiringForMs = keepMs;
    r.severity = QStringLiteral("warning");
    r.summary = QStringLiteral("CPU at {{value}} %");
    return r;
}

SeriesValues one(const QString &series, double value, const Labels &labels = {})
{
    SeriesValues v;
    if (value != kMissing)
        v[series].append({labels, value});
    return v;
}

struct Step
{
    qint64 atMs;
    double value; // kMissing: the series is absent
    char state;   // '-' inactive, 'P' pending, 'F' firing, 'R' resolved at this step
};

} // namespace

Q_DECLARE_METATYPE(QList<Step>)

class TestAlertRules : public QObject
{
    Q_OBJECT
private slots:
    // One rule, one series, a script of values over simulated time: the state after each
    // evaluation and every transition reported for the event log.
    void lifecycle_data()
    {
        QTest::addColumn<qint64>("forMs");
        QTest::addColumn<qint64>("keepMs");
        QTest::addColumn<QList<Step>>("steps");
        QTest::addColumn<QStringList>("transitions");

        QTest::newRow("pending, then firing once `for` has passed")
            << kMinute << qint64(0)
            << QList<Step>{{0, 95, 'P'},
                           {30 * kSecond, 96, 'P'},
                           {59 * kSecond, 97, 'P'},
                           {60 * kSecond, 98, 'F'},
                           {90 * kSecond, 99, 'F'}}
            << QStringList{QStringLiteral("inactive>pending@0"),
                           QStringLiteral("pending>firing@60000")};
        QTest::newRow("a pending alert that clears is dropped, never resolved")
            << kMinute << qint64(0)
            << QList<Step>{{0, 95, 'P'},
                           {30 * kSecond, 50, '-'},
                           {40 * kSecond, 95, 'P'},
                           {90 * kSecond, 95, 'P'},
                           {100 * kSecond, 95, 'F'}}
            << QStringList{QStringLiteral("inactive>pending@0"),
                           QStringLiteral("pending>inactive@30000"),
                           QStringLiteral("inactive>pending@40000"), // `for` starts over
                           QStringLiteral("pending>firing@100000")};
        QTest::newRow("without `for` it fires on the first evaluation")
            << qint64(0) << qint64(0)
            << QList<Step>{{0, 95, 'F'}, {10 * kSecond, 50, 'R'}, {20 * kSecond, 50, '-'}}
            << QStringList{QStringLiteral("inactive>firing@0"),
                           QStringLiteral("firing>resolved@10000")};
        QTest::newRow("keep_firing_for holds a cleared alert")
            << qint64(0) << kMinute
            << QList<Step>{{0, 95, 'F'},
                           {10 * kSecond, 50, 'F'},
                           {59 * kSecond, 50, 'F'},
                           {60 * kSecond, 50, 'R'}}
            << QStringList{QStringLiteral("inactive>firing@0"),
                           QStringLiteral("firing>resolved@60000")};
        QTest::newRow("keep_firing_for restarts when the condition returns")
            << qint64(0) << kMinute
            << QList<Step>{{0, 95, 'F'},
                           {30 * kSecond, 50, 'F'},
                           {50 * kSecond, 95, 'F'}, // holds again: the hold counts from here
                           {100 * kSecond, 50, 'F'},
                           {109 * kSecond, 50, 'F'},
                           {110 * kSecond, 50, 'R'}}
            << QStringList{QStringLiteral("inactive>firing@0"),
                           QStringLiteral("firing>resolved@110000")};
        QTest::newRow("a missing series is a false condition")
            << qint64(0) << qint64(0)
            << QList<Step>{{0, kMissing, '-'},
                           {10 * kSecond, 95, 'F'},
                           {20 * kSecond, kMissing, 'R'}}
            << QStringList{QStringLiteral("inactive>firing@10000"),
                           QStringLiteral("firing>resolved@20000")};
        QTest::newRow("NaN is a false condition")
            << 20 * kSecond << qint64(0)
            << QList<Step>{{0, kNaN, '-'},
                           {10 * kSecond, 95, 'P'},
                           {20 * kSecond, kNaN, '-'},
                           {30 * kSecond, 95, 'P'}}
            << QStringList{QStringLiteral("inactive>pending@10000"),
                           QStringLiteral("pending>inactive@20000"),
                           QStringLiteral("inactive>pending@30000")};
        QTest::newRow("the threshold itself does not breach '>'")
            << qint64(0) << qint64(0) << QList<Step>{{0, 90, '-'}, {kSecond, 90.01, 'F'}}
            << QStringList{QStringLiteral("inactive>firing@1000")};
    }

    void lifecycle()
    {
        QFETCH(qint64, forMs);
        QFETCH(qint64, keepMs);
        QFETCH(QList<Step>, steps);
        QFETCH(QStringList, transitions);

        AlertEngine engine({cpuRule(forMs, keepMs)});
        QStringList seen;
        for (const Step &step : steps) {
            const AlertEvaluation e =
                engine.evaluate(one(QStringLiteral("system_cpu_percent"), step.value), step.atMs);
            for (const AlertTransition &t : e.transitions)
                seen.append(QStringLiteral("%1>%2@%3")
                                .arg(alertStateName(t.from), alertStateName(t.to))
                                .arg(t.atMs));
            char state = '-';
            if (!e.active.isEmpty())
                state = e.active.front().state == AlertState::Pending ? 'P' : 'F';
            else if (!e.recentlyResolved.isEmpty() &&
                     e.recentlyResolved.front().resolvedAtMs == step.atMs)
                state = 'R';
            QVERIFY2(e.active.size() <= 1, "one series, one instance");
            QVERIFY2(state == step.state, qPrintable(QStringLiteral("at %1 ms: expected %2, got %3")
                                                         .arg(step.atMs)
                                                         .arg(QLatin1Char(step.state))
                                                         .arg(QLatin1Char(state))));
        }
        QCOMPARE(seen, transitions);
    }

    void firingRecordsTimesAndValue()
    {
        AlertEngine engine({cpuRule(kMinute, 0)});
        engine.evaluate(one(QStringLiteral("system_cpu_percent"), 91), 5000);
        const AlertEvaluation e =
            engine.evaluate(one(QStringLiteral("system_cpu_percent"), 93.456), 65000);
        QCOMPARE(e.active.size(), 1);
        const ActiveAlert &a = e.active.front();
        QCOMPARE(a.state, AlertState::Firing);
        QCOMPARE(a.activeSinceMs, 5000);
        QCOMPARE(a.firedAtMs, 65000);
        QCOMPARE(a.value, 93.456);
        QCOMPARE(a.severity, AlertSeverity::Warning);
        QCOMPARE(a.summary, QStringLiteral("CPU at 93.46 %"));
        QCOMPARE(a.labels.value(QStringLiteral("alertname")), QStringLiteral("HighCpu"));
        QCOMPARE(a.labels.value(QStringLiteral("severity")), QStringLiteral("warning"));
        QCOMPARE(a.fingerprint, labelsFingerprint(a.labels));
        QCOMPARE(e.forNotification().size(), 1);
    }

    void keptFiringAlertKeepsItsLastBreachingValue()
    {
        AlertEngine engine({cpuRule(0, kMinute)});
        engine.evaluate(one(QStringLiteral("system_cpu_percent"), 97), 0);
        const AlertEvaluation e =
            engine.evaluate(one(QStringLiteral("system_cpu_percent"), 40), 10 * kSecond);
        QCOMPARE(e.active.size(), 1);
        QCOMPARE(e.active.front().value, 97.0);
        QVERIFY(!e.active.front().conditionMet);
        QVERIFY(e.transitions.isEmpty());
    }

    void oneInstancePerLabelSet()
    {
        AlertRule r;
        r.name = QStringLiteral("QueueBacklog");
        r.selector.series = QStringLiteral("queue_depth");
        r.threshold = 1000;
        r.severity = QStringLiteral("high");
        r.summary = QStringLiteral("{{pool}}: {{value}} waiting");
        AlertEngine engine({r});

        SeriesValues v;
        const auto point = [](const char *pool, double value) {
            return LabeledValue{{{QStringLiteral("pool"), QLatin1String(pool)}}, value};
        };
        v[QStringLiteral("queue_depth")] = {point("mail", 2000), point("browser", 1500),
                                            point("speech", 10), point("mail", 2500)};
        AlertEvaluation e = engine.evaluate(v, 0);
        QCOMPARE(e.active.size(), 2); // speech is below; the second "mail" point wins
        QStringList summaries;
        for (const ActiveAlert &a : e.active)
            summaries.append(a.summary);
        summaries.sort();
        QCOMPARE(summaries, (QStringList{QStringLiteral("browser: 1500 waiting"),
                                         QStringLiteral("mail: 2500 waiting")}));
        QVERIFY(e.active.at(0).fingerprint != e.active.at(1).fingerprint);

        // browser drops: only its instance resolves.
        v[QStringLiteral("queue_depth")] = {point("mail", 2000), point("browser", 10)};
        e = engine.evaluate(v, kSecond);
        QCOMPARE(e.active.size(), 1);
        QCOMPARE(e.active.front().labels.value(QStringLiteral("pool")), QStringLiteral("mail"));
        QCOMPARE(e.transitions.size(), 1);
        QCOMPARE(e.transitions.front().to, AlertState::Resolved);
        QCOMPARE(e.transitions.front().value, 10.0);
        QCOMPARE(e.transitions.front().labels.value(QStringLiteral("pool")),
                 QStringLiteral("browser"));
    }

    void selectorMatchersPickSeries()
    {
        AlertRule r = cpuRule(0, 0);
        r.selector = *parseSeriesSelector(QStringLiteral("queue_depth{pool=~\"mail|phone\"}"));
        r.labels = {{QStringLiteral("team"), QStringLiteral("ops")},
                    {QStringLiteral("pool"), QStringLiteral("overridden")}};
        AlertEngine engine({r});
        SeriesValues v;
        for (const char *pool : {"mail", "phone", "browser"})
            v[QStringLiteral("queue_depth")].append(
                {{{QStringLiteral("pool"), QLatin1String(pool)}}, 5000});
        const AlertEvaluation e = engine.evaluate(v, 0);
        // mail and phone match; the rule's labels override, so both become one instance.
        QCOMPARE(e.active.size(), 1);
        QCOMPARE(e.active.front().labels.value(QStringLiteral("pool")),
                 QStringLiteral("overridden"));
        QCOMPARE(e.active.front().labels.value(QStringLiteral("team")), QStringLiteral("ops"));
    }

    void acknowledgementSurvivesUntilResolve()
    {
        AlertEngine engine({cpuRule(30 * kSecond, kMinute)});
        const QString cpu = QStringLiteral("system_cpu_percent");
        AlertEvaluation e = engine.evaluate(one(cpu, 95), 0);
        const QString fp = e.active.front().fingerprint;
        QVERIFY(!engine.acknowledge(QStringLiteral("0000000000000000"), 0));  // unknown
        QVERIFY(engine.acknowledge(fp, kSecond, QStringLiteral("operator"))); // while pending

        const struct
        {
            qint64 at;
            double value;
            AlertState state;
        } script[] = {
            {30 * kSecond, 95, AlertState::Firing},  // pending -> firing keeps the flag
            {60 * kSecond, 50, AlertState::Firing},  // kept firing
            {80 * kSecond, 96, AlertState::Firing},  // breaching again
            {100 * kSecond, 50, AlertState::Firing}, // kept firing again
        };
        for (const auto &s : script) {
            e = engine.evaluate(one(cpu, s.value), s.at);
            QCOMPARE(e.active.size(), 1);
            QCOMPARE(e.active.front().state, s.state);
            QVERIFY(e.active.front().acknowledged);
            QCOMPARE(e.active.front().acknowledgedBy, QStringLiteral("operator"));
            QCOMPARE(e.active.front().acknowledgedAtMs, kSecond);
        }
        e = engine.evaluate(one(cpu, 50), 160 * kSecond); // 80 + 60: resolved
        QVERIFY(e.active.isEmpty());
        QCOMPARE(e.recentlyResolved.size(), 1);
        QVERIFY(!engine.acknowledge(fp, 160 * kSecond)); // resolved alerts cannot be acked

        // The same condition later is a new instance: not acknowledged.
        e = engine.evaluate(one(cpu, 99), 200 * kSecond);
        QCOMPARE(e.active.size(), 1);
        QCOMPARE(e.active.front().fingerprint, fp);
        QVERIFY(!e.active.front().acknowledged);
        QCOMPARE(e.active.front().activeSinceMs, 200 * kSecond);
        QVERIFY(e.recentlyResolved.isEmpty()); // no longer resolved

        QVERIFY(engine.acknowledge(fp, 201 * kSecond));
        QVERIFY(engine.unacknowledge(fp));
        QVERIFY(!engine.activeAlerts().front().acknowledged);
    }

    void recentlyResolvedIsShortAndNewestFirst()
    {
        AlertEngineTuning t;
        t.resolvedRetentionMs = 10 * kMinute;
        t.resolvedMaxCount = 2;
        AlertEngine engine({cpuRule(0, 0)}, t);
        const QString cpu = QStringLiteral("system_cpu_percent");
        qint64 now = 0;
        for (const char *pool : {"a", "b", "c"}) {
            const Labels l{{QStringLiteral("pool"), QLatin1String(pool)}};
            engine.evaluate(one(cpu, 95, l), now);
            now += kSecond;
            engine.evaluate({}, now);
            now += kSecond;
        }
        QList<ActiveAlert> resolved = engine.recentlyResolved();
        QCOMPARE(resolved.size(), 2);
        QCOMPARE(resolved.at(0).labels.value(QStringLiteral("pool")), QStringLiteral("c"));
        QCOMPARE(resolved.at(1).labels.value(QStringLiteral("pool")), QStringLiteral("b"));
        engine.evaluate({}, now + 11 * kMinute);
        QVERIFY(engine.recentlyResolved().isEmpty());
    }

    void activeAlertsMostUrgentFirst()
    {
        AlertRule warn = cpuRule(0, 0);
        AlertRule crit = cpuRule(0, 0);
        crit.threshold = 95;
        crit.severity = QStringLiteral("critical");
        AlertRule slow = cpuRule(kMinute, 0);
        slow.name = QStringLiteral("SlowCpu");
        slow.severity = QStringLiteral("critical");
        AlertEngine engine({warn, crit, slow});
        const AlertEvaluation e = engine.evaluate(one(QStringLiteral("system_cpu_percent"), 99), 0);
        QCOMPARE(e.active.size(), 3);
        QCOMPARE(e.active.at(0).severity, AlertSeverity::Critical);
        QCOMPARE(e.active.at(0).state, AlertState::Firing);
        QCOMPARE(e.active.at(1).ruleName, QStringLiteral("SlowCpu")); // critical but pending
        QCOMPARE(e.active.at(2).severity, AlertSeverity::Warning);
    }

    void reloadingRulesKeepsPendingState()
    {
        AlertEngine engine({cpuRule(kMinute, 0)});
        const QString cpu = QStringLiteral("system_cpu_percent");
        engine.evaluate(one(cpu, 95), 0);
        AlertRule changed = cpuRule(kMinute, 0);
        changed.threshold = 80; // a new threshold, same rule
        engine.setRules({changed});
        AlertEvaluation e = engine.evaluate(one(cpu, 85), 60 * kSecond);
        QCOMPARE(e.active.front().state, AlertState::Firing);
        QCOMPARE(e.active.front().activeSinceMs, 0);

        engine.setRules({}); // removed: dropped without a resolved notice
        e = engine.evaluate(one(cpu, 85), 61 * kSecond);
        QVERIFY(e.active.isEmpty());
        QVERIFY(e.transitions.isEmpty());
        QVERIFY(e.recentlyResolved.isEmpty());
    }

    void summaryTemplates_data()
    {
        QTest::addColumn<QString>("templ");
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("value") << QStringLiteral("at {{value}} %") << 92.346
                               << QStringLiteral("at 92.35 %");
        QTest::newRow("integral value")
            << QStringLiteral("{{value}}") << 1200.0 << QStringLiteral("1200");
        QTest::newRow("spaces and $") << QStringLiteral("{{ $value }}/{{ $labels.tier }}") << 5.5
                                      << QStringLiteral("5.5/basic");
        QTest::newRow("pool") << QStringLiteral("pool {{pool}}") << 0.0
                              << QStringLiteral("pool mail");
        QTest::newRow("labels.x") << QStringLiteral("{{labels.tier}}") << 0.0
                                  << QStringLiteral("basic");
        QTest::newRow("missing label renders empty")
            << QStringLiteral("[{{labels.nope}}]") << 0.0 << QStringLiteral("[]");
        QTest::newRow("threshold")
            << QStringLiteral("> {{threshold}}") << 0.0 << QStringLiteral("> 90");
        QTest::newRow("bytes") << QStringLiteral("{{value|bytes}} left") << 512e6
                               << QStringLiteral("512 MB left");
        QTest::newRow("bytes with a decimal")
            << QStringLiteral("{{ value | bytes }}") << 1.55e9 << QStringLiteral("1.6 GB");
        QTest::newRow("NaN") << QStringLiteral("{{value}}") << kNaN << QStringLiteral("NaN");
        QTest::newRow("unknown stays as written")
            << QStringLiteral("{{what}} x") << 0.0 << QStringLiteral("{{what}} x");
        QTest::newRow("unclosed stays as written")
            << QStringLiteral("a {{value") << 1.0 << QStringLiteral("a {{value");
    }

    void summaryTemplates()
    {
        QFETCH(QString, templ);
        QFETCH(double, value);
        QFETCH(QString, expected);
        const Labels labels{{QStringLiteral("pool"), QStringLiteral("mail")},
                            {QStringLiteral("tier"), QStringLiteral("basic")}};
        QCOMPARE(renderSummary(templ, labels, value, 90), expected);
    }

    void selectors_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("canonical"); // empty: refused
        QTest::addColumn<int>("errorColumn");
        QTest::newRow("bare name")
            << QStringLiteral("queue_depth") << QStringLiteral("queue_depth") << 0;
        QTest::newRow("equal") << QStringLiteral("queue_depth{pool=\"mail\"}")
                               << QStringLiteral("queue_depth{pool=\"mail\"}") << 0;
        QTest::newRow("all four, spaces, trailing comma")
            << QStringLiteral(" m { a = \"1\" , b!=\"2\", c=~\"x|y\", d!~\"z.*\", } ")
            << QStringLiteral("m{a=\"1\", b!=\"2\", c=~\"x|y\", d!~\"z.*\"}") << 0;
        QTest::newRow("escaped quote") << QStringLiteral("m{a=\"say \\\"hi\\\"\"}")
                                       << QStringLiteral("m{a=\"say \\\"hi\\\"\"}") << 0;
        QTest::newRow("recording-rule name")
            << QStringLiteral("pool:cpu:avg5m") << QStringLiteral("pool:cpu:avg5m") << 0;
        QTest::newRow("no name") << QStringLiteral("{pool=\"mail\"}") << QString() << 1;
        QTest::newRow("unquoted value") << QStringLiteral("m{pool=mail}") << QString() << 8;
        QTest::newRow("bad operator") << QStringLiteral("m{pool==\"x\"}") << QString() << 8;
        QTest::newRow("unclosed brace") << QStringLiteral("m{pool=\"x\"") << QString() << 11;
        QTest::newRow("unterminated value") << QStringLiteral("m{pool=\"x}") << QString() << 8;
        QTest::newRow("bad regex") << QStringLiteral("m{pool=~\"(\"}") << QString() << 9;
        QTest::newRow("trailing text") << QStringLiteral("m x") << QString() << 3;
    }

    void selectors()
    {
        QFETCH(QString, text);
        QFETCH(QString, canonical);
        QFETCH(int, errorColumn);
        QString error;
        int column = 0;
        const auto s = parseSeriesSelector(text, &error, &column);
        if (canonical.isEmpty()) {
            QVERIFY(!s);
            QVERIFY(!error.isEmpty());
            QCOMPARE(column, errorColumn);
        } else {
            QVERIFY2(s, qPrintable(error));
            QCOMPARE(s->toString(), canonical);
        }
    }

    void matchers_data()
    {
        QTest::addColumn<QString>("matchers");
        QTest::addColumn<bool>("matchesMail");
        QTest::addColumn<bool>("matchesNoPool");
        QTest::newRow("=") << QStringLiteral("pool=\"mail\"") << true << false;
        QTest::newRow("!=") << QStringLiteral("pool!=\"mail\"") << false << true;
        QTest::newRow("=~ is anchored") << QStringLiteral("pool=~\"ma\"") << false << false;
        QTest::newRow("=~") << QStringLiteral("pool=~\"ma.*|x\"") << true << false;
        QTest::newRow("!~") << QStringLiteral("pool!~\"ma.*\"") << false << true;
        QTest::newRow("absent is empty") << QStringLiteral("pool=\"\"") << false << true;
        QTest::newRow("all must match")
            << QStringLiteral("{pool=\"mail\", tier=\"free\"}") << false << false;
        QTest::newRow("empty list matches all") << QString() << true << true;
    }

    void matchers()
    {
        QFETCH(QString, matchers);
        QFETCH(bool, matchesMail);
        QFETCH(bool, matchesNoPool);
        QString error;
        const auto list = parseLabelMatchers(matchers, &error);
        QVERIFY2(list, qPrintable(error));
        const Labels mail{{QStringLiteral("pool"), QStringLiteral("mail")},
                          {QStringLiteral("tier"), QStringLiteral("basic")}};
        QCOMPARE(matchesAll(*list, mail), matchesMail);
        QCOMPARE(matchesAll(*list, Labels{}), matchesNoPool);
    }

    void fingerprintsAreStable()
    {
        Labels a;
        a.insert(QStringLiteral("b"), QStringLiteral("2"));
        a.insert(QStringLiteral("a"), QStringLiteral("1"));
        const Labels b{{QStringLiteral("a"), QStringLiteral("1")},
                       {QStringLiteral("b"), QStringLiteral("2")}};
        QCOMPARE(labelsFingerprint(a), labelsFingerprint(b));
        QCOMPARE(labelsFingerprint(a).size(), 16);
        // Pinned: stored acknowledgements and silences depend on this never changing.
        QCOMPARE(labelsFingerprint(a), QStringLiteral("1cc37fac8a64ae01"));
        // The separator keeps {ab="c"} and {a="bc"} apart.
        QVERIFY(labelsFingerprint({{QStringLiteral("ab"), QStringLiteral("c")}}) !=
                labelsFingerprint({{QStringLiteral("a"), QStringLiteral("bc")}}));
    }

    void validation_data()
    {
        QTest::addColumn<QString>("change");
        QTest::addColumn<QString>("field"); // empty: no problem expected
        QTest::addColumn<QString>("fragment");
        QTest::newRow("a good rule") << QStringLiteral("none") << QString() << QString();
        QTest::newRow("unknown series") << QStringLiteral("series") << QStringLiteral("series")
                                        << QStringLiteral("unknown series 'gpu_percent'");
        QTest::newRow("negative for")
            << QStringLiteral("for") << QStringLiteral("for") << QStringLiteral("negative");
        QTest::newRow("negative keep_firing_for")
            << QStringLiteral("keep") << QStringLiteral("keep_firing_for")
            << QStringLiteral("negative");
        QTest::newRow("bad severity") << QStringLiteral("severity") << QStringLiteral("severity")
                                      << QStringLiteral("got 'page'");
        QTest::newRow("unclosed template")
            << QStringLiteral("unclosed") << QStringLiteral("summary")
            << QStringLiteral("without a closing");
        QTest::newRow("unknown placeholder")
            << QStringLiteral("placeholder") << QStringLiteral("summary")
            << QStringLiteral("{{labels}}");
        QTest::newRow("bad regex") << QStringLiteral("regex") << QStringLiteral("series")
                                   << QStringLiteral("invalid regular expression");
        QTest::newRow("no name") << QStringLiteral("name") << QStringLiteral("name")
                                 << QStringLiteral("no name");
        QTest::newRow("infinite threshold")
            << QStringLiteral("threshold") << QStringLiteral("threshold")
            << QStringLiteral("number");
        QTest::newRow("reserved label")
            << QStringLiteral("label") << QStringLiteral("labels") << QStringLiteral("'severity'");
        QTest::newRow("duplicate rule") << QStringLiteral("duplicate") << QStringLiteral("name")
                                        << QStringLiteral("same severity and labels");
    }

    void validation()
    {
        QFETCH(QString, change);
        QFETCH(QString, field);
        QFETCH(QString, fragment);
        AlertRule r = cpuRule(kMinute, 0);
        QList<AlertRule> rules;
        if (change == QLatin1String("series"))
            r.selector.series = QStringLiteral("gpu_percent");
        else if (change == QLatin1String("for"))
            r.forMs = -1;
        else if (change == QLatin1String("keep"))
            r.keepFiringForMs = -5000;
        else if (change == QLatin1String("severity"))
            r.severity = QStringLiteral("page");
        else if (change == QLatin1String("unclosed"))
            r.summary = QStringLiteral("CPU {{value");
        else if (change == QLatin1String("placeholder"))
            r.summary = QStringLiteral("CPU {{labels}}");
        else if (change == QLatin1String("regex"))
            r.selector.matchers = {
                LabelMatcher::regex(QStringLiteral("pool"), QStringLiteral("[a"))};
        else if (change == QLatin1String("name"))
            r.name = QStringLiteral(" ");
        else if (change == QLatin1String("threshold"))
            r.threshold = std::numeric_limits<double>::infinity();
        else if (change == QLatin1String("label"))
            r.labels.insert(QStringLiteral("severity"), QStringLiteral("page"));
        else if (change == QLatin1String("duplicate"))
            rules.append(r);
        rules.append(r);
        // A same-named rule of another severity is fine (the warning/critical pair).
        AlertRule critical = cpuRule(kMinute, 0);
        critical.severity = QStringLiteral("critical");
        rules.append(critical);

        const QList<AlertRuleProblem> problems = validateAlertRules(rules, defaultAlertSeries());
        if (field.isEmpty()) {
            QVERIFY2(problems.isEmpty(), qPrintable(problems.value(0).message));
            return;
        }
        QCOMPARE(problems.size(), 1);
        QCOMPARE(problems.front().field, field);
        QCOMPARE(problems.front().ruleIndex, change == QLatin1String("duplicate") ? 1 : 0);
        QVERIFY2(problems.front().message.contains(fragment), qPrintable(problems.front().message));
    }

    void anEmptyKnownSetSkipsTheSeriesCheck()
    {
        AlertRule r = cpuRule(0, 0);
        r.selector.series = QStringLiteral("anything_at_all");
        QVERIFY(validateAlertRules({r}, {}).isEmpty());
        r.selector.series = QStringLiteral("not a name");
        QCOMPARE(validateAlertRules({r}, {}).size(), 1);
    }

    void defaultRulesAreValidAndCoverTheSeeds()
    {
        const QList<AlertRule> rules = defaultAlertRules();
        QVERIFY(validateAlertRules(rules, defaultAlertSeries()).isEmpty());
        QStringList described;
        for (const AlertRule &r : rules)
            described.append(
                QStringLiteral("%1 %2 %3")
                    .arg(r.selector.series, comparisonSymbol(r.op), formatAlertValue(r.threshold)));
        QCOMPARE(described, (QStringList{QStringLiteral("error_rate_percent > 5"),
                                         QStringLiteral("queue_depth > 1000"),
                                         QStringLiteral("system_memory_percent > 80"),
                                         QStringLiteral("system_cpu_percent > 90"),
                                         QStringLiteral("system_disk_free_bytes < 1000000000"),
                                         QStringLiteral("pool_ready_replicas < 1"),
                                         QStringLiteral("gateway_insufficient_quota > 0")}));
    }

    void defaultRulesRenderReadableSummaries()
    {
        AlertEngine engine(defaultAlertRules());
        SeriesValues v;
        v[QStringLiteral("system_disk_free_bytes")] = {{{}, 512e6}};
        v[QStringLiteral("pool_ready_replicas")] = {
            {{{QStringLiteral("pool"), QStringLiteral("mail")}}, 0},
            {{{QStringLiteral("pool"), QStringLiteral("browser")}}, 2}};
        engine.evaluate(v, 0);
        const AlertEvaluation e = engine.evaluate(v, kMinute);
        QCOMPARE(e.active.size(), 2);
        QStringList summaries;
        for (const ActiveAlert &a : e.active) {
            QCOMPARE(a.state, AlertState::Firing);
            QCOMPARE(a.severity, AlertSeverity::Critical);
            summaries.append(a.summary);
        }
        summaries.sort();
        QCOMPARE(summaries, (QStringList{QStringLiteral("Only 512 MB of disk space left"),
                                         QStringLiteral("Pool mail has no ready replica")}));
    }

    void rulesFromTheConfigFile()
    {
        AlertRuleSpec spec;
        spec.name = QStringLiteral("MailBacklog");
        spec.series = QStringLiteral("queue_depth{pool=\"mail\"}");
        spec.op = QStringLiteral(">=");
        spec.threshold = 500;
        spec.forMs = kMinute;
        spec.keepFiringForMs = 30 * kSecond;
        spec.severity = QStringLiteral("high");
        spec.summary = QStringLiteral("{{value}} mails waiting");
        const auto rule = alertRuleFromSpec(spec);
        QVERIFY(rule);
        QCOMPARE(rule->selector.toString(), spec.series);
        QCOMPARE(rule->op, Comparison::GreaterOrEqual);
        QCOMPARE(rule->keepFiringForMs, 30 * kSecond);
        QVERIFY(validateAlertRules({*rule}, defaultAlertSeries()).isEmpty());

        spec.series = QStringLiteral("queue_depth{pool=mail}");
        AlertRuleProblem problem;
        QVERIFY(!alertRuleFromSpec(spec, &problem));
        QCOMPARE(problem.field, QStringLiteral("series"));
        QCOMPARE(problem.column, 18);
        QCOMPARE(problem.ruleName, QStringLiteral("MailBacklog"));
    }

    void comparisons_data()
    {
        QTest::addColumn<QString>("op");
        QTest::addColumn<double>("value");
        QTest::addColumn<bool>("breach");
        QTest::newRow("> above") << QStringLiteral(">") << 11.0 << true;
        QTest::newRow("> equal") << QStringLiteral(">") << 10.0 << false;
        QTest::newRow(">= equal") << QStringLiteral(">=") << 10.0 << true;
        QTest::newRow("< below") << QStringLiteral("<") << 9.0 << true;
        QTest::newRow("<= equal") << QStringLiteral("<=") << 10.0 << true;
        QTest::newRow("<= above") << QStringLiteral("<=") << 10.5 << false;
        QTest::newRow("NaN never") << QStringLiteral("<") << kNaN << false;
    }

    void comparisons()
    {
        QFETCH(QString, op);
        QFETCH(double, value);
        QFETCH(bool, breach);
        const auto c = comparisonFromSymbol(op);
        QVERIFY(c);
        QCOMPARE(compare(value, *c, 10), breach);
        QVERIFY(!comparisonFromSymbol(QStringLiteral("==")));
    }
};

QTEST_GUILESS_MAIN(TestAlertRules)
#include "tst_alert_rules.moc"
