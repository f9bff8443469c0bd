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

inline ConsoleRun runConsole(const QString &exe, const QString &home, const QStringList &args,
                             int timeoutMs = 60000)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    for (const char *locale : {"LANG", "LC_ALL", "LANGUAGE"})
        env.insert(QLatin1String(locale), QStringLiteral("C"));
    env.insert(QStringLiteral("HOME"), home);
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/.config"));
    env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/.local/share"));
    p.setProcessEnvironment(env);
    p.start(exe, args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

} // namespace drover::test
