// Tests of core/platform/win, run under wine on Linux and natively on a Windows runner.
// Plain C++ (no Qt, no framework): prints PASS/FAIL/SKIP per test and "N passed, N failed,
// N skipped" at the end; exits non-zero if anything failed. Arguments, if any, select tests by
// name. What wine 8 does not implement (shared/notes/windows.md) is reported as SKIP under
// wine and really checked on Windows.
#include "graceful_stop.h"
#include "job_object.h"
#include "process_launcher.h"
#include "process_metrics.h"
#include "system_times.h"
#include "win_common.h"

#include <shellapi.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

using namespace drover::win;

namespace {

struct Outcome
{
    enum Kind { Pass, Fail, Skip } kind = Pass;
    std::string why;
};

Outcome pass() { return {Outcome::Pass, {}}; }
Outcome fail(const std::string &why) { return {Outcome::Fail, why}; }
Outcome skipOnWine(const std::string &what)
{
    return {Outcome::Skip, "wine does not implement " + what};
}

#define CHECK(condition, what)                                                                     \
    do {                                                                                           \
        if (!(condition))                                                                          \
            return fail(std::string(what) + " [" #condition "]");                                 \
    } while (0)

#define CHECK_OK(expr, what)                                                                       \
    do {                                                                                           \
        const auto &check_result_ = (expr);                                                        \
        if (!check_result_)                                                                        \
            return fail(std::string(what) + ": " + statusOf(check_result_).message());             \
    } while (0)

const Status &statusOf(const Status &status) { return status; }
template <typename T>
const Status &statusOf(const Result<T> &result)
{
    return result.status();
}

std::wstring childExe()
{
    return executableDirectory() + L"\\drover_win_child.exe";
}

std::wstring childCommand(const std::vector<std::wstring> &arguments)
{
    std::vector<std::wstring> all{childExe()};
    all.insert(all.end(), arguments.begin(), arguments.end());
    return buildCommandLine(all);
}

Result<LaunchedProcess> startChild(const std::vector<std::wstring> &arguments, const JobObject *job,
                                   LaunchOptions options = {})
{
    options.commandLine = childCommand(arguments);
    return launchProcess(options, job);
}

// Exit code once the process has exited within timeoutMs, else nullopt.
std::optional<DWORD> waitExit(HANDLE process, DWORD timeoutMs)
{
    if (::WaitForSingleObject(process, timeoutMs) != WAIT_OBJECT_0)
        return std::nullopt;
    DWORD code = 0;
    if (!::GetExitCodeProcess(process, &code))
        return std::nullopt;
    return code;
}

std::string exitText(const std::optional<DWORD> &code)
{
    return code ? "exit code " + std::to_string(*code) : std::string("still running");
}

struct Pipe
{
    UniqueHandle read;
    UniqueHandle write;
};

Pipe makePipe()
{
    Pipe pipe;
    HANDLE read = nullptr, write = nullptr;
    // Not inheritable: the launcher passes its own inheritable duplicate of the write end.
    if (::CreatePipe(&read, &write, nullptr, 0)) {
        pipe.read.reset(read);
        pipe.write.reset(write);
    }
    return pipe;
}

// Reads from a pipe until `untilText` has arrived, the writer closed it, or the deadline.
// PeekNamedPipe polling keeps a hung child from hanging the test.
std::string readPipe(HANDLE pipe, DWORD timeoutMs, const std::string &untilText = {})
{
    std::string text;
    const ULONGLONG deadline = ::GetTickCount64() + timeoutMs;
    while (::GetTickCount64() < deadline) {
        DWORD available = 0;
        if (!::PeekNamedPipe(pipe, nullptr, 0, nullptr, &available, nullptr))
            break; // broken pipe: every writer is gone
        if (available == 0) {
            ::Sleep(5);
            continue;
        }
        char buffer[4096];
        DWORD got = 0;
        if (!::ReadFile(pipe, buffer, std::min<DWORD>(available, sizeof(buffer)), &got, nullptr))
            break;
        text.append(buffer, got);
        if (!untilText.empty() && text.find(untilText) != std::string::npos)
            break;
    }
    text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());
    return text;
}

std::string trimmed(std::string text)
{
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    return text;
}

bool containsPid(const std::vector<DWORD> &ids, DWORD pid)
{
    return std::find(ids.begin(), ids.end(), pid) != ids.end();
}

std::wstring imageNameOf(DWORD pid)
{
    Result<std::vector<ProcessSnapshotEntry>> snapshot = snapshotProcesses();
    if (snapshot)
        for (const auto &entry : snapshot.value())
            if (entry.processId == pid)
                return entry.imageName;
    return L"?";
}

std::wstring uniqueName(const wchar_t *prefix)
{
    static int counter = 0;
    return std::wstring(L"Local\\") + prefix + L"-" + std::to_wstring(::GetCurrentProcessId()) + L"-"
            + std::to_wstring(++counter);
}

// ---------------------------------------------------------------------------------------------

Outcome testCpuRateMath()
{
    CHECK(cpuRateForCores(2, 8) == 2500, "2 of 8 cores is 25 %");
    CHECK(cpuRateForCores(1, 1) == 10000, "the whole machine");
    CHECK(cpuRateForCores(16, 8) == 10000, "more than the machine clamps to 100 %");
    CHECK(cpuRateForCores(0, 4) == 1, "zero is refused by Windows, so the minimum");
    CHECK(cpuRateForCores(0.5, 4) == 1250, "half a core of 4");
    CHECK(cpuRateForCores(0.00001, 64) == 1, "tiny rates stay >= 1");
    CHECK(cpuRateForCores(1, 3) == 3333, "rounded to nearest");
    CHECK(cpuRateForCores(1, 0) == 10000, "0 machine cores treated as 1");
    CHECK(logicalProcessorCount() >= 1, "at least one processor");
    return pass();
}

Outcome testCommandLineQuoting()
{
    const std::vector<std::wstring> arguments{L"plain", L"two words", L"", L"x\\\"y",
                                              L"C:\\path with space\\", L"back\\\\slash",
                                              L"\"quoted\"", L"tab\there"};
    // CommandLineToArgvW is the reference parser (the CRT follows the same rules).
    const std::wstring line = buildCommandLine(std::vector<std::wstring>{L"prog.exe"})
            + L" " + buildCommandLine(arguments);
    int count = 0;
    LPWSTR *parsed = ::CommandLineToArgvW(line.c_str(), &count);
    CHECK(parsed != nullptr, "CommandLineToArgvW");
    bool same = count == static_cast<int>(arguments.size()) + 1;
    for (int i = 1; same && i < count; ++i)
        same = arguments[static_cast<std::size_t>(i - 1)] == parsed[i];
    ::LocalFree(parsed);
    CHECK(same, "round trip through CommandLineToArgvW: " + toUtf8(line));

    // End to end: the child's CRT sees the same arguments.
    Pipe out = makePipe();
    LaunchOptions options;
    options.stdOutput = out.write.get();
    std::vector<std::wstring> childArgs{L"print-args"};
    childArgs.insert(childArgs.end(), arguments.begin(), arguments.end());
    Result<LaunchedProcess> child = startChild(childArgs, nullptr, options);
    CHECK_OK(child, "launch print-args");
    out.write.reset(); // our copy: the pipe reaches EOF when the child exits
    const std::string text = readPipe(out.read.get(), 20000);
    std::string expected;
    for (const auto &argument : arguments)
        expected += "[" + toUtf8(argument) + "]\n";
    CHECK(text == expected, "child saw: " + text);
    CHECK(waitExit(child->process.get(), 10000) == DWORD(0), "print-args exit");
    return pass();
}

Outcome testEnvironmentBlock()
{
    const std::wstring block = buildEnvironmentBlock(
            {{L"zeta", L"1"}, {L"Alpha", L"2"}, {L"beta", L"3"}, {L"ALPHA", L"4"}});
    const std::wstring expected = std::wstring(L"ALPHA=4") + L'\0' + L"beta=3" + L'\0' + L"zeta=1"
            + L'\0' + L'\0';
    CHECK(block == expected, "sorted case-insensitively, later duplicate wins, double NUL");
    CHECK(buildEnvironmentBlock({}) == std::wstring(2, L'\0'), "empty block");

    auto environment = currentEnvironment();
    CHECK(!environment.empty(), "current environment is readable");
    setEnvironmentVariable(environment, L"DROVER_POOL", L"alpha \u00e9t\u00e9");
    Pipe out = makePipe();
    LaunchOptions options;
    options.environment = environment;
    options.stdOutput = out.write.get();
    Result<LaunchedProcess> child = startChild({L"print-env", L"DROVER_POOL"}, nullptr, options);
    CHECK_OK(child, "launch print-env");
    out.write.reset();
    const std::string text = trimmed(readPipe(out.read.get(), 20000));
    CHECK(text == "alpha \xc3\xa9t\xc3\xa9", "child saw DROVER_POOL=" + text);
    CHECK(waitExit(child->process.get(), 10000) == DWORD(0), "print-env exit");
    return pass();
}

Outcome testWorkingDirectoryAndStdio()
{
    wchar_t temp[MAX_PATH + 1];
    const DWORD length = ::GetTempPathW(MAX_PATH + 1, temp);
    CHECK(length > 0, "GetTempPathW");
    std::wstring directory(temp, length);
    while (directory.size() > 3 && (directory.back() == L'\\' || directory.back() == L'/'))
        directory.pop_back();

    Pipe out = makePipe();
    LaunchOptions options;
    options.workingDirectory = directory;
    options.stdOutput = out.write.get();
    Result<LaunchedProcess> child = startChild({L"print-cwd"}, nullptr, options);
    CHECK_OK(child, "launch print-cwd");
    out.write.reset();
    std::string seen = trimmed(readPipe(out.read.get(), 20000));
    while (seen.size() > 3 && (seen.back() == '\\' || seen.back() == '/'))
        seen.pop_back();
    CHECK(::CompareStringOrdinal(fromUtf8(seen).c_str(), -1, directory.c_str(), -1, TRUE) == CSTR_EQUAL,
          "cwd " + seen + " vs " + toUtf8(directory));
    CHECK(waitExit(child->process.get(), 10000) == DWORD(0), "print-cwd exit");

    // stderr goes to its own handle, and stdout (not given) goes to NUL, not to our console.
    Pipe err = makePipe();
    LaunchOptions errOptions;
    errOptions.stdError = err.write.get();
    Result<LaunchedProcess> errChild = startChild({L"stderr", L"to-stderr"}, nullptr, errOptions);
    CHECK_OK(errChild, "launch stderr");
    err.write.reset();
    CHECK(trimmed(readPipe(err.read.get(), 20000)) == "to-stderr", "stderr redirected");
    CHECK(waitExit(errChild->process.get(), 10000) == DWORD(0), "stderr exit");
    return pass();
}

Outcome testJobLifecycle()
{
    const std::wstring name = uniqueName(L"drover-test-job");
    Result<JobObject> job = JobObject::create({}, name);
    CHECK_OK(job, "create named job");
    CHECK(!JobObject::create({}, name), "creating the same name again is refused");
    Result<JobObject> opened = JobObject::open(name);
    CHECK_OK(opened, "open by name");

    Result<LaunchedProcess> child = startChild({L"sleep", L"60000"}, &job.value());
    CHECK_OK(child, "launch sleeper");
    Result<bool> inJob = job->contains(child->process.get());
    CHECK_OK(inJob, "IsProcessInJob");
    CHECK(inJob.value(), "child is in the job");
    Result<bool> inOpened = opened->contains(child->process.get());
    CHECK(inOpened && inOpened.value(), "the opened handle names the same job");
    Result<bool> selfInJob = job->contains(::GetCurrentProcess());
    CHECK(selfInJob && !selfInJob.value(), "the test itself is not in the job");

    Result<std::vector<DWORD>> ids = job->processIds();
    CHECK_OK(ids, "process id list");
    CHECK(ids->size() == 1 && containsPid(ids.value(), child->processId), "exactly the child");

    CHECK_OK(job->terminate(3), "TerminateJobObject");
    CHECK(waitExit(child->process.get(), 10000) == DWORD(3), "child killed with code 3");
    ids = job->processIds();
    CHECK(ids && ids->empty(), "the job is empty afterwards");
    job->close();
    CHECK(!job->valid(), "closed");
    return pass();
}

Outcome testKillOnJobClose()
{
    Result<JobObject> job = JobObject::create();
    CHECK_OK(job, "create job");
    Result<LaunchedProcess> child = startChild({L"sleep", L"60000"}, &job.value());
    CHECK_OK(child, "launch sleeper");
    CHECK(!waitExit(child->process.get(), 100), "sleeper runs");
    job->close(); // the last handle: KILL_ON_JOB_CLOSE fires
    CHECK(waitExit(child->process.get(), 10000), "child died when the job handle closed");
    return pass();
}

Outcome testKillOnCloseWhenOwnerDies()
{
    // The real scenario: Drover (here an intermediate child) holds the only job handle and
    // dies without any cleanup. Its replica (the grandchild) must die with it.
    Pipe out = makePipe();
    LaunchOptions options;
    options.stdOutput = out.write.get();
    Result<LaunchedProcess> owner = startChild({L"spawn-sleeper"}, nullptr, options);
    CHECK_OK(owner, "launch owner");
    out.write.reset();
    const std::string line = trimmed(readPipe(out.read.get(), 20000, "\n"));
    const DWORD grandchildPid = static_cast<DWORD>(std::strtoul(line.c_str(), nullptr, 10));
    CHECK(grandchildPid != 0, "owner reported its replica's pid: '" + line + "'");
    UniqueHandle grandchild(::OpenProcess(SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION, FALSE,
                                          grandchildPid));
    CHECK(grandchild.valid(), "open the replica");
    CHECK(!waitExit(grandchild.get(), 100), "replica runs");
    CHECK(::TerminateProcess(owner->process.get(), 1), "kill the owner");
    CHECK(waitExit(owner->process.get(), 10000), "owner died");
    CHECK(waitExit(grandchild.get(), 10000), "replica died with its owner");
    return pass();
}

Outcome testTerminateKeepsExitCode()
{
    Result<JobObject> job = JobObject::create();
    CHECK_OK(job, "create job");
    Result<LaunchedProcess> a = startChild({L"sleep", L"60000"}, &job.value());
    Result<LaunchedProcess> b = startChild({L"sleep", L"60000"}, &job.value());
    CHECK_OK(a, "launch a");
    CHECK_OK(b, "launch b");
    CHECK_OK(job->terminate(0xD0), "TerminateJobObject");
    const auto codeA = waitExit(a->process.get(), 10000);
    const auto codeB = waitExit(b->process.get(), 10000);
    CHECK(codeA == DWORD(0xD0), "a: " + exitText(codeA));
    CHECK(codeB == DWORD(0xD0), "b: " + exitText(codeB));
    return pass();
}

Outcome testNestedJobs()
{
    Result<JobObject> outer = JobObject::create();
    Result<JobObject> inner = JobObject::create();
    CHECK_OK(outer, "outer");
    CHECK_OK(inner, "inner");
    // Joining outer then inner nests inner inside outer (Windows 8+).
    LaunchOptions options;
    options.extraJobs = {inner->handle()};
    Result<LaunchedProcess> first = startChild({L"sleep", L"60000"}, &outer.value(), options);
    CHECK_OK(first, "launch into outer+inner");
    Result<bool> inOuter = outer->contains(first->process.get());
    Result<bool> inInner = inner->contains(first->process.get());
    CHECK(inOuter && inOuter.value(), "in outer");
    CHECK(inInner && inInner.value(), "in inner");
    Result<std::vector<DWORD>> outerIds = outer->processIds();
    CHECK(outerIds && containsPid(outerIds.value(), first->processId), "outer lists the nested child");

    // Terminating the inner job leaves the outer one alone.
    Result<LaunchedProcess> sibling = startChild({L"sleep", L"60000"}, &outer.value());
    CHECK_OK(sibling, "launch outer-only sibling");
    CHECK_OK(inner->terminate(5), "terminate inner");
    CHECK(waitExit(first->process.get(), 10000) == DWORD(5), "inner child got code 5");
    CHECK(!waitExit(sibling->process.get(), 200), "outer-only sibling survives");

    // Terminating the outer job reaches into the nested one.
    Result<LaunchedProcess> second = startChild({L"sleep", L"60000"}, &inner.value());
    CHECK_OK(second, "launch into inner (nested in outer)");
    Result<bool> secondInOuter = outer->contains(second->process.get());
    CHECK(secondInOuter && secondInOuter.value(), "a process of the nested job is in outer too");
    CHECK_OK(outer->terminate(6), "terminate outer");
    CHECK(waitExit(second->process.get(), 10000) == DWORD(6), "nested child got code 6");
    CHECK(waitExit(sibling->process.get(), 10000) == DWORD(6), "sibling got code 6");
    return pass();
}

Outcome testJobListAttribute()
{
    Result<JobObject> job = JobObject::create();
    CHECK_OK(job, "create job");
    LaunchOptions options;
    options.placement = JobPlacement::AttributeList;
    Result<LaunchedProcess> child = startChild({L"sleep", L"300"}, &job.value(), options);
    CHECK_OK(child, "CreateProcessW with PROC_THREAD_ATTRIBUTE_JOB_LIST");
    CHECK(child->usedPlacement == JobPlacement::AttributeList, "placed by the attribute");
    Result<bool> inJob = job->contains(child->process.get());
    CHECK(inJob && inJob.value(), "in the job");
    CHECK(waitExit(child->process.get(), 10000) == DWORD(0), "ran normally");

    // Auto picks the attribute where it exists.
    Result<LaunchedProcess> automatic = startChild({L"exit", L"0"}, &job.value());
    CHECK_OK(automatic, "Auto placement");
    CHECK(automatic->usedPlacement == JobPlacement::AttributeList, "Auto used the attribute");
    CHECK(waitExit(automatic->process.get(), 10000) == DWORD(0), "Auto child ran");
    return pass();
}

Outcome testSuspendAssignResume()
{
    Result<JobObject> job = JobObject::create();
    CHECK_OK(job, "create job");
    LaunchOptions options;
    options.placement = JobPlacement::SuspendAssignResume;
    Result<LaunchedProcess> child = startChild({L"sleep", L"300"}, &job.value(), options);
    CHECK_OK(child, "suspended launch");
    CHECK(child->usedPlacement == JobPlacement::SuspendAssignResume, "placed by assignment");
    Result<bool> inJob = job->contains(child->process.get());
    CHECK(inJob && inJob.value(), "in the job");
    CHECK(waitExit(child->process.get(), 10000) == DWORD(0), "resumed and ran normally");
    return pass();
}

Outcome testAssignSuspendedByPid()
{
    // The QProcess route: someone else created the process suspended; we only know its pid.
    Result<JobObject> job = JobObject::create();
    CHECK_OK(job, "create job");
    LaunchOptions options;
    options.keepSuspended = true;
    Result<LaunchedProcess> child = startChild({L"exit", L"9"}, nullptr, options);
    CHECK_OK(child, "launch suspended without a job");
    CHECK(!waitExit(child->process.get(), 300), "stays suspended");
    CHECK_OK(assignSuspendedAndResume(job.value(), child->processId), "assign and resume by pid");
    Result<bool> inJob = job->contains(child->process.get());
    CHECK(inJob && inJob.value(), "in the job");
    CHECK(waitExit(child->process.get(), 10000) == DWORD(9), "resumed and exited with 9");
    return pass();
}

Outcome testCompletionPortMessages()
{
    Result<JobCompletionPort> port = JobCompletionPort::create();
    CHECK_OK(port, "create port");
    Result<JobObject> job = JobObject::create();
    CHECK_OK(job, "create job");
    const ULONG_PTR key = 0xD20;
    CHECK_OK(job->associate(port.value(), key), "associate"); // before the first process
    Result<LaunchedProcess> child = startChild({L"exit", L"7"}, &job.value());
    CHECK_OK(child, "launch");
    CHECK(waitExit(child->process.get(), 10000) == DWORD(7), "child exit 7");

    bool sawNew = false, sawExit = false, sawZero = false, keysMatch = true;
    const ULONGLONG deadline = ::GetTickCount64() + 10000;
    while (!sawZero && ::GetTickCount64() < deadline) {
        for (const JobMessage &message : port->drain(500)) {
            keysMatch = keysMatch && message.key == key;
            if (message.event == JobEvent::NewProcess && message.processId == child->processId)
                sawNew = true;
            if (message.event == JobEvent::ExitProcess && message.processId == child->processId)
                sawExit = true;
            if (message.event == JobEvent::ActiveProcessZero)
                sawZero = true;
        }
    }
    CHECK(sawNew, "NEW_PROCESS with the child's pid");
    CHECK(sawExit, "EXIT_PROCESS with the child's pid");
    CHECK(sawZero, "ACTIVE_PROCESS_ZERO");
    CHECK(keysMatch, "every message carries the completion key");
    CHECK(port->drain(0).empty(), "nothing left");
    return pass();
}

Outcome testNamedEventStop()
{
    Result<JobObject> job = JobObject::create();
    CHECK_OK(job, "create job");
    Result<LaunchedProcess> child = startChild({L"wait-stop", L"30000"}, &job.value());
    CHECK_OK(child, "launch wait-stop");
    // Created right after launch: the child may or may not have created it yet; both sides
    // use create-or-open, so it does not matter.
    Result<StopEvent> stop = StopEvent::forProcess(child->processId);
    CHECK_OK(stop, "create the stop event");
    CHECK(!waitExit(child->process.get(), 200), "agent waits");
    CHECK_OK(stop->signal(), "signal");
    CHECK(waitExit(child->process.get(), 10000) == DWORD(0), "agent stopped cleanly with 0");
    CHECK(stopEventName(1234) == L"Local\\drover-stop-1234", "event name");
    return pass();
}

Outcome testGracefulStopSequence()
{
    // 1. An agent that listens: the one-shot open finds its event, it exits 0.
    Result<JobObject> job = JobObject::create();
    CHECK_OK(job, "create job");
    Pipe out = makePipe();
    LaunchOptions options;
    options.stdOutput = out.write.get();
    Result<LaunchedProcess> polite = startChild({L"wait-stop", L"30000"}, &job.value(), options);
    CHECK_OK(polite, "launch wait-stop");
    out.write.reset();
    CHECK(readPipe(out.read.get(), 20000, "ready\n").find("ready") != std::string::npos,
          "agent created its event");
    StopPlan plan;
    plan.stopEventWaitMs = 10000;
    plan.killExitCode = 77;
    StopOutcome outcome = stopGracefully(job.value(), polite->process.get(), polite->processId,
                                         nullptr, plan);
    CHECK(outcome.stoppedBy == StopStage::StopEvent,
          std::string("stopped by ") + stopStageName(outcome.stoppedBy) + " " + outcome.lastError.message());
    CHECK(outcome.exitCode == 0, "clean exit code kept: " + std::to_string(outcome.exitCode));

    // 2. An agent that ignores everything: the job is terminated with the kill code.
    Result<JobObject> job2 = JobObject::create();
    CHECK_OK(job2, "create job 2");
    Result<LaunchedProcess> stubborn = startChild({L"sleep", L"60000"}, &job2.value());
    CHECK_OK(stubborn, "launch sleeper");
    plan.stopEventWaitMs = 300;
    outcome = stopGracefully(job2.value(), stubborn->process.get(), stubborn->processId, nullptr, plan);
    CHECK(outcome.stoppedBy == StopStage::TerminateJob,
          std::string("stopped by ") + stopStageName(outcome.stoppedBy));
    CHECK(outcome.exitCode == 77, "kill code: " + std::to_string(outcome.exitCode));
    CHECK(outcome.lastError.error == ERROR_FILE_NOT_FOUND, "no event: " + outcome.lastError.message());
    return pass();
}

Outcome testProcessIdList()
{
    Result<JobObject> job = JobObject::create();
    CHECK_OK(job, "create job");
    // Detached children have no console, hence no conhost.exe: the list is exactly them.
    LaunchOptions detached;
    detached.console = ConsoleMode::Detached;
    std::vector<LaunchedProcess> children;
    for (int i = 0; i < 4; ++i) {
        Result<LaunchedProcess> child = startChild({L"sleep", L"60000"}, &job.value(), detached);
        CHECK_OK(child, "launch sleeper");
        children.push_back(std::move(child).value());
    }
    // A capacity of 1 forces the ERROR_MORE_DATA path.
    Result<std::vector<DWORD>> ids = job->processIds(1);
    CHECK_OK(ids, "process id list");
    CHECK(ids->size() == children.size(), "count " + std::to_string(ids->size()));
    for (const auto &child : children)
        CHECK(containsPid(ids.value(), child.processId), "every child listed");

    // A child with a console of its own (CREATE_NO_WINDOW) may bring its conhost.exe into the
    // job (Windows 8+ and wine do): the supervisor must not mistake it for a replica.
    Result<LaunchedProcess> console = startChild({L"sleep", L"60000"}, &job.value());
    CHECK_OK(console, "launch console sleeper");
    ::Sleep(200);
    ids = job->processIds();
    CHECK_OK(ids, "process id list");
    CHECK(containsPid(ids.value(), console->processId), "console child listed");
    for (DWORD pid : ids.value()) {
        const bool ours = pid == console->processId
                || std::any_of(children.begin(), children.end(),
                               [pid](const LaunchedProcess &c) { return c.processId == pid; });
        CHECK(ours || ::CompareStringOrdinal(imageNameOf(pid).c_str(), -1, L"conhost.exe", -1, TRUE)
                              == CSTR_EQUAL,
              "unexpected member " + toUtf8(imageNameOf(pid)));
    }
    CHECK_OK(job->terminate(1), "terminate");
    for (const auto &child : children)
        CHECK(waitExit(child.process.get(), 10000), "child gone");
    return pass();
}

Outcome testJobAccounting()
{
    Result<JobObject> job = JobObject::create();
    CHECK_OK(job, "create job");
    LaunchOptions detached; // no conhost.exe in the counts
    detached.console = ConsoleMode::Detached;
    Result<LaunchedProcess> a = startChild({L"spin", L"300"}, &job.value(), detached);
    Result<LaunchedProcess> b = startChild({L"sleep", L"60000"}, &job.value(), detached);
    CHECK_OK(a, "launch spinner");
    CHECK_OK(b, "launch sleeper");
    CHECK(waitExit(a->process.get(), 10000) == DWORD(0), "spinner done");
    Result<JobAccounting> accounting = job->accounting();
    CHECK_OK(accounting, "accounting");
    CHECK(accounting->totalProcesses == 2, "total " + std::to_string(accounting->totalProcesses));
    CHECK(accounting->activeProcesses == 1, "active " + std::to_string(accounting->activeProcesses));
    if (isWine())
        return skipOnWine("job accounting CPU times (always 0); process counts checked");
    // 300 ms of spinning shows as CPU time even on a busy runner (20 ms is a low bar).
    CHECK(accounting->userTime + accounting->kernelTime >= 200000, "CPU time of the tree");
    return pass();
}

Outcome testSystemTimes()
{
    std::optional<CpuTimes> before = readCpuTimes();
    CHECK(before, "GetSystemTimes");
    CHECK(before->busy() <= before->total(), "busy <= total");
    CHECK(before->idle <= before->kernel, "kernel time includes idle");
    const ULONGLONG deadline = ::GetTickCount64() + 250;
    volatile unsigned long long sink = 0;
    while (::GetTickCount64() < deadline)
        sink = sink + 1;
    std::optional<CpuTimes> after = readCpuTimes();
    CHECK(after, "GetSystemTimes again");
    CHECK(after->total() > before->total(), "counters move");
    CHECK(after->busy() >= before->busy(), "busy only grows");
    std::optional<double> fraction = cpuBusyFraction(*before, *after);
    CHECK(fraction && *fraction >= 0.0 && *fraction <= 1.0, "fraction in [0, 1]");
    CHECK(!cpuBusyFraction(*after, *before), "reversed readings are rejected");
    return pass();
}

Outcome testMemoryStatus()
{
    std::optional<MemoryStatus> memory = readMemoryStatus();
    CHECK(memory, "GlobalMemoryStatusEx");
    CHECK(memory->totalPhysical > 64ull * 1024 * 1024, "some physical memory");
    CHECK(memory->availablePhysical <= memory->totalPhysical, "available <= total");
    CHECK(memory->commitLimit > 0 && memory->commitAvailable <= memory->commitLimit, "commit");
    CHECK(memory->memoryLoadPercent <= 100, "load is a percentage");
    return pass();
}

Outcome testProcessMetrics()
{
    Result<ProcessSample> self = sampleProcess(::GetCurrentProcess());
    CHECK_OK(self, "sample self");
    CHECK(self->processId == ::GetCurrentProcessId(), "self pid");
    CHECK(self->workingSetBytes > 0, "self working set");
    CHECK(self->cpuTime() > 0 || self->createTime > 0, "self times");
    CHECK(!self->exited, "self alive");

    Result<JobObject> job = JobObject::create();
    CHECK_OK(job, "create job");
    Result<LaunchedProcess> child = startChild({L"spin", L"400", L"60000"}, &job.value());
    CHECK_OK(child, "launch spinner");
    ProcessMonitor monitor;
    CHECK_OK(monitor.adopt(child->processId, child->process.get()), "adopt the launcher's handle");
    Result<LaunchedProcess> other = startChild({L"sleep", L"60000"}, &job.value());
    CHECK_OK(other, "launch sleeper");
    CHECK_OK(monitor.track(other->processId), "track by pid");
    CHECK(monitor.size() == 2 && monitor.isTracking(other->processId), "two tracked");
    ::Sleep(600); // the spinner has finished spinning and sleeps
    Result<ProcessSample> sample = monitor.sample(child->processId);
    CHECK_OK(sample, "sample child");
    CHECK(sample->processId == child->processId, "child pid");
    CHECK(sample->workingSetBytes > 0, "child working set");
    CHECK(monitor.sampleAll().size() == 2, "sampleAll");

    CHECK_OK(job->terminate(4), "terminate");
    CHECK(waitExit(child->process.get(), 10000), "child gone");
    Result<ProcessSample> last = monitor.sample(child->processId);
    CHECK_OK(last, "a cached handle still samples an exited process");
    CHECK(last->exited && last->exitCode == 4, "exit seen through the cached handle");
    monitor.untrack(child->processId);
    CHECK(!monitor.isTracking(child->processId) && !monitor.sample(child->processId), "untracked");

    if (isWine())
        return skipOnWine("GetProcessTimes on another process (returns the caller's) and "
                          "PrivateUsage (0); working set and exit checked");
    CHECK(sample->cpuTime() >= 200000, "child CPU time shows 400 ms of spinning");
    CHECK(sample->privateBytes > 0, "child PrivateUsage");
    CHECK(self->privateBytes > 0, "self PrivateUsage");
    return pass();
}

Outcome testProcessSnapshot()
{
    Result<JobObject> job = JobObject::create();
    CHECK_OK(job, "create job");
    Result<LaunchedProcess> child = startChild({L"spin", L"400", L"60000"}, &job.value());
    CHECK_OK(child, "launch spinner");
    ::Sleep(700);
    Result<std::vector<ProcessSnapshotEntry>> snapshot = snapshotProcesses();
    CHECK_OK(snapshot, "NtQuerySystemInformation(SystemProcessInformation)");
    const ProcessSnapshotEntry *self = nullptr;
    const ProcessSnapshotEntry *spinner = nullptr;
    for (const auto &entry : snapshot.value()) {
        if (entry.processId == ::GetCurrentProcessId())
            self = &entry;
        if (entry.processId == child->processId)
            spinner = &entry;
    }
    CHECK(snapshot->size() >= 2, "several processes");
    CHECK(self, "the test is in the snapshot");
    CHECK(spinner, "the child is in the snapshot");
    CHECK(::CompareStringOrdinal(self->imageName.c_str(), -1, L"drover_win_tests.exe", -1, TRUE)
                  == CSTR_EQUAL,
          "image name " + toUtf8(self->imageName));
    CHECK(spinner->parentProcessId == ::GetCurrentProcessId(), "parent pid");
    CHECK(spinner->threadCount >= 1, "threads");
    CHECK(spinner->userTime + spinner->kernelTime >= 200000, "the child's 400 ms of spinning shows");
    CHECK(spinner->workingSetBytes > 0, "working set");
    CHECK_OK(job->terminate(1), "terminate");
    return pass();
}

Outcome testActiveProcessLimit()
{
    JobLimits limits;
    limits.activeProcesses = 1;
    Result<JobObject> job = JobObject::create(limits);
    CHECK_OK(job, "create job with an active process limit");
    LaunchOptions detached; // a conhost.exe would count against the limit
    detached.console = ConsoleMode::Detached;
    Result<LaunchedProcess> first = startChild({L"sleep", L"60000"}, &job.value(), detached);
    CHECK_OK(first, "first process fits");
    Result<LaunchedProcess> second = startChild({L"sleep", L"60000"}, &job.value(), detached);
    if (isWine() && second)
        return skipOnWine("the active process limit");
    // Either creation fails, or the process is terminated at assignment.
    CHECK(!second || waitExit(second->process.get(), 5000), "second process refused");
    CHECK(!waitExit(first->process.get(), 100), "first still runs");
    return pass();
}

Outcome testCpuRateCap()
{
    if (isWine())
        return skipOnWine("CPU rate control (SetInformationJobObject fails with error 87)");
    const unsigned cores = logicalProcessorCount();
    // A quarter of one core, whatever the machine: a single spinning thread is held to it.
    const std::uint32_t rate = cpuRateForCores(0.25, cores);
    JobLimits limits;
    limits.cpuRate = rate;
    Result<JobObject> job = JobObject::create(limits);
    CHECK_OK(job, "create job with a hard cap");
    Result<JobLimits> applied = job->queryLimits();
    CHECK_OK(applied, "query limits");
    CHECK(applied->cpuRate == rate, "cap reads back: " + std::to_string(applied->cpuRate));

    Result<LaunchedProcess> child = startChild({L"spin", L"2000"}, &job.value());
    CHECK_OK(child, "launch spinner");
    CHECK(waitExit(child->process.get(), 20000) == DWORD(0), "spinner done");
    Result<JobAccounting> accounting = job->accounting();
    CHECK_OK(accounting, "accounting");
    const std::uint64_t cpuMs = (accounting->userTime + accounting->kernelTime) / 10000;
    // Uncapped this is ~2000 ms; capped at a quarter core ~500 ms. 1200 leaves room for
    // scheduling-interval granularity without letting an uncapped run pass.
    CHECK(cpuMs < 1200, "capped spinner used " + std::to_string(cpuMs) + " ms CPU in 2000 ms");

    // Re-tier live: a new cap on the same job, then none.
    const std::uint32_t wider = cpuRateForCores(1.0, cores);
    CHECK_OK(job->setCpuRate(wider), "raise the cap");
    applied = job->queryLimits();
    CHECK(applied && applied->cpuRate == wider, "new cap reads back");
    CHECK_OK(job->setCpuRate(0), "remove the cap");
    applied = job->queryLimits();
    CHECK(applied && applied->cpuRate == 0 && applied->killOnJobClose, "no cap, other limits kept");
    return pass();
}

Outcome testMemoryLimit()
{
    if (isWine())
        return skipOnWine("job memory limits (accepted, not enforced)");
    Result<JobCompletionPort> port = JobCompletionPort::create();
    CHECK_OK(port, "port");
    JobLimits limits;
    limits.processMemoryBytes = 64ull * 1024 * 1024;
    Result<JobObject> job = JobObject::create(limits);
    CHECK_OK(job, "create job with a 64 MB process commit limit");
    CHECK_OK(job->associate(port.value(), 1), "associate");
    Result<JobLimits> applied = job->queryLimits();
    CHECK(applied && applied->processMemoryBytes == limits.processMemoryBytes, "limit reads back");

    Result<LaunchedProcess> small = startChild({L"alloc", L"16"}, &job.value());
    CHECK_OK(small, "launch small");
    CHECK(waitExit(small->process.get(), 10000) == DWORD(0), "16 MB fits");
    Result<LaunchedProcess> big = startChild({L"alloc", L"128"}, &job.value());
    CHECK_OK(big, "launch big");
    const auto bigCode = waitExit(big->process.get(), 10000);
    CHECK(bigCode == DWORD(3), "128 MB refused, process not killed: " + exitText(bigCode));
    bool sawLimit = false;
    for (const JobMessage &message : port->drain(1000))
        sawLimit = sawLimit || (message.event == JobEvent::ProcessMemoryLimit
                                && message.processId == big->processId);
    if (!sawLimit)
        std::printf("  note: no PROCESS_MEMORY_LIMIT message (delivery is not guaranteed)\n");

    // Re-tier live: raise the limit on the same job; the next allocation succeeds.
    CHECK_OK(job->setProcessMemoryLimit(256ull * 1024 * 1024), "raise the limit");
    applied = job->queryLimits();
    CHECK(applied && applied->processMemoryBytes == 256ull * 1024 * 1024 && applied->killOnJobClose,
          "new limit reads back, kill-on-close kept");
    Result<LaunchedProcess> again = startChild({L"alloc", L"128"}, &job.value());
    CHECK_OK(again, "launch again");
    CHECK(waitExit(again->process.get(), 10000) == DWORD(0), "128 MB fits under 256 MB");
    return pass();
}

bool haveConsole()
{
    DWORD ids[4];
    return ::GetConsoleProcessList(ids, 4) > 0;
}

Outcome testCtrlBreak()
{
    if (isWine())
        return skipOnWine("CTRL_BREAK delivery (GenerateConsoleCtrlEvent)");
    // The GUI Drover route: the agent has a windowless console (CREATE_NO_WINDOW) and its own
    // process group; a console-less sender (DETACHED_PROCESS helper, like a GUI app) attaches
    // to the agent's console and sends CTRL_BREAK to the group.
    Result<JobObject> job = JobObject::create();
    CHECK_OK(job, "create job");
    Pipe out = makePipe();
    LaunchOptions agentOptions;
    agentOptions.console = ConsoleMode::NoWindow;
    agentOptions.newProcessGroup = true;
    agentOptions.stdOutput = out.write.get();
    Result<LaunchedProcess> agent = startChild({L"ctrl-break", L"20000"}, &job.value(), agentOptions);
    CHECK_OK(agent, "launch agent");
    out.write.reset();
    CHECK(readPipe(out.read.get(), 20000, "ready\n").find("ready") != std::string::npos,
          "agent installed its handler");
    LaunchOptions senderOptions;
    senderOptions.console = ConsoleMode::Detached;
    Result<LaunchedProcess> sender = startChild({L"send-break", std::to_wstring(agent->processId)},
                                                &job.value(), senderOptions);
    CHECK_OK(sender, "launch sender");
    const auto senderCode = waitExit(sender->process.get(), 10000);
    CHECK(senderCode == DWORD(0), "sender: " + exitText(senderCode));
    const auto agentCode = waitExit(agent->process.get(), 10000);
    CHECK(agentCode == DWORD(42), "agent handled CTRL_BREAK: " + exitText(agentCode));

    // The console Drover route: agent shares our console, in its own group.
    if (!haveConsole()) {
        std::printf("  note: no console here; the shared-console route was not exercised\n");
        return pass();
    }
    Pipe out2 = makePipe();
    LaunchOptions sharedOptions;
    sharedOptions.console = ConsoleMode::Inherit;
    sharedOptions.newProcessGroup = true;
    sharedOptions.stdOutput = out2.write.get();
    Result<LaunchedProcess> shared = startChild({L"ctrl-break", L"20000"}, &job.value(), sharedOptions);
    CHECK_OK(shared, "launch shared-console agent");
    out2.write.reset();
    CHECK(readPipe(out2.read.get(), 20000, "ready\n").find("ready") != std::string::npos,
          "shared agent ready");
    CHECK_OK(sendCtrlBreak(shared->processId, CtrlBreakRoute::SharedConsole), "GenerateConsoleCtrlEvent");
    const auto sharedCode = waitExit(shared->process.get(), 10000);
    CHECK(sharedCode == DWORD(42), "shared agent handled CTRL_BREAK: " + exitText(sharedCode));
    return pass();
}

struct TestCase
{
    const char *name;
    std::function<Outcome()> run;
};

} // namespace

