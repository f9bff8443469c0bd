// Reserves loopback ports for replicas (DROVER_PORT). The OS picks a free port; Drover
// remembers what it handed out so two replicas never get the same one.
#pragma once

#include <QSet>

namespace drover {

class PortAllocator
{
public:
    // A port that is free on 127.0.0.1 now and not held by another replica; 0 on failure.
    int allocate();
    // Keeps `port` for its replica if it is still free (a restart keeps its port), otherwise
    // releases it and allocates another.
    int reuseOrAllocate(int port);
    void release(int port);
    static bool isFree(int port);

private:
    QSet<int> m_held;
};

} // namespace drover
