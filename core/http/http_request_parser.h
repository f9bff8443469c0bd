// Incremental HTTP/1.x request parser: bytes in, requests or one error out.
//
// Pure (no sockets, no clock, no Qt event loop) so it is table-tested and fuzzable. Bytes may
// arrive in any split, one at a time or many pipelined requests at once. The first error is
// final: the connection that fed it must answer error().status and close, because after a
// framing error nobody knows where the next request would start (request smuggling).
#pragma once

#include "http_request.h"

#include <QByteArray>
#include <QByteArrayView>

namespace drover {

struct HttpParseError
{
    int status = 0;     // the HTTP status to answer: 400, 408, 411, 413, 414, 417, 431, 501, 505
    QByteArray message; // short, for the response body and logs; never echoes client bytes
};

// At namespace scope (not nested) so it can be a default argument inside the parser.
struct HttpParserLimits
{
    qsizetype maxRequestLineBytes = 8 * 1024; // -> 414
    qsizetype maxHeaderBytes = 16 * 1024;     // header lines together, -> 431
    int maxHeaderCount = 100;                 // -> 431
    qint64 maxBodyBytes = 1024 * 1024;        // Content-Length above it -> 413
};

class HttpRequestParser
{
public:
    using Limits = HttpParserLimits;

    enum class Status
    {
        NeedMore,     // feed more bytes
        RequestReady, // takeRequest(), then call next() again (more may be pipelined)
        Error         // error() says what to answer; the parser accepts nothing more
    };

    explicit HttpRequestParser(Limits limits = {});

    void feed(QByteArrayView bytes);
    Status next();
    HttpRequest takeRequest();

    const HttpParseError &error() const { return m_error; }
    // The current request's headers are complete, it sent "Expect: 100-continue" and its
    // body has not fully arrived: the server should send "100 Continue" once.
    bool expectsContinue() const;
    // Some bytes of a not yet complete request are buffered (a timeout then deserves a 408,
    // not a silent close).
    bool hasPartialRequest() const;
    qsizetype bufferedBytes() const { return m_buffer.size() - m_pos; }
    // The Content-Length of the request whose body is arriving (0 between bodies): what the
    // parser is about to hold, for a server that bounds its memory before the bytes come.
    qint64 announcedBodyBytes() const { return m_stage == Stage::Body ? m_bodyLength : 0; }
    const Limits &limits() const { return m_limits; }

private:
    enum class Stage { RequestLine, Headers, Body, Ready, Failed };

    Status fail(int status, const char *message);
    bool takeLine(QByteArrayView *line, qsizetype limit, bool *tooLong);
    bool methodPrefixIsPlausible() const;
    Status parseRequestLine(QByteArrayView line);
    Status parseHeaderLine(QByteArrayView line);
    Status finishHeaders();
    void compact();

    Limits m_limits;
    QByteArray m_buffer;
    qsizetype m_pos = 0;      // start of unconsumed bytes
    qsizetype m_scanFrom = 0; // where the search for the next '\n' resumes
    Stage m_stage = Stage::RequestLine;
    HttpRequest m_current;
    qsizetype m_headerBytes = 0;
    int m_leadingEmptyLines = 0;
    qint64 m_bodyLength = 0;
    bool m_expectContinue = false;
    HttpParseError m_error;
};

} // namespace drover
