// One parsed HTTP/1.x request as the parser hands it to the server and the server to handlers.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>

namespace drover {

using HttpHeaderList = QList<QPair<QByteArray, QByteArray>>;

struct HttpRequest
{
    QByteArray method; // as sent; methods are case-sensitive (RFC 9110 9.1)
    QByteArray target; // the request-target as sent, e.g. "/jobs?x=1"
    QByteArray path;   // target without the query, not percent-decoded
    QByteArray query;  // after '?', without it; empty when there is none
    int versionMinor = 1; // HTTP/1.<minor>; only 1.0 and 1.1 are accepted
    HttpHeaderList headers; // names as sent, values with surrounding whitespace removed
    QByteArray body;

    // First value of the header `name` (ASCII case-insensitive), or an empty array.
    QByteArray header(QByteArrayView name) const;
    bool hasHeader(QByteArrayView name) const;
    // Whether the client wants the connection kept open after the response
    // (HTTP/1.1: unless "Connection: close"; HTTP/1.0: only with "Connection: keep-alive").
    bool keepAlive() const;
};

// Whether the comma-separated header value `value` lists `token` (ASCII case-insensitive).
bool httpHeaderHasToken(QByteArrayView value, QByteArrayView token);

} // namespace drover
