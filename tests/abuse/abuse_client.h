// A deliberately rude HTTP client for the listener abuse tests: plain blocking POSIX sockets
// run on a worker thread, so the test can send exactly the bytes it wants (malformed requests,
// a byte per second, thousands of connections) while the test's own thread keeps the event
// loop of the servers under test running.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QTimer>
#include <arpa/inet.h>
#include <atomic>
#include <cerrno>
#include <functional>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace drover::abuse {

// Runs `work` on a worker thread while this thread's event loop runs; true if it finished
// within `timeoutMs`. The worker's only channel back is a queued quit of the loop.
inline bool runOffThread(const std::function<void()> &work, int timeoutMs)
{
    QEventLoop loop;
    std::atomic<bool> done{false};
    std::thread worker([&] {
        work();
        done = true;
        QMetaObject::invokeMethod(&loop, "quit", Qt::QueuedConnection);
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    if (!done)
        loop.exec();
    // A worker that overran is still blocked on a socket with its own timeouts (see
    // connectLoopback): join it either way, the test fails on the return value.
    worker.join();
    return done;
}

// A blocking loopback connection whose reads and writes give up after `ioTimeoutMs`, so a
// server that never answers fails the test instead of hanging it. -1 on failure.
inline int connectLoopback(quint16 port, int ioTimeoutMs = 30000)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    timeval tv{ioTimeoutMs / 1000, (ioTimeoutMs % 1000) * 1000};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// False once the peer closed or reset the connection (no SIGPIPE).
inline bool sendAll(int fd, QByteArrayView bytes)
{
    qsizetype sent = 0;
    while (sent < bytes.size()) {
        const ssize_t n =
            ::send(fd, bytes.data() + sent, size_t(bytes.size() - sent), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        sent += n;
    }
    return true;
}

struct Received
{
    QByteArray bytes;
    bool closedByPeer = false; // EOF or reset, as opposed to our read timeout
};

// Reads until the peer closes, `maxBytes` arrived, or the socket's read timeout.
inline Received readUntilClosed(int fd, qsizetype maxBytes = 1 << 20)
{
    Received r;
    char buf[16384];
    while (r.bytes.size() < maxBytes) {
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0 || (n < 0 && (errno == ECONNRESET || errno == EPIPE))) {
            r.closedByPeer = true;
            break;
        }
        if (n < 0)
            break; // timeout
        r.bytes.append(buf, n);
    }
    return r;
}

// Reads one response whose end is known from Content-Length (keep-alive connections).
inline QByteArray readOneResponse(int fd)
{
    QByteArray bytes;
    char buf[16384];
    for (;;) {
        const qsizetype headerEnd = bytes.indexOf("\r\n\r\n");
        if (headerEnd >= 0) {
            qsizetype length = 0;
            const QByteArray head = bytes.first(headerEnd).toLower();
            const qsizetype cl = head.indexOf("\r\ncontent-length:");
            if (cl >= 0) {
                const qsizetype eol = head.indexOf("\r\n", cl + 2);
                length = head.mid(cl + 17, eol < 0 ? -1 : eol - cl - 17).trimmed().toLongLong();
            }
            if (bytes.size() >= headerEnd + 4 + length)
                return bytes.first(headerEnd + 4 + length);
        }
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return bytes;
        bytes.append(buf, n);
    }
}

// The status code of the first response in `bytes`, 0 when there is none.
inline int statusOf(const QByteArray &bytes)
{
    if (!bytes.startsWith("HTTP/1.") || bytes.size() < 12)
        return 0;
    return bytes.mid(9, 3).toInt();
}

// Resident memory of this process in KiB (VmRSS), the memory an operator sees.
inline qint64 residentKiB()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

} // namespace drover::abuse
