// Windows: GetSystemTimes and GlobalMemoryStatusEx. Compiled only on Windows.
#include "system_metrics.h"

#include <windows.h>

namespace drover {
namespace {

quint64 toU64(const FILETIME &ft)
{
    return (quint64(ft.dwHighDateTime) << 32) | ft.dwLowDateTime;
}

class WinSystemMetricsReader final : public SystemMetricsReader
{
public:
    std::optional<CpuCounters> readCpu() override
    {
        FILETIME idle, kernel, user;
        if (!GetSystemTimes(&idle, &kernel, &user))
            return std::nullopt;
        // Kernel time includes idle time. This is the classic "% Processor Time" (busy share
        // of all cores), not Task Manager's frequency-scaled "% Processor Utility".
        CpuCounters c;
        c.total = toU64(kernel) + toU64(user);
        const quint64 idleTime = toU64(idle);
        c.busy = c.total > idleTime ? c.total - idleTime : 0;
        return c;
    }
    std::optional<MemoryInfo> readMemory() override
    {
        MEMORYSTATUSEX status;
        status.dwLength = sizeof(status);
        if (!GlobalMemoryStatusEx(&status))
            return std::nullopt;
        MemoryInfo info;
        info.totalBytes = status.ullTotalPhys;
        info.availableBytes = status.ullAvailPhys;
        return info;
    }
};

} // namespace

std::unique_ptr<SystemMetricsReader> createSystemMetricsReader()
{
    return std::make_unique<WinSystemMetricsReader>();
}

} // namespace drover
