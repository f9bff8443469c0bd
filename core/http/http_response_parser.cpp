#include "http_response_parser.h"

namespace drover {

namespace {

QByteArrayView trimOws(QByteArrayView v)
{
    while (!v.isEmpty() && (v.front() == ' ' || v.front() == '\t'))
        v = v.sliced(1);
    while (!v.isEmpty() && (v.back() == ' ' || v.back() == '\t'))
        v.chop(1);
    return v;
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// A chunk-size line ("1a3", "1a3;ext=1") never needs more than this.
constexpr qsizetype kMaxChunkLineBytes = 4096;
// Consumed input is dropped from the front once it outweighs this.
constexpr qsizetype kCompactThreshold = 64 * 1024;

} // namespace

QByteArray HttpResponseHead::header(QByteArrayView name) const
{
    for (const auto &h : headers) {
        if (name.compare(h.first, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

HttpResponseParser::HttpResponseParser(Limits limits) : m_limits(limits) {}

void HttpResponseParser::reset()
{
    if (m_pos > 0) {
        m_in.remove(0, m_pos);
        m_pos = 0;
    }
    m_scanFrom = 0;
    m_headBytes = 0;
    m_stage = Stage::Head;
    m_framing = Framing::None;
    m_remaining = 0;
    m_headRequest = false;
    m_closeAfter = false;
    m_extraBytes = false;
    m_head = HttpResponseHead{};
    m_body.clear();
    m_error.clear();
}

HttpResponseParser::Status HttpResponseParser::fail(const char *message)
{
    m_stage = Stage::Failed;
    m_error = QByteArray(message);
    m_in.clear();
    m_pos = 0;
    return Status::Error;
}

HttpResponseParser::Status HttpResponseParser::feed(QByteArrayView bytes)
{
    if (m_stage == Stage::Failed)
        return Status::Error;
    if (m_stage == Stage::Done) {
        // Bytes after a complete response that nobody asked for: the connection is not reusable.
        if (!bytes.isEmpty())
            m_extraBytes = true;
        return Status::Complete;
    }
    if (m_pos > 0 && (m_pos == m_in.size() || m_pos >= kCompactThreshold)) {
        m_in.remove(0, m_pos);
        m_scanFrom = qMax<qsizetype>(0, m_scanFrom - m_pos);
        m_pos = 0;
    }
    m_in.append(bytes.data(), bytes.size());
    return parse();
}

HttpResponseParser::Status HttpResponseParser::finish()
{
    switch (m_stage) {
    case Stage::Done:
        return Status::Complete;
    case Stage::Failed:
        return Status::Error;
    case Stage::Body:
        if (m_framing == Framing::UntilClose) {
            m_stage = Stage::Done;
            m_closeAfter = true;
            return Status::Complete;
        }
        return fail("the upstream closed the connection before the end of the body");
    case Stage::Head:
        return fail(m_in.size() > m_pos || m_headBytes > 0
                        ? "the upstream closed the connection in the middle of the response head"
                        : "the upstream closed the connection without answering");
    default:
        return fail("the upstream closed the connection in the middle of a chunked body");
    }
}

QByteArray HttpResponseParser::takeBody()
{
    return std::exchange(m_body, QByteArray());
}

bool HttpResponseParser::keepAlive() const
{
    return m_stage == Stage::Done && !m_closeAfter && !m_extraBytes && m_pos == m_in.size();
}

bool HttpResponseParser::takeLine(QByteArrayView *line, bool *tooLong)
{
    *tooLong = false;
    const qsizetype nl = m_in.indexOf('\n', qMax(m_scanFrom, m_pos));
    if (nl < 0) {
        m_scanFrom = m_in.size();
        return false;
    }
    QByteArrayView l(m_in.constData() + m_pos, nl - m_pos);
    if (!l.isEmpty() && l.back() == '\r')
        l.chop(1);
    *line = l;
    m_pos = nl + 1;
    m_scanFrom = m_pos;
    return true;
}

HttpResponseParser::Status HttpResponseParser::parse()
{
    for (;;) {
        switch (m_stage) {
        case Stage::Failed:
            return Status::Error;
        case Stage::Done:
            if (m_pos < m_in.size())
                m_extraBytes = true;
            return Status::Complete;
        case Stage::Head: {
            const Status s = parseHead();
            if (s != Status::Complete)
                return s;
            continue; // parseHead moved on to the body
        }
        case Stage::Body: {
            const qsizetype available = m_in.size() - m_pos;
            if (m_framing == Framing::UntilClose) {
                m_body.append(m_in.constData() + m_pos, available);
                m_pos = m_in.size();
                return Status::NeedMore;
            }
            const qsizetype take = qsizetype(qMin<qint64>(available, m_remaining));
            m_body.append(m_in.constData() + m_pos, take);
            m_pos += take;
            m_remaining -= take;
            if (m_remaining > 0)
                return Status::NeedMore;
            m_stage = Stage::Done;
            continue;
        }
        case Stage::ChunkSize: {
            QByteArrayView line;
            bool tooLong = false;
            if (!takeLine(&line, &tooLong)) {
                if (m_in.size() - m_pos > kMaxChunkLineBytes)
                    return fail("malformed chunk size line");
                return Status::NeedMore;
            }
            const qsizetype semicolon = line.indexOf(';');
            const QByteArrayView digits = trimOws(semicolon < 0 ? line : line.first(semicolon));
            if (digits.isEmpty() || digits.size() > 15)
                return fail("malformed chunk size");
            qint64 size = 0;
            for (char c : digits) {
                const int v = hexValue(c);
                if (v < 0)
                    return fail("malformed chunk size");
                size = size * 16 + v;
            }
            if (size == 0) {
                m_stage = Stage::Trailers;
            } else {
                m_remaining = size;
                m_stage = Stage::ChunkData;
            }
            continue;
        }
        case Stage::ChunkData: {
            const qsizetype take = qsizetype(qMin<qint64>(m_in.size() - m_pos, m_remaining));
            m_body.append(m_in.constData() + m_pos, take);
            m_pos += take;
            m_remaining -= take;
            if (m_remaining > 0)
                return Status::NeedMore;
            m_stage = Stage::ChunkDataEnd;
            continue;
        }
        case Stage::ChunkDataEnd: {
            QByteArrayView line;
            bool tooLong = false;
            if (!takeLine(&line, &tooLong)) {
                if (m_in.size() - m_pos > 2)
                    return fail("chunk data longer than its size");
                return Status::NeedMore;
            }
            if (!line.isEmpty())
                return fail("chunk data longer than its size");
            m_stage = Stage::ChunkSize;
            continue;
        }
        case Stage::Trailers: {
            QByteArrayView line;
            bool tooLong = false;
            if (!takeLine(&line, &tooLong)) {
                if (m_in.size() - m_pos > m_limits.maxHeaderBytes)
                    return fail("trailer fields too large");
                return Status::NeedMore;
            }
            if (line.isEmpty())
                m_stage = Stage::Done; // trailers are read and ignored
            continue;
        }
        }
    }
}

// The status line and headers. Returns Complete once the head is done and the body stage set.
HttpResponseParser::Status HttpResponseParser::parseHead()
{
    for (;;) {
        QByteArrayView line;
        bool tooLong = false;
        const qsizetype before = m_pos;
        if (!takeLine(&line, &tooLong)) {
            if (m_headBytes + (m_in.size() - m_pos) > m_limits.maxHeaderBytes)
                return fail("response head too large");
            // Anything but an HTTP response (a TLS alert, garbage) fails fast.
            const QByteArrayView start(m_in.constData() + m_pos, m_in.size() - m_pos);
            if (m_head.status == 0 && m_headBytes == 0 && !start.isEmpty()
                && !QByteArrayView("HTTP/").startsWith(start.first(qMin<qsizetype>(5, start.size()))))
                return fail("not an HTTP response");
            return Status::NeedMore;
        }
        m_headBytes += m_pos - before;
        if (m_headBytes > m_limits.maxHeaderBytes)
            return fail("response head too large");
        if (m_head.status == 0) {
            // "HTTP/1.1 200 OK" (the reason phrase may be empty or missing).
            if (line.size() < 12 || !line.startsWith("HTTP/1.") || !isDigit(line[7]) || line[8] != ' '
                || !isDigit(line[9]) || !isDigit(line[10]) || !isDigit(line[11])
                || (line.size() > 12 && line[12] != ' '))
                return fail("malformed status line");
            m_head.versionMinor = line[7] - '0';
            m_head.status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
            if (m_head.status < 100)
                return fail("malformed status line");
            continue;
        }
        if (!line.isEmpty()) {
            if (line.front() == ' ' || line.front() == '\t')
                return fail("obsolete header line folding");
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                return fail("malformed header line");
            if (m_head.headers.size() >= m_limits.maxHeaderCount)
                return fail("too many response header fields");
            m_head.headers.append({line.first(colon).toByteArray(),
                                   trimOws(line.sliced(colon + 1)).toByteArray()});
            continue;
        }
        // End of the head.
        if (m_head.status < 200 && m_head.status != 101) {
            // An interim answer (100 Continue, 103 Early Hints): the real one follows.
            m_head = HttpResponseHead{};
            m_headBytes = 0;
            continue;
        }
        const Status s = startBody();
        return s == Status::Error ? s : Status::Complete;
    }
}

HttpResponseParser::Status HttpResponseParser::startBody()
{
    const QByteArray connection = m_head.header("connection");
    if (m_head.versionMinor == 0)
        m_closeAfter = !httpHeaderHasToken(connection, "keep-alive");
    else
        m_closeAfter = httpHeaderHasToken(connection, "close");

    const int status = m_head.status;
    if (m_headRequest || status == 204 || status == 304 || status == 101) {
        if (status == 101)
            m_closeAfter = true; // a protocol switch: nothing HTTP follows
        m_stage = Stage::Done;
        return Status::NeedMore;
    }
    const QByteArray te = m_head.header("transfer-encoding");
    if (!te.isEmpty()) {
        // RFC 9112 6.3: chunked must be the last coding; anything else is read until close.
        const QList<QByteArray> codings = te.split(',');
        if (trimOws(codings.last()).compare("chunked", Qt::CaseInsensitive) == 0) {
            m_framing = Framing::Chunked;
            m_stage = Stage::ChunkSize;
        } else {
            m_framing = Framing::UntilClose;
            m_closeAfter = true;
            m_stage = Stage::Body;
        }
        return Status::NeedMore;
    }
    const QByteArray cl = m_head.header("content-length");
    if (!cl.isEmpty()) {
        const QByteArrayView digits = trimOws(cl);
        if (digits.isEmpty() || digits.size() > 15)
            return fail("malformed Content-Length");
        qint64 length = 0;
        for (char c : digits) {
            if (!isDigit(c))
                return fail("malformed Content-Length");
            length = length * 10 + (c - '0');
        }
        m_framing = Framing::Length;
        m_remaining = length;
        m_stage = length > 0 ? Stage::Body : Stage::Done;
        return Status::NeedMore;
    }
    m_framing = Framing::UntilClose;
    m_closeAfter = true;
    m_stage = Stage::Body;
    return Status::NeedMore;
}

} // namespace drover
