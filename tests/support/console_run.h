// Runs the real drover executable once, as an operator would from a shell, in a private home
// (never the real user's folders) with the C locale so messages compare as written.
#pragma once

#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace drover::test {

struct ConsoleRun
{
    int exitCode = -1; // -1: crashed or had to be killed
    QString out;
    QString err;
};

// The console's environment in a private home: offscreen, C locale, the XDG folders under
// `home`, and XDG_RUNTIME_DIR when the test gives one (the single-instance lock lives there).
inline QProcessEnvironment consoleEnvironment(const QString &home, const QString &runtimeDir = QString())
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    for (const char *locale : {"LANG", "LC_ALL", "LANGUAGE"})
        env.insert(QLatin1String(locale), QStringLiteral("C"));
    env.insert(QStringLiteral("HOME"), home);
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/.config"));
    env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/.local/share"));
    if (!runtimeDir.isEmpty())
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtimeDir);
    return env;
}

inline ConsoleRun runConsole(const QString &exe, const QString &home, const QStringList &args,
                             int timeoutMs = 60000)
{
    QProcess p;
    p.setProcessEnvironment(consoleEnvironment(home));
    p.start(exe, args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

} // namespace drover::test
