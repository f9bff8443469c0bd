// libFuzzer target: the gateway's request and answer body scan (core/gateway/json_scan), checked
// against Qt's parser, whose answers it stands in for.
//
// The scan may say Unsure about anything (the gateway then asks QJsonDocument), but when it
// says Object it must agree with QJsonDocument::fromJson exactly:
//  - Qt parses the same bytes as an object without error;
//  - every top-level key Qt reports without escapes (the scan's lookups are by raw key) is
//    found by the scan, and reads the same through jsonStringValue, jsonBoolValue and
//    jsonIntegerValue as through QJsonValue's toString, toBool and toInteger;
//  - the keys the gateway asks for are absent from the scan exactly when Qt lacks them.
#include "core/gateway/json_scan.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

#include <cstdint>
#include <cstdlib>

using namespace drover;

namespace {

bool sameReadings(QByteArrayView raw, const QJsonValue &qt)
{
    return jsonStringValue(raw) == qt.toString() && jsonBoolValue(raw) == qt.toBool() &&
           jsonIntegerValue(raw) == qt.toInteger();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    const JsonObjectScan scan = JsonObjectScan::scan(body);
    if (!scan.isObject())
        return 0; // Unsure: the gateway asks Qt, so there is nothing to disagree with

    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        std::abort(); // the scan accepted what Qt refuses
    const QJsonObject object = doc.object();

    for (auto it = object.begin(); it != object.end(); ++it) {
        const QByteArray key = it.key().toUtf8();
        // A key whose text needs an escape cannot be written raw in the document; keys with
        // escapes make the scan Unsure, so such a key cannot be here.
        if (key.contains('"') || key.contains('\\'))
            std::abort();
        const QByteArrayView raw = scan.value(key);
        if (raw.isEmpty() || !sameReadings(raw, it.value()))
            std::abort();
    }
    for (const char *key : {"model", "stream", "max_tokens", "max_completion_tokens",
                            "max_output_tokens", "usage", "stream_options"}) {
        if (scan.value(QByteArrayView(key)).isEmpty() == object.contains(QLatin1String(key)))
            std::abort();
    }
    return 0;
}
