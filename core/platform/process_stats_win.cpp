// Windows: per-process CPU time and memory through cached handles (GetProcessTimes and
// GetProcessMemoryInfo via core/platform/win), one OpenProcess per replica, not per sample.
#include "process_stats.h"

#include "win/process_metrics.h"
#include "win/win_common.h"

#include <map>

namespace drover {
namespace {

class WinProcessStatsReader final : public ProcessStatsReader
{
public:
    std::optional<ProcessSample> read(qint64 pid) override
    {
        auto it = m_handles.find(pid);
        if (it == m_handles.end()) {
            HANDLE h = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION | PROCESS_VM_READ, FALSE, DWORD(pid));
            if (!h)
                return std::nullopt;
            it = m_handles.emplace(pid, win::UniqueHandle(h)).first;
        }
        const win::Result<win::ProcessSample> s = win::sampleProcess(it->second.get());
        if (!s || s->exited) {
            m_handles.erase(it); // gone, or the pid now names another process
            return std::nullopt;
        }
        ProcessSample out;
        out.cpuTimeMs = s->cpuTime() / 10000; // 100 ns -> ms
        out.rssBytes = s->workingSetBytes;
        out.privateBytes = s->privateBytes;
        return out;
    }

private:
    std::map<qint64, win::UniqueHandle> m_handles;
};

} // namespace

std::unique_ptr<ProcessStatsReader> createProcessStatsReader()
{
    return std::make_unique<WinProcessStatsReader>();
}

} // namespace drover
