#include "cpu_burn.h"

#include <QElapsedTimer>

#ifdef Q_OS_WIN
#include <windows.h>
#else
#include <time.h>
#endif

namespace drover::agent {

namespace {

// Nanoseconds of CPU time used by the calling thread, or -1 when the OS cannot say.
qint64 threadCpuNs()
{
#ifdef Q_OS_WIN
    FILETIME creation, exit, kernel, user;
    if (!GetThreadTimes(GetCurrentThread(), &creation, &exit, &kernel, &user))
        return -1;
    auto toNs = [](const FILETIME &ft) {
        return ((qint64(ft.dwHighDateTime) << 32) | ft.dwLowDateTime) * 100;
    };
    return toNs(kernel) + toNs(user);
#else
    timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
        return -1;
    return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
#endif
}

} // namespace

void burnCpu(qint64 cpuMs)
{
    if (cpuMs <= 0)
        return;
    const qint64 budgetNs = cpuMs * 1000000;
    const qint64 start = threadCpuNs();
    QElapsedTimer wall; // the fallback when thread CPU time is unavailable
    wall.start();
    volatile double sink = 1.0;
    for (;;) {
        for (int i = 0; i < 20000; ++i)
            sink = sink * 1.0000001 + 0.0000001;
        if (start >= 0) {
            const qint64 now = threadCpuNs();
            if (now < 0 || now - start >= budgetNs)
                break;
        } else if (wall.nsecsElapsed() >= budgetNs) {
            break;
        }
    }
}

} // namespace drover::agent
