#include "exposition.h"

#include <limits>

namespace drover {

Histogram::Histogram(QList<double> upperBounds) : m_bounds(std::move(upperBounds))
{
    m_inBucket.fill(0, m_bounds.size() + 1);
}

void Histogram::observe(double value)
{
    int i = 0;
    while (i < m_bounds.size() && value > m_bounds.at(i))
        ++i;
    ++m_inBucket[i];
    ++m_count;
    m_sum += value;
}

quint64 Histogram::cumulativeCount(int bucket) const
{
    quint64 total = 0;
    for (int i = 0; i <= bucket && i < m_inBucket.size(); ++i)
        total += m_inBucket.at(i);
    return total;
}

namespace {
const char *typeName(PrometheusType type)
{
    switch (type) {
    case PrometheusType::Counter:
        return "counter";
    case PrometheusType::Gauge:
        return "gauge";
    case PrometheusType::Histogram:
        return "histogram";
    case PrometheusType::Summary:
        return "summary";
    case PrometheusType::Untyped:
        break;
    }
    return "untyped";
}

bool isNameChar(QChar c, bool allowColon, bool first)
{
    const char16_t u = c.unicode();
    if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u == '_')
        return true;
    if (allowColon && u == ':')
        return true;
    return !first && u >= '0' && u <= '9';
}

bool isValidName(const QString &name, bool allowColon)
{
    if (name.isEmpty())
        return false;
    for (int i = 0; i < name.size(); ++i)
        if (!isNameChar(name.at(i), allowColon, i == 0))
            return false;
    return true;
}
} // namespace

bool isValidMetricName(const QString &name)
{
    return isValidName(name, true);
}

bool isValidLabelName(const QString &name)
{
    return isValidName(name, false) && !name.startsWith(QLatin1String("__"));
}

void ExpositionWriter::family(const QString &name, PrometheusType type, const QString &help)
{
    // Names are the program's own constants; a bad one is a programming error caught by tests.
    Q_ASSERT(isValidMetricName(name));
    m_family = name;
    m_out += "# HELP " + name.toUtf8() + ' ' + prometheusEscapeHelp(help).toUtf8() + '\n';
    m_out += "# TYPE " + name.toUtf8() + ' ' + typeName(type) + '\n';
}

void ExpositionWriter::sample(const MetricLabels &labels, double value)
{
    sampleWithSuffix("", labels, value);
}

void ExpositionWriter::sampleWithSuffix(const char *suffix, const MetricLabels &labels,
                                        double value)
{
    m_out += m_family.toUtf8();
    m_out += suffix;
    if (!labels.isEmpty()) {
        m_out += '{';
        for (int i = 0; i < labels.size(); ++i) {
            Q_ASSERT(isValidLabelName(labels.at(i).first));
            if (i)
                m_out += ',';
            // Label values are operator-chosen text (pool names, rule names): always escaped.
            m_out += labels.at(i).first.toUtf8() + "=\"" +
                     prometheusEscapeLabelValue(labels.at(i).second).toUtf8() + '"';
        }
        m_out += '}';
    }
    m_out += ' ' + prometheusFormatValue(value) + '\n';
}

void ExpositionWriter::histogram(const MetricLabels &labels, const Histogram &h)
{
    MetricLabels withLe = labels;
    withLe.append({QStringLiteral("le"), QString()});
    for (int i = 0; i <= h.upperBounds().size(); ++i) {
        const double bound = i < h.upperBounds().size() ? h.upperBounds().at(i)
                                                        : std::numeric_limits<double>::infinity();
        withLe.last().second = QString::fromLatin1(prometheusFormatValue(bound));
        sampleWithSuffix("_bucket", withLe, double(h.cumulativeCount(i)));
    }
    sampleWithSuffix("_sum", labels, h.sum());
    sampleWithSuffix("_count", labels, double(h.count()));
}

} // namespace drover
