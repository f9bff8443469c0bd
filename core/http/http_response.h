// An HTTP response as handlers build it, and its HTTP/1.1 wire form.
#pragma once

#include "http_request.h"

#include <QByteArray>

class QJsonObject;

namespace drover {

struct HttpResponse
{
    int status = 200;
    HttpHeaderList headers; // Content-Length, Connection and Date are written by the server
    QByteArray body;

    static HttpResponse text(int status, const QByteArray &body,
                             const QByteArray &contentType = "text/plain; charset=utf-8");
    static HttpResponse json(int status, const QJsonObject &object);
    // A JSON error body {"error": message}, the shape every Drover endpoint uses.
    static HttpResponse error(int status, const QByteArray &message);

    HttpResponse &setHeader(const QByteArray &name, const QByteArray &value);
    QByteArray header(QByteArrayView name) const;
};

// "OK", "Not Found", ...; "Unknown" for codes without a registered phrase.
QByteArray httpReasonPhrase(int status);

// The full response on the wire. Headers whose name or value could split the response (CR,
// LF, NUL, non-token names) are dropped; framing headers set by a handler are replaced.
// `headRequest` keeps Content-Length but sends no body.
QByteArray serializeHttpResponse(const HttpResponse &response, bool keepAlive,
                                 bool headRequest = false);

// The status line and headers of a streamed response: "Transfer-Encoding: chunked" when
// `chunked`, else no framing header at all (the body ends when the connection closes).
QByteArray serializeHttpStreamHead(const HttpResponse &head, bool keepAlive, bool chunked);

} // namespace drover
