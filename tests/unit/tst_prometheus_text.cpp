// The Prometheus text format parser: real exposition pages, escapes, special values,
// histograms, and garbage that must be named as such with its line number.
#include "core/metrics/prometheus_text.h"

#include <QRandomGenerator>
#include <QtTest>

#include <cmath>

using namespace drover;

namespace {

QString dump(const PrometheusParseResult &r)
{
    QStringList lines;
    for (const PrometheusParseError &e : r.errors)
        lines << e.toString();
    return lines.join(QLatin1Char('\n'));
}

PrometheusLabels labels(std::initializer_list<std::pair<const char *, const char *>> pairs)
{
    PrometheusLabels l;
    for (const auto &p : pairs)
        l.insert(QString::fromUtf8(p.first), QString::fromUtf8(p.second));
    return l;
}

const QByteArray kAgentPage = R"(# HELP agent_queue_depth Jobs waiting in the agent's queue.
# TYPE agent_queue_depth gauge
agent_queue_depth 3
# HELP agent_jobs_total Jobs finished, by outcome.
# TYPE agent_jobs_total counter
agent_jobs_total{status="ok"} 10
agent_jobs_total{status="error"} 2
# TYPE agent_job_duration_seconds histogram
agent_job_duration_seconds_bucket{le="0.1"} 4
agent_job_duration_seconds_bucket{le="0.5"} 8
agent_job_duration_seconds_bucket{le="1"} 11
agent_job_duration_seconds_bucket{le="+Inf"} 12
agent_job_duration_seconds_sum 4.75
agent_job_duration_seconds_count 12
# TYPE agent_gpt_tokens_total counter
agent_gpt_tokens_total{kind="prompt"} 1200 1700000000000
agent_gpt_tokens_total{kind="completion"} 340
)";

} // namespace

class TestPrometheusText : public QObject
{
    Q_OBJECT
private slots:
    void agentPage()
    {
        const PrometheusParseResult r = parsePrometheusText(kAgentPage);
        QVERIFY2(r.ok(), qPrintable(dump(r)));
        QCOMPARE(r.samples.size(), 11);
        QCOMPARE(r.value(QStringLiteral("agent_queue_depth")), 3.0);
        QCOMPARE(r.typeOf(QStringLiteral("agent_queue_depth")), PrometheusType::Gauge);
        QCOMPARE(r.families.value(QStringLiteral("agent_queue_depth")).help,
                 QStringLiteral("Jobs waiting in the agent's queue."));
        QCOMPARE(r.value(QStringLiteral("agent_jobs_total"), labels({{"status", "error"}})), 2.0);
        QCOMPARE(r.sum(QStringLiteral("agent_jobs_total")), 12.0);
        QCOMPARE(r.typeOf(QStringLiteral("agent_jobs_total")), PrometheusType::Counter);
        QCOMPARE(r.familyOf(QStringLiteral("agent_job_duration_seconds_bucket")),
                 QStringLiteral("agent_job_duration_seconds"));
        QCOMPARE(r.typeOf(QStringLiteral("agent_job_duration_seconds_count")),
                 PrometheusType::Histogram);
        const PrometheusSample &tokens = r.samples.at(9);
        QCOMPARE(tokens.name, QStringLiteral("agent_gpt_tokens_total"));
        QCOMPARE(tokens.timestampMs, std::optional<qint64>(1700000000000));
        QCOMPARE(tokens.line, 16);
        QVERIFY(!r.samples.at(10).timestampMs);

        const std::optional<PrometheusHistogram> h =
            r.histogram(QStringLiteral("agent_job_duration_seconds"));
        QVERIFY(h);
        QCOMPARE(h->buckets.size(), 4);
        QVERIFY(std::isinf(h->buckets.last().upperBound));
        QCOMPARE(h->sum, 4.75);
        QCOMPARE(h->count, 12.0);
        // Median: rank 6 lies in (0.1, 0.5] holding 4..8 -> 0.1 + 0.4 * 2/4 = 0.3.
        QCOMPARE(*h->quantile(0.5), 0.3);
        // Rank 11.88 falls in +Inf: the highest finite bound is the honest answer.
        QCOMPARE(*h->quantile(0.99), 1.0);
        QVERIFY(!r.histogram(QStringLiteral("nope")));
    }

