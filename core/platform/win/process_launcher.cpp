#include "process_launcher.h"

#include <tlhelp32.h>

#include <algorithm>
#include <cwchar>

// Older SDK headers (or _WIN32_WINNT below Windows 10) lack the Windows 10 attribute; its value
// is fixed by the ABI: attribute number 13, input, not thread-specific.
#ifndef PROC_THREAD_ATTRIBUTE_JOB_LIST
#define PROC_THREAD_ATTRIBUTE_JOB_LIST ProcThreadAttributeValue(13, FALSE, TRUE, FALSE)
#endif

namespace drover::win {
namespace {

// Owns an initialised PROC_THREAD_ATTRIBUTE_LIST; DeleteProcThreadAttributeList on exit.
class AttributeList
{
public:
    Status init(DWORD count)
    {
        if (count == 0)
            return Status::success();
        SIZE_T size = 0;
        // The sizing call fails by design with ERROR_INSUFFICIENT_BUFFER.
        ::InitializeProcThreadAttributeList(nullptr, count, 0, &size);
        m_storage.assign((size + sizeof(ULONG_PTR) - 1) / sizeof(ULONG_PTR), 0);
        auto *list = reinterpret_cast<LPPROC_THREAD_ATTRIBUTE_LIST>(m_storage.data());
        if (!::InitializeProcThreadAttributeList(list, count, 0, &size))
            return Status::lastError("InitializeProcThreadAttributeList");
        m_list = list;
        return Status::success();
    }
    ~AttributeList()
    {
        if (m_list)
            ::DeleteProcThreadAttributeList(m_list);
    }
    // The value must stay alive until CreateProcess returns: the list stores the pointer.
    Status update(DWORD_PTR attribute, void *value, SIZE_T size)
    {
        if (!::UpdateProcThreadAttribute(m_list, 0, attribute, value, size, nullptr, nullptr))
            return Status::lastError("UpdateProcThreadAttribute");
        return Status::success();
    }
    LPPROC_THREAD_ATTRIBUTE_LIST get() const { return m_list; }

private:
    std::vector<ULONG_PTR> m_storage;
    LPPROC_THREAD_ATTRIBUTE_LIST m_list = nullptr;
};

// Inheritable duplicates of the handles the child should get as stdio, and nothing else.
struct StdHandles
{
    UniqueHandle input, output, error;
    bool use = false;

    Status prepare(const LaunchOptions &options)
    {
        const bool any = options.stdInput || options.stdOutput || options.stdError;
        // A console child with no handles and no console of its own would start with invalid
        // stdio; some runtimes abort on that. NUL is always a valid place to read and write.
        use = any || options.console != ConsoleMode::Inherit;
        if (!use)
            return Status::success();
        Status status = dupOrNull(options.stdInput, input, GENERIC_READ);
        if (status)
            status = dupOrNull(options.stdOutput, output, GENERIC_WRITE);
        if (status)
            status = dupOrNull(options.stdError, error, GENERIC_WRITE);
        return status;
    }

