// The notification policy with simulated time: grouping (group_wait, group_interval,
// repeat_interval), send_resolved, acknowledgement, silences, inhibition and routing.
#include "core/detect/notification_policy.h"

#include <QtTest>

using namespace drover;

namespace {

constexpr qint64 kSecond = 1000;
constexpr qint64 kMinute = 60 * kSecond;
constexpr qint64 kHour = 60 * kMinute;

Labels labelsOf(const QString &alertname, const QString &severity, const QString &pool = {})
{
    Labels l{{QStringLiteral("alertname"), alertname}, {QStringLiteral("severity"), severity}};
    if (!pool.isEmpty())
        l.insert(QStringLiteral("pool"), pool);
    return l;
}

ActiveAlert firing(const QString &alertname, const QString &pool, qint64 firedAtMs,
                   const QString &severity = QStringLiteral("warning"))
{
    ActiveAlert a;
    a.ruleName = alertname;
    a.labels = labelsOf(alertname, severity, pool);
    a.fingerprint = labelsFingerprint(a.labels);
    a.state = AlertState::Firing;
    a.activeSinceMs = firedAtMs;
    a.firedAtMs = firedAtMs;
    a.lastTrueMs = firedAtMs;
    a.value = 95;
    a.severity = severityFromName(severity).value_or(AlertSeverity::Warning);
    a.summary =
        QStringLiteral("%1 on %2").arg(alertname, pool.isEmpty() ? QStringLiteral("host") : pool);
    return a;
}

ActiveAlert resolvedCopy(ActiveAlert a, qint64 atMs)
{
    a.state = AlertState::Resolved;
    a.resolvedAtMs = atMs;
    return a;
}

// One route, one channel (tray unless told), Alertmanager's default timings.
NotificationPolicyConfig singleRoute(QStringList groupBy = {QStringLiteral("alertname")},
                                     QList<ChannelTarget> channels = {
                                         {NotificationChannel::Tray, true}})
{
    NotificationPolicyConfig c;
    c.fallback.name = QStringLiteral("default");
    c.fallback.channels = std::move(channels);
    c.fallback.groupBy = std::move(groupBy);
    return c;
}

// Drives the policy second by second (the engine's tick) and collects what it sends.
struct Sim
{
    NotificationPolicy policy;
    QList<Notification> sent;
    qint64 now = 0;

    explicit Sim(NotificationPolicyConfig c) : policy(std::move(c)) {}

    // Runs ticks from `now` up to and including `until`, with `alerts` as the input.
    QList<Notification> runUntil(qint64 until, const QList<ActiveAlert> &alerts,
                                 qint64 step = kSecond)
    {
        QList<Notification> out;
        for (; now <= until; now += step)
            out += policy.evaluate(alerts, now).notifications;
        sent += out;
        return out;
    }
};

QStringList pools(const Notification &n)
{
    QStringList out;
    for (const ActiveAlert &a : n.alerts)
        out.append(a.labels.value(QStringLiteral("pool")) +
                   (a.state == AlertState::Resolved ? QStringLiteral("(resolved)") : QString()));
    out.sort();
    return out;
}

} // namespace

class TestNotificationPolicy : public QObject
{
    Q_OBJECT
private slots:
    void fiveAlertsWithinGroupWaitAreOneNotification()
    {
        Sim sim(singleRoute());
        QList<ActiveAlert> alerts;
        const qint64 arrivals[] = {0, 2 * kSecond, 5 * kSecond, 10 * kSecond, 20 * kSecond};
        int i = 0;
        for (qint64 at : arrivals) {
            QVERIFY(sim.runUntil(at - 1, alerts).isEmpty());
            alerts.append(firing(QStringLiteral("HighCpu"), QStringLiteral("p%1").arg(i++), at));
        }
        QVERIFY(sim.runUntil(30 * kSecond - 1, alerts).isEmpty()); // group_wait from the first
        const QList<Notification> n = sim.runUntil(30 * kSecond, alerts);
        QCOMPARE(n.size(), 1);
        QCOMPARE(n.front().alerts.size(), 5);
        QCOMPARE(n.front().firingCount, 5);
        QCOMPARE(n.front().channel, NotificationChannel::Tray);
        QCOMPARE(n.front().atMs, 30 * kSecond);
        QCOMPARE(n.front().title, QStringLiteral("[FIRING:5] HighCpu"));
        QCOMPARE(n.front().groupKey, QStringLiteral("default:{alertname=\"HighCpu\"}"));
        QCOMPARE(n.front().body.count(QLatin1Char('\n')), 4);
        QVERIFY(n.front().body.contains(
            QStringLiteral("[warning] HighCpu{pool=\"p0\"}: HighCpu on p0 (for 30s)")));
        // Nothing more until something changes or the repeat interval passes.
        QVERIFY(sim.runUntil(2 * kHour, alerts, 10 * kSecond).isEmpty());
    }

