#include "system_times.h"

namespace drover::win {

std::optional<CpuTimes> readCpuTimes() noexcept
{
    FILETIME idle, kernel, user;
    if (!::GetSystemTimes(&idle, &kernel, &user))
        return std::nullopt;
    CpuTimes times;
    times.idle = fileTimeToU64(idle);
    times.kernel = fileTimeToU64(kernel);
    times.user = fileTimeToU64(user);
    return times;
}

std::optional<double> cpuBusyFraction(const CpuTimes &before, const CpuTimes &after) noexcept
{
    // Counters only grow; a smaller value means readings were swapped or the counter wrapped,
    // and a wrong sample is worse than a missing one for the autoscaler.
    if (after.total() <= before.total() || after.busy() < before.busy())
        return std::nullopt;
    const double total = static_cast<double>(after.total() - before.total());
    const double busy = static_cast<double>(after.busy() - before.busy());
    const double fraction = busy / total;
    return fraction > 1.0 ? 1.0 : fraction;
}

std::optional<MemoryStatus> readMemoryStatus() noexcept
{
    MEMORYSTATUSEX status = {};
    status.dwLength = sizeof(status);
    if (!::GlobalMemoryStatusEx(&status))
        return std::nullopt;
    MemoryStatus memory;
    memory.totalPhysical = status.ullTotalPhys;
    memory.availablePhysical = status.ullAvailPhys;
    // ullTotalPageFile is the commit limit (RAM + page files), not the page file size.
    memory.commitLimit = status.ullTotalPageFile;
    memory.commitAvailable = status.ullAvailPageFile;
    memory.memoryLoadPercent = status.dwMemoryLoad;
    return memory;
}

} // namespace drover::win