int wmain(int argc, wchar_t **argv)
{
    ::SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX);
    // Line-buffered-like behaviour: results must appear in order even through a pipe.
    std::setvbuf(stdout, nullptr, _IONBF, 0);

    const std::vector<TestCase> tests{
            {"cpu_rate_math", testCpuRateMath},
            {"command_line_quoting", testCommandLineQuoting},
            {"environment_block", testEnvironmentBlock},
            {"working_directory_and_stdio", testWorkingDirectoryAndStdio},
            {"job_lifecycle", testJobLifecycle},
            {"kill_on_job_close", testKillOnJobClose},
            {"kill_on_close_when_owner_dies", testKillOnCloseWhenOwnerDies},
            {"terminate_keeps_exit_code", testTerminateKeepsExitCode},
            {"nested_jobs", testNestedJobs},
            {"job_list_attribute", testJobListAttribute},
            {"suspend_assign_resume", testSuspendAssignResume},
            {"assign_suspended_by_pid", testAssignSuspendedByPid},
            {"completion_port_messages", testCompletionPortMessages},
            {"named_event_stop", testNamedEventStop},
            {"graceful_stop_sequence", testGracefulStopSequence},
            {"process_id_list", testProcessIdList},
            {"job_accounting", testJobAccounting},
            {"system_times", testSystemTimes},
            {"memory_status", testMemoryStatus},
            {"process_metrics", testProcessMetrics},
            {"process_snapshot", testProcessSnapshot},
            {"active_process_limit", testActiveProcessLimit},
            {"cpu_rate_cap", testCpuRateCap},
            {"memory_limit", testMemoryLimit},
            {"ctrl_break", testCtrlBreak},
    };

    if (isWine())
        std::printf("running under wine %s\n", wineVersion().c_str());
    int passed = 0, failed = 0, skipped = 0;
    for (const TestCase &test : tests) {
        if (argc > 1) {
            bool selected = false;
            for (int i = 1; i < argc; ++i)
                selected = selected || toUtf8(argv[i]) == test.name;
            if (!selected)
                continue;
        }
        const ULONGLONG started = ::GetTickCount64();
        const Outcome outcome = test.run();
        const unsigned long long ms = ::GetTickCount64() - started;
        switch (outcome.kind) {
        case Outcome::Pass:
            ++passed;
            std::printf("PASS %s (%llu ms)\n", test.name, ms);
            break;
        case Outcome::Fail:
            ++failed;
            std::printf("FAIL %s: %s\n", test.name, outcome.why.c_str());
            break;
        case Outcome::Skip:
            ++skipped;
            std::printf("SKIP %s: %s\n", test.name, outcome.why.c_str());
            break;
        }
    }
    std::printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
    return failed == 0 ? 0 : 1;
}
