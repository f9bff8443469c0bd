#include "event_log.h"

#include <QJsonDocument>

#include <cstdio>

namespace drover::agent {

namespace {

void writeLine(FILE *stream, const QJsonObject &object)
{
    const QByteArray line = QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
    std::fwrite(line.constData(), 1, size_t(line.size()), stream);
    std::fflush(stream);
}

} // namespace

void printEvent(const QJsonObject &event)
{
    writeLine(stdout, event);
}

void printErrorEvent(const QString &message)
{
    QJsonObject o;
    o.insert(QStringLiteral("event"), QStringLiteral("error"));
    o.insert(QStringLiteral("message"), message);
    writeLine(stderr, o);
}

} // namespace drover::agent
