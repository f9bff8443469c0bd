// The few top-level members the gateway reads from every request and answer body (model,
// stream, max_tokens; usage), found by one validating pass over the bytes instead of building
// a QJsonObject of the whole body (messages and all): QJsonDocument::fromJson was the largest
// user-space cost of a proxied request in the gateway's profile.
//
// The scan is strict (RFC 8259, valid UTF-8, no raw control characters in strings, bounded
// nesting). Whatever it does not accept, or cannot decide exactly as Qt's parser would (a
// \u escape of a surrogate, very deep nesting), is reported as Unsure: callers then parse with
// QJsonDocument as before, so the verdict on odd bodies stays Qt's.
#pragma once

#include <QByteArrayView>
#include <QString>
#include <QVarLengthArray>
#include <optional>

namespace drover {

struct JsonMember
{
    QByteArrayView key;   // raw, between the quotes (escapes not decoded)
    QByteArrayView value; // the value's text, as written
};

class JsonObjectScan
{
public:
    enum class Result
    {
        Object,
        Unsure
    };

    // Scans a whole document that should be one JSON object (whitespace around it allowed).
    static JsonObjectScan scan(QByteArrayView document);

    Result result() const { return m_result; }
    bool isObject() const { return m_result == Result::Object; }
    // The value of a top-level member (the last one when a key repeats, as QJsonObject keeps);
    // empty when absent. Only for keys without escapes in the document; a member whose key has
    // a backslash makes the scan Unsure, so lookups stay exact.
    QByteArrayView value(QByteArrayView key) const;

private:
    Result m_result = Result::Unsure;
    QVarLengthArray<JsonMember, 16> m_members;
};

// QJsonValue conversions of a raw value, as QJsonValue::toString() / toBool() /
// toInteger() give them (empty string, false, 0 for a value of another type or none).
QString jsonStringValue(QByteArrayView raw);
bool jsonBoolValue(QByteArrayView raw);
qint64 jsonIntegerValue(QByteArrayView raw);

} // namespace drover