    void labelEscapesAndSpecialValues()
    {
        const QByteArray text = "m{path=\"C:\\\\agents\\\\x\",msg=\"say \\\"hi\\\"\\nbye\",} +Inf\n"
                                "m{path=\"a\"} -Inf\n"
                                "m{path=\"b\"} NaN\n"
                                "m{path=\"c\"} 1.5e-3\n"
                                "m { path = \"d\" } -7 -12\n"
                                "m{} 0\n"
                                "m_ascii_only{v=\"\xc3\xa9t\xc3\xa9\"} 1\n"
                                "  \t\n"
                                "# just a comment\n"
                                "# a comment that mentions TYPE and HELP\n";
        const PrometheusParseResult r = parsePrometheusText(text);
        QVERIFY2(r.ok(), qPrintable(dump(r)));
        QCOMPARE(r.samples.size(), 7);
        const PrometheusSample &s = r.samples[0];
        QCOMPARE(s.labels.value(QStringLiteral("path")), QStringLiteral("C:\\agents\\x"));
        QCOMPARE(s.labels.value(QStringLiteral("msg")), QStringLiteral("say \"hi\"\nbye"));
        QVERIFY(std::isinf(s.value) && s.value > 0);
        QVERIFY(std::isinf(r.samples[1].value) && r.samples[1].value < 0);
        QVERIFY(std::isnan(r.samples[2].value));
        QCOMPARE(r.samples[3].value, 0.0015);
        QCOMPARE(r.samples[4].value, -7.0);
        QCOMPARE(r.samples[4].timestampMs, std::optional<qint64>(-12));
        QVERIFY(r.samples[5].labels.isEmpty());
        QCOMPARE(r.samples[6].labels.value(QStringLiteral("v")), QStringLiteral("\u00e9t\u00e9"));
    }

    void helpEscapes()
    {
        const PrometheusParseResult r =
            parsePrometheusText("# HELP x line one\\nline \\\\two\n# TYPE x counter\nx 1\n");
        QVERIFY2(r.ok(), qPrintable(dump(r)));
        QCOMPARE(r.families.value(QStringLiteral("x")).help,
                 QStringLiteral("line one\nline \\two"));
    }

    void lineErrors_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("needle");
        QTest::addColumn<int>("goodSamples");

