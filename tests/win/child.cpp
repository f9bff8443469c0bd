// drover_win_child.exe: the helper process the Windows platform tests start. Each mode is one
// behaviour an agent can have (sleep, wait for the stop event, allocate, spin, handle
// CTRL_BREAK, ...). Exit codes are the test's observable result.
#include "graceful_stop.h"
#include "job_object.h"
#include "process_launcher.h"

#include <cstdlib>
#include <cwchar>
#include <string>

using namespace drover::win;

namespace {

enum ExitCode : int {
    kOk = 0,
    kUsage = 64,
    kTimeout = 2,
    kAllocFailed = 3,
    kMissing = 4,
    kBreakReceived = 42,
};

void writeTo(DWORD which, const std::string &text)
{
    // WriteFile directly: no CRT buffering, so the parent sees each line as soon as it is
    // written, even when the process is killed right after.
    HANDLE handle = ::GetStdHandle(which);
    if (!handle || handle == INVALID_HANDLE_VALUE)
        return;
    const std::string line = text + "\n";
    DWORD written = 0;
    ::WriteFile(handle, line.data(), static_cast<DWORD>(line.size()), &written, nullptr);
}

void say(const std::string &text) { writeTo(STD_OUTPUT_HANDLE, text); }

DWORD number(const wchar_t *text, DWORD fallback)
{
    if (!text)
        return fallback;
    wchar_t *end = nullptr;
    const unsigned long value = std::wcstoul(text, &end, 10);
    return end && end != text ? static_cast<DWORD>(value) : fallback;
}

HANDLE g_breakEvent = nullptr;

BOOL WINAPI onConsoleControl(DWORD type)
{
    if (type == CTRL_BREAK_EVENT) {
        ::SetEvent(g_breakEvent);
        return TRUE; // handled: do not run the default handler (ExitProcess)
    }
    return FALSE;
}

int spin(DWORD milliseconds)
{
    const ULONGLONG deadline = ::GetTickCount64() + milliseconds;
    volatile unsigned long long sink = 0;
    while (::GetTickCount64() < deadline)
        for (int i = 0; i < 10000; ++i)
            sink = sink + static_cast<unsigned long long>(i);
    return kOk;
}

} // namespace

int wmain(int argc, wchar_t **argv)
{
    // A crash in a helper must not open an error dialog under wine or on a Windows runner.
    ::SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX);
    if (argc < 2)
        return kUsage;
    const std::wstring mode = argv[1];
    const wchar_t *arg = argc > 2 ? argv[2] : nullptr;

    if (mode == L"sleep") {
        ::Sleep(number(arg, 60000));
        return kOk;
    }
    if (mode == L"exit")
        return static_cast<int>(number(arg, 0));
    if (mode == L"wait-stop") {
        Result<StopEvent> event = StopEvent::forCurrentProcess();
        if (!event)
            return kMissing;
        say("ready");
        return event->wait(number(arg, 30000)) == WAIT_OBJECT_0 ? kOk : kTimeout;
    }
    if (mode == L"alloc") {
        // Committed private memory is what ProcessMemoryLimit caps; VirtualAlloc(MEM_COMMIT)
        // charges it at once, without touching the pages.
        const SIZE_T bytes = static_cast<SIZE_T>(number(arg, 1)) * 1024 * 1024;
        void *memory = ::VirtualAlloc(nullptr, bytes, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
        if (!memory) {
            say("alloc-failed " + std::to_string(::GetLastError()));
            return kAllocFailed;
        }
        say("alloc-ok");
        ::Sleep(argc > 3 ? number(argv[3], 0) : 0);
        ::VirtualFree(memory, 0, MEM_RELEASE);
        return kOk;
    }
    if (mode == L"spin") {
        spin(number(arg, 1000));
        ::Sleep(argc > 3 ? number(argv[3], 0) : 0);
        return kOk;
    }
    if (mode == L"print-env") {
        if (!arg)
            return kUsage;
        wchar_t value[4096];
        const DWORD length = ::GetEnvironmentVariableW(arg, value, 4096);
        if (length == 0 || length >= 4096)
            return kMissing;
        say(toUtf8(std::wstring(value, length)));
        return kOk;
    }
    if (mode == L"print-cwd") {
        wchar_t directory[MAX_PATH * 2];
        const DWORD length = ::GetCurrentDirectoryW(MAX_PATH * 2, directory);
        say(toUtf8(std::wstring(directory, length)));
        return kOk;
    }
    if (mode == L"print-args") {
        for (int i = 2; i < argc; ++i)
            say("[" + toUtf8(argv[i]) + "]");
        return kOk;
    }
    if (mode == L"stderr") {
        writeTo(STD_ERROR_HANDLE, arg ? toUtf8(arg) : std::string());
        return kOk;
    }
    if (mode == L"ctrl-break") {
        g_breakEvent = ::CreateEventW(nullptr, TRUE, FALSE, nullptr);
        if (!g_breakEvent || !::SetConsoleCtrlHandler(onConsoleControl, TRUE))
            return kMissing;
        say("ready"); // only now may the parent send: before this the default handler runs
        return ::WaitForSingleObject(g_breakEvent, number(arg, 30000)) == WAIT_OBJECT_0
                ? kBreakReceived
                : kTimeout;
    }
    if (mode == L"send-break") {
        // Plays a GUI Drover: started DETACHED_PROCESS, so it has no console of its own.
        const Status status = sendCtrlBreak(number(arg, 0), CtrlBreakRoute::AttachToTargetConsole);
        if (!status)
            say(status.message());
        return status ? kOk : static_cast<int>(status.error);
    }
    if (mode == L"spawn-sleeper") {
        // Plays Drover itself: its replica lives in a KILL_ON_JOB_CLOSE job whose only handle
        // is in this process. Killing this process must kill the replica.
        Result<JobObject> job = JobObject::create();
        if (!job)
            return kMissing;
        LaunchOptions options;
        options.commandLine = buildCommandLine({executableDirectory() + L"\\drover_win_child.exe",
                                                L"sleep", L"60000"});
        Result<LaunchedProcess> sleeper = launchProcess(options, &job.value());
        if (!sleeper)
            return kMissing;
        say(std::to_string(sleeper->processId));
        ::Sleep(60000);
        return kOk;
    }
    return kUsage;
}