    void groupByKeepsGroupsApart()
    {
        Sim sim(singleRoute({QStringLiteral("alertname"), QStringLiteral("pool")}));
        const QList<ActiveAlert> alerts = {
            firing(QStringLiteral("HighCpu"), QStringLiteral("a"), 0),
            firing(QStringLiteral("HighCpu"), QStringLiteral("b"), 0),
            firing(QStringLiteral("QueueBacklog"), {}, 0)};
        const QList<Notification> n = sim.runUntil(30 * kSecond, alerts);
        QCOMPARE(n.size(), 3);
        QStringList titles;
        for (const Notification &x : n)
            titles.append(x.title);
        titles.sort();
        QCOMPARE(titles, (QStringList{QStringLiteral("[FIRING:1] HighCpu (pool=a)"),
                                      QStringLiteral("[FIRING:1] HighCpu (pool=b)"),
                                      QStringLiteral("[FIRING:1] QueueBacklog")}));
        QCOMPARE(sim.policy.groupCount(), 3);
    }

    void anAlertResolvedBeforeGroupWaitSendsNothing_data()
    {
        QTest::addColumn<bool>("vanishes"); // gone from the input instead of passed as resolved
        QTest::newRow("passed in as resolved") << false;
        QTest::newRow("no longer passed in") << true;
    }

    void anAlertResolvedBeforeGroupWaitSendsNothing()
    {
        QFETCH(bool, vanishes);
        Sim sim(singleRoute({QStringLiteral("alertname")},
                            {{NotificationChannel::Tray, true}, {NotificationChannel::Log, true}}));
        const ActiveAlert a = firing(QStringLiteral("HighCpu"), QStringLiteral("mail"), 0);
        QVERIFY(sim.runUntil(10 * kSecond, {a}).isEmpty());
        const QList<ActiveAlert> after =
            vanishes ? QList<ActiveAlert>{} : QList<ActiveAlert>{resolvedCopy(a, 11 * kSecond)};
        QVERIFY(sim.runUntil(kHour, after).isEmpty());
        QCOMPARE(sim.policy.groupCount(), 0);
    }

    void pendingAlertsAreIgnored()
    {
        Sim sim(singleRoute());
        ActiveAlert a = firing(QStringLiteral("HighCpu"), QStringLiteral("mail"), 0);
        a.state = AlertState::Pending;
        a.firedAtMs = -1;
        QVERIFY(sim.runUntil(kHour, {a}, 10 * kSecond).isEmpty());
        QCOMPARE(sim.policy.groupCount(), 0);
    }

