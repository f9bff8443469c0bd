#include "process_metrics.h"

#include <psapi.h>

#include <cstddef>

namespace drover::win {

Result<ProcessSample> sampleProcess(HANDLE process)
{
    ProcessSample sample;
    sample.processId = ::GetProcessId(process);
    FILETIME created, exited, kernel, user;
    if (!::GetProcessTimes(process, &created, &exited, &kernel, &user))
        return Status::lastError("GetProcessTimes");
    sample.createTime = fileTimeToU64(created);
    sample.kernelTime = fileTimeToU64(kernel);
    sample.userTime = fileTimeToU64(user);

    // The EX structure is the one that carries PrivateUsage; the API takes it through the
    // base pointer type with cb telling which one was passed.
    PROCESS_MEMORY_COUNTERS_EX memory = {};
    memory.cb = sizeof(memory);
    if (!::GetProcessMemoryInfo(process, reinterpret_cast<PROCESS_MEMORY_COUNTERS *>(&memory),
                                sizeof(memory)))
        return Status::lastError("GetProcessMemoryInfo");
    sample.privateBytes = memory.PrivateUsage;
    sample.workingSetBytes = memory.WorkingSetSize;
    sample.peakWorkingSetBytes = memory.PeakWorkingSetSize;

    // A cached handle outlives the process; its exit must be visible to the supervisor.
    DWORD code = 0;
    if (::GetExitCodeProcess(process, &code) && code != STILL_ACTIVE) {
        sample.exited = true;
        sample.exitCode = code;
    } else if (code == STILL_ACTIVE && ::WaitForSingleObject(process, 0) == WAIT_OBJECT_0) {
        // A process may really exit with 259 (STILL_ACTIVE); the signalled handle is the truth.
        sample.exited = true;
        sample.exitCode = code;
    }
    return sample;
}

std::optional<double> coresUsed(const ProcessSample &before, const ProcessSample &after,
                                std::uint64_t elapsed100ns) noexcept
{
    if (elapsed100ns == 0 || before.processId != after.processId
        || before.createTime != after.createTime || after.cpuTime() < before.cpuTime())
        return std::nullopt;
    return static_cast<double>(after.cpuTime() - before.cpuTime()) / static_cast<double>(elapsed100ns);
}

namespace {

HANDLE openForSampling(DWORD processId)
{
    // SYNCHRONIZE lets the supervisor wait on the same handle.
    HANDLE handle = ::OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION | PROCESS_VM_READ | SYNCHRONIZE,
                                  FALSE, processId);
    if (!handle) // protected processes refuse VM_READ; times are still readable
        handle = ::OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION | SYNCHRONIZE, FALSE, processId);
    return handle;
}

} // namespace

Status ProcessMonitor::track(DWORD processId)
{
    if (isTracking(processId))
        return Status::success();
    HANDLE handle = openForSampling(processId);
    if (!handle)
        return Status::lastError("OpenProcess");
    m_handles[processId] = UniqueHandle(handle);
    return Status::success();
}

Status ProcessMonitor::adopt(DWORD processId, HANDLE process)
{
    HANDLE duplicate = nullptr;
    if (!::DuplicateHandle(::GetCurrentProcess(), process, ::GetCurrentProcess(), &duplicate, 0,
                           FALSE, DUPLICATE_SAME_ACCESS))
        return Status::lastError("DuplicateHandle");
    m_handles[processId] = UniqueHandle(duplicate);
    return Status::success();
}

void ProcessMonitor::untrack(DWORD processId) noexcept
{
    m_handles.erase(processId);
}

bool ProcessMonitor::isTracking(DWORD processId) const noexcept
{
    return m_handles.count(processId) != 0;
}

Result<ProcessSample> ProcessMonitor::sample(DWORD processId) const
{
    const auto it = m_handles.find(processId);
    if (it == m_handles.end())
        return Status::fromError(ERROR_NOT_FOUND, "ProcessMonitor::sample");
    return sampleProcess(it->second.get());
}

std::vector<ProcessSample> ProcessMonitor::sampleAll() const
{
    std::vector<ProcessSample> samples;
    samples.reserve(m_handles.size());
    for (const auto &entry : m_handles) {
        Result<ProcessSample> sample = sampleProcess(entry.second.get());
        if (sample)
            samples.push_back(sample.value());
    }
    return samples;
}

