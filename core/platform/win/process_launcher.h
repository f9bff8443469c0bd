// Starting a replica inside its job before it runs a single instruction, so no grandchild can
// escape the job and no limit starts late.
#pragma once

#include "job_object.h"
#include "win_common.h"

#include <utility>
#include <vector>

namespace drover::win {

// How the child relates to a console.
enum class ConsoleMode {
    // CREATE_NO_WINDOW: a console program gets a console of its own that has no window, so
    // nothing pops up, and a GUI Drover can still AttachConsole to it to deliver CTRL_BREAK
    // (CtrlBreakRoute::AttachToTargetConsole). The default for agents.
    NoWindow,
    // Share the caller's console (a console Drover, or tests): CTRL_BREAK is delivered
    // directly (CtrlBreakRoute::SharedConsole).
    Inherit,
    // DETACHED_PROCESS: no console at all. CTRL_BREAK cannot reach it; only for programs that
    // stop by named event or HTTP.
    Detached,
};

// How the child is put into the job.
enum class JobPlacement {
    // PROC_THREAD_ATTRIBUTE_JOB_LIST when the system has it (Windows 10), else the fallback.
    Auto,
    // PROC_THREAD_ATTRIBUTE_JOB_LIST only: CreateProcess places the process in the jobs.
    AttributeList,
    // CREATE_SUSPENDED -> AssignProcessToJobObject -> ResumeThread.
    SuspendAssignResume,
};

struct LaunchOptions
{
    // Full command line, already quoted (see buildCommandLine). The program is the first token
    // unless `application` is given.
    std::wstring commandLine;
    // Optional explicit executable path (lpApplicationName): avoids the search-path ambiguity
    // of an unquoted program name with spaces.
    std::wstring application;
    // Empty = the caller's working directory.
    std::wstring workingDirectory;
    // Complete environment (name, value); nullopt = inherit the caller's. Build it from
    // currentEnvironment() plus the pool's variables.
    std::optional<std::vector<std::pair<std::wstring, std::wstring>>> environment;
    // Handles for the child's stdin/stdout/stderr; nullptr = none (NUL for a console child).
    // Not owned and need not be inheritable: the launcher passes inheritable duplicates and
    // only those (PROC_THREAD_ATTRIBUTE_HANDLE_LIST), so no other handle of Drover leaks.
    HANDLE stdInput = nullptr;
    HANDLE stdOutput = nullptr;
    HANDLE stdError = nullptr;
    // CREATE_NEW_PROCESS_GROUP: the child's pid becomes its group id, the target of
    // CTRL_BREAK. It also makes the child ignore CTRL+C, so an operator's Ctrl+C in Drover's
    // console does not hit the fleet.
    bool newProcessGroup = true;
    ConsoleMode console = ConsoleMode::NoWindow;
    JobPlacement placement = JobPlacement::Auto;
    // Leave the main thread suspended after placement (resume with ResumeThread(thread)).
    bool keepSuspended = false;
    // Extra jobs to join at creation (nested inside or beside `job`); JOB_LIST accepts several.
    std::vector<HANDLE> extraJobs;
};

struct LaunchedProcess
{
    UniqueHandle process;
    UniqueHandle thread;
    DWORD processId = 0;
    DWORD threadId = 0;
    JobPlacement usedPlacement = JobPlacement::Auto;
};

// Starts the child in `job` (may be null: no job) according to `options`. On any failure
// after the process exists, the process is terminated: it never runs outside its job.
Result<LaunchedProcess> launchProcess(const LaunchOptions &options, const JobObject *job);

// For a process that someone else started suspended (QProcess with CREATE_SUSPENDED through
// setCreateProcessArgumentsModifier; Qt 6 exposes only the pid): assign it to the job, then
// find its only thread with a Toolhelp32 snapshot and resume it. On failure the process is
// terminated.
Status assignSuspendedAndResume(const JobObject &job, DWORD processId);

// Quotes one argument so CommandLineToArgvW and the MSVC CRT give it back unchanged
// (backslashes are literal except before a quote).
std::wstring quoteArgument(const std::wstring &argument);
std::wstring buildCommandLine(const std::vector<std::wstring> &arguments);

// The caller's environment as (name, value), including the "=C:" drive-directory entries.
std::vector<std::pair<std::wstring, std::wstring>> currentEnvironment();
// Sets or replaces `name` (case-insensitively, as Windows compares variable names).
void setEnvironmentVariable(std::vector<std::pair<std::wstring, std::wstring>> &environment,
                            const std::wstring &name, const std::wstring &value);
// A CREATE_UNICODE_ENVIRONMENT block: "name=value\0...\0\0", sorted case-insensitively by name
// as the CreateProcess documentation requires, later duplicates winning.
std::wstring buildEnvironmentBlock(std::vector<std::pair<std::wstring, std::wstring>> environment);

// The directory of the running executable (to find helpers shipped beside it).
std::wstring executableDirectory();

} // namespace drover::win
