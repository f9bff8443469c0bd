#include "job_object.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace drover::win {

unsigned logicalProcessorCount() noexcept
{
    // GetSystemInfo counts only the caller's processor group (at most 64); the CPU rate is a
    // share of all groups, so count them all.
    const DWORD count = ::GetActiveProcessorCount(ALL_PROCESSOR_GROUPS);
    if (count > 0)
        return count;
    SYSTEM_INFO info;
    ::GetSystemInfo(&info);
    return info.dwNumberOfProcessors > 0 ? info.dwNumberOfProcessors : 1;
}

std::uint32_t cpuRateForCores(double cores, unsigned machineCores) noexcept
{
    if (machineCores == 0)
        machineCores = 1;
    if (!(cores > 0.0)) // also catches NaN
        return 1;
    // "Set CpuRate to a percentage times 100": 2 of 8 cores = 25 % = 2500.
    const double rate = std::round(cores / machineCores * 10000.0);
    if (rate >= 10000.0)
        return 10000;
    if (rate < 1.0)
        return 1;
    return static_cast<std::uint32_t>(rate);
}

const char *jobEventName(JobEvent event) noexcept
{
    switch (event) {
    case JobEvent::NewProcess: return "NEW_PROCESS";
    case JobEvent::ExitProcess: return "EXIT_PROCESS";
    case JobEvent::AbnormalExitProcess: return "ABNORMAL_EXIT_PROCESS";
    case JobEvent::ActiveProcessZero: return "ACTIVE_PROCESS_ZERO";
    case JobEvent::ActiveProcessLimit: return "ACTIVE_PROCESS_LIMIT";
    case JobEvent::ProcessMemoryLimit: return "PROCESS_MEMORY_LIMIT";
    case JobEvent::JobMemoryLimit: return "JOB_MEMORY_LIMIT";
    case JobEvent::EndOfJobTime: return "END_OF_JOB_TIME";
    case JobEvent::EndOfProcessTime: return "END_OF_PROCESS_TIME";
    case JobEvent::NotificationLimit: return "NOTIFICATION_LIMIT";
    case JobEvent::Other: break;
    }
    return "OTHER";
}

namespace {

JobMessage decodeMessage(DWORD code, ULONG_PTR key, LPOVERLAPPED overlapped)
{
    JobMessage message;
    message.code = code;
    message.key = key;
    // For the per-process messages the "overlapped pointer" is the process id (documented on
    // JOBOBJECT_ASSOCIATE_COMPLETION_PORT). The id may already be recycled unless a handle to
    // the process is held, so callers match it against handles they own.
    const DWORD pid = static_cast<DWORD>(reinterpret_cast<ULONG_PTR>(overlapped));
    switch (code) {
    case JOB_OBJECT_MSG_NEW_PROCESS:
        message.event = JobEvent::NewProcess;
        message.processId = pid;
        break;
    case JOB_OBJECT_MSG_EXIT_PROCESS:
        message.event = JobEvent::ExitProcess;
        message.processId = pid;
        break;
    case JOB_OBJECT_MSG_ABNORMAL_EXIT_PROCESS:
        message.event = JobEvent::AbnormalExitProcess;
        message.processId = pid;
        break;
    case JOB_OBJECT_MSG_ACTIVE_PROCESS_ZERO: message.event = JobEvent::ActiveProcessZero; break;
    case JOB_OBJECT_MSG_ACTIVE_PROCESS_LIMIT: message.event = JobEvent::ActiveProcessLimit; break;
    case JOB_OBJECT_MSG_PROCESS_MEMORY_LIMIT:
        message.event = JobEvent::ProcessMemoryLimit;
        message.processId = pid;
        break;
    case JOB_OBJECT_MSG_JOB_MEMORY_LIMIT:
        message.event = JobEvent::JobMemoryLimit;
        message.processId = pid;
        break;
    case JOB_OBJECT_MSG_END_OF_JOB_TIME: message.event = JobEvent::EndOfJobTime; break;
    case JOB_OBJECT_MSG_END_OF_PROCESS_TIME:
        message.event = JobEvent::EndOfProcessTime;
        message.processId = pid;
        break;
    case JOB_OBJECT_MSG_NOTIFICATION_LIMIT: message.event = JobEvent::NotificationLimit; break;
    default: message.event = JobEvent::Other; break;
    }
    return message;
}

} // namespace

