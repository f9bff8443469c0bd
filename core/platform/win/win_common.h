// Shared vocabulary of the Windows platform layer: an owning HANDLE, a Win32 error status and
// a value-or-status result. Qt-free and exception-free so that the supervisor (Qt), the test
// program (plain C++) and the helper child all use the same code.
#pragma once

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>

#include <optional>
#include <string>
#include <utility>

namespace drover::win {

// Owns one kernel handle and closes it exactly once. Both nullptr and INVALID_HANDLE_VALUE
// mean "no handle": CreateFile-style APIs return the latter, most others the former.
class UniqueHandle
{
public:
    UniqueHandle() noexcept = default;
    explicit UniqueHandle(HANDLE handle) noexcept : m_handle(handle) {}
    ~UniqueHandle() { reset(); }
    UniqueHandle(UniqueHandle &&other) noexcept : m_handle(other.release()) {}
    UniqueHandle &operator=(UniqueHandle &&other) noexcept
    {
        if (this != &other)
            reset(other.release());
        return *this;
    }
    UniqueHandle(const UniqueHandle &) = delete;
    UniqueHandle &operator=(const UniqueHandle &) = delete;

    HANDLE get() const noexcept { return m_handle; }
    bool valid() const noexcept { return m_handle != nullptr && m_handle != INVALID_HANDLE_VALUE; }
    explicit operator bool() const noexcept { return valid(); }
    HANDLE release() noexcept { return std::exchange(m_handle, nullptr); }
    void reset(HANDLE handle = nullptr) noexcept
    {
        if (valid())
            ::CloseHandle(m_handle);
        m_handle = handle;
    }

private:
    HANDLE m_handle = nullptr;
};

// Outcome of a Win32 call: ERROR_SUCCESS, or the GetLastError() value with the name of the
// API that failed, so a log line says which step of a multi-call sequence went wrong.
struct Status
{
    DWORD error = ERROR_SUCCESS;
    const char *api = nullptr;

    static Status success() noexcept { return {}; }
    // Captures GetLastError() now; call it right after the failing API, before anything else
    // (even a destructor closing a handle) can overwrite the thread's last error.
    static Status lastError(const char *api) noexcept { return {::GetLastError(), api}; }
    static Status fromError(DWORD error, const char *api) noexcept { return {error, api}; }

    bool ok() const noexcept { return error == ERROR_SUCCESS; }
    explicit operator bool() const noexcept { return ok(); }
    // "SetInformationJobObject: The parameter is incorrect. (87)", UTF-8, for logs.
    std::string message() const;
};

// A value, or the Status explaining why there is none.
template <typename T>
class Result
{
public:
    Result(T value) : m_value(std::move(value)) {}
    Result(Status status) : m_status(status)
    {
        // A failure must carry an error code; a success without a value would be a bug.
        if (m_status.ok())
            m_status = Status::fromError(ERROR_INTERNAL_ERROR, "Result");
    }

    bool ok() const noexcept { return m_value.has_value(); }
    explicit operator bool() const noexcept { return ok(); }
    const Status &status() const noexcept { return m_status; }
    T &value() & { return *m_value; }
    const T &value() const & { return *m_value; }
    T &&value() && { return std::move(*m_value); }
    T *operator->() { return &*m_value; }
    const T *operator->() const { return &*m_value; }

private:
    std::optional<T> m_value;
    Status m_status;
};

// FILETIME and the 100 ns tick counts of the time APIs as one 64-bit number.
inline unsigned long long fileTimeToU64(const FILETIME &ft) noexcept
{
    return (static_cast<unsigned long long>(ft.dwHighDateTime) << 32) | ft.dwLowDateTime;
}

// UTF-16 <-> UTF-8 for log text and command lines coming from UTF-8 configuration.
std::string toUtf8(const std::wstring &text);
std::wstring fromUtf8(const std::string &text);

// True when running under wine (ntdll exports wine_get_version). Only tests use it, to report
// SKIP for what wine does not implement instead of a false failure or a false pass.
bool isWine() noexcept;
// Wine's version string ("8.0"), empty on Windows.
std::string wineVersion();

} // namespace drover::win
