#include "port_allocator.h"

#include <QHostAddress>
#include <QTcpServer>

namespace drover {

bool PortAllocator::isFree(int port)
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, quint16(port));
}

int PortAllocator::allocate()
{
    // Ask the OS for an ephemeral port; retry if it hands back one a replica holds already
    // (a replica that has not bound its port yet looks free to the OS).
    for (int attempt = 0; attempt < 50; ++attempt) {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0))
            return 0;
        const int port = probe.serverPort();
        if (!m_held.contains(port)) {
            m_held.insert(port);
            return port;
        }
    }
    return 0;
}

int PortAllocator::reuseOrAllocate(int port)
{
    if (port > 0 && isFree(port)) {
        m_held.insert(port);
        return port;
    }
    release(port);
    return allocate();
}

void PortAllocator::release(int port)
{
    m_held.remove(port);
}

} // namespace drover
