// libFuzzer target: the body of POST /v1/pools/{pool}/jobs (core/dispatch/job_intake), the
// JSON any local script can send to Drover's job intake.
//
// Any body is either a request or a 400 with a reason, never both and never a crash; an
// accepted deadline lies in the future within the documented 30 days.
#include "core/dispatch/job_intake.h"

#include <cstdint>
#include <cstdlib>

using namespace drover;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    // A realistic wall clock (2026-11-29 in ms): deadlines are "now + deadline_in_ms".
    constexpr qint64 kNowMs = 1'795'900'000'000;
    constexpr qint64 kMaxDeadlineInMs = 30LL * 24 * 3600 * 1000;
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    const IntakeParseResult result = parseIntakeBody(body, QStringLiteral("mail"), kNowMs);

    if (result.request.has_value() == !result.error.isEmpty())
        std::abort();
    if (result.request) {
        const JobRequest &r = *result.request;
        if (r.pool != QLatin1String("mail"))
            std::abort();
        if (r.deadlineMs != 0 &&
            (r.deadlineMs <= kNowMs || r.deadlineMs > kNowMs + kMaxDeadlineInMs))
            std::abort();
        if (r.sessionKey.size() > 1024)
            std::abort();
    }
    // The token comparison sees attacker bytes too.
    const QByteArrayView token("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    if (constantTimeEquals(body, token) != (QByteArrayView(body) == token))
        std::abort();
    return 0;
}
