// libFuzzer target: the HTTP/1.x request parser (core/http/http_request_parser) behind every
// Drover listener (gateway, job intake, /metrics).
//
// The parser promises that bytes may arrive in any split. So besides "never crash" this target
// checks that property: the input fed at once and fed in pieces (sizes taken from the first
// input byte) must yield the same requests and the same final state. A difference is how
// request smuggling starts (two readers disagreeing about where a request ends).
#include "core/http/http_request_parser.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace drover;

namespace {

struct Outcome
{
    QList<HttpRequest> requests;
    HttpRequestParser::Status last = HttpRequestParser::Status::NeedMore;
    HttpParseError error;
};

bool sameRequest(const HttpRequest &a, const HttpRequest &b)
{
    return a.method == b.method && a.target == b.target && a.path == b.path && a.query == b.query &&
           a.versionMinor == b.versionMinor && a.headers == b.headers && a.body == b.body;
}

void drain(HttpRequestParser &parser, Outcome *out)
{
    for (;;) {
        out->last = parser.next();
        if (out->last != HttpRequestParser::Status::RequestReady)
            break;
        HttpRequest request = parser.takeRequest();
        // What the parser hands out must be what the server relies on.
        if (request.method.isEmpty() || !(request.path.startsWith('/') || request.path == "*") ||
            (request.versionMinor != 0 && request.versionMinor != 1) ||
            request.body.size() > parser.limits().maxBodyBytes)
            std::abort();
        (void)request.keepAlive();
        out->requests.append(std::move(request));
    }
    if (out->last == HttpRequestParser::Status::Error) {
        static const int allowed[] = {400, 408, 411, 413, 414, 417, 431, 501, 505};
        bool known = false;
        for (int status : allowed)
            known = known || parser.error().status == status;
        if (!known || parser.error().message.isEmpty())
            std::abort();
        out->error = parser.error();
    }
}

Outcome parse(QByteArrayView input, qsizetype chunk, const HttpParserLimits &limits)
{
    HttpRequestParser parser(limits);
    Outcome out;
    for (qsizetype at = 0; at < input.size(); at += chunk) {
        parser.feed(input.sliced(at, qMin(chunk, input.size() - at)));
        drain(parser, &out);
        if (out.last == HttpRequestParser::Status::Error)
            break;
    }
    drain(parser, &out);
    // Bounded buffering: a failed parser holds nothing, a live one never more than the
    // limits of one request plus what the last feed brought.
    if (out.last == HttpRequestParser::Status::Error && parser.bufferedBytes() != 0)
        std::abort();
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    // Byte 0: the split size and whether to use tiny limits (which reaches 413/414/431 with
    // short inputs).
    const qsizetype chunk = (data[0] & 0x3f) + 1;
    HttpParserLimits limits;
    if (data[0] & 0x40) {
        limits.maxRequestLineBytes = 64;
        limits.maxHeaderBytes = 128;
        limits.maxHeaderCount = 4;
        limits.maxBodyBytes = 32;
    }
    const QByteArrayView input(reinterpret_cast<const char *>(data) + 1, qsizetype(size) - 1);

    const Outcome whole = parse(input, qMax<qsizetype>(1, input.size()), limits);
    const Outcome pieces = parse(input, chunk, limits);

    // The error status may differ (a bad method byte seen early is a 400, the same line seen
    // whole may first be too long, a 414): both refuse. What must agree is which requests were
    // accepted and whether the connection ends in an error.
    bool same = whole.requests.size() == pieces.requests.size() && whole.last == pieces.last;
    for (qsizetype i = 0; same && i < whole.requests.size(); ++i)
        same = sameRequest(whole.requests[i], pieces.requests[i]);
    if (!same) {
        std::fprintf(stderr,
                     "split %lld changed the outcome: %lld requests/status %d (\"%s\") at once, "
                     "%lld requests/status %d (\"%s\") in pieces\n",
                     static_cast<long long>(chunk), static_cast<long long>(whole.requests.size()),
                     whole.error.status, whole.error.message.constData(),
                     static_cast<long long>(pieces.requests.size()), pieces.error.status,
                     pieces.error.message.constData());
        std::abort();
    }
    return 0;
}
