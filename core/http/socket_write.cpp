#include "socket_write.h"

#include <QTcpSocket>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <sys/socket.h>
#include <sys/types.h>
#endif

namespace drover {

void writeToSocketNow(QTcpSocket *socket, QByteArrayView bytes)
{
    if (bytes.isEmpty())
        return;
#ifdef Q_OS_UNIX
    if (socket->bytesToWrite() == 0 && socket->state() == QAbstractSocket::ConnectedState) {
        const qintptr fd = socket->socketDescriptor();
        if (fd >= 0) {
            qsizetype sent = 0;
            while (sent < bytes.size()) {
                // MSG_NOSIGNAL: a peer that left is an error for Qt to report, not a SIGPIPE.
                const ssize_t n = ::send(int(fd), bytes.data() + sent, size_t(bytes.size() - sent),
                                         MSG_NOSIGNAL | MSG_DONTWAIT);
                if (n > 0) {
                    sent += n;
                    continue;
                }
                if (n < 0 && errno == EINTR)
                    continue;
                break; // full (EAGAIN) or an error: Qt's own write path takes over
            }
            bytes = bytes.sliced(sent);
            if (bytes.isEmpty())
                return;
        }
    }
#endif
    socket->write(bytes.data(), bytes.size());
    socket->flush();
}

} // namespace drover
