// Stopping an agent on Windows, which has no SIGTERM. The order (DESIGN.md, agent contract):
// the agent's own protocol (POST /shutdown, or the named stop event below) -> wait ->
// CTRL_BREAK to its process group -> wait -> TerminateJobObject for the whole tree.
#pragma once

#include "job_object.h"
#include "win_common.h"

namespace drover::win {

// L"Local\\drover-stop-<pid>": per logon session (Local\), keyed by the agent's pid, which
// both sides know without passing anything else.
std::wstring stopEventName(DWORD processId);

// A manual-reset named event an agent waits on and the supervisor sets. Both sides use
// CreateEventW (create-or-open), so neither has to start first. The supervisor should create
// it right after launch and keep it for the replica's lifetime: a named object lives only as
// long as a handle to it, so a signal set and closed before the agent opened the name would
// be lost.
class StopEvent
{
public:
    // Supervisor side.
    static Result<StopEvent> forProcess(DWORD processId);
    // Agent side: the event for this process.
    static Result<StopEvent> forCurrentProcess();

    HANDLE handle() const noexcept { return m_event.get(); }
    Status signal();
    bool isSignaled() const noexcept;
    // WAIT_OBJECT_0 when signalled, WAIT_TIMEOUT, or WAIT_FAILED.
    DWORD wait(DWORD timeoutMs) const noexcept;

private:
    UniqueHandle m_event;
};

// One-shot: opens the agent's existing event and sets it. ERROR_FILE_NOT_FOUND means the agent
// has not created one (it does not take part in this protocol, or is not up yet).
Status signalStopEvent(DWORD processId);

enum class CtrlBreakRoute {
    // The caller and the target share a console (a console Drover, ConsoleMode::Inherit).
    SharedConsole,
    // The caller has no console (GUI Drover) and the target has its own (ConsoleMode::NoWindow
    // gives it a windowless one): AttachConsole(target) -> GenerateConsoleCtrlEvent ->
    // FreeConsole. A process has one console at a time, so this is serialised in-process;
    // it fails with ERROR_ACCESS_DENIED if the caller already has a console.
    AttachToTargetConsole,
};

// Sends CTRL_BREAK_EVENT to the process group led by processGroupId (the pid of a child started
// with CREATE_NEW_PROCESS_GROUP). CTRL_BREAK, unlike CTRL+C, cannot be turned off by the
// group's inherited "ignore CTRL+C" flag, and it is limited to that group; CTRL+C would hit
// every process on the console, Drover included.
Status sendCtrlBreak(DWORD processGroupId, CtrlBreakRoute route);

struct StopPlan
{
    bool useStopEvent = true;
    DWORD stopEventWaitMs = 5000;
    // Only for agents that have a console (ConsoleMode::NoWindow or Inherit, not Detached) and
    // handle CTRL_BREAK; the default handler would just ExitProcess.
    bool useCtrlBreak = false;
    CtrlBreakRoute ctrlBreakRoute = CtrlBreakRoute::AttachToTargetConsole;
    DWORD ctrlBreakWaitMs = 5000;
    // The exit code TerminateJobObject gives to whatever is still running.
    UINT killExitCode = 1;
};

enum class StopStage { AlreadyExited, StopEvent, CtrlBreak, TerminateJob, Failed };
const char *stopStageName(StopStage stage) noexcept;

struct StopOutcome
{
    StopStage stoppedBy = StopStage::Failed;
    DWORD exitCode = 0; // of the main process
    Status lastError;   // the last step that failed, for the log (a skipped step is not fatal)
};

// Runs the whole sequence and blocks up to stopEventWaitMs + ctrlBreakWaitMs (+ the kill). The
// engine thread must not block its tick on it: call it from a worker, or drive the steps above
// from its own timers. After the main process exits the job is terminated anyway, to reap
// descendants the agent left behind. `event` may be null (the one-shot open is tried then).
StopOutcome stopGracefully(JobObject &job, HANDLE process, DWORD processId, StopEvent *event,
                           const StopPlan &plan);

} // namespace drover::win
