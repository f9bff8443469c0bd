#include "chaos.h"

#include "event_log.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include <thread>

#ifndef Q_OS_WIN
#include <cerrno>
#include <fcntl.h>
#include <unistd.h>
#include <spawn.h>
#include <sys/types.h>
extern char **environ;
#endif

namespace drover::agent {

namespace {
constexpr int kCrashExitCode = 3;
constexpr int kSpamTickMs = 20;
constexpr qsizetype kSpamLineBytes = 1000;
// Whole lines, at most PIPE_BUF (4096 on Linux) per write(): such writes to a pipe are atomic,
// so spam never cuts through an event line written by the main thread.
constexpr qint64 kSpamMaxChunkBytes = 4096;

} // namespace

Chaos::Chaos(QObject *parent) : QObject(parent)
{
    m_crashTimer.setSingleShot(true);
    connect(&m_crashTimer, &QTimer::timeout, this, [] {
        QJsonObject o;
        o.insert(QStringLiteral("event"), QStringLiteral("crash"));
        o.insert(QStringLiteral("exit_code"), kCrashExitCode);
        printEvent(o);
        flushEvents(500);
        // _Exit: no destructors, no atexit handlers, no graceful anything.
        std::_Exit(kCrashExitCode);
    });
}

void Chaos::crashAfter(qint64 ms)
{
    m_crashTimer.start(int(qMin<qint64>(ms, std::numeric_limits<int>::max())));
}

Chaos::~Chaos()
{
    if (m_stopSpam)
        *m_stopSpam = true;
}

void Chaos::spamStdout(qint64 bytesPerSecond)
{
    if (bytesPerSecond <= 0 || m_stopSpam)
        return;
    m_stopSpam = std::make_shared<std::atomic<bool>>(false);
    std::thread([stop = m_stopSpam, bytesPerSecond] {
        QElapsedTimer clock;
        clock.start();
        qint64 written = 0;
        quint64 seq = 0;
        while (!*stop) {
            // Pay what is owed since the start, so pacing jitter does not change the rate.
            const qint64 owed = bytesPerSecond * clock.elapsed() / 1000 - written;
            if (owed <= 0) {
                std::this_thread::sleep_for(std::chrono::milliseconds(kSpamTickMs));
                continue;
            }
            QByteArray chunk;
            const qint64 target = qMin<qint64>(owed, kSpamMaxChunkBytes);
            chunk.reserve(target + kSpamLineBytes);
            while (chunk.size() < target) {
                QByteArray line = "spam " + QByteArray::number(++seq) + ' ';
                const qsizetype want = qMin<qsizetype>(kSpamLineBytes, target - chunk.size());
                if (line.size() + 1 < want)
                    line += QByteArray(want - line.size() - 1, 'x');
                chunk += line + '\n';
            }
            // A reader that stops reading blocks this thread here, like any agent logging to a
            // full pipe.
            writeStdout(chunk);
            written += chunk.size();
        }
    }).detach();
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