Result<JobCompletionPort> JobCompletionPort::create()
{
    // A port not bound to a file: jobs post to it. Concurrency 1, one thread drains it.
    HANDLE port = ::CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 1);
    if (!port)
        return Status::lastError("CreateIoCompletionPort");
    JobCompletionPort result;
    result.m_port.reset(port);
    return result;
}

std::optional<JobMessage> JobCompletionPort::next(DWORD timeoutMs)
{
    if (!m_port)
        return std::nullopt;
    DWORD code = 0;
    ULONG_PTR key = 0;
    LPOVERLAPPED overlapped = nullptr;
    if (!::GetQueuedCompletionStatus(m_port.get(), &code, &key, &overlapped, timeoutMs))
        return std::nullopt; // WAIT_TIMEOUT, or the port was closed
    return decodeMessage(code, key, overlapped);
}

std::vector<JobMessage> JobCompletionPort::drain(DWORD timeoutMs, std::size_t maxMessages)
{
    std::vector<JobMessage> messages;
    DWORD wait = timeoutMs;
    while (messages.size() < maxMessages) {
        std::optional<JobMessage> message = next(wait);
        if (!message)
            break;
        messages.push_back(*message);
        wait = 0; // only the first message is waited for; the rest is what is already queued
    }
    return messages;
}

Result<JobObject> JobObject::create(const JobLimits &limits, const std::wstring &name)
{
    // Success leaves the last error alone unless the name existed; clear it so a stale
    // ERROR_ALREADY_EXISTS from an earlier call cannot be misread.
    ::SetLastError(ERROR_SUCCESS);
    HANDLE handle = ::CreateJobObjectW(nullptr, name.empty() ? nullptr : name.c_str());
    if (!handle)
        return Status::lastError("CreateJobObjectW");
    // A named job that already exists is opened instead; someone else owns its limits and its
    // processes, which is never what a fresh replica wants.
    if (!name.empty() && ::GetLastError() == ERROR_ALREADY_EXISTS) {
        ::CloseHandle(handle);
        return Status::fromError(ERROR_ALREADY_EXISTS, "CreateJobObjectW");
    }
    JobObject job(handle);
    const Status status = job.setLimits(limits);
    if (!status)
        return status;
    return job;
}

Result<JobObject> JobObject::open(const std::wstring &name)
{
    HANDLE handle = ::OpenJobObjectW(JOB_OBJECT_ALL_ACCESS, FALSE, name.c_str());
    if (!handle)
        return Status::lastError("OpenJobObjectW");
    return JobObject(handle);
}

Status JobObject::assign(HANDLE process)
{
    // Windows 8+ nests jobs, so this also works when Drover itself runs inside a job (a
    // terminal, an IDE or a CI runner often puts it in one).
    if (!::AssignProcessToJobObject(m_job.get(), process))
        return Status::lastError("AssignProcessToJobObject");
    return Status::success();
}

Result<bool> JobObject::contains(HANDLE process) const
{
    BOOL inJob = FALSE;
    if (!::IsProcessInJob(process, m_job.get(), &inJob))
        return Status::lastError("IsProcessInJob");
    return inJob != FALSE;
}

Status JobObject::setExtendedLimits(const JobLimits &limits)
{
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION info = {};
    DWORD flags = 0;
    if (limits.killOnJobClose)
        flags |= JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
    if (limits.dieOnUnhandledException)
        flags |= JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION;
    if (limits.processMemoryBytes > 0) {
        flags |= JOB_OBJECT_LIMIT_PROCESS_MEMORY;
        info.ProcessMemoryLimit = static_cast<SIZE_T>(limits.processMemoryBytes);
    }
    if (limits.jobMemoryBytes > 0) {
        flags |= JOB_OBJECT_LIMIT_JOB_MEMORY;
        info.JobMemoryLimit = static_cast<SIZE_T>(limits.jobMemoryBytes);
    }
    if (limits.activeProcesses > 0) {
        flags |= JOB_OBJECT_LIMIT_ACTIVE_PROCESS;
        info.BasicLimitInformation.ActiveProcessLimit = limits.activeProcesses;
    }
    // LimitFlags replaces the whole set: a flag left out here is a limit removed. That is what
    // makes one call the complete re-tier.
    info.BasicLimitInformation.LimitFlags = flags;
    if (!::SetInformationJobObject(m_job.get(), JobObjectExtendedLimitInformation, &info,
                                   sizeof(info)))
        return Status::lastError("SetInformationJobObject(ExtendedLimit)");
    return Status::success();
}