    std::vector<HANDLE> list() const
    {
        // The list must not name a handle twice; distinct duplicates never collide.
        return {input.get(), output.get(), error.get()};
    }

private:
    static Status dupOrNull(HANDLE source, UniqueHandle &target, DWORD nulAccess)
    {
        HANDLE handle = nullptr;
        if (source) {
            if (!::DuplicateHandle(::GetCurrentProcess(), source, ::GetCurrentProcess(), &handle, 0,
                                   TRUE, DUPLICATE_SAME_ACCESS))
                return Status::lastError("DuplicateHandle(stdio)");
        } else {
            SECURITY_ATTRIBUTES inherit = {sizeof(inherit), nullptr, TRUE};
            handle = ::CreateFileW(L"NUL", nulAccess, FILE_SHARE_READ | FILE_SHARE_WRITE, &inherit,
                                   OPEN_EXISTING, 0, nullptr);
            if (handle == INVALID_HANDLE_VALUE)
                return Status::lastError("CreateFileW(NUL)");
        }
        target.reset(handle);
        return Status::success();
    }
};

bool equalNames(const std::wstring &a, const std::wstring &b)
{
    return ::CompareStringOrdinal(a.c_str(), static_cast<int>(a.size()), b.c_str(),
                                  static_cast<int>(b.size()), TRUE)
            == CSTR_EQUAL;
}

// One CreateProcessW attempt. `jobsByAttribute` selects the JOB_LIST path.
Result<LaunchedProcess> createOnce(const LaunchOptions &options, std::vector<HANDLE> jobs,
                                   bool jobsByAttribute, std::wstring *environmentBlock)
{
    StdHandles stdio;
    Status status = stdio.prepare(options);
    if (!status)
        return status;
    std::vector<HANDLE> inheritList = stdio.use ? stdio.list() : std::vector<HANDLE>{};

    const bool jobAttribute = jobsByAttribute && !jobs.empty();
    AttributeList attributes;
    status = attributes.init((inheritList.empty() ? 0 : 1) + (jobAttribute ? 1 : 0));
    if (!status)
        return status;
    if (!inheritList.empty()) {
        // Without HANDLE_LIST, bInheritHandles=TRUE hands the child every inheritable handle
        // in Drover (other replicas' pipes among them), so a pipe would never see EOF.
        status = attributes.update(PROC_THREAD_ATTRIBUTE_HANDLE_LIST, inheritList.data(),
                                   inheritList.size() * sizeof(HANDLE));
        if (!status)
            return status;
    }
    if (jobAttribute) {
        status = attributes.update(PROC_THREAD_ATTRIBUTE_JOB_LIST, jobs.data(),
                                   jobs.size() * sizeof(HANDLE));
        if (!status)
            return status;
    }

    STARTUPINFOEXW startup = {};
    startup.StartupInfo.cb = attributes.get() ? sizeof(STARTUPINFOEXW) : sizeof(STARTUPINFOW);
    startup.lpAttributeList = attributes.get();
    if (stdio.use) {
        startup.StartupInfo.dwFlags |= STARTF_USESTDHANDLES;
        startup.StartupInfo.hStdInput = stdio.input.get();
        startup.StartupInfo.hStdOutput = stdio.output.get();
        startup.StartupInfo.hStdError = stdio.error.get();
    }

    DWORD flags = 0;
    if (attributes.get())
        flags |= EXTENDED_STARTUPINFO_PRESENT;
    if (options.newProcessGroup)
        flags |= CREATE_NEW_PROCESS_GROUP;
    switch (options.console) {
    case ConsoleMode::NoWindow: flags |= CREATE_NO_WINDOW; break;
    case ConsoleMode::Inherit: break;
    case ConsoleMode::Detached: flags |= DETACHED_PROCESS; break;
    }
    const bool assignAfter = !jobs.empty() && !jobAttribute;
    if (assignAfter || options.keepSuspended)
        flags |= CREATE_SUSPENDED;
    if (environmentBlock)
        flags |= CREATE_UNICODE_ENVIRONMENT;

    // CreateProcessW may write into the command line buffer, so it gets a private copy.
    std::wstring commandLine = options.commandLine.empty() && !options.application.empty()
            ? quoteArgument(options.application)
            : options.commandLine;
    std::vector<wchar_t> mutableCommandLine(commandLine.begin(), commandLine.end());
    mutableCommandLine.push_back(L'\0');

    PROCESS_INFORMATION info = {};
    if (!::CreateProcessW(options.application.empty() ? nullptr : options.application.c_str(),
                          mutableCommandLine.data(), nullptr, nullptr,
                          inheritList.empty() ? FALSE : TRUE, flags,
                          environmentBlock ? environmentBlock->data() : nullptr,
                          options.workingDirectory.empty() ? nullptr : options.workingDirectory.c_str(),
                          &startup.StartupInfo, &info))
        return Status::lastError("CreateProcessW");

    LaunchedProcess launched;
    launched.process.reset(info.hProcess);
    launched.thread.reset(info.hThread);
    launched.processId = info.dwProcessId;
    launched.threadId = info.dwThreadId;
    launched.usedPlacement = jobs.empty() ? JobPlacement::Auto
            : jobAttribute                ? JobPlacement::AttributeList
                                          : JobPlacement::SuspendAssignResume;

    if (assignAfter) {
        for (HANDLE job : jobs) {
            if (!::AssignProcessToJobObject(job, launched.process.get())) {
                const Status failed = Status::lastError("AssignProcessToJobObject");
                // It has not run a single instruction; it must not start outside its job.
                ::TerminateProcess(launched.process.get(), failed.error);
                return failed;
            }
        }
    }
    if ((flags & CREATE_SUSPENDED) && !options.keepSuspended) {
        if (::ResumeThread(launched.thread.get()) == static_cast<DWORD>(-1)) {
            const Status failed = Status::lastError("ResumeThread");
            ::TerminateProcess(launched.process.get(), failed.error);
            return failed;
        }
    }
    return launched;
}

} // namespace

Result<LaunchedProcess> launchProcess(const LaunchOptions &options, const JobObject *job)
{
    std::vector<HANDLE> jobs;
    if (job && job->valid())
        jobs.push_back(job->handle());
    for (HANDLE extra : options.extraJobs)
        if (extra)
            jobs.push_back(extra);

    std::optional<std::wstring> block;
    if (options.environment)
        block = buildEnvironmentBlock(*options.environment);
    std::wstring *blockPtr = block ? &*block : nullptr;

    if (jobs.empty() || options.placement == JobPlacement::SuspendAssignResume)
        return createOnce(options, jobs, false, blockPtr);
    Result<LaunchedProcess> result = createOnce(options, jobs, true, blockPtr);
    if (result || options.placement == JobPlacement::AttributeList)
        return result;
    // Before Windows 10 UpdateProcThreadAttribute rejects the unknown attribute
    // (ERROR_NOT_SUPPORTED) or CreateProcess rejects the list (ERROR_INVALID_PARAMETER). No
    // process exists after a failed CreateProcess, so retrying is safe.
    const Status &status = result.status();
    const bool attributeRejected = status.error == ERROR_NOT_SUPPORTED
            || status.error == ERROR_INVALID_PARAMETER;
    if (!attributeRejected)
        return result;
    return createOnce(options, jobs, false, blockPtr);
}

Status assignSuspendedAndResume(const JobObject &job, DWORD processId)
{
    // PROCESS_SET_QUOTA and PROCESS_TERMINATE are what AssignProcessToJobObject requires.
    UniqueHandle process(::OpenProcess(PROCESS_SET_QUOTA | PROCESS_TERMINATE
                                               | PROCESS_QUERY_LIMITED_INFORMATION,
                                       FALSE, processId));
    if (!process)
        return Status::lastError("OpenProcess");
    if (!::AssignProcessToJobObject(job.handle(), process.get())) {
        const Status failed = Status::lastError("AssignProcessToJobObject");
        ::TerminateProcess(process.get(), failed.error);
        return failed;
    }

    // A process created suspended has exactly one thread, its main thread; the snapshot is
    // the documented way to find it from a pid alone.
    UniqueHandle snapshot(::CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0));
    if (!snapshot) {
        const Status failed = Status::lastError("CreateToolhelp32Snapshot");
        ::TerminateProcess(process.get(), failed.error);
        return failed;
    }
    THREADENTRY32 entry = {};
    entry.dwSize = sizeof(entry);
    int resumed = 0;
    Status failed;
    for (BOOL more = ::Thread32First(snapshot.get(), &entry); more;
         more = ::Thread32Next(snapshot.get(), &entry)) {
        if (entry.th32OwnerProcessID != processId)
            continue;
        UniqueHandle thread(::OpenThread(THREAD_SUSPEND_RESUME, FALSE, entry.th32ThreadID));
        if (!thread) {
            failed = Status::lastError("OpenThread");
            continue;
        }
        if (::ResumeThread(thread.get()) == static_cast<DWORD>(-1)) {
            failed = Status::lastError("ResumeThread");
            continue;
        }
        ++resumed;
    }
    if (resumed == 0) {
        if (failed.ok())
            failed = Status::fromError(ERROR_NOT_FOUND, "Thread32Next");
        ::TerminateProcess(process.get(), failed.error);
        return failed;
    }
    return Status::success();
}

