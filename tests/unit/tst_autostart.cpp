// Start at login: the real XDG autostart entry written into a temporary $XDG_CONFIG_HOME, read
// back, switched off by the desktop's own convention, removed; and failures that name the path.
// (The Windows Run-key variant is compile-checked by windows_qt_adapters_compile.)
#include "core/platform/autostart.h"

#include <QtTest>

using namespace drover;

namespace {

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// The inverse of the entry's escaping (desktop-entry string escapes, then Exec quoting).
QString unquoteExec(QString value)
{
    value.replace(QStringLiteral("%%"), QStringLiteral("%"));
    value.replace(QStringLiteral("\\\\"), QStringLiteral("\\"));
    if (value.size() < 2 || !value.startsWith(u'"') || !value.endsWith(u'"'))
        return {};
    value = value.mid(1, value.size() - 2);
    QString out;
    for (int i = 0; i < value.size(); ++i) {
        if (value.at(i) == u'\\' && i + 1 < value.size())
            ++i;
        out += value.at(i);
    }
    return out;
}

} // namespace

class TestAutostart : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private slots:
    void init()
    {
        QVERIFY(m_dir.isValid());
        qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_dir.path() + QStringLiteral("/config")));
    }
    void cleanup()
    {
        QString error;
        QVERIFY2(autostart::setEnabled(false, &error), qPrintable(error));
    }

    void offInAFreshProfile()
    {
        QCOMPARE(autostart::location(), m_dir.path() + QStringLiteral("/config/autostart/drover.desktop"));
        QVERIFY(!autostart::isEnabled());
    }

    void enableWritesAnEntryThatStartsThisExecutable()
    {
        QString error;
        QVERIFY2(autostart::setEnabled(true, &error), qPrintable(error));
        QVERIFY(autostart::isEnabled());
        const QByteArray entry = readAll(autostart::location());
        QVERIFY(entry.startsWith("[Desktop Entry]\n"));
        QVERIFY(entry.contains("\nType=Application\n"));
        QVERIFY(entry.contains("\nName=Drover\n"));
        QString exec;
        for (const QByteArray &line : entry.split('\n')) {
            if (line.startsWith("Exec="))
                exec = QString::fromUtf8(line.mid(5));
        }
        QCOMPARE(unquoteExec(exec), QCoreApplication::applicationFilePath());
        // Enabling twice keeps one entry.
        QVERIFY2(autostart::setEnabled(true, &error), qPrintable(error));
        QCOMPARE(QDir(m_dir.path() + QStringLiteral("/config/autostart")).entryList(QDir::Files).size(), 1);
    }

    void disableRemovesTheEntryAndIsIdempotent()
    {
        QString error;
        QVERIFY2(autostart::setEnabled(true, &error), qPrintable(error));
        QVERIFY2(autostart::setEnabled(false, &error), qPrintable(error));
        QVERIFY(!QFileInfo::exists(autostart::location()));
        QVERIFY(!autostart::isEnabled());
        QVERIFY2(autostart::setEnabled(false, &error), qPrintable(error));
    }

    void anEntrySwitchedOffByTheDesktopCountsAsOff_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::newRow("spec Hidden") << QByteArray("Hidden=true");
        QTest::newRow("GNOME") << QByteArray("X-GNOME-Autostart-enabled=false");
    }
    void anEntrySwitchedOffByTheDesktopCountsAsOff()
    {
        QFETCH(QByteArray, line);
        QString error;
        QVERIFY2(autostart::setEnabled(true, &error), qPrintable(error));
        QByteArray entry = readAll(autostart::location());
        entry.replace("X-GNOME-Autostart-enabled=true\n", "");
        entry += line + '\n';
        QFile file(autostart::location());
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(entry);
        file.close();
        QVERIFY(!autostart::isEnabled());
        // Enabling again rewrites it as ours.
        QVERIFY2(autostart::setEnabled(true, &error), qPrintable(error));
        QVERIFY(autostart::isEnabled());
    }

    void aRelativeConfigHomeIsIgnoredAsTheSpecSays()
    {
        qputenv("XDG_CONFIG_HOME", "relative/config");
        const QByteArray home = qgetenv("HOME");
        qputenv("HOME", QFile::encodeName(m_dir.path()));
        const QString where = autostart::location();
        qputenv("HOME", home);
        QCOMPARE(where, m_dir.path() + QStringLiteral("/.config/autostart/drover.desktop"));
    }

    void failureNamesThePath()
    {
        // The autostart folder cannot be created: a regular file is in its place.
        QVERIFY(QDir(m_dir.path() + QStringLiteral("/config/autostart")).removeRecursively());
        QVERIFY(QDir().mkpath(m_dir.path() + QStringLiteral("/config")));
        QFile blocker(m_dir.path() + QStringLiteral("/config/autostart"));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        QString error;
        QVERIFY(!autostart::setEnabled(true, &error));
        QVERIFY2(error.contains(m_dir.path() + QStringLiteral("/config/autostart")), qPrintable(error));
        QVERIFY(!autostart::isEnabled());
        QVERIFY(blocker.remove());
    }
};

QTEST_GUILESS_MAIN(TestAutostart)
#include "tst_autostart.moc"