Status JobObject::setCpuRateInternal(std::uint32_t cpuRate)
{
    JOBOBJECT_CPU_RATE_CONTROL_INFORMATION info = {};
    if (cpuRate > 0) {
        // HARD_CAP: once the job used its share of the scheduling interval its threads do not
        // run until the next interval, even on an idle machine; that is what a tier promises.
        info.ControlFlags = JOB_OBJECT_CPU_RATE_CONTROL_ENABLE | JOB_OBJECT_CPU_RATE_CONTROL_HARD_CAP;
        info.CpuRate = std::min<std::uint32_t>(cpuRate, 10000);
    } else {
        // ControlFlags 0 turns rate control off (CpuRate 0 with ENABLE is rejected).
        info.ControlFlags = 0;
    }
    if (!::SetInformationJobObject(m_job.get(), JobObjectCpuRateControlInformation, &info,
                                   sizeof(info)))
        return Status::lastError("SetInformationJobObject(CpuRateControl)");
    return Status::success();
}

Status JobObject::setLimits(const JobLimits &limits)
{
    Status status = setExtendedLimits(limits);
    if (!status)
        return status;
    // A job that never had a cap needs no "remove cap" call; skipping it keeps job creation
    // working on systems without CPU rate control (wine rejects the class with error 87).
    const bool hadCap = m_applied && m_applied->cpuRate > 0;
    if (limits.cpuRate > 0 || hadCap) {
        status = setCpuRateInternal(limits.cpuRate);
        if (!status) {
            // Keep what did get applied so later partial updates start from the truth.
            JobLimits applied = limits;
            applied.cpuRate = m_applied ? m_applied->cpuRate : 0;
            m_applied = applied;
            return status;
        }
    }
    m_applied = limits;
    return Status::success();
}

Status JobObject::setCpuRate(std::uint32_t cpuRate)
{
    const Status status = setCpuRateInternal(cpuRate);
    if (status) {
        JobLimits applied = m_applied.value_or(JobLimits{});
        applied.cpuRate = cpuRate;
        m_applied = applied;
    }
    return status;
}

Status JobObject::setProcessMemoryLimit(std::uint64_t bytes)
{
    JobLimits limits;
    if (m_applied) {
        limits = *m_applied;
    } else {
        Result<JobLimits> current = queryLimits();
        if (!current)
            return current.status();
        limits = current.value();
    }
    limits.processMemoryBytes = bytes;
    const Status status = setExtendedLimits(limits);
    if (status)
        m_applied = limits;
    return status;
}

Result<JobLimits> JobObject::queryLimits() const
{
    JOBOBJECT_EXTENDED_LIMIT_INFORMATION info = {};
    if (!::QueryInformationJobObject(m_job.get(), JobObjectExtendedLimitInformation, &info,
                                     sizeof(info), nullptr))
        return Status::lastError("QueryInformationJobObject(ExtendedLimit)");
    JobLimits limits;
    const DWORD flags = info.BasicLimitInformation.LimitFlags;
    limits.killOnJobClose = (flags & JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE) != 0;
    limits.dieOnUnhandledException = (flags & JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION) != 0;
    if (flags & JOB_OBJECT_LIMIT_PROCESS_MEMORY)
        limits.processMemoryBytes = info.ProcessMemoryLimit;
    if (flags & JOB_OBJECT_LIMIT_JOB_MEMORY)
        limits.jobMemoryBytes = info.JobMemoryLimit;
    if (flags & JOB_OBJECT_LIMIT_ACTIVE_PROCESS)
        limits.activeProcesses = info.BasicLimitInformation.ActiveProcessLimit;

    JOBOBJECT_CPU_RATE_CONTROL_INFORMATION cpu = {};
    if (!::QueryInformationJobObject(m_job.get(), JobObjectCpuRateControlInformation, &cpu,
                                     sizeof(cpu), nullptr))
        return Status::lastError("QueryInformationJobObject(CpuRateControl)");
    if ((cpu.ControlFlags & JOB_OBJECT_CPU_RATE_CONTROL_ENABLE)
        && !(cpu.ControlFlags & JOB_OBJECT_CPU_RATE_CONTROL_WEIGHT_BASED))
        limits.cpuRate = cpu.CpuRate;
    return limits;
}

