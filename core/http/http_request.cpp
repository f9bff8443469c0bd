#include "http_request.h"

namespace drover {

QByteArray HttpRequest::header(QByteArrayView name) const
{
    for (const auto &h : headers) {
        if (name.compare(h.first, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

bool HttpRequest::hasHeader(QByteArrayView name) const
{
    for (const auto &h : headers) {
        if (name.compare(h.first, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

bool HttpRequest::keepAlive() const
{
    bool close = false;
    bool keep = false;
    for (const auto &h : headers) {
        if (QByteArrayView("connection").compare(h.first, Qt::CaseInsensitive) != 0)
            continue;
        close = close || httpHeaderHasToken(h.second, "close");
        keep = keep || httpHeaderHasToken(h.second, "keep-alive");
    }
    if (close)
        return false;
    return versionMinor >= 1 || keep;
}

bool httpHeaderHasToken(QByteArrayView value, QByteArrayView token)
{
    qsizetype start = 0;
    while (start <= value.size()) {
        qsizetype end = value.indexOf(',', start);
        if (end < 0)
            end = value.size();
        if (value.sliced(start, end - start).trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
        start = end + 1;
    }
    return false;
}

} // namespace drover
