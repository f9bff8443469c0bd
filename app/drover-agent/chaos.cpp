#include "chaos.h"

#include "event_log.h"

#include <QCoreApplication>
#include <QProcess>

#include <cstdio>
#include <cstdlib>
#include <limits>

#ifndef Q_OS_WIN
#include <fcntl.h>
#include <spawn.h>
#include <sys/types.h>
extern char **environ;
#endif

namespace drover::agent {

namespace {
constexpr int kCrashExitCode = 3;
constexpr int kSpamTickMs = 50;
constexpr qsizetype kSpamLineBytes = 200;
} // namespace

Chaos::Chaos(QObject *parent) : QObject(parent)
{
    m_crashTimer.setSingleShot(true);
    connect(&m_crashTimer, &QTimer::timeout, this, [] {
        QJsonObject o;
        o.insert(QStringLiteral("event"), QStringLiteral("crash"));
        o.insert(QStringLiteral("exit_code"), kCrashExitCode);
        printEvent(o);
        std::fflush(nullptr);
        // _Exit: no destructors, no atexit handlers, no graceful anything.
        std::_Exit(kCrashExitCode);
    });
    connect(&m_spamTimer, &QTimer::timeout, this, &Chaos::writeSpam);
}

void Chaos::crashAfter(qint64 ms)
{
    m_crashTimer.start(int(qMin<qint64>(ms, std::numeric_limits<int>::max())));
}

void Chaos::spamStdout(qint64 bytesPerSecond)
{
    if (bytesPerSecond <= 0)
        return;
    m_spamRate = bytesPerSecond;
    m_spamWritten = 0;
    m_spamClock.start();
    m_spamTimer.start(kSpamTickMs);
}

void Chaos::writeSpam()
{
    // Pay what is owed since the start, so timer jitter does not change the rate.
    const qint64 owed = m_spamRate * m_spamClock.elapsed() / 1000 - m_spamWritten;
    if (owed <= 0)
        return;
    QByteArray chunk;
    chunk.reserve(owed + kSpamLineBytes);
    while (chunk.size() < owed) {
        QByteArray line = "spam " + QByteArray::number(++m_spamSeq) + ' ';
        const qsizetype want = qMin<qsizetype>(kSpamLineBytes, owed - chunk.size());
        if (line.size() + 1 < want)
            line += QByteArray(want - line.size() - 1, 'x');
        chunk += line + '\n';
    }
    // A reader that stops reading blocks us here, like any agent that logs to a full pipe.
    std::fwrite(chunk.constData(), 1, size_t(chunk.size()), stdout);
    std::fflush(stdout);
    m_spamWritten += chunk.size();
}

qint64 Chaos::forkChild()
{
#ifdef Q_OS_WIN
    qint64 pid = -1;
    if (!QProcess::startDetached(QStringLiteral("ping"),
                                 {QStringLiteral("-n"), QStringLiteral("1001"),
                                  QStringLiteral("127.0.0.1")},
                                 QString(), &pid))
        return -1;
    return pid;
#else
    // posix_spawn without POSIX_SPAWN_SETPGROUP/SETSID keeps the child in our process group;
    // QProcess::startDetached would call setsid() and escape it, which is not the point.
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    for (int fd = 0; fd <= 2; ++fd)
        posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0);
    char arg0[] = "sleep";
    char arg1[] = "1000";
    char *argv[] = {arg0, arg1, nullptr};
    pid_t pid = -1;
    const int rc = posix_spawnp(&pid, "sleep", &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    return rc == 0 ? qint64(pid) : -1;
#endif
}

} // namespace drover::agent