    void groupIntervalBatchesANewAlertIntoTheGroup()
    {
        Sim sim(singleRoute());
        const ActiveAlert a = firing(QStringLiteral("HighCpu"), QStringLiteral("a"), 0);
        const ActiveAlert b = firing(QStringLiteral("HighCpu"), QStringLiteral("b"), kMinute);
        QList<Notification> n = sim.runUntil(kMinute - 1, {a});
        QCOMPARE(n.size(), 1); // at 30 s
        QCOMPARE(pools(n.front()), QStringList{QStringLiteral("a")});

        // b joins at 1 min; the group flushes again 5 min after the first flush (5m30s).
        QVERIFY(sim.runUntil(5 * kMinute + 30 * kSecond - 1, {a, b}).isEmpty());
        n = sim.runUntil(5 * kMinute + 30 * kSecond, {a, b});
        QCOMPARE(n.size(), 1);
        QVERIFY(!n.front().repeat);
        QCOMPARE(pools(n.front()), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(n.front().title, QStringLiteral("[FIRING:2] HighCpu"));
    }

    void repeatInterval_data()
    {
        QTest::addColumn<qint64>("repeatMs");
        QTest::addColumn<QList<qint64>>("expectedAt");
        // Repeats are checked on group_interval ticks (30 s + k * 5 min), like Alertmanager.
        QTest::newRow("4 h") << 4 * kHour << QList<qint64>{30 * kSecond, 30 * kSecond + 4 * kHour};
        QTest::newRow("1 h") << kHour
                             << QList<qint64>{30 * kSecond, 30 * kSecond + kHour,
                                              30 * kSecond + 2 * kHour, 30 * kSecond + 3 * kHour,
                                              30 * kSecond + 4 * kHour};
        QTest::newRow("12 min rounds up to the next tick")
            << 12 * kMinute
            << QList<qint64>{30 * kSecond, 15 * kMinute + 30 * kSecond, 30 * kMinute + 30 * kSecond,
                             45 * kMinute + 30 * kSecond};
    }

    void repeatInterval()
    {
        QFETCH(qint64, repeatMs);
        QFETCH(QList<qint64>, expectedAt);
        NotificationPolicyConfig c = singleRoute();
        c.fallback.repeatIntervalMs = repeatMs;
        Sim sim(c);
        const QList<ActiveAlert> alerts = {
            firing(QStringLiteral("HighCpu"), QStringLiteral("a"), 0)};
        sim.runUntil(expectedAt.back() + kMinute, alerts, 10 * kSecond);
        QList<qint64> at;
        for (const Notification &n : std::as_const(sim.sent)) {
            at.append(n.atMs);
            QCOMPARE(n.repeat, n.atMs != 30 * kSecond);
        }
        QCOMPARE(at, expectedAt);
    }

    void acknowledgedAlertsAreNotRepeated()
    {
        Sim sim(singleRoute());
        ActiveAlert a = firing(QStringLiteral("HighCpu"), QStringLiteral("a"), 0);
        QCOMPARE(sim.runUntil(kMinute, {a}).size(), 1);
        a.acknowledged = true;
        QVERIFY(sim.runUntil(9 * kHour, {a}, 10 * kSecond).isEmpty());

        // A new, unacknowledged alert in the same group is news, and the message shows both.
        const ActiveAlert b = firing(QStringLiteral("HighCpu"), QStringLiteral("b"), sim.now);
        const QList<Notification> n = sim.runUntil(sim.now + 5 * kMinute, {a, b}, 10 * kSecond);
        QCOMPARE(n.size(), 1);
        QVERIFY(!n.front().repeat);
        QCOMPARE(n.front().alerts.size(), 2);
        QVERIFY(n.front().body.contains(QStringLiteral("acknowledged")));
        // b is not acknowledged: the group repeats after 4 h again.
        QCOMPARE(sim.runUntil(sim.now + 4 * kHour + 5 * kMinute, {a, b}, 10 * kSecond).size(), 1);
    }

    void sendResolved_data()
    {
        QTest::addColumn<bool>("trayResolved");
        QTest::addColumn<bool>("logResolved");
        QTest::newRow("both channels") << true << true;
        QTest::newRow("log only") << false << true;
        QTest::newRow("neither") << false << false;
    }

    void sendResolved()
    {
        QFETCH(bool, trayResolved);
        QFETCH(bool, logResolved);
        Sim sim(
            singleRoute({QStringLiteral("alertname")}, {{NotificationChannel::Tray, trayResolved},
                                                        {NotificationChannel::Log, logResolved}}));
        const ActiveAlert a = firing(QStringLiteral("HighCpu"), QStringLiteral("a"), 0);
        QCOMPARE(sim.runUntil(kMinute, {a}).size(), 2); // both channels hear it fire
        const QList<ActiveAlert> resolved = {resolvedCopy(a, 2 * kMinute)};
        // Resolutions are batched on the group_interval tick too (5m30s).
        QVERIFY(sim.runUntil(5 * kMinute + 30 * kSecond - 1, resolved).isEmpty());
        const QList<Notification> n = sim.runUntil(kHour, resolved);
        QCOMPARE(n.size(), int(trayResolved) + int(logResolved));
        for (const Notification &x : n) {
            QCOMPARE(x.atMs, 5 * kMinute + 30 * kSecond);
            QVERIFY(x.resolved);
            QCOMPARE(x.resolvedCount, 1);
            QCOMPARE(x.title, QStringLiteral("[RESOLVED] HighCpu"));
            QVERIFY(x.body.contains(QStringLiteral("resolved after 2m")));
            QCOMPARE(x.channel == NotificationChannel::Tray ? trayResolved : logResolved, true);
        }
        QCOMPARE(sim.policy.groupCount(), 0);

        // Firing again later starts a fresh group: told again, after group_wait.
        const ActiveAlert again = firing(QStringLiteral("HighCpu"), QStringLiteral("a"), sim.now);
        const qint64 start = sim.now;
        QCOMPARE(sim.runUntil(start + 30 * kSecond, {again}).size(), 2);
    }

    void partlyResolvedGroupsTellWhatResolved()
    {
        Sim sim(singleRoute({QStringLiteral("alertname")}, {{NotificationChannel::Tray, true},
                                                            {NotificationChannel::Banner, false}}));
        const ActiveAlert a = firing(QStringLiteral("HighCpu"), QStringLiteral("a"), 0);
        const ActiveAlert b = firing(QStringLiteral("HighCpu"), QStringLiteral("b"), 0);
        QCOMPARE(sim.runUntil(kMinute, {a, b}).size(), 2);
        const QList<Notification> n = sim.runUntil(6 * kMinute, {a, resolvedCopy(b, 2 * kMinute)});
        QCOMPARE(n.size(), 1); // the banner does not want resolutions and nothing new fires
        QCOMPARE(n.front().channel, NotificationChannel::Tray);
        QVERIFY(!n.front().resolved);
        QCOMPARE(pools(n.front()),
                 (QStringList{QStringLiteral("a"), QStringLiteral("b(resolved)")}));
        QCOMPARE(n.front().title, QStringLiteral("[FIRING:1] HighCpu"));
    }

    void silenceMutesUntilItExpires()
    {
        Sim sim(singleRoute({QStringLiteral("alertname"), QStringLiteral("pool")}));
        Silence s;
        s.id = QStringLiteral("s1");
        s.matchers = {LabelMatcher::equal(QStringLiteral("pool"), QStringLiteral("mail"))};
        s.startsAtMs = 0;
        s.endsAtMs = 10 * kMinute;
        s.createdBy = QStringLiteral("operator");
        s.comment = QStringLiteral("mail provider maintenance");
        QVERIFY(silenceProblems(s).isEmpty());
        sim.policy.addSilence(s);

        const QList<ActiveAlert> alerts = {
            firing(QStringLiteral("HighCpu"), QStringLiteral("mail"), 0),
            firing(QStringLiteral("HighCpu"), QStringLiteral("browser"), 0)};
        const NotificationDecision d = sim.policy.evaluate(alerts, 0);
        QCOMPARE(d.muted.size(), 1);
        QCOMPARE(d.muted.front().fingerprint, alerts.front().fingerprint);
        QCOMPARE(d.muted.front().silencedBy, QStringList{QStringLiteral("s1")});
        sim.now = kSecond;

        QList<Notification> n = sim.runUntil(10 * kMinute, alerts);
        QCOMPARE(n.size(), 1); // browser only
        QCOMPARE(pools(n.front()), QStringList{QStringLiteral("browser")});

        // Expired at 10 min: mail is told on its group's next tick (30 s + 2 * 5 min).
        n = sim.runUntil(10 * kMinute + 30 * kSecond, alerts);
        QCOMPARE(n.size(), 1);
        QCOMPARE(pools(n.front()), QStringList{QStringLiteral("mail")});
        QCOMPARE(n.front().atMs, 10 * kMinute + 30 * kSecond);
    }

    void silenceCanBeEndedEarlyAndStartLater()
    {
        Sim sim(singleRoute());
        Silence s;
        s.id = QStringLiteral("later");
        s.matchers = {LabelMatcher::regex(QStringLiteral("alertname"), QStringLiteral("High.*"))};
        s.startsAtMs = kHour;
        s.endsAtMs = 2 * kHour;
        s.createdBy = QStringLiteral("operator");
        sim.policy.setSilences({s});
        QCOMPARE(s.state(0), Silence::State::Pending);
        const QList<ActiveAlert> alerts = {
            firing(QStringLiteral("HighCpu"), QStringLiteral("a"), 0)};
        QCOMPARE(sim.runUntil(kMinute, alerts).size(), 1); // not yet active: no effect

        QVERIFY(sim.policy.expireSilence(QStringLiteral("later"), kMinute));
        QCOMPARE(sim.policy.silences().front().state(kMinute), Silence::State::Expired);
        QVERIFY(!sim.policy.expireSilence(QStringLiteral("nope"), kMinute));
    }

    void silenceMatchers_data()
    {
        QTest::addColumn<QString>("matchers");
        QTest::addColumn<bool>("mutes");
        QTest::newRow("=") << QStringLiteral("pool=\"mail\"") << true;
        QTest::newRow("= other") << QStringLiteral("pool=\"phone\"") << false;
        QTest::newRow("!=") << QStringLiteral("alertname=\"HighCpu\", pool!=\"phone\"") << true;
        QTest::newRow("=~") << QStringLiteral("pool=~\"mail|phone\"") << true;
        QTest::newRow("=~ anchored") << QStringLiteral("pool=~\"mai\"") << false;
        QTest::newRow("!~") << QStringLiteral("alertname=\"HighCpu\", severity!~\"crit.*\"")
                            << true;
        QTest::newRow("!~ excludes")
            << QStringLiteral("alertname=\"HighCpu\", pool!~\"m.*\"") << false;
    }

    void silenceMatchers()
    {
        QFETCH(QString, matchers);
        QFETCH(bool, mutes);
        Silence s;
        s.id = QStringLiteral("x");
        s.matchers = *parseLabelMatchers(matchers);
        s.startsAtMs = 0;
        s.endsAtMs = kHour;
        s.createdBy = QStringLiteral("me");
        QVERIFY(silenceProblems(s).isEmpty());
        QCOMPARE(s.mutes(labelsOf(QStringLiteral("HighCpu"), QStringLiteral("warning"),
                                  QStringLiteral("mail")),
                         kMinute),
                 mutes);
        QVERIFY(!s.mutes(
            labelsOf(QStringLiteral("HighCpu"), QStringLiteral("warning"), QStringLiteral("mail")),
            kHour)); // the end is exclusive
    }

    void silenceValidation_data()
    {
        QTest::addColumn<QString>("matchers");
        QTest::addColumn<qint64>("endsAt");
        QTest::addColumn<QString>("author");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("no matchers")
            << QString() << kHour << QStringLiteral("me") << QStringLiteral("at least one matcher");
        QTest::newRow("matches everything")
            << QStringLiteral("pool=~\".*\"") << kHour << QStringLiteral("me")
            << QStringLiteral("empty value");
        QTest::newRow("only negative matchers")
            << QStringLiteral("pool!=\"mail\"") << kHour << QStringLiteral("me")
            << QStringLiteral("empty value");
        QTest::newRow("ends before it starts")
            << QStringLiteral("pool=\"mail\"") << qint64(0) << QStringLiteral("me")
            << QStringLiteral("end after");
        QTest::newRow("no author")
            << QStringLiteral("pool=\"mail\"") << kHour << QString() << QStringLiteral("author");
    }

    void silenceValidation()
    {
        QFETCH(QString, matchers);
        QFETCH(qint64, endsAt);
        QFETCH(QString, author);
        QFETCH(QString, fragment);
        Silence s;
        s.matchers = *parseLabelMatchers(matchers);
        s.startsAtMs = 0;
        s.endsAtMs = endsAt;
        s.createdBy = author;
        const QStringList problems = silenceProblems(s);
        QCOMPARE(problems.size(), 1);
        QVERIFY2(problems.front().contains(fragment), qPrintable(problems.front()));
        // A refused silence never mutes, even if someone installs it anyway.
        if (s.matchers.isEmpty())
            QVERIFY(!s.mutes(labelsOf(QStringLiteral("A"), QStringLiteral("info")), 1));
    }

    void inhibition()
    {
        NotificationPolicyConfig c =
            singleRoute({QStringLiteral("alertname"), QStringLiteral("pool")});
        InhibitRule r;
        r.sourceMatchers = {
            LabelMatcher::equal(QStringLiteral("severity"), QStringLiteral("critical"))};
        r.targetMatchers = {
            LabelMatcher::equal(QStringLiteral("severity"), QStringLiteral("warning"))};
        r.equal = {QStringLiteral("pool")};
        c.inhibitRules = {r};
        Sim sim(c);

        const ActiveAlert memory =
            firing(QStringLiteral("HighMemory"), {}, 0, QStringLiteral("critical"));
        const ActiveAlert cpu = firing(QStringLiteral("HighCpu"), {}, 0); // host warning
        const ActiveAlert mailCpu = firing(QStringLiteral("HighCpu"), QStringLiteral("mail"), 0);

        const NotificationDecision d = sim.policy.evaluate({memory, cpu, mailCpu}, 0);
        QCOMPARE(d.muted.size(), 1);
        QCOMPARE(d.muted.front().fingerprint, cpu.fingerprint);
        QCOMPARE(d.muted.front().inhibitedBy, QStringList{memory.fingerprint});
        sim.now = kSecond;

        QList<Notification> n = sim.runUntil(5 * kMinute, {memory, cpu, mailCpu});
        QStringList titles;
        for (const Notification &x : n)
            titles.append(x.title);
        titles.sort();
        // The host's warning is muted; the mail pool's warning differs in `pool`, so it is not.
        QCOMPARE(titles, (QStringList{QStringLiteral("[FIRING:1] HighCpu (pool=mail)"),
                                      QStringLiteral("[FIRING:1] HighMemory")}));

        // The critical alert resolves: it no longer inhibits, and the warning is told on its
        // group's next tick.
        const QList<ActiveAlert> later = {resolvedCopy(memory, 6 * kMinute), cpu, mailCpu};
        n = sim.runUntil(11 * kMinute, later);
        titles.clear();
        for (const Notification &x : n)
            titles.append(x.title);
        titles.sort();
        QCOMPARE(titles, (QStringList{QStringLiteral("[FIRING:1] HighCpu"),
                                      QStringLiteral("[RESOLVED] HighMemory")}));
    }

    void anAlertDoesNotInhibitItself()
    {
        NotificationPolicyConfig c = singleRoute();
        InhibitRule r;
        r.sourceMatchers = {
            LabelMatcher::equal(QStringLiteral("alertname"), QStringLiteral("HighCpu"))};
        r.targetMatchers = r.sourceMatchers;
        c.inhibitRules = {r};
        Sim sim(c);
        QCOMPARE(sim.runUntil(kMinute, {firing(QStringLiteral("HighCpu"), {}, 0)}).size(), 1);
    }

    void defaultPolicyRoutesAndInhibits()
    {
        const NotificationPolicyConfig c = defaultNotificationPolicy();
        QVERIFY(validateNotificationPolicy(c).isEmpty());
        Sim sim(c);
        const ActiveAlert down = firing(QStringLiteral("PoolNotReady"), QStringLiteral("mail"), 0,
                                        QStringLiteral("critical"));
        const ActiveAlert backlog = firing(QStringLiteral("QueueBacklog"), QStringLiteral("mail"),
                                           0, QStringLiteral("high"));
        const ActiveAlert cpu = firing(QStringLiteral("HighCpu"), {}, 0);
        const QList<Notification> n = sim.runUntil(kMinute, {down, backlog, cpu});
        QStringList got;
        for (const Notification &x : n)
            got.append(QStringLiteral("%1 %2 %3").arg(x.route, channelName(x.channel), x.title));
        got.sort();
        // The urgent route waits 10 s and adds the banner; the backlog is explained by the
        // pool being down, so it is inhibited.
        QCOMPARE(got,
                 (QStringList{QStringLiteral("default log [FIRING:1] HighCpu"),
                              QStringLiteral("default tray [FIRING:1] HighCpu"),
                              QStringLiteral("urgent banner [FIRING:1] PoolNotReady (pool=mail)"),
                              QStringLiteral("urgent log [FIRING:1] PoolNotReady (pool=mail)"),
                              QStringLiteral("urgent tray [FIRING:1] PoolNotReady (pool=mail)")}));
        for (const Notification &x : n)
            QCOMPARE(x.atMs, x.route == QLatin1String("urgent") ? 10 * kSecond : 30 * kSecond);
    }

    void continueMatchingSendsToSeveralRoutes()
    {
        NotificationPolicyConfig c = singleRoute();
        NotificationRoute hooks;
        hooks.name = QStringLiteral("hooks");
        hooks.matchers = {LabelMatcher::equal(QStringLiteral("pool"), QStringLiteral("mail"))};
        hooks.channels = {{NotificationChannel::Webhook, true}};
        hooks.continueMatching = true;
        c.routes = {hooks};
        Sim sim(c);
        QList<Notification> n =
            sim.runUntil(kMinute, {firing(QStringLiteral("HighCpu"), QStringLiteral("mail"), 0)});
        QCOMPARE(n.size(), 1); // the fallback is only for alerts that no route matched

        NotificationRoute tray = c.fallback;
        tray.name = QStringLiteral("tray");
        c.routes = {hooks, tray};
        Sim both(c);
        n = both.runUntil(kMinute, {firing(QStringLiteral("HighCpu"), QStringLiteral("mail"), 0)});
        QCOMPARE(n.size(), 2);
        QCOMPARE(n.at(0).channel == NotificationChannel::Webhook ||
                     n.at(1).channel == NotificationChannel::Webhook,
                 true);
    }

    void alreadyOldAlertsDoNotWaitAgain()
    {
        // After a restart the engine hands over alerts that fired long ago: group_wait has
        // passed for them, so the new group is flushed at once (as Alertmanager does).
        Sim sim(singleRoute());
        sim.now = kHour;
        const QList<Notification> n =
            sim.runUntil(kHour, {firing(QStringLiteral("HighCpu"), QStringLiteral("a"), 0)});
        QCOMPARE(n.size(), 1);
        QCOMPARE(n.front().atMs, kHour);
    }

    void nextDueTellsTheCallerWhenToComeBack()
    {
        NotificationPolicy p(singleRoute());
        const ActiveAlert a = firing(QStringLiteral("HighCpu"), QStringLiteral("a"), 0);
        QCOMPARE(p.evaluate({a}, 0).nextDueMs, 30 * kSecond);
        QCOMPARE(p.evaluate({a}, 30 * kSecond).nextDueMs, 5 * kMinute + 30 * kSecond);
        QCOMPARE(p.evaluate({}, 6 * kMinute).nextDueMs, qint64(-1)); // resolved and flushed
    }

    void bodyIsCappedForToasts()
    {
        Sim sim(singleRoute({}));
        QList<ActiveAlert> alerts;
        for (int i = 0; i < 14; ++i)
            alerts.append(firing(QStringLiteral("HighCpu"),
                                 QStringLiteral("p%1").arg(i, 2, 10, QLatin1Char('0')), 0));
        const QList<Notification> n = sim.runUntil(30 * kSecond, alerts);
        QCOMPARE(n.size(), 1);
        QCOMPARE(n.front().alerts.size(), 14);
        QCOMPARE(n.front().body.count(QLatin1Char('\n')), 10);
        QVERIFY(n.front().body.endsWith(QStringLiteral("... and 4 more")));
        QCOMPARE(n.front().title, QStringLiteral("[FIRING:14] default"));
    }

    void policyValidation()
    {
        NotificationPolicyConfig c = singleRoute();
        NotificationRoute bad;
        bad.name = QStringLiteral("default"); // duplicate of the fallback
        bad.groupWaitMs = -1;
        bad.groupIntervalMs = 0;
        bad.matchers = {LabelMatcher::regex(QStringLiteral("pool"), QStringLiteral("("))};
        c.routes = {bad};
        c.inhibitRules = {InhibitRule{}};
        const QString all = validateNotificationPolicy(c).join(QLatin1Char('\n'));
        for (const char *fragment :
             {"defined twice", "has no channel", "'group_wait' must not",
              "'group_interval' must be", "invalid regular expression", "source and target"})
            QVERIFY2(all.contains(QLatin1String(fragment)), qPrintable(all));
    }

    // The alert engine and the policy together, as the engine thread runs them each tick.
    void engineAndPolicyTogether()
    {
        AlertRule rule;
        rule.name = QStringLiteral("HighCpu");
        rule.selector.series = QStringLiteral("system_cpu_percent");
        rule.threshold = 90;
        rule.forMs = 2 * kMinute;
        rule.summary = QStringLiteral("CPU at {{value}} %");
        AlertEngine engine({rule});
        NotificationPolicy policy(singleRoute());
        QList<Notification> sent;
        const auto tick = [&](qint64 now, double cpu) {
            SeriesValues v;
            v[QStringLiteral("system_cpu_percent")] = {{{}, cpu}};
            const AlertEvaluation e = engine.evaluate(v, now);
            sent += policy.evaluate(e.forNotification(), now).notifications;
        };
        // Pending for 90 s, then it clears: dropped, nobody is told, ever.
        qint64 now = 0;
        for (; now < 90 * kSecond; now += kSecond)
            tick(now, 95);
        for (; now < kHour; now += 10 * kSecond)
            tick(now, 40);
        QVERIFY(sent.isEmpty());
        QCOMPARE(policy.groupCount(), 0);

        // Held for `for` (2 min) it fires; group_wait (30 s) later the tray is told.
        const qint64 start = now;
        for (; now <= start + 2 * kMinute + 30 * kSecond; now += kSecond)
            tick(now, 97);
        QCOMPARE(sent.size(), 1);
        QCOMPARE(sent.front().atMs, start + 2 * kMinute + 30 * kSecond);
        QVERIFY(sent.front().body.contains(QStringLiteral("CPU at 97 %")));

        // It clears; the resolution goes out on the next group_interval tick.
        for (; now <= start + 10 * kMinute; now += kSecond)
            tick(now, 40);
        QCOMPARE(sent.size(), 2);
        QVERIFY(sent.back().resolved);
        QCOMPARE(sent.back().atMs, start + 7 * kMinute + 30 * kSecond);
    }

    void durations_data()
    {
        QTest::addColumn<qint64>("ms");
        QTest::addColumn<QString>("text");
        QTest::newRow("seconds") << 45 * kSecond << QStringLiteral("45s");
        QTest::newRow("minutes") << 5 * kMinute << QStringLiteral("5m");
        QTest::newRow("minutes and seconds") << 90 * kSecond << QStringLiteral("1m 30s");
        QTest::newRow("hours") << 2 * kHour + 5 * kMinute << QStringLiteral("2h 5m");
        QTest::newRow("days") << 76 * kHour << QStringLiteral("3d 4h");
    }

    void durations()
    {
        QFETCH(qint64, ms);
        QFETCH(QString, text);
        QCOMPARE(formatAlertDuration(ms), text);
    }
};

QTEST_GUILESS_MAIN(TestNotificationPolicy)
#include "tst_notification_policy.moc"
