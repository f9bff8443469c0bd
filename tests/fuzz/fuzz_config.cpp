// libFuzzer target: drover.yaml as the config loader reads it (core/config).
//
// Any bytes must come back as a ConfigLoadResult (issues naming line and column), never as a
// crash, a hang or an exception escaping yaml-cpp.
#include "core/config/config.h"

#include <QByteArray>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray text(reinterpret_cast<const char *>(data), qsizetype(size));
    const drover::ConfigLoadResult result = drover::parseConfig(text, QStringLiteral("fuzz.yaml"));
    // A fatal result (not YAML at all) must say why: the operator sees only the issues.
    if (result.fatal && result.issues.isEmpty())
        std::abort();
    for (const drover::ConfigIssue &issue : result.issues) {
        if (issue.message.isEmpty() || issue.line < 0 || issue.column < 0)
            std::abort();
        (void)issue.toString();
    }
    return 0;
}