Status JobObject::terminate(UINT exitCode)
{
    if (!::TerminateJobObject(m_job.get(), exitCode))
        return Status::lastError("TerminateJobObject");
    return Status::success();
}

Result<std::vector<DWORD>> JobObject::processIds(std::size_t capacityHint) const
{
    // JOBOBJECT_BASIC_PROCESS_ID_LIST is variable length: a header and ULONG_PTR ids. When the
    // buffer is too small Windows fills what fits, sets NumberOfAssignedProcesses to the real
    // count and fails with ERROR_MORE_DATA; retry with room for that count plus some slack,
    // since processes may join between the two calls.
    std::size_t capacity = std::max<std::size_t>(capacityHint, 1);
    for (int attempt = 0; attempt < 8; ++attempt) {
        const std::size_t bytes = offsetof(JOBOBJECT_BASIC_PROCESS_ID_LIST, ProcessIdList)
                + capacity * sizeof(ULONG_PTR);
        // ULONG_PTR storage keeps the structure correctly aligned.
        std::vector<ULONG_PTR> buffer((bytes + sizeof(ULONG_PTR) - 1) / sizeof(ULONG_PTR), 0);
        auto *list = reinterpret_cast<JOBOBJECT_BASIC_PROCESS_ID_LIST *>(buffer.data());
        const BOOL ok = ::QueryInformationJobObject(m_job.get(), JobObjectBasicProcessIdList, list,
                                                    static_cast<DWORD>(buffer.size() * sizeof(ULONG_PTR)),
                                                    nullptr);
        const DWORD error = ok ? ERROR_SUCCESS : ::GetLastError();
        if (ok || error == ERROR_MORE_DATA) {
            if (ok || list->NumberOfProcessIdsInList >= list->NumberOfAssignedProcesses) {
                std::vector<DWORD> ids;
                ids.reserve(list->NumberOfProcessIdsInList);
                for (DWORD i = 0; i < list->NumberOfProcessIdsInList; ++i)
                    ids.push_back(static_cast<DWORD>(list->ProcessIdList[i]));
                return ids;
            }
            capacity = std::max<std::size_t>(list->NumberOfAssignedProcesses, capacity * 2) + 8;
            continue;
        }
        return Status::fromError(error, "QueryInformationJobObject(BasicProcessIdList)");
    }
    return Status::fromError(ERROR_MORE_DATA, "QueryInformationJobObject(BasicProcessIdList)");
}

Result<JobAccounting> JobObject::accounting() const
{
    JOBOBJECT_BASIC_ACCOUNTING_INFORMATION info = {};
    if (!::QueryInformationJobObject(m_job.get(), JobObjectBasicAccountingInformation, &info,
                                     sizeof(info), nullptr))
        return Status::lastError("QueryInformationJobObject(BasicAccounting)");
    JobAccounting accounting;
    accounting.userTime = static_cast<std::uint64_t>(info.TotalUserTime.QuadPart);
    accounting.kernelTime = static_cast<std::uint64_t>(info.TotalKernelTime.QuadPart);
    accounting.totalProcesses = info.TotalProcesses;
    accounting.activeProcesses = info.ActiveProcesses;
    accounting.terminatedProcesses = info.TotalTerminatedProcesses;
    return accounting;
}

Status JobObject::associate(const JobCompletionPort &port, ULONG_PTR key)
{
    JOBOBJECT_ASSOCIATE_COMPLETION_PORT info = {};
    info.CompletionKey = reinterpret_cast<PVOID>(key);
    info.CompletionPort = port.handle();
    if (!::SetInformationJobObject(m_job.get(), JobObjectAssociateCompletionPortInformation, &info,
                                   sizeof(info)))
        return Status::lastError("SetInformationJobObject(AssociateCompletionPort)");
    return Status::success();
}

} // namespace drover::win
