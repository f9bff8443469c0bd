#include "graceful_stop.h"

#include <mutex>

namespace drover::win {

std::wstring stopEventName(DWORD processId)
{
    return L"Local\\drover-stop-" + std::to_wstring(processId);
}

Result<StopEvent> StopEvent::forProcess(DWORD processId)
{
    StopEvent stop;
    HANDLE event = ::CreateEventW(nullptr, TRUE, FALSE, stopEventName(processId).c_str());
    if (!event)
        return Status::lastError("CreateEventW");
    stop.m_event.reset(event);
    return stop;
}

Result<StopEvent> StopEvent::forCurrentProcess()
{
    return forProcess(::GetCurrentProcessId());
}

Status StopEvent::signal()
{
    if (!::SetEvent(m_event.get()))
        return Status::lastError("SetEvent");
    return Status::success();
}

bool StopEvent::isSignaled() const noexcept
{
    return wait(0) == WAIT_OBJECT_0;
}

DWORD StopEvent::wait(DWORD timeoutMs) const noexcept
{
    return ::WaitForSingleObject(m_event.get(), timeoutMs);
}

Status signalStopEvent(DWORD processId)
{
    UniqueHandle event(::OpenEventW(EVENT_MODIFY_STATE, FALSE, stopEventName(processId).c_str()));
    if (!event)
        return Status::lastError("OpenEventW");
    if (!::SetEvent(event.get()))
        return Status::lastError("SetEvent");
    return Status::success();
}

Status sendCtrlBreak(DWORD processGroupId, CtrlBreakRoute route)
{
    if (route == CtrlBreakRoute::SharedConsole) {
        if (!::GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, processGroupId))
            return Status::lastError("GenerateConsoleCtrlEvent");
        return Status::success();
    }

    // The console is per process: two threads attaching at once would signal the wrong console.
    static std::mutex consoleMutex;
    std::lock_guard<std::mutex> lock(consoleMutex);

    // AttachConsole replaces the standard handles of a process that had none with the
    // attached console's; they dangle after FreeConsole, and a child started later with
    // inherited stdio would get them. Put the originals back.
    const HANDLE savedIn = ::GetStdHandle(STD_INPUT_HANDLE);
    const HANDLE savedOut = ::GetStdHandle(STD_OUTPUT_HANDLE);
    const HANDLE savedErr = ::GetStdHandle(STD_ERROR_HANDLE);

    if (!::AttachConsole(processGroupId))
        return Status::lastError("AttachConsole"); // ERROR_ACCESS_DENIED: we have a console
    // No ctrl handler is installed for the caller: its own process group differs from the
    // target's, so the CTRL_BREAK aimed at the target's group does not reach it (CTRL+C, which
    // would, is never sent).
    Status status = Status::success();
    if (!::GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, processGroupId))
        status = Status::lastError("GenerateConsoleCtrlEvent");
    ::FreeConsole();
    ::SetStdHandle(STD_INPUT_HANDLE, savedIn);
    ::SetStdHandle(STD_OUTPUT_HANDLE, savedOut);
    ::SetStdHandle(STD_ERROR_HANDLE, savedErr);
    return status;
}

const char *stopStageName(StopStage stage) noexcept
{
    switch (stage) {
    case StopStage::AlreadyExited: return "already-exited";
    case StopStage::StopEvent: return "stop-event";
    case StopStage::CtrlBreak: return "ctrl-break";
    case StopStage::TerminateJob: return "terminate-job";
    case StopStage::Failed: break;
    }
    return "failed";
}

StopOutcome stopGracefully(JobObject &job, HANDLE process, DWORD processId, StopEvent *event,
                           const StopPlan &plan)
{
    StopOutcome outcome;
    const auto finish = [&](StopStage stage) {
        outcome.stoppedBy = stage;
        DWORD code = 0;
        if (::GetExitCodeProcess(process, &code))
            outcome.exitCode = code;
        // The main process is gone; descendants it left in the job go too (their exit code
        // is the kill code, the main process keeps its own).
        if (job.valid()) {
            const Status reaped = job.terminate(plan.killExitCode);
            if (!reaped)
                outcome.lastError = reaped;
        }
        return outcome;
    };

    if (::WaitForSingleObject(process, 0) == WAIT_OBJECT_0)
        return finish(StopStage::AlreadyExited);

    if (plan.useStopEvent) {
        const Status signalled = event ? event->signal() : signalStopEvent(processId);
        if (!signalled)
            outcome.lastError = signalled;
        else if (::WaitForSingleObject(process, plan.stopEventWaitMs) == WAIT_OBJECT_0)
            return finish(StopStage::StopEvent);
    }
    if (plan.useCtrlBreak) {
        const Status sent = sendCtrlBreak(processId, plan.ctrlBreakRoute);
        if (!sent)
            outcome.lastError = sent;
        else if (::WaitForSingleObject(process, plan.ctrlBreakWaitMs) == WAIT_OBJECT_0)
            return finish(StopStage::CtrlBreak);
    }

    const Status killed = job.terminate(plan.killExitCode);
    if (!killed) {
        outcome.lastError = killed;
        outcome.stoppedBy = StopStage::Failed;
        return outcome;
    }
    // TerminateJobObject is asynchronous for the processes' final teardown; wait so the caller
    // sees the exit code and a released image file.
    ::WaitForSingleObject(process, 5000);
    outcome.stoppedBy = StopStage::TerminateJob;
    DWORD code = 0;
    if (::GetExitCodeProcess(process, &code))
        outcome.exitCode = code;
    return outcome;
}

} // namespace drover::win
