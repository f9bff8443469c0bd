// libFuzzer target: the gateway's server-sent-events reader and usage rewriter
// (core/gateway/sse_stream), which sees every byte an upstream GPT provider streams.
//
// Properties checked besides "never crash":
//  - SseParser yields the same events for any split of the input (byte 0 picks the split);
//  - UsageStreamFilter without dropping forwards the stream byte for byte, whole events in
//    order (the client must receive exactly what the provider sent);
//  - with dropping, what it forwards is a subsequence of the events, never invented bytes.
#include "core/gateway/sse_stream.h"

#include <cstdint>
#include <cstdlib>

using namespace drover;

namespace {

QList<SseEvent> events(QByteArrayView input, qsizetype chunk, QByteArray *remainder)
{
    SseParser parser;
    QList<SseEvent> out;
    SseEvent event;
    for (qsizetype at = 0; at < input.size(); at += chunk) {
        parser.feed(input.sliced(at, qMin(chunk, input.size() - at)));
        while (parser.next(&event))
            out.append(event);
    }
    *remainder = parser.takeRemainder();
    return out;
}

QByteArray filtered(QByteArrayView input, qsizetype chunk, bool dropUsageOnly)
{
    UsageStreamFilter filter(dropUsageOnly);
    QByteArray out;
    for (qsizetype at = 0; at < input.size(); at += chunk) {
        out += filter.feed(input.sliced(at, qMin(chunk, input.size() - at)));
        const TokenUsage delta = filter.takeUsageDelta();
        if (delta.prompt < 0 || delta.completion < 0)
            std::abort(); // usage only ever grows
    }
    out += filter.finish();
    if (filter.eventsForwarded() < 0 || filter.eventsDropped() < 0 || filter.generatedChars() < 0)
        std::abort();
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const qsizetype chunk = (data[0] & 0x7f) + 1;
    const QByteArrayView input(reinterpret_cast<const char *>(data) + 1, qsizetype(size) - 1);

    QByteArray restWhole;
    QByteArray restPieces;
    const QList<SseEvent> whole = events(input, qMax<qsizetype>(1, input.size()), &restWhole);
    const QList<SseEvent> pieces = events(input, chunk, &restPieces);
    if (whole.size() != pieces.size() || restWhole != restPieces)
        std::abort();
    QByteArray joined;
    for (qsizetype i = 0; i < whole.size(); ++i) {
        if (whole[i].raw != pieces[i].raw || whole[i].data != pieces[i].data ||
            whole[i].event != pieces[i].event)
            std::abort();
        joined += whole[i].raw;
    }
    // Events and the remainder partition the input.
    if (joined + restWhole != input)
        std::abort();

    if (filtered(input, chunk, false) != input)
        std::abort();
    const QByteArray dropped = filtered(input, chunk, true);
    if (dropped.size() > input.size())
        std::abort();
    return 0;
}