std::wstring quoteArgument(const std::wstring &argument)
{
    if (!argument.empty() && argument.find_first_of(L" \t\n\v\"") == std::wstring::npos)
        return argument;
    // The CommandLineToArgvW rules: 2n backslashes before a quote are n literal backslashes,
    // 2n+1 backslashes before a quote are n backslashes and a literal quote, backslashes
    // elsewhere are literal.
    std::wstring quoted = L"\"";
    for (auto it = argument.begin();; ++it) {
        std::size_t backslashes = 0;
        while (it != argument.end() && *it == L'\\') {
            ++it;
            ++backslashes;
        }
        if (it == argument.end()) {
            quoted.append(backslashes * 2, L'\\'); // they now precede the closing quote
            break;
        }
        if (*it == L'"') {
            quoted.append(backslashes * 2 + 1, L'\\');
            quoted.push_back(L'"');
        } else {
            quoted.append(backslashes, L'\\');
            quoted.push_back(*it);
        }
    }
    quoted.push_back(L'"');
    return quoted;
}

std::wstring buildCommandLine(const std::vector<std::wstring> &arguments)
{
    std::wstring line;
    for (const std::wstring &argument : arguments) {
        if (!line.empty())
            line.push_back(L' ');
        line += quoteArgument(argument);
    }
    return line;
}

