// Writing to a QTcpSocket without a trip through its write buffer when that buffer is empty.
//
// QAbstractSocket buffers every write() and enables its write notifier; flush() then sends and
// disables it again. With the GLib event dispatcher (Qt's default on Linux) each enable and
// disable adds or removes a poll fd, and GLib wakes its own loop for that (an eventfd write):
// four system calls around every answer. Sending directly when nothing is queued costs one.
#pragma once

#include <QByteArrayView>

class QTcpSocket;

namespace drover {

// Sends what the kernel takes now; the rest (or everything, when bytes are already queued, the
// socket is not connected, or the platform has no direct path) goes through socket->write(),
// so the order of bytes and Qt's error handling are unchanged.
void writeToSocketNow(QTcpSocket *socket, QByteArrayView bytes);

} // namespace drover
