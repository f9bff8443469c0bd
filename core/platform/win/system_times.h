// Machine-wide CPU and memory counters for the 1 s engine tick.
#pragma once

#include "win_common.h"

#include <cstdint>

namespace drover::win {

// GetSystemTimes, summed over all processors, 100 ns units.
struct CpuTimes
{
    std::uint64_t idle = 0;
    std::uint64_t kernel = 0; // includes idle: Windows counts the idle thread as kernel time
    std::uint64_t user = 0;

    std::uint64_t total() const noexcept { return kernel + user; }
    std::uint64_t busy() const noexcept
    {
        const std::uint64_t all = total();
        return all > idle ? all - idle : 0;
    }
};

std::optional<CpuTimes> readCpuTimes() noexcept;

// Busy share of all processors between two readings, 0..1: the classic "% Processor Time".
// Task Manager shows "% Processor Utility" (scaled by the current clock frequency), which can
// read higher under turbo; the chart label says which one it is. nullopt if no time passed.
std::optional<double> cpuBusyFraction(const CpuTimes &before, const CpuTimes &after) noexcept;

// GlobalMemoryStatusEx, bytes.
struct MemoryStatus
{
    std::uint64_t totalPhysical = 0;
    std::uint64_t availablePhysical = 0;
    // Commit limit and what is left of it: what job memory limits and PrivateUsage count.
    std::uint64_t commitLimit = 0;
    std::uint64_t commitAvailable = 0;
    std::uint32_t memoryLoadPercent = 0;
};

std::optional<MemoryStatus> readMemoryStatus() noexcept;

} // namespace drover::win