std::vector<std::pair<std::wstring, std::wstring>> currentEnvironment()
{
    std::vector<std::pair<std::wstring, std::wstring>> environment;
    wchar_t *block = ::GetEnvironmentStringsW();
    if (!block)
        return environment;
    for (const wchar_t *entry = block; *entry; entry += wcslen(entry) + 1) {
        const std::wstring text(entry);
        // Search from index 1: the hidden per-drive entries look like "=C:=C:\dir".
        const std::size_t equals = text.find(L'=', 1);
        if (equals == std::wstring::npos)
            continue;
        environment.emplace_back(text.substr(0, equals), text.substr(equals + 1));
    }
    ::FreeEnvironmentStringsW(block);
    return environment;
}

void setEnvironmentVariable(std::vector<std::pair<std::wstring, std::wstring>> &environment,
                            const std::wstring &name, const std::wstring &value)
{
    for (auto &entry : environment) {
        if (equalNames(entry.first, name)) {
            // The new spelling wins too: DROVER_POOL set by the pool replaces drover_pool.
            entry.first = name;
            entry.second = value;
            return;
        }
    }
    environment.emplace_back(name, value);
}

std::wstring buildEnvironmentBlock(std::vector<std::pair<std::wstring, std::wstring>> environment)
{
    std::vector<std::pair<std::wstring, std::wstring>> unique;
    unique.reserve(environment.size());
    for (auto &entry : environment)
        if (!entry.first.empty())
            setEnvironmentVariable(unique, entry.first, entry.second);
    // "All strings in the environment block must be sorted alphabetically by name. The sort is
    // case-insensitive, Unicode order, without regard to locale" (CreateProcess docs).
    std::stable_sort(unique.begin(), unique.end(), [](const auto &a, const auto &b) {
        return ::CompareStringOrdinal(a.first.c_str(), static_cast<int>(a.first.size()),
                                      b.first.c_str(), static_cast<int>(b.first.size()), TRUE)
                == CSTR_LESS_THAN;
    });
    std::wstring block;
    for (const auto &entry : unique) {
        block += entry.first;
        block.push_back(L'=');
        block += entry.second;
        block.push_back(L'\0');
    }
    // The block ends with an empty string; an empty block is two NULs.
    if (block.empty())
        block.push_back(L'\0');
    block.push_back(L'\0');
    return block;
}

std::wstring executableDirectory()
{
    std::wstring path(MAX_PATH, L'\0');
    for (;;) {
        const DWORD length = ::GetModuleFileNameW(nullptr, path.data(), static_cast<DWORD>(path.size()));
        if (length == 0)
            return {};
        // A full buffer means truncation (the path may be longer than MAX_PATH).
        if (length < path.size()) {
            path.resize(length);
            break;
        }
        path.resize(path.size() * 2);
    }
    const std::size_t slash = path.find_last_of(L"\\/");
    return slash == std::wstring::npos ? std::wstring() : path.substr(0, slash);
}

} // namespace drover::win
