// Server-sent events as OpenAI-compatible streams use them, and the gateway's rewriter.
// Pure: bytes in, bytes and usage out, in any split of the input.
#pragma once

#include "usage.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace drover {

struct SseEvent
{
    QByteArray raw;   // the event's bytes as received, including its terminating blank line
    QByteArray data;  // the data lines joined by '\n' (the SSE spec's data buffer)
    QByteArray event; // the "event:" field, empty for the default "message"
};

// Splits a byte stream into events at blank lines. Lines end with LF or CRLF (a lone CR, which
// the spec allows and no OpenAI-compatible server sends, is not treated as a line end).
class SseParser
{
public:
    void feed(QByteArrayView bytes);
    // The next complete event, in order; false when none is complete yet.
    bool next(SseEvent *event);
    // Bytes of an unfinished event (at end of stream).
    QByteArray takeRemainder();
    qsizetype bufferedBytes() const { return m_buffer.size() - m_eventStart; }

private:
    QByteArray m_buffer;
    qsizetype m_eventStart = 0; // first byte of the event being assembled
    qsizetype m_lineStart = 0;  // first byte of the line being scanned
};

// The gateway's view of an upstream stream: forwards every event as soon as it is complete,
// reports usage as it arrives, and (when the gateway itself asked for usage, i.e. added
// stream_options.include_usage) removes the usage-only chunk the client did not ask for. A
// final chunk that carries usage and choices together is forwarded and counted.
class UsageStreamFilter
{
public:
    explicit UsageStreamFilter(bool dropUsageOnlyChunks = false);

    // Bytes to send to the client now (whole events only).
    QByteArray feed(QByteArrayView bytes);
    // At end of stream: what is left (an unterminated last event is passed on as it came).
    QByteArray finish();

    // Usage that arrived since the last call (increments, see UsageAccumulator).
    TokenUsage takeUsageDelta();
    bool hasUsage() const { return m_acc.hasUsage(); }
    const TokenUsage &usage() const { return m_acc.seen(); }
    bool sawDone() const { return m_sawDone; }
    int eventsForwarded() const { return m_forwarded; }
    int eventsDropped() const { return m_dropped; }
    // Text the client received (content, reasoning, tool arguments), for estimating usage
    // when the stream ends without it.
    qint64 generatedChars() const { return m_generatedChars; }
    // An error event ({"error": ...}) came through the stream.
    bool sawError() const { return m_sawError; }

private:
    bool keep(const SseEvent &event);

    SseParser m_parser;
    UsageAccumulator m_acc;
    TokenUsage m_pending;
    bool m_dropUsageOnly;
    bool m_sawDone = false;
    bool m_sawError = false;
    int m_forwarded = 0;
    int m_dropped = 0;
    qint64 m_generatedChars = 0;
};

} // namespace drover
