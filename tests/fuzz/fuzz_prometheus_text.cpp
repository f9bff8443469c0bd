// libFuzzer target: the Prometheus text parser (core/metrics/prometheus_text), what Drover
// reads from every agent's /metrics.
//
// Besides "never crash", the parser promises bounded errors (kPrometheusMaxErrors) and line
// numbers inside the page; the accessors the supervisor calls on the result must hold up too.
#include "core/metrics/prometheus_text.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>

using namespace drover;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView text(reinterpret_cast<const char *>(data), qsizetype(size));
    const PrometheusParseResult result = parsePrometheusText(text);

    if (result.errors.size() > kPrometheusMaxErrors)
        std::abort();
    const int lines = int(text.count('\n')) + 1;
    for (const PrometheusParseError &error : result.errors) {
        if (error.line < 0 || error.line > lines || error.message.isEmpty())
            std::abort();
        (void)error.toString();
    }
    for (const PrometheusSample &sample : result.samples) {
        if (sample.name.isEmpty() || sample.line < 1 || sample.line > lines)
            std::abort();
        (void)result.typeOf(sample.name);
        (void)result.value(sample.name, sample.labels);
        (void)result.sum(sample.name);
        PrometheusLabels withoutLe = sample.labels;
        withoutLe.remove(QStringLiteral("le"));
        const QString family = result.familyOf(sample.name);
        if (const auto histogram = result.histogram(family, withoutLe)) {
            for (double q : {0.0, 0.5, 0.99, 1.0}) {
                const auto v = histogram->quantile(q);
                // A quantile is NaN only when the buckets themselves hold NaN.
                (void)v;
            }
        }
    }
    // Writers must round-trip what readers accept: escaping never loses the value's length.
    for (const PrometheusSample &sample : result.samples) {
        for (const QString &value : sample.labels) {
            if (prometheusEscapeLabelValue(value).size() < value.size())
                std::abort();
        }
        (void)prometheusFormatValue(sample.value);
    }
    return 0;
}