namespace {

using NtStatus = LONG;
constexpr NtStatus kStatusInfoLengthMismatch = static_cast<NtStatus>(0xC0000004L);
constexpr ULONG kSystemProcessInformation = 5;

struct NtUnicodeString
{
    USHORT Length; // bytes, without a terminator
    USHORT MaximumLength;
    PWSTR Buffer;
};

// SYSTEM_PROCESS_INFORMATION as laid out since Vista. winternl.h documents the public members
// and hides the 48 bytes after NumberOfThreads as Reserved1; those hold the times.
struct SystemProcessInformation
{
    ULONG NextEntryOffset;
    ULONG NumberOfThreads;
    LARGE_INTEGER WorkingSetPrivateSize;
    ULONG HardFaultCount;
    ULONG NumberOfThreadsHighWatermark;
    ULONGLONG CycleTime;
    LARGE_INTEGER CreateTime;
    LARGE_INTEGER UserTime;
    LARGE_INTEGER KernelTime;
    NtUnicodeString ImageName;
    LONG BasePriority;
    HANDLE UniqueProcessId;
    HANDLE InheritedFromUniqueProcessId;
    ULONG HandleCount;
    ULONG SessionId;
    ULONG_PTR UniqueProcessKey;
    SIZE_T PeakVirtualSize;
    SIZE_T VirtualSize;
    ULONG PageFaultCount;
    SIZE_T PeakWorkingSetSize;
    SIZE_T WorkingSetSize;
    SIZE_T QuotaPeakPagedPoolUsage;
    SIZE_T QuotaPagedPoolUsage;
    SIZE_T QuotaPeakNonPagedPoolUsage;
    SIZE_T QuotaNonPagedPoolUsage;
    SIZE_T PagefileUsage;
    SIZE_T PeakPagefileUsage;
    SIZE_T PrivatePageCount;
};
static_assert(offsetof(SystemProcessInformation, ImageName) == 56 || sizeof(void *) == 4,
              "layout must match the documented Reserved1[48] gap");

using NtQuerySystemInformationFn = NtStatus(NTAPI *)(ULONG, PVOID, ULONG, PULONG);
using RtlNtStatusToDosErrorFn = ULONG(NTAPI *)(NtStatus);

template <typename Fn>
Fn ntdllProc(const char *name) noexcept
{
    HMODULE ntdll = ::GetModuleHandleW(L"ntdll.dll");
    return ntdll ? reinterpret_cast<Fn>(reinterpret_cast<void *>(::GetProcAddress(ntdll, name)))
                 : nullptr;
}

} // namespace

Result<std::vector<ProcessSnapshotEntry>> snapshotProcesses()
{
    // Resolved at run time: no ntdll import library is needed, and the symbol is stable.
    static const auto query = ntdllProc<NtQuerySystemInformationFn>("NtQuerySystemInformation");
    static const auto toDosError = ntdllProc<RtlNtStatusToDosErrorFn>("RtlNtStatusToDosError");
    if (!query)
        return Status::fromError(ERROR_PROC_NOT_FOUND, "NtQuerySystemInformation");

    // The process list changes between the sizing call and the real one, so grow until it
    // fits, with headroom. ULONGLONG storage keeps every record 8-byte aligned.
    ULONG size = 512 * 1024;
    std::vector<ULONGLONG> buffer;
    NtStatus status = 0;
    for (int attempt = 0; attempt < 8; ++attempt) {
        buffer.assign(size / sizeof(ULONGLONG) + 1, 0);
        ULONG needed = 0;
        status = query(kSystemProcessInformation, buffer.data(),
                       static_cast<ULONG>(buffer.size() * sizeof(ULONGLONG)), &needed);
        if (status != kStatusInfoLengthMismatch)
            break;
        size = (needed > size ? needed : size * 2) + 64 * 1024;
    }
    if (status < 0) {
        const DWORD error = toDosError ? toDosError(status) : ERROR_GEN_FAILURE;
        return Status::fromError(error ? error : ERROR_GEN_FAILURE, "NtQuerySystemInformation");
    }

    std::vector<ProcessSnapshotEntry> entries;
    const auto *base = reinterpret_cast<const unsigned char *>(buffer.data());
    const std::size_t limit = buffer.size() * sizeof(ULONGLONG);
    std::size_t offset = 0;
    for (;;) {
        if (offset + sizeof(SystemProcessInformation) > limit)
            break; // a malformed chain must not walk out of the buffer
        const auto *record = reinterpret_cast<const SystemProcessInformation *>(base + offset);
        ProcessSnapshotEntry entry;
        entry.processId = static_cast<DWORD>(reinterpret_cast<ULONG_PTR>(record->UniqueProcessId));
        entry.parentProcessId =
                static_cast<DWORD>(reinterpret_cast<ULONG_PTR>(record->InheritedFromUniqueProcessId));
        if (record->ImageName.Buffer && record->ImageName.Length > 0)
            entry.imageName.assign(record->ImageName.Buffer, record->ImageName.Length / sizeof(wchar_t));
        entry.createTime = static_cast<std::uint64_t>(record->CreateTime.QuadPart);
        entry.userTime = static_cast<std::uint64_t>(record->UserTime.QuadPart);
        entry.kernelTime = static_cast<std::uint64_t>(record->KernelTime.QuadPart);
        entry.workingSetBytes = record->WorkingSetSize;
        entry.privateBytes = record->PrivatePageCount;
        entry.threadCount = record->NumberOfThreads;
        entry.handleCount = record->HandleCount;
        entries.push_back(std::move(entry));
        if (record->NextEntryOffset == 0)
            break;
        offset += record->NextEntryOffset;
    }
    return entries;
}

} // namespace drover::win
