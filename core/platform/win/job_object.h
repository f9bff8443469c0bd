// Job Objects: the Windows quota and lifetime mechanism for one replica's process tree.
// A replica runs in its own job: limits (CPU hard cap, commit limit) apply to the whole tree,
// TerminateJobObject kills the whole tree, and KILL_ON_JOB_CLOSE kills it if Drover dies.
#pragma once

#include "win_common.h"

#include <cstdint>
#include <vector>

namespace drover::win {

// Logical processors across all processor groups: the denominator of CpuRate, which Windows
// defines as a share of the whole machine, not of one core.
unsigned logicalProcessorCount() noexcept;

// CpuRate (percent of the machine x 100, 1..10000) that lets a job use `cores` cores of a
// machine with `machineCores` logical processors. Rounds to nearest, clamps into 1..10000 (0 is
// rejected by SetInformationJobObject; more than the machine is the machine).
std::uint32_t cpuRateForCores(double cores, unsigned machineCores) noexcept;

struct JobLimits
{
    // CPU hard cap as CpuRate (see cpuRateForCores); 0 = no cap.
    std::uint32_t cpuRate = 0;
    // Commit (private bytes) limit per process and for the whole job; 0 = none. On breach the
    // allocation fails and the process goes on (it is not killed), and a *_MEMORY_LIMIT
    // message is posted to the completion port.
    std::uint64_t processMemoryBytes = 0;
    std::uint64_t jobMemoryBytes = 0;
    // At most this many live processes in the job; 0 = no limit. A process that would exceed
    // it is terminated at assignment (ACTIVE_PROCESS_LIMIT message). A console child with a
    // console of its own (ConsoleMode::NoWindow) brings its conhost.exe into the job on
    // Windows 8+, and that counts too; processIds() lists it as well.
    std::uint32_t activeProcesses = 0;
    // When the last job handle closes (Drover exits or crashes) every process in it is killed.
    bool killOnJobClose = true;
    // An agent that crashes must die rather than sit in a Windows Error Reporting dialog that
    // nobody on a headless fleet will click, keeping a "live" zombie replica.
    bool dieOnUnhandledException = true;
};

struct JobAccounting
{
    // 100 ns units, summed over every process that ever ran in the job (the whole tree).
    std::uint64_t userTime = 0;
    std::uint64_t kernelTime = 0;
    std::uint32_t totalProcesses = 0;
    std::uint32_t activeProcesses = 0;
    std::uint32_t terminatedProcesses = 0;
};

enum class JobEvent {
    NewProcess,          // lpOverlapped = pid
    ExitProcess,         // pid; normal exit
    AbnormalExitProcess, // pid; exit code was an exception/NTSTATUS error code
    ActiveProcessZero,   // the job became empty
    ActiveProcessLimit,
    ProcessMemoryLimit, // pid of the process whose allocation was refused
    JobMemoryLimit,     // pid of the process whose allocation was refused
    EndOfJobTime,
    EndOfProcessTime,
    NotificationLimit,
    Other,
};

const char *jobEventName(JobEvent event) noexcept;

struct JobMessage
{
    JobEvent event = JobEvent::Other;
    DWORD code = 0;              // the raw JOB_OBJECT_MSG_* value
    ULONG_PTR key = 0;           // completion key given at association: tells jobs apart
    DWORD processId = 0;         // for per-process messages, else 0
};

// An I/O completion port that receives job notifications. One port can serve many jobs (the
// key tells them apart), so the supervisor needs one port and one draining call per tick.
class JobCompletionPort
{
public:
    static Result<JobCompletionPort> create();

    HANDLE handle() const noexcept { return m_port.get(); }
    bool valid() const noexcept { return m_port.valid(); }

    // Waits up to timeoutMs for one message. nullopt on timeout.
    std::optional<JobMessage> next(DWORD timeoutMs);
    // Waits up to timeoutMs for the first message, then takes whatever else is already queued
    // without waiting, up to maxMessages. An empty result means nothing arrived in time.
    std::vector<JobMessage> drain(DWORD timeoutMs, std::size_t maxMessages = 256);

private:
    UniqueHandle m_port;
};

class JobObject
{
public:
    JobObject() noexcept = default;

    // Creates an unnamed job, or a named one (e.g. L"Local\\drover-job-<pool>-<replica>") that
    // another process may open; applies `limits` before any process can join.
    static Result<JobObject> create(const JobLimits &limits = {}, const std::wstring &name = {});
    // Opens an existing named job (JOB_OBJECT_ALL_ACCESS).
    static Result<JobObject> open(const std::wstring &name);

    HANDLE handle() const noexcept { return m_job.get(); }
    bool valid() const noexcept { return m_job.valid(); }
    // Closing the last handle of a KILL_ON_JOB_CLOSE job kills its processes.
    void close() noexcept { m_job.reset(); }

    Status assign(HANDLE process);
    // IsProcessInJob: also true when the process is in a job nested inside this one.
    Result<bool> contains(HANDLE process) const;

    // Applies all limits at once. Safe on a running job: that is live re-tiering.
    Status setLimits(const JobLimits &limits);
    // JobObjectCpuRateControlInformation with ENABLE|HARD_CAP; 0 removes the cap.
    Status setCpuRate(std::uint32_t cpuRate);
    // Changes only the per-process commit limit (0 removes it), keeping the other limits.
    Status setProcessMemoryLimit(std::uint64_t bytes);
    // The limits as Windows reports them (wine reports zeros).
    Result<JobLimits> queryLimits() const;

    // Kills every process in the job; each gets exitCode as its exit code.
    Status terminate(UINT exitCode);

    // Ids of the live processes in the job (including nested jobs). Grows the buffer when
    // Windows reports more processes than fit (capacityHint is the first attempt).
    Result<std::vector<DWORD>> processIds(std::size_t capacityHint = 32) const;
    Result<JobAccounting> accounting() const;

    // Routes this job's messages to `port` with `key`. Associate before the first process
    // joins, or its NEW_PROCESS message is lost. Messages are notifications: Microsoft does not
    // guarantee their delivery, so state is always confirmed by queries (processIds, handles).
    Status associate(const JobCompletionPort &port, ULONG_PTR key);

private:
    explicit JobObject(HANDLE job) noexcept : m_job(job) {}

    Status setExtendedLimits(const JobLimits &limits);
    Status setCpuRateInternal(std::uint32_t cpuRate);

    UniqueHandle m_job;
    // The limits last applied through this object. Partial updates (setCpuRate,
    // setProcessMemoryLimit) start from here rather than from QueryInformationJobObject, so a
    // system that reports zeros (wine) cannot make a partial update drop KILL_ON_JOB_CLOSE.
    std::optional<JobLimits> m_applied;
};

} // namespace drover::win
