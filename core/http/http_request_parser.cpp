#include "http_request_parser.h"

#include <utility>

namespace drover {

namespace {

// RFC 9110 5.6.2 token characters: what methods and header names are made of.
bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
        return true;
    default:
        return false;
    }
}

bool isToken(QByteArrayView v)
{
    if (v.isEmpty())
        return false;
    for (char c : v) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// Field values may hold visible ASCII, spaces, tabs and obs-text (bytes >= 0x80); any other
// control byte (NUL, a bare CR, DEL) is how header injection and smuggling attempts look.
bool isValidFieldValue(QByteArrayView v)
{
    for (char ch : v) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '\t')
            continue;
        if (c < 0x20 || c == 0x7f)
            return false;
    }
    return true;
}

QByteArrayView trimOws(QByteArrayView v)
{
    while (!v.isEmpty() && (v.front() == ' ' || v.front() == '\t'))
        v = v.sliced(1);
    while (!v.isEmpty() && (v.back() == ' ' || v.back() == '\t'))
        v.chop(1);
    return v;
}

// A few stray CRLFs before a request line are tolerated (RFC 9112 2.2); more is not a client.
constexpr int kMaxLeadingEmptyLines = 4;
// Consumed bytes are dropped from the front of the buffer once they outweigh this, so a long
// keep-alive connection does not keep every request it ever sent.
constexpr qsizetype kCompactThreshold = 64 * 1024;

} // namespace

HttpRequestParser::HttpRequestParser(Limits limits) : m_limits(limits) {}

void HttpRequestParser::feed(QByteArrayView bytes)
{
    if (m_stage == Stage::Failed || bytes.isEmpty())
        return;
    compact();
    m_buffer.append(bytes.data(), bytes.size());
}

void HttpRequestParser::compact()
{
    if (m_pos == 0)
        return;
    if (m_pos < m_buffer.size() && m_pos < kCompactThreshold)
        return;
    m_buffer.remove(0, m_pos);
    m_scanFrom = qMax<qsizetype>(0, m_scanFrom - m_pos);
    m_pos = 0;
}

HttpRequestParser::Status HttpRequestParser::fail(int status, const char *message)
{
    m_stage = Stage::Failed;
    m_error.status = status;
    m_error.message = QByteArray(message);
    m_buffer.clear();
    m_pos = 0;
    m_scanFrom = 0;
    return Status::Error;
}

bool HttpRequestParser::takeLine(QByteArrayView *line, qsizetype limit, bool *tooLong)
{
    *tooLong = false;
    const qsizetype from = qMax(m_scanFrom, m_pos);
    const qsizetype nl = m_buffer.indexOf('\n', from);
    if (nl < 0) {
        m_scanFrom = m_buffer.size();
        *tooLong = m_buffer.size() - m_pos > limit;
        return false;
    }
    const qsizetype consumed = nl + 1 - m_pos;
    if (consumed > limit) {
        *tooLong = true;
        return false;
    }
    QByteArrayView l(m_buffer.constData() + m_pos, nl - m_pos);
    if (!l.isEmpty() && l.back() == '\r')
        l.chop(1);
    *line = l;
    m_pos = nl + 1;
    m_scanFrom = m_pos;
    return true;
}

HttpRequestParser::Status HttpRequestParser::next()
{
    for (;;) {
        switch (m_stage) {
        case Stage::Failed:
            return Status::Error;
        case Stage::Ready:
            return Status::RequestReady;
        case Stage::RequestLine: {
            QByteArrayView line;
            bool tooLong = false;
            if (!takeLine(&line, m_limits.maxRequestLineBytes, &tooLong)) {
                if (tooLong)
                    return fail(414, "request line too long");
                // A TLS handshake or other binary protocol never sends a newline and would
                // otherwise wait for the timeout: refuse as soon as the method cannot be one.
                if (!methodPrefixIsPlausible())
                    return fail(400, "malformed method");
                return Status::NeedMore;
            }
            if (line.isEmpty()) {
                if (++m_leadingEmptyLines > kMaxLeadingEmptyLines)
                    return fail(400, "empty lines instead of a request line");
                continue;
            }
            if (parseRequestLine(line) == Status::Error)
                return Status::Error;
            m_stage = Stage::Headers;
            continue;
        }
        case Stage::Headers: {
            QByteArrayView line;
            bool tooLong = false;
            const qsizetype before = m_pos;
            if (!takeLine(&line, m_limits.maxHeaderBytes - m_headerBytes, &tooLong)) {
                if (tooLong)
                    return fail(431, "request header fields too large");
                return Status::NeedMore;
            }
            m_headerBytes += m_pos - before;
            if (line.isEmpty()) {
                if (finishHeaders() == Status::Error)
                    return Status::Error;
                continue;
            }
            if (parseHeaderLine(line) == Status::Error)
                return Status::Error;
            continue;
        }
        case Stage::Body: {
            if (m_buffer.size() - m_pos < m_bodyLength)
                return Status::NeedMore;
            m_current.body = m_buffer.mid(m_pos, qsizetype(m_bodyLength));
            m_pos += qsizetype(m_bodyLength);
            m_scanFrom = m_pos;
            m_stage = Stage::Ready;
            return Status::RequestReady;
        }
        }
    }
}

