// One Drover per profile, with real processes of the real drover executable (offscreen): a
// second launch hands its command line to the running one and exits 0 with a message; --quit
// stops the running one; a SIGKILLed Drover's lock does not block the next start; another
// profile (HOME) runs its own Drover.
#include "console_run.h"

#include <QtTest>

#include <csignal>
#include <memory>

namespace {

// Nothing to supervise: the test is about the process, not the fleet.
const char *const kQuietConfig = "version: 1\n"
                                 "gateway: { enabled: false }\n"
                                 "observe: { enabled: false }\n";

struct Profile
{
    QTemporaryDir home;
    QString runtimeDir() const { return home.path() + QStringLiteral("/run"); }
    QString config() const { return home.path() + QStringLiteral("/drover.yaml"); }

    bool prepare()
    {
        if (!home.isValid() || !QDir().mkpath(runtimeDir()))
            return false;
        QFile::setPermissions(runtimeDir(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        QFile f(config());
        return f.open(QIODevice::WriteOnly) && f.write(kQuietConfig) > 0;
    }

    std::unique_ptr<QProcess> process(const QStringList &args) const
    {
        auto p = std::make_unique<QProcess>();
        p->setProcessEnvironment(drover::test::consoleEnvironment(home.path(), runtimeDir()));
        p->setProgram(QStringLiteral(DROVER_EXE));
        p->setArguments(QStringList{QStringLiteral("--config"), config()} + args);
        return p;
    }

    // The running Drover's mailbox exists once it listens.
    bool listening() const
    {
        return !QDir(runtimeDir()).entryList({QStringLiteral("drover-*.socket")}, QDir::System).isEmpty();
    }
};

struct Finished
{
    bool finished = false;
    int exitCode = -1;
    QString out;
    QString err;
};

Finished runToEnd(QProcess &p, int timeoutMs = 60000)
{
    if (p.state() == QProcess::NotRunning)
        p.start();
    Finished f;
    f.finished = p.waitForFinished(timeoutMs) && p.exitStatus() == QProcess::NormalExit;
    if (!f.finished) {
        p.kill();
        p.waitForFinished();
    }
    f.exitCode = p.exitCode();
    f.out = QString::fromUtf8(p.readAllStandardOutput());
    f.err = QString::fromUtf8(p.readAllStandardError());
    return f;
}

void stop(QProcess &p)
{
    if (p.state() != QProcess::NotRunning) {
        p.kill();
        p.waitForFinished();
    }
}

} // namespace

class TestSingleInstance : public QObject
{
    Q_OBJECT
private slots:
    void aSecondLaunchHandsOverAndExits()
    {
        Profile profile;
        QVERIFY(profile.prepare());
        auto first = profile.process({QStringLiteral("--quit-after"), QStringLiteral("300000")});
        first->start();
        QVERIFY(first->waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(profile.listening(), 60000);

        auto second = profile.process({});
        const Finished r = runToEnd(*second);
        QVERIFY2(r.finished, qPrintable(r.err));
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QLatin1String("Drover is already running: window raised")),
                 qPrintable(r.out + r.err));
        // The first one is untouched.
        QCOMPARE(first->state(), QProcess::Running);

        // --quit: the running Drover ends normally and the asking process waits for that.
        auto quit = profile.process({QStringLiteral("--quit")});
        const Finished q = runToEnd(*quit, 150000);
        QVERIFY2(q.finished && q.exitCode == 0, qPrintable(q.out + q.err));
        QVERIFY2(q.out.contains(QLatin1String("Drover has quit.")), qPrintable(q.out));
        QVERIFY(first->waitForFinished(30000));
        QCOMPARE(first->exitStatus(), QProcess::NormalExit);
        QCOMPARE(first->exitCode(), 0);
    }

    void quitWithNothingRunningSaysSo()
    {
        Profile profile;
        QVERIFY(profile.prepare());
        auto quit = profile.process({QStringLiteral("--quit")});
        const Finished q = runToEnd(*quit);
        QVERIFY2(q.finished && q.exitCode == 0, qPrintable(q.err));
        QVERIFY2(q.out.contains(QLatin1String("Drover is not running.")), qPrintable(q.out));
    }

    void aKilledDroverDoesNotBlockTheNextStart()
    {
        Profile profile;
        QVERIFY(profile.prepare());
        auto first = profile.process({QStringLiteral("--quit-after"), QStringLiteral("300000")});
        first->start();
        QVERIFY(first->waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(profile.listening(), 60000);
        ::kill(pid_t(first->processId()), SIGKILL);
        QVERIFY(first->waitForFinished(30000));

        // Its lock file and socket are still there; the next launch takes over, runs its own
        // window and quits on its own timer rather than handing over to a dead process.
        auto next = profile.process({QStringLiteral("--quit-after"), QStringLiteral("1500")});
        const Finished r = runToEnd(*next);
        QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(!r.out.contains(QLatin1String("already running")), qPrintable(r.out));
    }

    void anotherProfileRunsItsOwnDrover()
    {
        Profile a;
        Profile b;
        QVERIFY(a.prepare());
        QVERIFY(b.prepare());
        // Same runtime folder, different data folders: two Drovers.
        auto first = a.process({QStringLiteral("--quit-after"), QStringLiteral("300000")});
        first->start();
        QVERIFY(first->waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(a.listening(), 60000);
        auto other = b.process({QStringLiteral("--quit-after"), QStringLiteral("1500")});
        QProcessEnvironment env = other->processEnvironment();
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), a.runtimeDir());
        other->setProcessEnvironment(env);
        const Finished r = runToEnd(*other);
        QVERIFY2(r.finished && r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(!r.out.contains(QLatin1String("already running")), qPrintable(r.out));
        stop(*first);
    }
};

QTEST_GUILESS_MAIN(TestSingleInstance)
#include "tst_single_instance.moc"
