// Per-process CPU time and memory, read from the OS for the replicas Drover runs.
#pragma once

#include <QByteArray>
#include <QtGlobal>

#include <memory>
#include <optional>

namespace drover {

struct ProcessSample
{
    quint64 cpuTimeMs = 0;    // user + system, cumulative
    quint64 rssBytes = 0;     // resident set
    quint64 privateBytes = 0; // private (anonymous) resident memory: what memory limits bite on
};

// /proc/<pid>/stat and /proc/<pid>/statm. The comm field may contain spaces and parentheses,
// so fields are counted from the last ')'. Returns nothing for zombies (state Z/X): their
// numbers are final and the process is gone for every practical purpose.
std::optional<ProcessSample> parseProcPidStat(const QByteArray &stat, const QByteArray &statm,
                                              long ticksPerSecond, long pageBytes);

// CPU % of one core between two samples taken `elapsedMs` apart (100 = one core busy).
std::optional<double> processCpuPercent(const ProcessSample &earlier, const ProcessSample &later,
                                        qint64 elapsedMs);

class ProcessStatsReader
{
public:
    virtual ~ProcessStatsReader() = default;
    virtual std::optional<ProcessSample> read(qint64 pid) = 0;
};

std::unique_ptr<ProcessStatsReader> createProcessStatsReader();

} // namespace drover
