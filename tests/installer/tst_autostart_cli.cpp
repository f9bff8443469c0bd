// `drover --autostart on|off` on the real executable: the XDG autostart entry appears in the
// profile's config folder naming this drover, goes away again, and a bad value is refused.
#include "console_run.h"

#include <QtTest>

class TestAutostartCli : public QObject
{
    Q_OBJECT
    using Run = drover::test::ConsoleRun;
    static Run run(const QString &home, const QStringList &args)
    {
        return drover::test::runConsole(QStringLiteral(DROVER_EXE), home, args);
    }

private slots:
    void onWritesTheEntryAndOffRemovesIt()
    {
        QTemporaryDir home;
        QVERIFY(home.isValid());
        const QString entry = home.path() + QStringLiteral("/.config/autostart/drover.desktop");

        const Run on = run(home.path(), {QStringLiteral("--autostart"), QStringLiteral("on")});
        QVERIFY2(on.exitCode == 0, qPrintable(on.err));
        QVERIFY2(on.out.contains(entry), qPrintable(on.out));
        QFile file(entry);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY2(text.contains("Exec=\"" + QFileInfo(QStringLiteral(DROVER_EXE)).canonicalFilePath().toUtf8() + '"'),
                 text.constData());
        file.close();

        const Run off = run(home.path(), {QStringLiteral("--autostart"), QStringLiteral("off")});
        QVERIFY2(off.exitCode == 0, qPrintable(off.err));
        QVERIFY(!QFile::exists(entry));
    }

    void aBadValueIsRefused()
    {
        QTemporaryDir home;
        const Run r = run(home.path(), {QStringLiteral("--autostart"), QStringLiteral("maybe")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QLatin1String("--autostart needs on or off, got 'maybe'")), qPrintable(r.err));
        QVERIFY(!QFile::exists(home.path() + QStringLiteral("/.config/autostart/drover.desktop")));
    }
};

QTEST_GUILESS_MAIN(TestAutostartCli)
#include "tst_autostart_cli.moc"
