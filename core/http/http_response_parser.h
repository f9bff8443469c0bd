// Incremental HTTP/1.x response parser for HttpClient: bytes in, a head, body bytes and an end.
//
// Pure (no sockets, no clock) so it is table-tested. It undoes the framing (Content-Length,
// chunked, or "until the connection closes") and hands out the body as it arrives, so a
// streamed (SSE) answer can be forwarded chunk by chunk. Interim 1xx answers are skipped.
#pragma once

#include "http_request.h"

#include <QByteArray>
#include <QByteArrayView>

namespace drover {

struct HttpResponseHead
{
    int status = 0;
    int versionMinor = 1;
    HttpHeaderList headers; // names as sent, values trimmed

    QByteArray header(QByteArrayView name) const; // first value, ASCII case-insensitive
};

// At namespace scope (not nested) so it can be a default argument inside the parser.
struct HttpResponseParserLimits
{
    qsizetype maxHeaderBytes = 64 * 1024; // status line and header lines together
    int maxHeaderCount = 200;
};

class HttpResponseParser
{
public:
    using Limits = HttpResponseParserLimits;

    enum class Status
    {
        NeedMore, // feed more bytes (takeBody() may still hold some)
        Complete, // the response is complete; the connection may carry another (keepAlive())
        Error     // errorString() says why; the connection is unusable
    };

    explicit HttpResponseParser(Limits limits = {});

    // The next response answers a HEAD request (a head without a body, whatever it says).
    void expectResponseToHead(bool head) { m_headRequest = head; }
    Status feed(QByteArrayView bytes);
    // The peer closed the connection: ends a body framed by the close, an error otherwise.
    Status finish();

    bool hasHead() const { return m_stage > Stage::Head; }
    const HttpResponseHead &head() const { return m_head; }
    // Body bytes decoded so far and not yet taken.
    QByteArray takeBody();
    qsizetype bufferedBody() const { return m_body.size(); }
    // Whether the connection can carry another request after this response (HTTP/1.1 without
    // "Connection: close", or HTTP/1.0 with keep-alive; framed; nothing extra received).
    bool keepAlive() const;
    QByteArray errorString() const { return m_error; }
    // Starts over for the next response on the same connection.
    void reset();

private:
    enum class Stage { Head, Body, ChunkSize, ChunkData, ChunkDataEnd, Trailers, Done, Failed };
    enum class Framing { None, Length, Chunked, UntilClose };

    Status parse();
    Status fail(const char *message);
    bool takeLine(QByteArrayView *line, bool *tooLong);
    Status parseHead();
    Status startBody();

    Limits m_limits;
    QByteArray m_in;
    qsizetype m_pos = 0;
    qsizetype m_scanFrom = 0;
    qsizetype m_headBytes = 0;
    Stage m_stage = Stage::Head;
    Framing m_framing = Framing::None;
    qint64 m_remaining = 0; // of the Content-Length body or of the current chunk
    bool m_headRequest = false;
    bool m_closeAfter = false;
    bool m_extraBytes = false;
    HttpResponseHead m_head;
    QByteArray m_body;
    QByteArray m_error;
};

} // namespace drover
