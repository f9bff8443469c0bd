// The disk under the store fills up while a real Drover runs a pool of real agents: the store
// is a small tmpfs mounted for the test (root: the test mounts it itself and fails, not
// skips, when it cannot). Drover reports the store error in its log, keeps running and
// supervising, and writes again once space returns; the database stays intact.
#include "crash_fixture.h"

using namespace crash;

namespace {

bool run(const QString &program, const QStringList &args, QString *output)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    const bool ok = p.waitForFinished(30000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    if (output)
        *output = QString::fromLocal8Bit(p.readAll());
    return ok;
}

} // namespace

class TestCrashDiskFull : public QObject
{
    Q_OBJECT
private slots:
    void aFullDiskIsReportedSurvivedAndRecovered()
    {
        Profile profile;
        QVERIFY(profile.prepare(2));
        QString mountOutput;
        QVERIFY2(run(QStringLiteral("mount"),
                     {QStringLiteral("-t"), QStringLiteral("tmpfs"), QStringLiteral("-o"),
                      QStringLiteral("size=8m,mode=0700"), QStringLiteral("tmpfs"), profile.storeDir()},
                     &mountOutput),
                 qPrintable(QStringLiteral("this test mounts an 8 MB tmpfs for the store and needs root "
                                           "(or CAP_SYS_ADMIN) for it: ") + mountOutput));
        // Unmounted before the profile's folder is removed (declared after it).
        const auto unmount = qScopeGuard([&profile] {
            run(QStringLiteral("umount"), {QStringLiteral("-l"), profile.storeDir()}, nullptr);
        });

        auto drover = profile.drover({QStringLiteral("--quit-after"), QStringLiteral("600000")});
        QByteArray output;
        connect(drover.get(), &QProcess::readyRead, this, [&] { output += drover->readAll(); });
        drover->start();
        QVERIFY(drover->waitForStarted());
        QTRY_COMPARE_WITH_TIMEOUT(agentsWithMarker(profile.marker).size(), 2, 120000);
        StoreReader reader(profile.storePath());
        QTRY_VERIFY_WITH_TIMEOUT(reader.newestSample() > 0, 60000);

        // Fill every remaining byte.
        QFile filler(profile.storeDir() + QStringLiteral("/filler"));
        QVERIFY(filler.open(QIODevice::WriteOnly));
        const QByteArray chunk(64 * 1024, 'x');
        qint64 filled = 0;
        for (;;) {
            const qint64 n = filler.write(chunk);
            if (n <= 0 || !filler.flush())
                break;
            filled += n;
        }
        filler.close();
        qInfo("filled %lld KiB; the store's disk is full", filled / 1024);

        QTRY_VERIFY2_WITH_TIMEOUT(output.contains("cannot write"), output.right(2000).constData(), 60000);
        QVERIFY(output.contains(profile.storePath().toUtf8()));
        // Still running and still supervising while the disk stays full for a few more ticks.
        const qint64 newestWhileFull = reader.newestSample();
        const int failuresSeen = output.count("cannot write");
        QTest::qWait(3000); // ticks against a full disk; a crash would end the process
        QCOMPARE(drover->state(), QProcess::Running);
        QCOMPARE(agentsWithMarker(profile.marker).size(), 2);
        QCOMPARE(output.count("cannot write"), failuresSeen); // reported once, not per tick

        // Space returns: writing resumes.
        QVERIFY(QFile::remove(filler.fileName()));
        const qint64 freedAtMs = QDateTime::currentMSecsSinceEpoch();
        QTRY_VERIFY2_WITH_TIMEOUT(output.contains("writable again"), output.right(2000).constData(), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(reader.newestSample() > qMax(freedAtMs, newestWhileFull), 60000);
        QCOMPARE(reader.scalar(QStringLiteral("PRAGMA integrity_check")).toString(), QStringLiteral("ok"));

        auto quit = profile.drover({QStringLiteral("--quit")});
        quit->start();
        QVERIFY(quit->waitForFinished(150000));
        QCOMPARE(quit->exitCode(), 0);
        QVERIFY(drover->waitForFinished(30000));
        QCOMPARE(drover->exitStatus(), QProcess::NormalExit);
        QTRY_VERIFY_WITH_TIMEOUT(agentsWithMarker(profile.marker).isEmpty(), 30000);
    }
};

QTEST_GUILESS_MAIN(TestCrashDiskFull)
#include "tst_crash_disk_full.moc"