        QTest::newRow("html page") << QByteArray("<html>\n<body>502 Bad Gateway</body>\n</html>\n")
                                   << 1 << QStringLiteral("not Prometheus text") << 0;
        QTest::newRow("json") << QByteArray("a 1\n{\"status\":\"ok\"}\n") << 2
                              << QStringLiteral("not Prometheus text") << 1;
        QTest::newRow("binary") << QByteArray("ok 1\n\x01\x02\x00\xff\xfe\n", 11) << 2
                                << QStringLiteral("not Prometheus text") << 1;
        QTest::newRow("bad value") << QByteArray("a 1\nb one\nc 3\n") << 2
                                   << QStringLiteral("invalid value") << 2;
        QTest::newRow("missing value") << QByteArray("a{x=\"1\"}\n") << 1
                                       << QStringLiteral("missing value") << 0;
        QTest::newRow("unterminated label value") << QByteArray("a{x=\"1} 2\nb 1\n") << 1
                                                  << QStringLiteral("unterminated") << 1;
        QTest::newRow("unknown escape") << QByteArray("a{x=\"\\t\"} 2\n") << 1
                                        << QStringLiteral("escape") << 0;
        QTest::newRow("unquoted label value") << QByteArray("a{x=1} 2\n") << 1
                                              << QStringLiteral("expected '\"'") << 0;
        QTest::newRow("duplicate label") << QByteArray("a{x=\"1\",x=\"2\"} 2\n") << 1
                                         << QStringLiteral("duplicate label") << 0;
        QTest::newRow("bad label name") << QByteArray("a{1x=\"1\"} 2\n") << 1
                                        << QStringLiteral("invalid label name") << 0;
        QTest::newRow("bad timestamp") << QByteArray("a 1 soon\n") << 1
                                       << QStringLiteral("invalid timestamp") << 0;
        QTest::newRow("trailing junk") << QByteArray("a 1 2 3\n") << 1
                                       << QStringLiteral("unexpected text") << 0;
        QTest::newRow("unknown type") << QByteArray("# TYPE a meter\na 1\n") << 1
                                      << QStringLiteral("unknown metric type") << 1;
        QTest::newRow("second type") << QByteArray("# TYPE a gauge\n# TYPE a counter\na 1\n") << 2
                                     << QStringLiteral("second TYPE") << 1;
        QTest::newRow("type after samples") << QByteArray("a 1\n# TYPE a gauge\n") << 2
                                            << QStringLiteral("after its samples") << 1;
        QTest::newRow("bucket without le")
            << QByteArray("# TYPE h histogram\nh_bucket 1\nh_count 1\n") << 2
            << QStringLiteral("without an le") << 1;
        QTest::newRow("bucket with bad le")
            << QByteArray("# TYPE h histogram\nh_bucket{le=\"lots\"} 1\n") << 2
            << QStringLiteral("invalid le") << 0;
        QTest::newRow("summary without quantile")
            << QByteArray("# TYPE s summary\ns 1\ns_sum 1\n") << 2
            << QStringLiteral("quantile") << 1;
        QTest::newRow("help without name") << QByteArray("# HELP\n") << 1
                                           << QStringLiteral("invalid metric name") << 0;
        QTest::newRow("invalid utf-8 in a label")
            << QByteArray("a{x=\"\xff\xfe\"} 1\n") << 1 << QStringLiteral("not Prometheus text")
            << 0;
    }

    void lineErrors()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, line);
        QFETCH(QString, needle);
        QFETCH(int, goodSamples);
        const PrometheusParseResult r = parsePrometheusText(text);
        QVERIFY(!r.ok());
        QCOMPARE(r.errors.first().line, line);
        QVERIFY2(r.errors.first().message.contains(needle), qPrintable(dump(r)));
        QVERIFY2(r.errors.first().toString().startsWith(QStringLiteral("line %1: ").arg(line)),
                 qPrintable(dump(r)));
        QCOMPARE(r.samples.size(), goodSamples);
    }

    void crlfLineEndingsAreAccepted()
    {
        const PrometheusParseResult r = parsePrometheusText("# TYPE a gauge\r\na 1\r\n");
        QVERIFY2(r.ok(), qPrintable(dump(r)));
        QCOMPARE(r.value(QStringLiteral("a")), 1.0);
    }

    void emptyInputIsEmptyNotAnError()
    {
        const PrometheusParseResult r = parsePrometheusText(QByteArrayView());
        QVERIFY(r.ok());
        QVERIFY(r.samples.isEmpty());
    }

    void errorsAreBoundedOnHugeGarbage()
    {
        QByteArray junk;
        for (int i = 0; i < 20000; ++i)
            junk += "<div class=\"x\">garbage</div>\n";
        const PrometheusParseResult r = parsePrometheusText(junk);
        QVERIFY(r.truncated);
        QCOMPARE(r.errors.size(), kPrometheusMaxErrors);
        QCOMPARE(r.errors.first().line, 1);
        QVERIFY(r.errors.first().message.contains(QStringLiteral("not Prometheus text")));
        QVERIFY(r.errors.first().message.size() < 120); // an excerpt, not the whole line
    }

    void randomBytesNeverCrash()
    {
        QRandomGenerator rng(77);
        const QByteArray alphabet = "ab_:{}=\",\\n #\t\n+-.eE0123456789InfNa";
        for (int round = 0; round < 5000; ++round) {
            QByteArray input(rng.bounded(0, 200), Qt::Uninitialized);
            const bool binary = round % 3 == 0;
            for (char &c : input)
                c = binary ? char(rng.bounded(256)) : alphabet[rng.bounded(int(alphabet.size()))];
            const PrometheusParseResult r = parsePrometheusText(input);
            QVERIFY(r.errors.size() <= kPrometheusMaxErrors);
            for (const PrometheusParseError &e : r.errors)
                QVERIFY(e.line >= 1);
        }
    }

    void writerHelpersRoundTrip()
    {
        const QString nasty = QStringLiteral("a\\b\"c\nd");
        const QByteArray text = "# HELP m " + prometheusEscapeHelp(nasty).toUtf8() + "\nm{v=\""
                                + prometheusEscapeLabelValue(nasty).toUtf8() + "\"} "
                                + prometheusFormatValue(0.1) + "\nm{v=\"i\"} "
                                + prometheusFormatValue(-qInf()) + "\nm{v=\"n\"} "
                                + prometheusFormatValue(qQNaN()) + "\nm{v=\"big\"} "
                                + prometheusFormatValue(12345678901.0) + "\n";
        const PrometheusParseResult r = parsePrometheusText(text);
        QVERIFY2(r.ok(), qPrintable(dump(r)));
        QCOMPARE(r.families.value(QStringLiteral("m")).help, nasty);
        QCOMPARE(r.samples[0].labels.value(QStringLiteral("v")), nasty);
        QCOMPARE(r.samples[0].value, 0.1);
        QCOMPARE(prometheusFormatValue(0.1), QByteArray("0.1"));
        QCOMPARE(prometheusFormatValue(qInf()), QByteArray("+Inf"));
        QVERIFY(std::isinf(r.samples[1].value));
        QVERIFY(std::isnan(r.samples[2].value));
        QCOMPARE(r.samples[3].value, 12345678901.0);
    }
};

QTEST_GUILESS_MAIN(TestPrometheusText)
#include "tst_prometheus_text.moc"
