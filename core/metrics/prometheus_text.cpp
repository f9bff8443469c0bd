#include "prometheus_text.h"

#include <QLocale>
#include <QSet>
#include <QUtf8StringView>

#include <algorithm>
#include <cmath>
#include <limits>

namespace drover {

namespace {

bool isNameStart(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
}

bool isNameChar(char c)
{
    return isNameStart(c) || (c >= '0' && c <= '9');
}

bool isLabelNameStart(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool isLabelNameChar(char c)
{
    return isLabelNameStart(c) || (c >= '0' && c <= '9');
}

bool isBlank(char c)
{
    return c == ' ' || c == '\t';
}

// A printable, bounded excerpt of a bad line: errors end up in logs and the UI, and the line
// may be binary or megabytes long.
QString excerpt(QByteArrayView line)
{
    constexpr qsizetype kMax = 40;
    QString out;
    for (qsizetype i = 0; i < line.size() && i < kMax; ++i) {
        const auto c = static_cast<unsigned char>(line[i]);
        out += (c >= 0x20 && c < 0x7f) ? QChar(char16_t(c)) : QChar(u'?');
    }
    if (line.size() > kMax)
        out += QStringLiteral("...");
    return out;
}

std::optional<double> parseValue(QByteArrayView token)
{
    if (token.isEmpty())
        return std::nullopt;
    const QByteArray lower = token.toByteArray().toLower();
    if (lower == "+inf" || lower == "inf" || lower == "+infinity" || lower == "infinity")
        return std::numeric_limits<double>::infinity();
    if (lower == "-inf" || lower == "-infinity")
        return -std::numeric_limits<double>::infinity();
    if (lower == "nan" || lower == "+nan" || lower == "-nan")
        return std::numeric_limits<double>::quiet_NaN();
    bool digit = false;
    for (char c : token) {
        if (c >= '0' && c <= '9')
            digit = true;
        else if (c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-')
            return std::nullopt;
    }
    if (!digit)
        return std::nullopt;
    bool ok = false;
    const double v = QLocale::c().toDouble(QLatin1StringView(token.data(), token.size()), &ok);
    if (!ok)
        return std::nullopt;
    return v;
}

std::optional<qint64> parseTimestamp(QByteArrayView token)
{
    qsizetype i = 0;
    if (!token.isEmpty() && (token[0] == '-' || token[0] == '+'))
        i = 1;
    if (i == token.size() || token.size() - i > 18)
        return std::nullopt;
    qint64 v = 0;
    for (; i < token.size(); ++i) {
        if (token[i] < '0' || token[i] > '9')
            return std::nullopt;
        v = v * 10 + (token[i] - '0');
    }
    return token[0] == '-' ? -v : v;
}

bool isValidUtf8(QByteArrayView bytes)
{
    return QUtf8StringView(bytes.data(), bytes.size()).isValidUtf8();
}

class Parser
{
public:
    explicit Parser(PrometheusParseResult &result) : m_result(result) {}

    // Returns false once the error budget is spent.
    bool parseLine(QByteArrayView line, int lineNo)
    {
        m_lineNo = lineNo;
        if (!line.isEmpty() && line.back() == '\r')
            line.chop(1);
        qsizetype i = 0;
        while (i < line.size() && isBlank(line[i]))
            ++i;
        if (i == line.size())
            return true;
        line = line.sliced(i);
        if (line.contains('\0') || !isValidUtf8(line))
            return error(QStringLiteral("not Prometheus text (binary data): \"%1\"")
                             .arg(excerpt(line)));
        if (line.front() == '#')
            return parseComment(line.sliced(1));
        if (!isNameStart(line.front()))
            return error(QStringLiteral("not Prometheus text: \"%1\"").arg(excerpt(line)));
        return parseSample(line);
    }

private:
    bool error(const QString &message)
    {
        m_result.errors.append({m_lineNo, message});
        if (m_result.errors.size() >= kPrometheusMaxErrors) {
            m_result.truncated = true;
            return false;
        }
        return true;
    }

    static QByteArrayView takeName(QByteArrayView &rest)
    {
        qsizetype n = 0;
        if (!rest.isEmpty() && isNameStart(rest[0])) {
            n = 1;
            while (n < rest.size() && isNameChar(rest[n]))
                ++n;
        }
        const QByteArrayView name = rest.first(n);
        rest = rest.sliced(n);
        return name;
    }

    static void skipBlanks(QByteArrayView &rest)
    {
        while (!rest.isEmpty() && isBlank(rest.front()))
            rest = rest.sliced(1);
    }

    static QByteArrayView takeToken(QByteArrayView &rest)
    {
        qsizetype n = 0;
        while (n < rest.size() && !isBlank(rest[n]))
            ++n;
        const QByteArrayView token = rest.first(n);
        rest = rest.sliced(n);
        return token;
    }

    bool parseComment(QByteArrayView rest)
    {
        skipBlanks(rest);
        const QByteArrayView keyword = takeToken(rest);
        if (keyword != "HELP" && keyword != "TYPE")
            return true; // an ordinary comment
        skipBlanks(rest);
        const QByteArrayView name = takeName(rest);
        if (name.isEmpty() || (!rest.isEmpty() && !isBlank(rest.front())))
            return error(QStringLiteral("invalid metric name in # %1 line")
                             .arg(QString::fromLatin1(keyword)));
        const QString family = QString::fromLatin1(name);
        skipBlanks(rest);
        if (keyword == "HELP")
            return parseHelp(family, rest);
        return parseType(family, rest);
    }

    bool parseHelp(const QString &family, QByteArrayView text)
    {
        if (m_helpSeen.contains(family))
            return error(QStringLiteral("second HELP line for %1").arg(family));
        QByteArray unescaped;
        for (qsizetype i = 0; i < text.size(); ++i) {
            if (text[i] != '\\') {
                unescaped += text[i];
                continue;
            }
            if (i + 1 < text.size() && text[i + 1] == '\\')
                unescaped += '\\';
            else if (i + 1 < text.size() && text[i + 1] == 'n')
                unescaped += '\n';
            else
                return error(QStringLiteral("invalid escape sequence in HELP for %1").arg(family));
            ++i;
        }
        m_helpSeen.insert(family);
        PrometheusFamily &f = familyFor(family);
        f.help = QString::fromUtf8(unescaped);
        return true;
    }

    bool parseType(const QString &family, QByteArrayView rest)
    {
        const QByteArrayView word = takeToken(rest);
        skipBlanks(rest);
        PrometheusType type;
        if (word == "counter")
            type = PrometheusType::Counter;
        else if (word == "gauge")
            type = PrometheusType::Gauge;
        else if (word == "histogram")
            type = PrometheusType::Histogram;
        else if (word == "summary")
            type = PrometheusType::Summary;
        else if (word == "untyped")
            type = PrometheusType::Untyped;
        else
            return error(QStringLiteral("unknown metric type \"%1\" for %2")
                             .arg(excerpt(word), family));
        if (!rest.isEmpty())
            return error(QStringLiteral("unexpected text after the TYPE of %1").arg(family));
        if (m_typeSeen.contains(family))
            return error(QStringLiteral("second TYPE line for %1").arg(family));
        if (m_familiesWithSamples.contains(family))
            return error(QStringLiteral("TYPE line for %1 after its samples").arg(family));
        m_typeSeen.insert(family);
        familyFor(family).type = type;
        return true;
    }

    PrometheusFamily &familyFor(const QString &name)
    {
        PrometheusFamily &f = m_result.families[name];
        f.name = name;
        return f;
    }

    bool parseLabelValue(QByteArrayView &rest, QString *value)
    {
        // rest starts just after the opening quote.
        QByteArray out;
        for (qsizetype i = 0; i < rest.size(); ++i) {
            const char c = rest[i];
            if (c == '"') {
                rest = rest.sliced(i + 1);
                *value = QString::fromUtf8(out);
                return true;
            }
            if (c != '\\') {
                out += c;
                continue;
            }
            if (i + 1 >= rest.size())
                break;
            const char e = rest[++i];
            if (e == '\\')
                out += '\\';
            else if (e == '"')
                out += '"';
            else if (e == 'n')
                out += '\n';
            else
                return error(QStringLiteral("invalid escape sequence \\%1 in a label value")
                                 .arg(excerpt(rest.sliced(i, 1)))),
                       false;
        }
        return error(QStringLiteral("unterminated label value")), false;
    }

    // Returns false after recording an error (the caller then skips the line).
    bool parseLabels(QByteArrayView &rest, PrometheusLabels *labels)
    {
        rest = rest.sliced(1); // '{'
        for (;;) {
            skipBlanks(rest);
            if (rest.isEmpty())
                return error(QStringLiteral("unterminated label set")), false;
            if (rest.front() == '}') {
                rest = rest.sliced(1);
                return true;
            }
            qsizetype n = 0;
            if (isLabelNameStart(rest[0])) {
                n = 1;
                while (n < rest.size() && isLabelNameChar(rest[n]))
                    ++n;
            }
            if (n == 0)
                return error(QStringLiteral("invalid label name near \"%1\"").arg(excerpt(rest))),
                       false;
            const QString name = QString::fromLatin1(rest.first(n));
            rest = rest.sliced(n);
            skipBlanks(rest);
            if (rest.isEmpty() || rest.front() != '=')
                return error(QStringLiteral("expected '=' after label %1").arg(name)), false;
            rest = rest.sliced(1);
            skipBlanks(rest);
            if (rest.isEmpty() || rest.front() != '"')
                return error(QStringLiteral("expected '\"' for the value of label %1").arg(name)),
                       false;
            rest = rest.sliced(1);
            QString value;
            if (!parseLabelValue(rest, &value))
                return false;
            if (labels->contains(name))
                return error(QStringLiteral("duplicate label %1").arg(name)), false;
            labels->insert(name, value);
            skipBlanks(rest);
            if (!rest.isEmpty() && rest.front() == ',') {
                rest = rest.sliced(1);
                continue;
            }
            if (!rest.isEmpty() && rest.front() == '}')
                continue;
            return error(QStringLiteral("expected ',' or '}' after label %1").arg(name)), false;
        }
    }

    bool parseSample(QByteArrayView rest)
    {
        PrometheusSample s;
        s.line = m_lineNo;
        s.name = QString::fromLatin1(takeName(rest));
        skipBlanks(rest);
        if (!rest.isEmpty() && rest.front() == '{') {
            // parseLabels recorded the error; keep going unless the budget is spent.
            if (!parseLabels(rest, &s.labels))
                return !m_result.truncated;
            skipBlanks(rest);
        }
        const QByteArrayView valueToken = takeToken(rest);
        if (valueToken.isEmpty())
            return error(QStringLiteral("missing value for %1").arg(s.name));
        const std::optional<double> value = parseValue(valueToken);
        if (!value)
            return error(QStringLiteral("invalid value \"%1\" for %2")
                             .arg(excerpt(valueToken), s.name));
        s.value = *value;
        skipBlanks(rest);
        if (!rest.isEmpty()) {
            const QByteArrayView tsToken = takeToken(rest);
            s.timestampMs = parseTimestamp(tsToken);
            if (!s.timestampMs)
                return error(QStringLiteral("invalid timestamp \"%1\" for %2")
                                 .arg(excerpt(tsToken), s.name));
            skipBlanks(rest);
            if (!rest.isEmpty())
                return error(QStringLiteral("unexpected text after the sample %1").arg(s.name));
        }

        const QString family = m_result.familyOf(s.name);
        const PrometheusType type = m_result.typeOf(s.name);
        if (type == PrometheusType::Histogram && s.name.endsWith(QLatin1String("_bucket"))) {
            const auto le = s.labels.constFind(QStringLiteral("le"));
            if (le == s.labels.constEnd())
                return error(QStringLiteral("histogram bucket %1 without an le label").arg(s.name));
            if (!parseValue(le->toUtf8()))
                return error(QStringLiteral("invalid le \"%1\" in %2").arg(*le, s.name));
        }
        if (type == PrometheusType::Summary && s.name == family) {
            const auto q = s.labels.constFind(QStringLiteral("quantile"));
            if (q == s.labels.constEnd() || !parseValue(q->toUtf8()))
                return error(QStringLiteral("summary %1 without a valid quantile label").arg(s.name));
        }
        m_familiesWithSamples.insert(family);
        m_result.samples.append(std::move(s));
        return true;
    }

    PrometheusParseResult &m_result;
    int m_lineNo = 0;
    QSet<QString> m_helpSeen;
    QSet<QString> m_typeSeen;
    QSet<QString> m_familiesWithSamples;
};

bool labelsInclude(const PrometheusLabels &labels, const PrometheusLabels &subset)
{
    for (auto it = subset.cbegin(); it != subset.cend(); ++it) {
        const auto found = labels.constFind(it.key());
        if (found == labels.constEnd() || *found != it.value())
            return false;
    }
    return true;
}

} // namespace

QString PrometheusParseError::toString() const
{
    return QStringLiteral("line %1: %2").arg(line).arg(message);
}

QString PrometheusParseResult::familyOf(const QString &sampleName) const
{
    const auto exact = families.constFind(sampleName);
    if (exact != families.constEnd() && exact->type != PrometheusType::Histogram)
        return sampleName;
    struct Suffix
    {
        QLatin1StringView text;
        bool histogram;
        bool summary;
    };
    static const Suffix suffixes[] = {{QLatin1StringView("_bucket"), true, false},
                                      {QLatin1StringView("_sum"), true, true},
                                      {QLatin1StringView("_count"), true, true}};
    for (const Suffix &s : suffixes) {
        if (!sampleName.endsWith(s.text))
            continue;
        const QString base = sampleName.chopped(s.text.size());
        const auto f = families.constFind(base);
        if (f == families.constEnd())
            continue;
        if ((s.histogram && f->type == PrometheusType::Histogram)
            || (s.summary && f->type == PrometheusType::Summary))
            return base;
    }
    return sampleName;
}

PrometheusType PrometheusParseResult::typeOf(const QString &sampleName) const
{
    const auto f = families.constFind(familyOf(sampleName));
    return f == families.constEnd() ? PrometheusType::Untyped : f->type;
}

std::optional<double> PrometheusParseResult::value(const QString &name,
                                                   const PrometheusLabels &labels) const
{
    for (const PrometheusSample &s : samples) {
        if (s.name == name && s.labels == labels)
            return s.value;
    }
    return std::nullopt;
}

double PrometheusParseResult::sum(const QString &name, const PrometheusLabels &subset) const
{
    double total = 0;
    for (const PrometheusSample &s : samples) {
        if (s.name == name && labelsInclude(s.labels, subset))
            total += s.value;
    }
    return total;
}

std::optional<PrometheusHistogram> PrometheusParseResult::histogram(
    const QString &family, const PrometheusLabels &labels) const
{
    const QString bucketName = family + QLatin1String("_bucket");
    const QString sumName = family + QLatin1String("_sum");
    const QString countName = family + QLatin1String("_count");
    PrometheusHistogram h;
    bool any = false;
    for (const PrometheusSample &s : samples) {
        if (s.name == bucketName) {
            PrometheusLabels rest = s.labels;
            const QString le = rest.take(QStringLiteral("le"));
            if (rest != labels)
                continue;
            const std::optional<double> bound = parseValue(le.toUtf8());
            if (!bound)
                continue;
            h.buckets.append({*bound, s.value});
            any = true;
        } else if (s.name == sumName && s.labels == labels) {
            h.sum = s.value;
            any = true;
        } else if (s.name == countName && s.labels == labels) {
            h.count = s.value;
            any = true;
        }
    }
    if (!any)
        return std::nullopt;
    std::sort(h.buckets.begin(), h.buckets.end(),
              [](const PrometheusHistogram::Bucket &a, const PrometheusHistogram::Bucket &b) {
                  return a.upperBound < b.upperBound;
              });
    return h;
}

std::optional<double> PrometheusHistogram::quantile(double q) const
{
    if (!(q >= 0.0 && q <= 1.0) || buckets.size() < 2 || !std::isinf(buckets.last().upperBound))
        return std::nullopt;
    const double total = buckets.last().cumulativeCount;
    if (!(total > 0))
        return std::nullopt;
    const double rank = q * total;
    qsizetype b = 0;
    while (b < buckets.size() - 1 && buckets[b].cumulativeCount < rank)
        ++b;
    if (b == buckets.size() - 1)
        return buckets[b - 1].upperBound; // the +Inf bucket: the highest finite bound is all we know
    double start = 0;
    double countBefore = 0;
    if (b > 0) {
        start = buckets[b - 1].upperBound;
        countBefore = buckets[b - 1].cumulativeCount;
    } else if (buckets[0].upperBound <= 0) {
        return buckets[0].upperBound;
    }
    const double inBucket = buckets[b].cumulativeCount - countBefore;
    if (!(inBucket > 0))
        return buckets[b].upperBound;
    return start + (buckets[b].upperBound - start) * ((rank - countBefore) / inBucket);
}

PrometheusParseResult parsePrometheusText(QByteArrayView text)
{
    PrometheusParseResult result;
    Parser parser(result);
    qsizetype start = 0;
    int lineNo = 0;
    while (start < text.size()) {
        qsizetype end = text.indexOf('\n', start);
        if (end < 0)
            end = text.size();
        ++lineNo;
        if (!parser.parseLine(text.sliced(start, end - start), lineNo))
            break;
        start = end + 1;
    }
    return result;
}

QString prometheusEscapeLabelValue(const QString &value)
{
    QString out;
    out.reserve(value.size());
    for (QChar c : value) {
        if (c == u'\\')
            out += QStringLiteral("\\\\");
        else if (c == u'"')
            out += QStringLiteral("\\\"");
        else if (c == u'\n')
            out += QStringLiteral("\\n");
        else
            out += c;
    }
    return out;
}

QString prometheusEscapeHelp(const QString &help)
{
    QString out;
    out.reserve(help.size());
    for (QChar c : help) {
        if (c == u'\\')
            out += QStringLiteral("\\\\");
        else if (c == u'\n')
            out += QStringLiteral("\\n");
        else
            out += c;
    }
    return out;
}

QByteArray prometheusFormatValue(double value)
{
    if (std::isnan(value))
        return "NaN";
    if (std::isinf(value))
        return value > 0 ? "+Inf" : "-Inf";
    return QByteArray::number(value, 'g', QLocale::FloatingPointShortest);
}

} // namespace drover
