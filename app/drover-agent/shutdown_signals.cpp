#include "shutdown_signals.h"

#include <QSocketNotifier>

#ifdef Q_OS_WIN
#include <windows.h>
#else
#include <cerrno>
#include <csignal>
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace drover::agent {

namespace {

#ifdef Q_OS_WIN
ShutdownSignals *g_instance = nullptr;

BOOL WINAPI consoleHandler(DWORD type)
{
    const char *name = nullptr;
    switch (type) {
    case CTRL_C_EVENT: name = "CTRL_C"; break;
    case CTRL_BREAK_EVENT: name = "CTRL_BREAK"; break;
    case CTRL_CLOSE_EVENT: name = "CTRL_CLOSE"; break;
    default: return FALSE;
    }
    if (ShutdownSignals *self = g_instance) {
        const QString signalName = QString::fromLatin1(name);
        QMetaObject::invokeMethod(self, [self, signalName] { emit self->received(signalName); },
                                  Qt::QueuedConnection);
    }
    return TRUE;
}
#else
int g_pipe[2] = {-1, -1};

extern "C" void onSignal(int signo)
{
    const int savedErrno = errno;
    const char byte = char(signo);
    // If the pipe is full a signal is already pending: dropping this one loses nothing.
    [[maybe_unused]] const ssize_t n = ::write(g_pipe[1], &byte, 1);
    errno = savedErrno;
}
#endif

} // namespace

ShutdownSignals::ShutdownSignals(QObject *parent) : QObject(parent)
{
#ifdef Q_OS_WIN
    g_instance = this;
    m_valid = SetConsoleCtrlHandler(consoleHandler, TRUE) != 0;
#else
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, g_pipe) != 0)
        return;
    m_notifier = new QSocketNotifier(g_pipe[0], QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &ShutdownSignals::onReadable);
    struct sigaction sa = {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    m_valid = ::sigaction(SIGTERM, &sa, nullptr) == 0 && ::sigaction(SIGINT, &sa, nullptr) == 0;
#endif
}

ShutdownSignals::~ShutdownSignals()
{
#ifdef Q_OS_WIN
    SetConsoleCtrlHandler(consoleHandler, FALSE);
    g_instance = nullptr;
#else
    // Back to the default actions before the pipe closes, so a late signal still ends us.
    ::signal(SIGTERM, SIG_DFL);
    ::signal(SIGINT, SIG_DFL);
    if (g_pipe[0] >= 0) {
        ::close(g_pipe[0]);
        ::close(g_pipe[1]);
        g_pipe[0] = g_pipe[1] = -1;
    }
#endif
}

void ShutdownSignals::onReadable()
{
#ifndef Q_OS_WIN
    char bytes[16];
    const ssize_t n = ::read(g_pipe[0], bytes, sizeof bytes);
    for (ssize_t i = 0; i < n; ++i) {
        const int signo = bytes[i];
        emit received(signo == SIGTERM ? QStringLiteral("SIGTERM")
                      : signo == SIGINT ? QStringLiteral("SIGINT")
                                        : QStringLiteral("signal %1").arg(signo));
    }
#endif
}

} // namespace drover::agent
