// The gateway's scan of top-level JSON members (core/gateway/json_scan.h) against Qt's own
// parser: whatever the scan accepts, QJsonDocument must parse to an object with the same
// model/stream/max_tokens values; what it is unsure of is left to Qt.
#include "core/gateway/json_scan.h"
#include "core/gateway/usage.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace drover;

class TstJsonScan : public QObject
{
    Q_OBJECT
private slots:
    void agreesWithQt_data();
    void agreesWithQt();
    void unsureIsLeftToQt_data();
    void unsureIsLeftToQt();
    void usageOfBody_data();
    void usageOfBody();
};

void TstJsonScan::agreesWithQt_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("plain") << QByteArray(
        R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"max_tokens":10})");
    QTest::newRow("spaces") << QByteArray(
        " \r\n{ \"model\" : \"m\" ,\t\"stream\" : true , \"max_tokens\" : 7 }\n ");
    QTest::newRow("stream false") << QByteArray(R"({"model":"m","stream":false})");
    QTest::newRow("stream not bool") << QByteArray(R"({"model":"m","stream":"true"})");
    QTest::newRow("model not string") << QByteArray(R"({"model":42,"max_tokens":"10"})");
    QTest::newRow("escapes") << QByteArray(
        R"({"model":"a\"b\\c\/d\n\t\u00e9\u4e2d","x":"\b\f\r"})");
    QTest::newRow("utf8") << QByteArray(
        "{\"model\":\"caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80\"}");
    QTest::newRow("duplicate key")
        << QByteArray(R"({"model":"first","max_tokens":1,"model":"second","max_tokens":2})");
    QTest::newRow("double integral") << QByteArray(R"({"max_tokens":10.0})");
    QTest::newRow("double fraction") << QByteArray(R"({"max_tokens":10.5})");
    QTest::newRow("negative") << QByteArray(
        R"({"max_tokens":-3,"max_completion_tokens":0,"max_output_tokens":5})");
    QTest::newRow("huge integer") << QByteArray(R"({"max_tokens":123456789012345678901234567890})");
    QTest::newRow("int64 max") << QByteArray(R"({"max_tokens":9223372036854775807})");
    QTest::newRow("nested") << QByteArray(
        R"({"a":{"model":"inner","b":[1,[2,{"c":null}],true,false,-0.5]},"model":"outer"})");
    QTest::newRow("empty containers") << QByteArray(R"({"a":{},"b":[],"c":"","model":""})");
    QTest::newRow("empty object") << QByteArray("{}");
    QTest::newRow("null values") << QByteArray(R"({"model":null,"stream":null,"max_tokens":null})");
}

void TstJsonScan::agreesWithQt()
{
    QFETCH(QByteArray, body);
    const JsonObjectScan scan = JsonObjectScan::scan(body);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    QVERIFY2(doc.isObject(), qPrintable(error.errorString()));
    QVERIFY(scan.isObject());
    const QJsonObject o = doc.object();
    QCOMPARE(jsonStringValue(scan.value("model")), o.value(QLatin1String("model")).toString());
    QCOMPARE(jsonBoolValue(scan.value("stream")), o.value(QLatin1String("stream")).toBool());
    for (const char *k : {"max_tokens", "max_completion_tokens", "max_output_tokens"})
        QCOMPARE(jsonIntegerValue(scan.value(k)), o.value(QLatin1String(k)).toInteger());
}

