// The real drover executable from the command line: --version, --help, --check-config with
// good and bad files (exit codes and file:line:column), and a timed run of the window.
#include "console_run.h"

#include <QTemporaryDir>
#include <QtTest>

class TestConsoleCli : public QObject
{
    Q_OBJECT
    using Run = drover::test::ConsoleRun;

    static Run run(const QStringList &args, QString home = QString())
    {
        // Never the real user's folders: a private home unless the test gives one.
        QTemporaryDir privateHome;
        if (home.isEmpty())
            home = privateHome.path();
        return drover::test::runConsole(QStringLiteral(DROVER_EXE), home, args);
    }

private slots:
    void versionAndHelp()
    {
        const Run version = run({QStringLiteral("--version")});
        QCOMPARE(version.exitCode, 0);
        QVERIFY2(version.out.contains(QLatin1String(DROVER_VERSION)), qPrintable(version.out));
        const Run help = run({QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        for (const char *option : {"--config", "--quit-after", "--check-config", "--lang"})
            QVERIFY2(help.out.contains(QLatin1String(option)), option);
    }

    void germanHelp()
    {
        const Run help = run({QStringLiteral("--lang"), QStringLiteral("de"), QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        QVERIFY2(help.out.contains(QLatin1String("Konfiguration")), qPrintable(help.out));
    }

    void checkConfigAcceptsAValidFile()
    {
        const Run r = run({QStringLiteral("--check-config"), QStringLiteral("--config"),
                           QStringLiteral(DROVER_TEST_DATA_DIR "/config/valid.yaml")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QLatin1String("OK, 2 pool(s)")), qPrintable(r.out));
    }

    void checkConfigNamesFileLineColumnAndFails()
    {
        const QString file = QStringLiteral(DROVER_TEST_DATA_DIR "/config/bad_pool.yaml");
        const Run r = run({QStringLiteral("--check-config"), QStringLiteral("--config"), file});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(file + QStringLiteral(":7:15: error: 'min' (5) is greater")),
                 qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("refused pools: broken, wrongtier, good2")),
                 qPrintable(r.err));
    }

    void missingConfigFileIsAClearError()
    {
        const Run r = run({QStringLiteral("--check-config"), QStringLiteral("--config"),
                           QStringLiteral("/nonexistent/drover.yaml")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QLatin1String("/nonexistent/drover.yaml: error: the configuration "
                                              "file does not exist")),
                 qPrintable(r.err));
    }

    void badQuitAfterIsRefused()
    {
        const Run r = run({QStringLiteral("--quit-after"), QStringLiteral("soon")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains(QLatin1String("--quit-after")));
    }

    void firstRunCopiesTheDefaultAndRunsTheWindow()
    {
        QTemporaryDir home;
        const Run r = run({QStringLiteral("--quit-after"), QStringLiteral("1500")}, home.path());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(QFile::exists(home.path() + QStringLiteral("/.config/Drover/drover.yaml")));
    }

    void malformedConfigStillOpensTheWindow()
    {
        // The console shows the problem instead of refusing to start.
        const Run r = run({QStringLiteral("--quit-after"), QStringLiteral("1000"),
                           QStringLiteral("--config"),
                           QStringLiteral(DROVER_TEST_DATA_DIR "/config/syntax_error.yaml")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.contains(QLatin1String("syntax_error.yaml:")), qPrintable(r.err));
        QVERIFY(r.err.contains(QLatin1String("not valid YAML")));
    }
};

QTEST_GUILESS_MAIN(TestConsoleCli)
#include "tst_console_cli.moc"
