#include "sse_stream.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace drover {

void SseParser::feed(QByteArrayView bytes)
{
    // Consumed events are dropped before the buffer grows, so it holds at most one event plus
    // whatever arrived with it.
    if (m_eventStart > 0 && m_eventStart == m_buffer.size()) {
        m_buffer.clear();
        m_lineStart = m_eventStart = 0;
    } else if (m_eventStart > 64 * 1024) {
        m_buffer.remove(0, m_eventStart);
        m_lineStart -= m_eventStart;
        m_eventStart = 0;
    }
    m_buffer.append(bytes.data(), bytes.size());
}

bool SseParser::next(SseEvent *event)
{
    for (;;) {
        const qsizetype lf = m_buffer.indexOf('\n', m_lineStart);
        if (lf < 0)
            return false;
        qsizetype lineEnd = lf;
        if (lineEnd > m_lineStart && m_buffer.at(lineEnd - 1) == '\r')
            --lineEnd;
        const bool blank = lineEnd == m_lineStart;
        m_lineStart = lf + 1;
        if (!blank)
            continue;
        event->raw = m_buffer.mid(m_eventStart, m_lineStart - m_eventStart);
        event->data.clear();
        event->event.clear();
        bool firstData = true;
        for (const QByteArray &rawLine : event->raw.split('\n')) {
            QByteArrayView line(rawLine);
            if (line.endsWith('\r'))
                line.chop(1);
            if (line.isEmpty() || line.startsWith(':'))
                continue;
            const qsizetype colon = line.indexOf(':');
            QByteArrayView field = colon < 0 ? line : line.first(colon);
            QByteArrayView value = colon < 0 ? QByteArrayView() : line.sliced(colon + 1);
            if (value.startsWith(' '))
                value = value.sliced(1);
            if (field == "data") {
                if (!firstData)
                    event->data += '\n';
                event->data += value;
                firstData = false;
            } else if (field == "event") {
                event->event = value.toByteArray();
            }
        }
        m_eventStart = m_lineStart;
        return true;
    }
}

QByteArray SseParser::takeRemainder()
{
    QByteArray rest = m_buffer.mid(m_eventStart);
    m_buffer.clear();
    m_eventStart = m_lineStart = 0;
    return rest;
}

UsageStreamFilter::UsageStreamFilter(bool dropUsageOnlyChunks)
    : m_dropUsageOnly(dropUsageOnlyChunks)
{
}

QByteArray UsageStreamFilter::feed(QByteArrayView bytes)
{
    m_parser.feed(bytes);
    QByteArray out;
    SseEvent event;
    while (m_parser.next(&event)) {
        if (keep(event)) {
            out += event.raw;
            ++m_forwarded;
        } else {
            ++m_dropped;
        }
    }
    return out;
}

QByteArray UsageStreamFilter::finish()
{
    QByteArray rest = m_parser.takeRemainder();
    if (rest.trimmed().isEmpty())
        return rest;
    // Some servers end the last event at EOF without its blank line: give it one more chance
    // to report usage, and pass it on either way.
    SseParser last;
    last.feed(rest);
    last.feed("\n\n");
    SseEvent event;
    if (last.next(&event) && !keep(event))
        return {};
    return rest;
}

TokenUsage UsageStreamFilter::takeUsageDelta()
{
    const TokenUsage d = m_pending;
    m_pending = {};
    return d;
}

bool UsageStreamFilter::keep(const SseEvent &event)
{
    const QByteArray &data = event.data;
    if (data.isEmpty())
        return true; // comments, keep-alives, retry hints
    if (data == "[DONE]") {
        m_sawDone = true;
        return true;
    }
    const QJsonDocument doc = QJsonDocument::fromJson(data);
    if (!doc.isObject())
        return true; // not ours to judge
    const QJsonObject chunk = doc.object();
    if (chunk.contains(QLatin1String("error")))
        m_sawError = true;

    // Generated text, for an estimate if usage never comes.
    const QJsonArray choices = chunk.value(QLatin1String("choices")).toArray();
    for (const QJsonValue &choice : choices) {
        const QJsonObject delta = choice.toObject().value(QLatin1String("delta")).toObject();
        m_generatedChars += delta.value(QLatin1String("content")).toString().size();
        m_generatedChars += delta.value(QLatin1String("reasoning_content")).toString().size();
        for (const QJsonValue &call : delta.value(QLatin1String("tool_calls")).toArray()) {
            m_generatedChars += call.toObject()
                                    .value(QLatin1String("function"))
                                    .toObject()
                                    .value(QLatin1String("arguments"))
                                    .toString()
                                    .size();
        }
    }
    // Responses API text deltas.
    if (chunk.value(QLatin1String("type")).toString().endsWith(QLatin1String(".delta")))
        m_generatedChars += chunk.value(QLatin1String("delta")).toString().size();

    const std::optional<TokenUsage> usage = usageOfResponse(chunk);
    if (!usage)
        return true;
    const TokenUsage d = m_acc.observe(*usage);
    m_pending.prompt += d.prompt;
    m_pending.completion += d.completion;
    m_pending.cached += d.cached;
    m_pending.reasoning += d.reasoning;

    // The chunk include_usage adds has "choices": [] and exists only to carry usage. One that
    // also has choices carries content too and must reach the client.
    const bool usageOnly = chunk.contains(QLatin1String("choices")) && choices.isEmpty();
    return !(m_dropUsageOnly && usageOnly);
}

} // namespace drover
