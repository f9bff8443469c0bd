// Per-process CPU and memory, two ways:
//  - ProcessMonitor: a cached handle per replica (GetProcessTimes + GetProcessMemoryInfo).
//    Exact for the processes Drover started; the handle also pins the pid against reuse.
//  - snapshotProcesses(): one NtQuerySystemInformation(SystemProcessInformation) call per tick
//    for every process on the machine, including an agent's own children, without opening any.
#pragma once

#include "win_common.h"

#include <cstdint>
#include <map>
#include <vector>

namespace drover::win {

struct ProcessSample
{
    DWORD processId = 0;
    std::uint64_t createTime = 0; // FILETIME ticks: with the pid, identifies one process
    std::uint64_t userTime = 0;   // 100 ns
    std::uint64_t kernelTime = 0; // 100 ns
    // PrivateUsage: commit charge, the number a job's ProcessMemoryLimit is compared with.
    std::uint64_t privateBytes = 0;
    // WorkingSetSize: resident RAM, what Task Manager's "Memory" column approximates.
    std::uint64_t workingSetBytes = 0;
    std::uint64_t peakWorkingSetBytes = 0;
    bool exited = false;
    DWORD exitCode = 0;

    std::uint64_t cpuTime() const noexcept { return userTime + kernelTime; }
};

// Samples one process through a handle with PROCESS_QUERY_LIMITED_INFORMATION (and
// PROCESS_VM_READ, which GetProcessMemoryInfo asks for).
Result<ProcessSample> sampleProcess(HANDLE process);

// CPU cores a process used between two samples taken elapsed100ns apart (1.0 = one core
// fully busy). nullopt for an empty interval or samples of different processes.
std::optional<double> coresUsed(const ProcessSample &before, const ProcessSample &after,
                                std::uint64_t elapsed100ns) noexcept;

class ProcessMonitor
{
public:
    // Opens the process by id and keeps the handle until untrack().
    Status track(DWORD processId);
    // Keeps a duplicate of a handle the caller already has (the launcher's), which avoids the
    // race between a pid being reported and the process exiting and the pid being reused.
    Status adopt(DWORD processId, HANDLE process);
    void untrack(DWORD processId) noexcept;
    bool isTracking(DWORD processId) const noexcept;
    std::size_t size() const noexcept { return m_handles.size(); }

    Result<ProcessSample> sample(DWORD processId) const;
    // One sample per tracked process; processes that cannot be sampled are left out.
    std::vector<ProcessSample> sampleAll() const;

private:
    std::map<DWORD, UniqueHandle> m_handles;
};

struct ProcessSnapshotEntry
{
    DWORD processId = 0;
    DWORD parentProcessId = 0;
    std::wstring imageName; // file name only, e.g. L"drover-agent.exe"; empty for the idle process
    std::uint64_t createTime = 0;
    std::uint64_t userTime = 0;
    std::uint64_t kernelTime = 0;
    std::uint64_t workingSetBytes = 0;
    std::uint64_t privateBytes = 0; // PrivatePageCount: the commit charge, like PrivateUsage
    std::uint32_t threadCount = 0;
    std::uint32_t handleCount = 0;
};

// Every process on the machine in one system call. ntdll's NtQuerySystemInformation is
// documented as subject to change; its process record layout has been stable since Vista and
// is what Task Manager-class tools read, and the call needs no handle per process.
Result<std::vector<ProcessSnapshotEntry>> snapshotProcesses();

} // namespace drover::win
