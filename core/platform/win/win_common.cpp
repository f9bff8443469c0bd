#include "win_common.h"

#include <cstdio>

namespace drover::win {

std::string Status::message() const
{
    if (ok())
        return "ok";
    std::string text = api ? std::string(api) + ": " : std::string();
    wchar_t *buffer = nullptr;
    // FORMAT_MESSAGE_IGNORE_INSERTS: system messages may contain %1 placeholders we cannot fill.
    const DWORD length = ::FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM
                                                  | FORMAT_MESSAGE_IGNORE_INSERTS,
                                          nullptr, error, 0, reinterpret_cast<wchar_t *>(&buffer), 0,
                                          nullptr);
    if (length > 0 && buffer) {
        std::wstring wide(buffer, length);
        ::LocalFree(buffer);
        while (!wide.empty() && (wide.back() == L'\r' || wide.back() == L'\n' || wide.back() == L' '))
            wide.pop_back();
        text += toUtf8(wide) + " ";
    }
    char code[32];
    std::snprintf(code, sizeof(code), "(%lu)", static_cast<unsigned long>(error));
    return text + code;
}

std::string toUtf8(const std::wstring &text)
{
    if (text.empty())
        return {};
    const int size = ::WideCharToMultiByte(CP_UTF8, 0, text.data(), static_cast<int>(text.size()),
                                           nullptr, 0, nullptr, nullptr);
    if (size <= 0)
        return {};
    std::string out(static_cast<size_t>(size), '\0');
    ::WideCharToMultiByte(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), out.data(), size,
                          nullptr, nullptr);
    return out;
}

std::wstring fromUtf8(const std::string &text)
{
    if (text.empty())
        return {};
    const int size = ::MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()),
                                           nullptr, 0);
    if (size <= 0)
        return {};
    std::wstring out(static_cast<size_t>(size), L'\0');
    ::MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), out.data(), size);
    return out;
}

namespace {
using WineGetVersion = const char *(__cdecl *)();

WineGetVersion wineGetVersionProc() noexcept
{
    // ntdll is mapped into every process, so GetModuleHandle cannot fail on a real system.
    HMODULE ntdll = ::GetModuleHandleW(L"ntdll.dll");
    if (!ntdll)
        return nullptr;
    return reinterpret_cast<WineGetVersion>(
            reinterpret_cast<void *>(::GetProcAddress(ntdll, "wine_get_version")));
}
} // namespace

bool isWine() noexcept
{
    return wineGetVersionProc() != nullptr;
}

std::string wineVersion()
{
    const WineGetVersion proc = wineGetVersionProc();
    const char *version = proc ? proc() : nullptr;
    return version ? std::string(version) : std::string();
}

} // namespace drover::win