bool HttpRequestParser::methodPrefixIsPlausible() const
{
    // Only the first bytes matter (methods are short), which keeps byte-by-byte feeding linear.
    constexpr qsizetype kMethodScan = 32;
    const qsizetype end = qMin(m_buffer.size(), m_pos + kMethodScan);
    for (qsizetype i = m_pos; i < end; ++i) {
        const char c = m_buffer.at(i);
        if (c == ' ' || c == '\r' || c == '\n')
            return true;
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

HttpRequestParser::Status HttpRequestParser::parseRequestLine(QByteArrayView line)
{
    // Exactly "method SP target SP version": lenient whitespace handling is how two servers
    // start disagreeing about where a request ends.
    const qsizetype sp1 = line.indexOf(' ');
    const qsizetype sp2 = line.lastIndexOf(' ');
    if (sp1 <= 0 || sp2 <= sp1 + 1 || sp2 == line.size() - 1)
        return fail(400, "malformed request line");
    const QByteArrayView method = line.first(sp1);
    const QByteArrayView target = line.sliced(sp1 + 1, sp2 - sp1 - 1);
    const QByteArrayView version = line.sliced(sp2 + 1);

    if (!isToken(method))
        return fail(400, "malformed method");
    for (char ch : target) {
        const auto c = static_cast<unsigned char>(ch);
        if (c <= 0x20 || c == 0x7f || c == '#')
            return fail(400, "malformed request target");
    }
    if (version.size() == 8 && version.startsWith("HTTP/") && isDigit(version[5])
        && version[6] == '.' && isDigit(version[7])) {
        if (version[5] != '1' || (version[7] != '0' && version[7] != '1'))
            return fail(505, "HTTP version not supported");
    } else {
        return fail(400, "malformed HTTP version");
    }

    QByteArrayView pathAndQuery;
    if (target.front() == '/') {
        pathAndQuery = target;
    } else if (target == "*") {
        if (method != "OPTIONS")
            return fail(400, "asterisk target is only valid for OPTIONS");
        pathAndQuery = target;
    } else if (target.startsWith("http://") || target.startsWith("https://")) {
        // Absolute form (what a request to a proxy looks like); only its path matters here.
        const qsizetype authority = target.indexOf("//") + 2;
        qsizetype slash = authority;
        while (slash < target.size() && target[slash] != '/' && target[slash] != '?')
            ++slash;
        if (slash == authority)
            return fail(400, "absolute target without a host");
        pathAndQuery = target.sliced(slash);
    } else {
        return fail(400, "malformed request target");
    }

    m_current.method = method.toByteArray();
    m_current.target = target.toByteArray();
    const qsizetype q = pathAndQuery.indexOf('?');
    QByteArrayView path = q < 0 ? pathAndQuery : pathAndQuery.first(q);
    m_current.path = path.isEmpty() ? QByteArray("/") : path.toByteArray();
    m_current.query = q < 0 ? QByteArray() : pathAndQuery.sliced(q + 1).toByteArray();
    m_current.versionMinor = version[7] - '0';
    return Status::NeedMore;
}

HttpRequestParser::Status HttpRequestParser::parseHeaderLine(QByteArrayView line)
{
    if (line.front() == ' ' || line.front() == '\t')
        return fail(400, "obsolete header line folding");
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0)
        return fail(400, "malformed header line");
    const QByteArrayView name = line.first(colon);
    // Whitespace before the colon is forbidden (RFC 9112 5.1); isToken rejects it.
    if (!isToken(name))
        return fail(400, "malformed header name");
    const QByteArrayView value = trimOws(line.sliced(colon + 1));
    if (!isValidFieldValue(value))
        return fail(400, "control character in header value");
    if (m_current.headers.size() >= m_limits.maxHeaderCount)
        return fail(431, "too many request header fields");
    m_current.headers.append({name.toByteArray(), value.toByteArray()});
    return Status::NeedMore;
}

HttpRequestParser::Status HttpRequestParser::finishHeaders()
{
    int hosts = 0;
    bool hasTransferEncoding = false;
    bool chunked = false;
    bool hasContentLength = false;
    qint64 contentLength = 0;
    QByteArray expect;
    for (const auto &h : m_current.headers) {
        const QByteArrayView name = h.first;
        if (name.compare("host", Qt::CaseInsensitive) == 0) {
            ++hosts;
        } else if (name.compare("transfer-encoding", Qt::CaseInsensitive) == 0) {
            hasTransferEncoding = true;
            chunked = chunked || httpHeaderHasToken(h.second, "chunked");
        } else if (name.compare("content-length", Qt::CaseInsensitive) == 0) {
            // "Content-Length: 5, 5" and repeated headers are legal only when all agree.
            const QList<QByteArray> parts = h.second.split(',');
            for (const QByteArray &raw : parts) {
                const QByteArrayView part = trimOws(raw);
                if (part.isEmpty())
                    return fail(400, "malformed Content-Length");
                for (char c : part) {
                    if (!isDigit(c))
                        return fail(400, "malformed Content-Length");
                }
                // More than 15 digits cannot fit any sane limit and would overflow below.
                qint64 v = m_limits.maxBodyBytes + 1;
                if (part.size() <= 15) {
                    v = 0;
                    for (char c : part)
                        v = v * 10 + (c - '0');
                }
                if (hasContentLength && v != contentLength)
                    return fail(400, "conflicting Content-Length values");
                hasContentLength = true;
                contentLength = v;
            }
        } else if (name.compare("expect", Qt::CaseInsensitive) == 0) {
            expect = h.second;
        }
    }

    if (m_current.versionMinor >= 1 && hosts != 1)
        return fail(400, hosts == 0 ? "missing Host header" : "more than one Host header");
    if (hosts > 1)
        return fail(400, "more than one Host header");
    if (hasTransferEncoding) {
        // Both framings at once is the classic smuggling vector: refuse rather than pick one.
        if (hasContentLength)
            return fail(400, "both Transfer-Encoding and Content-Length");
        if (chunked)
            return fail(411, "chunked request bodies are not supported, send Content-Length");
        return fail(501, "unsupported Transfer-Encoding");
    }
    if (contentLength > m_limits.maxBodyBytes)
        return fail(413, "request body too large");
    if (!expect.isEmpty() && QByteArrayView(expect).compare("100-continue", Qt::CaseInsensitive) != 0)
        return fail(417, "unsupported Expect");

    m_bodyLength = contentLength;
    m_expectContinue = !expect.isEmpty() && contentLength > 0;
    if (contentLength == 0) {
        m_stage = Stage::Ready;
        return Status::RequestReady;
    }
    m_stage = Stage::Body;
    return Status::NeedMore;
}

HttpRequest HttpRequestParser::takeRequest()
{
    if (m_stage != Stage::Ready)
        return {};
    HttpRequest request = std::exchange(m_current, HttpRequest{});
    m_stage = Stage::RequestLine;
    m_headerBytes = 0;
    m_leadingEmptyLines = 0;
    m_bodyLength = 0;
    m_expectContinue = false;
    compact();
    return request;
}

bool HttpRequestParser::expectsContinue() const
{
    return m_stage == Stage::Body && m_expectContinue;
}

bool HttpRequestParser::hasPartialRequest() const
{
    switch (m_stage) {
    case Stage::Headers:
    case Stage::Body:
    case Stage::Ready:
        return true;
    case Stage::RequestLine:
        return m_buffer.size() > m_pos;
    case Stage::Failed:
        return false;
    }
    return false;
}

} // namespace drover
