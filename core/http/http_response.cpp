#include "http_response.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace drover {

namespace {

bool isSafeHeaderName(QByteArrayView name)
{
    if (name.isEmpty())
        return false;
    for (char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || c == '-' || c == '_' || c == '.';
        if (!ok)
            return false;
    }
    return true;
}

bool isSafeHeaderValue(QByteArrayView value)
{
    for (char c : value) {
        if (c == '\r' || c == '\n' || c == '\0')
            return false;
    }
    return true;
}

bool isFramingHeader(QByteArrayView name)
{
    return name.compare("content-length", Qt::CaseInsensitive) == 0
           || name.compare("transfer-encoding", Qt::CaseInsensitive) == 0
           || name.compare("connection", Qt::CaseInsensitive) == 0
           || name.compare("date", Qt::CaseInsensitive) == 0;
}

// RFC 9110 IMF-fixdate, built by hand: QLocale-dependent formatting would translate day names.
QByteArray httpDate()
{
    // Formatted once a second per thread, not once an answer (snprintf and QDateTime show in
    // the gateway's profile).
    thread_local qint64 cachedSecond = -1;
    thread_local QByteArray cached;
    const qint64 nowSecond = QDateTime::currentSecsSinceEpoch();
    if (nowSecond == cachedSecond)
        return cached;
    static const char *const days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const QDateTime now = QDateTime::fromSecsSinceEpoch(nowSecond, Qt::UTC);
    const QDate d = now.date();
    const QTime t = now.time();
    char buf[40];
    std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[d.dayOfWeek() - 1],
                  d.day(), months[d.month() - 1], d.year(), t.hour(), t.minute(), t.second());
    cached = QByteArray(buf);
    cachedSecond = nowSecond;
    return cached;
}

bool statusHasNoBody(int status)
{
    return (status >= 100 && status < 200) || status == 204 || status == 304;
}

} // namespace

HttpResponse HttpResponse::text(int status, const QByteArray &body, const QByteArray &contentType)
{
    HttpResponse r;
    r.status = status;
    r.body = body;
    r.headers.append({QByteArray("Content-Type"), contentType});
    return r;
}

HttpResponse HttpResponse::json(int status, const QJsonObject &object)
{
    return text(status, QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n',
                "application/json");
}

HttpResponse HttpResponse::error(int status, const QByteArray &message)
{
    QJsonObject o;
    o.insert(QStringLiteral("error"), QString::fromUtf8(message));
    return json(status, o);
}

HttpResponse &HttpResponse::setHeader(const QByteArray &name, const QByteArray &value)
{
    for (auto &h : headers) {
        if (QByteArrayView(name).compare(h.first, Qt::CaseInsensitive) == 0) {
            h.second = value;
            return *this;
        }
    }
    headers.append({name, value});
    return *this;
}

QByteArray HttpResponse::header(QByteArrayView name) const
{
    for (const auto &h : headers) {
        if (name.compare(h.first, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

namespace {

// Literals, so a response does not allocate its reason phrase.
QByteArrayView reasonPhraseView(int status)
{
    switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 417: return "Expectation Failed";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
    }
}

} // namespace

QByteArray httpReasonPhrase(int status)
{
    return reasonPhraseView(status).toByteArray();
}

namespace {

// Status line, Date and the handler's headers; appended piece by piece (operator+ would build
// a temporary per header, which showed in the gateway's profile).
void appendHead(QByteArray &out, int status, const HttpHeaderList &headers)
{
    char number[16];
    const int n = std::snprintf(number, sizeof number, "%d", status);
    out += "HTTP/1.1 ";
    out.append(number, qBound(0, n, int(sizeof number) - 1));
    out += ' ';
    out += reasonPhraseView(status);
    out += "\r\nDate: ";
    out += httpDate();
    out += "\r\n";
    for (const auto &h : headers) {
        if (!isSafeHeaderName(h.first) || !isSafeHeaderValue(h.second) || isFramingHeader(h.first))
            continue;
        out += h.first;
        out += ": ";
        out += h.second;
        out += "\r\n";
    }
}

qsizetype headBytes(const HttpHeaderList &headers)
{
    qsizetype n = 128;
    for (const auto &h : headers)
        n += h.first.size() + h.second.size() + 4;
    return n;
}

} // namespace

QByteArray serializeHttpResponse(const HttpResponse &response, bool keepAlive, bool headRequest)
{
    const int status = (response.status >= 200 && response.status <= 999) ? response.status : 500;
    const bool noBody = statusHasNoBody(status);
    const bool withBody = !headRequest && !noBody;
    QByteArray out;
    out.reserve(headBytes(response.headers) + (withBody ? response.body.size() : 0));
    appendHead(out, status, response.headers);
    if (!noBody) {
        char length[48]; // "Content-Length: " + up to 20 digits + CRLF
        const int n = std::snprintf(length, sizeof length, "Content-Length: %lld\r\n",
                                    static_cast<long long>(response.body.size()));
        out.append(length, qBound(0, n, int(sizeof length) - 1));
    }
    out += keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
    if (withBody)
        out += response.body;
    return out;
}

QByteArray serializeHttpStreamHead(const HttpResponse &head, bool keepAlive, bool chunked)
{
    const int status = (head.status >= 200 && head.status <= 999) ? head.status : 500;
    QByteArray out;
    out.reserve(headBytes(head.headers));
    appendHead(out, status, head.headers);
    if (chunked)
        out += "Transfer-Encoding: chunked\r\n";
    out += keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
    return out;
}

} // namespace drover
