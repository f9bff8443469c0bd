#include "process_stats.h"

#include <fcntl.h>
#include <unistd.h>

namespace drover {
namespace {

// Plain read(2) into a stack buffer: this runs for every replica every second, and QFile's
// buffering and allocations would be most of Drover's idle CPU.
QByteArray readSmallFile(const char *path)
{
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return {};
    char buffer[1024];
    const ssize_t n = ::read(fd, buffer, sizeof(buffer));
    ::close(fd);
    return n > 0 ? QByteArray(buffer, int(n)) : QByteArray();
}

class ProcStatsReader final : public ProcessStatsReader
{
public:
    std::optional<ProcessSample> read(qint64 pid) override
    {
        char path[64];
        snprintf(path, sizeof(path), "/proc/%lld/stat", static_cast<long long>(pid));
        const QByteArray stat = readSmallFile(path);
        if (stat.isEmpty())
            return std::nullopt;
        snprintf(path, sizeof(path), "/proc/%lld/statm", static_cast<long long>(pid));
        return parseProcPidStat(stat, readSmallFile(path), m_ticks, m_page);
    }

private:
    long m_ticks = sysconf(_SC_CLK_TCK);
    long m_page = sysconf(_SC_PAGESIZE);
};

} // namespace

std::unique_ptr<ProcessStatsReader> createProcessStatsReader()
{
    return std::make_unique<ProcStatsReader>();
}

} // namespace drover
