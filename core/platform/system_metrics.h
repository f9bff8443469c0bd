// Whole-machine CPU and memory, behind one interface per OS.
//
// The arithmetic (CPU % from two counter samples) is a pure function so tests drive it with
// recorded /proc/stat lines; the OS readers only collect raw counters.
#pragma once

#include <QByteArray>
#include <QtGlobal>

#include <memory>
#include <optional>

namespace drover {

// Cumulative CPU time of the whole machine, in the OS's own units (jiffies on Linux, 100 ns
// on Windows). Only differences between two samples mean anything.
struct CpuCounters
{
    quint64 busy = 0;
    quint64 total = 0;
};

struct MemoryInfo
{
    quint64 totalBytes = 0;
    quint64 availableBytes = 0;
    quint64 usedBytes() const { return totalBytes > availableBytes ? totalBytes - availableBytes : 0; }
    double usedPercent() const
    {
        return totalBytes ? 100.0 * double(usedBytes()) / double(totalBytes) : 0.0;
    }
};

// Busy share of the machine between two samples, 0..100. Returns nothing when the counters
// went backwards (a wrapped counter or a resumed VM) or did not advance: there is no honest
// value then, and a made-up 0 % would look like an idle machine to the autoscaler.
std::optional<double> cpuPercentBetween(const CpuCounters &earlier, const CpuCounters &later);

// Parses the aggregate "cpu" line of /proc/stat. busy = user+nice+system+irq+softirq+steal;
// idle and iowait count as not busy (iowait is idle time waiting on disk, as top(1) shows it).
// guest and guest_nice are already included in user and nice, so they are not added again.
std::optional<CpuCounters> parseProcStat(const QByteArray &procStat);

// Parses MemTotal and MemAvailable from /proc/meminfo (kB).
std::optional<MemoryInfo> parseProcMeminfo(const QByteArray &procMeminfo);

// Reads the OS counters. One instance per sampling thread.
class SystemMetricsReader
{
public:
    virtual ~SystemMetricsReader() = default;
    virtual std::optional<CpuCounters> readCpu() = 0;
    virtual std::optional<MemoryInfo> readMemory() = 0;
};

// The reader for the OS Drover was built for (/proc on Linux, GetSystemTimes and
// GlobalMemoryStatusEx on Windows).
std::unique_ptr<SystemMetricsReader> createSystemMetricsReader();

} // namespace drover
