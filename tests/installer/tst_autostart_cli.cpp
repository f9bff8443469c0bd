// `drover --autostart on|off` on the real executable: the XDG autostart entry appears in the
// profile's config folder naming this drover, goes away again, and a bad value is refused.
#include <QtTest>

class TestAutostartCli : public QObject
{
    Q_OBJECT
private:
    struct Run
    {
        int exitCode = -1;
        QString out;
        QString err;
    };
    Run run(const QString &home, const QStringList &args)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("LANG"), QStringLiteral("C"));
        env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C"));
        env.insert(QStringLiteral("LANGUAGE"), QStringLiteral("C"));
        env.insert(QStringLiteral("HOME"), home);
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/.config"));
        env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/.local/share"));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(DROVER_EXE), args);
        if (!p.waitForFinished(60000)) {
            p.kill();
            p.waitForFinished();
        }
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
                QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
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