void TstJsonScan::unsureIsLeftToQt_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("array") << QByteArray("[1,2]");
    QTest::newRow("string") << QByteArray(R"("model")");
    QTest::newRow("truncated") << QByteArray(R"({"model":"m")");
    QTest::newRow("trailing comma") << QByteArray(R"({"model":"m",})");
    QTest::newRow("trailing garbage") << QByteArray(R"({"model":"m"} x)");
    QTest::newRow("two objects") << QByteArray(R"({}{})");
    QTest::newRow("single quotes") << QByteArray("{'model':'m'}");
    QTest::newRow("bad escape") << QByteArray(R"({"model":"\x"})");
    QTest::newRow("short unicode escape") << QByteArray(R"({"model":"\u12"})");
    QTest::newRow("surrogate escape") << QByteArray(R"({"model":"\ud83d\ude00"})");
    QTest::newRow("raw control char") << QByteArray("{\"model\":\"a\x01\"}");
    QTest::newRow("raw newline in string") << QByteArray("{\"model\":\"a\nb\"}");
    QTest::newRow("invalid utf8") << QByteArray("{\"model\":\"\xff\"}");
    QTest::newRow("overlong utf8") << QByteArray("{\"model\":\"\xc0\xaf\"}");
    QTest::newRow("utf8 surrogate") << QByteArray("{\"model\":\"\xed\xa0\x80\"}");
    QTest::newRow("truncated utf8") << QByteArray("{\"model\":\"\xe4\xb8\"}");
    QTest::newRow("leading zero") << QByteArray(R"({"max_tokens":01})");
    QTest::newRow("bare dot") << QByteArray(R"({"max_tokens":1.})");
    QTest::newRow("plus sign") << QByteArray(R"({"max_tokens":+1})");
    QTest::newRow("exponent") << QByteArray(R"({"max_tokens":1e3})");
    // Beyond a double's range Qt refuses the body (found by fuzz_json_scan).
    QTest::newRow("329 digits")
        << QByteArray(R"({"max_tokens":9)").append(QByteArray(328, '1')).append('}');
    QTest::newRow("underflowing fraction")
        << QByteArray(R"({"max_tokens":0.)").append(QByteArray(400, '0')).append("1}");
    QTest::newRow("bad literal") << QByteArray(R"({"stream":tru})");
    QTest::newRow("escaped key") << QByteArray(R"({"mod\u0065l":"m"})");
    QTest::newRow("missing colon") << QByteArray(R"({"model" "m"})");
    QTest::newRow("unquoted key") << QByteArray(R"({model:"m"})");
    QTest::newRow("deep")
        << QByteArray(600, '[').prepend("{\"a\":").append(QByteArray(600, ']')).append('}');
}

void TstJsonScan::unsureIsLeftToQt()
{
    QFETCH(QByteArray, body);
    const JsonObjectScan scan = JsonObjectScan::scan(body);
    QVERIFY(!scan.isObject());
    QVERIFY(scan.value("model").isNull());
}

void TstJsonScan::usageOfBody_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("chat") << QByteArray(
        R"({"id":"x","choices":[{"message":{"content":"{\"usage\":1}"}}],"usage":{"prompt_tokens":20,"completion_tokens":10,"prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":2}}})");
    QTest::newRow("responses") << QByteArray(
        R"({"type":"response.completed","response":{"id":"r","usage":{"input_tokens":5,"output_tokens":6,"output_tokens_details":{"reasoning_tokens":1}}}})");
    QTest::newRow("usage not object") << QByteArray(
        R"({"usage":null,"response":{"usage":{"prompt_tokens":1,"completion_tokens":2}}})");
    QTest::newRow("none") << QByteArray(R"({"id":"x"})");
    QTest::newRow("nested only") << QByteArray(R"({"choices":[{"usage":{"prompt_tokens":1}}]})");
    QTest::newRow("not json") << QByteArray("oops");
    QTest::newRow("unsure body") << QByteArray(
        R"({"usage":{"prompt_tokens":3,"completion_tokens":4},"n":1e2})");
    QTest::newRow("details not objects") << QByteArray(
        R"({"usage":{"prompt_tokens":3,"completion_tokens":4,"prompt_tokens_details":null,"completion_tokens_details":[1]}})");
    QTest::newRow("escaped key in details") << QByteArray(
        R"({"usage":{"prompt_tokens":3,"completion_tokens":4,"prompt_tokens_details":{"c\u0061ched_tokens":2}}})");
    QTest::newRow("prompt tokens null")
        << QByteArray(R"({"usage":{"prompt_tokens":null,"completion_tokens":4.0}})");
    QTest::newRow("neither shape") << QByteArray(R"({"usage":{"total_tokens":9}})");
    QTest::newRow("usage duplicate") << QByteArray(
        R"({"usage":{"prompt_tokens":1},"usage":{"prompt_tokens":2,"completion_tokens":3}})");
    QTest::newRow("escaped key inside response")
        << QByteArray(R"({"response":{"us\u0061ge":{"prompt_tokens":3,"completion_tokens":4}}})");
}

void TstJsonScan::usageOfBody()
{
    QFETCH(QByteArray, body);
    QCOMPARE(usageOfResponseBody(body), usageOfResponse(QJsonDocument::fromJson(body).object()));
}

QTEST_GUILESS_MAIN(TstJsonScan)
#include "tst_json_scan.moc"
