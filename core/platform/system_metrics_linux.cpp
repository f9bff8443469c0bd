#include "system_metrics.h"

#include <QFile>

namespace drover {
namespace {

QByteArray readProcFile(const char *path)
{
    // /proc files report size 0, so read until EOF rather than trusting size().
    QFile f(QString::fromLatin1(path));
    if (!f.open(QIODevice::ReadOnly | QIODevice::Unbuffered))
        return {};
    return f.readAll();
}

class ProcSystemMetricsReader final : public SystemMetricsReader
{
public:
    std::optional<CpuCounters> readCpu() override { return parseProcStat(readProcFile("/proc/stat")); }
    std::optional<MemoryInfo> readMemory() override
    {
        return parseProcMeminfo(readProcFile("/proc/meminfo"));
    }
};

} // namespace

std::unique_ptr<SystemMetricsReader> createSystemMetricsReader()
{
    return std::make_unique<ProcSystemMetricsReader>();
}

} // namespace drover
