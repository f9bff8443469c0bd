#include "json_scan.h"

#include <cmath>

namespace drover {

namespace {

// Qt's parser allows 1024 levels; deeper bodies are left to it.
constexpr int MaxDepth = 512;

class Scanner
{
public:
    Scanner(const char *begin, const char *end) : p(begin), end(end) {}

    // false: not valid JSON, or not decidable here (caller falls back to Qt).
    bool topObject(QVarLengthArray<JsonMember, 16> &members)
    {
        ws();
        if (!object(&members))
            return false;
        ws();
        return p == end;
    }

private:
    const char *p;
    const char *const end;
    int depth = 0;

    void ws()
    {
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
            ++p;
    }

    static bool isHex(char c)
    {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    // One UTF-8 sequence starting at p (p[0] >= 0x80), strictly: no overlong forms, no
    // surrogates, nothing above U+10FFFF (what Qt rejects as an illegal UTF-8 string).
    bool utf8()
    {
        const auto b0 = uchar(*p);
        int n;
        uint cp;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            n = 1;
            cp = b0 & 0x1F;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            n = 2;
            cp = b0 & 0x0F;
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            n = 3;
            cp = b0 & 0x07;
        } else {
            return false;
        }
        if (end - p <= n)
            return false;
        for (int i = 1; i <= n; ++i) {
            const auto b = uchar(p[i]);
            if ((b & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (b & 0x3F);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        p += n + 1;
        return true;
    }

    // p at the opening quote; on success p is past the closing one.
    bool string(bool *escaped = nullptr)
    {
        ++p;
        while (p < end) {
            const auto c = uchar(*p);
            if (c == '"') {
                ++p;
                return true;
            }
            if (c < 0x20)
                return false;
            if (c == '\\') {
                if (escaped)
                    *escaped = true;
                if (++p == end)
                    return false;
                switch (*p) {
                case '"':
                case '\\':
                case '/':
                case 'b':
                case 'f':
                case 'n':
                case 'r':
                case 't':
                    ++p;
                    break;
                case 'u': {
                    if (end - p < 5 || !isHex(p[1]) || !isHex(p[2]) || !isHex(p[3]) || !isHex(p[4]))
                        return false;
                    const uint cp = QByteArrayView(p + 1, 4).toUInt(nullptr, 16);
                    if (cp >= 0xD800 && cp <= 0xDFFF)
                        return false; // surrogate pairs: Qt decides
                    p += 5;
                    break;
                }
                default:
                    return false;
                }
                continue;
            }
            if (c >= 0x80) {
                if (!utf8())
                    return false;
                continue;
            }
            ++p;
        }
        return false;
    }

    bool digits()
    {
        const char *start = p;
        while (p < end && *p >= '0' && *p <= '9')
            ++p;
        return p > start;
    }

    bool number()
    {
        if (*p == '-')
            ++p;
        if (p == end)
            return false;
        const char *const start = p;
        if (*p == '0')
            ++p;
        else if (!digits())
            return false;
        const qsizetype integerDigits = p - start;
        qsizetype fractionDigits = 0;
        if (p < end && *p == '.') {
            ++p;
            const char *const fraction = p;
            if (!digits())
                return false;
            fractionDigits = p - fraction;
        }
        // Qt refuses a number that overflows a double (or underflows one to zero). Without an
        // exponent that takes more than 300 digits, never seen in a real body: left to Qt, as
        // are all exponents (fuzz_json_scan found the long-digits case).
        if (integerDigits + fractionDigits > 300)
            return false;
        return !(p < end && (*p == 'e' || *p == 'E'));
    }

    bool literal(QByteArrayView word)
    {
        if (end - p < word.size() || QByteArrayView(p, word.size()) != word)
            return false;
        p += word.size();
        return true;
    }

    bool value()
    {
        if (p == end)
            return false;
        switch (*p) {
        case '{':
            return object(nullptr);
        case '[':
            return array();
        case '"':
            return string();
        case 't':
            return literal("true");
        case 'f':
            return literal("false");
        case 'n':
            return literal("null");
        default:
            return (*p == '-' || (*p >= '0' && *p <= '9')) && number();
        }
    }

    bool array()
    {
        if (++depth > MaxDepth)
            return false;
        ++p;
        ws();
        if (p < end && *p == ']') {
            ++p;
            --depth;
            return true;
        }
        for (;;) {
            ws();
            if (!value())
                return false;
            ws();
            if (p == end)
                return false;
            if (*p == ']') {
                ++p;
                --depth;
                return true;
            }
            if (*p++ != ',')
                return false;
        }
    }

    // members: the top level's, collected; nested objects pass nullptr.
    bool object(QVarLengthArray<JsonMember, 16> *members)
    {
        if (p == end || *p != '{' || ++depth > MaxDepth)
            return false;
        ++p;
        ws();
        if (p < end && *p == '}') {
            ++p;
            --depth;
            return true;
        }
        for (;;) {
            ws();
            if (p == end || *p != '"')
                return false;
            const char *keyStart = p + 1;
            bool escaped = false;
            if (!string(&escaped))
                return false;
            // A key with escapes could equal a plain one once decoded: leave it to Qt.
            if (members && escaped)
                return false;
            const QByteArrayView key(keyStart, p - 1 - keyStart);
            ws();
            if (p == end || *p++ != ':')
                return false;
            ws();
            const char *valueStart = p;
            if (!value())
                return false;
            if (members)
                members->append(JsonMember{key, QByteArrayView(valueStart, p - valueStart)});
            ws();
            if (p == end)
                return false;
            if (*p == '}') {
                ++p;
                --depth;
                return true;
            }
            if (*p++ != ',')
                return false;
        }
    }
};

void appendUtf8(QByteArray &out, uint cp)
{
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    } else {
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
}

} // namespace

JsonObjectScan JsonObjectScan::scan(QByteArrayView document)
{
    JsonObjectScan s;
    Scanner scanner(document.data(), document.data() + document.size());
    if (scanner.topObject(s.m_members))
        s.m_result = Result::Object;
    else
        s.m_members.clear();
    return s;
}

QByteArrayView JsonObjectScan::value(QByteArrayView key) const
{
    for (qsizetype i = m_members.size() - 1; i >= 0; --i) {
        if (m_members[i].key == key)
            return m_members[i].value;
    }
    return {};
}

QString jsonStringValue(QByteArrayView raw)
{
    if (raw.size() < 2 || raw.front() != '"')
        return QString();
    const QByteArrayView inner = raw.sliced(1, raw.size() - 2);
    if (!inner.contains('\\'))
        return QString::fromUtf8(inner);
    // Escapes were validated by the scan (and surrogates left to Qt), so decode plainly.
    QByteArray out;
    out.reserve(inner.size());
    for (qsizetype i = 0; i < inner.size(); ++i) {
        const char c = inner[i];
        if (c != '\\' || i + 1 >= inner.size()) {
            out += c;
            continue;
        }
        const char e = inner[++i];
        switch (e) {
        case 'b':
            out += '\b';
            break;
        case 'f':
            out += '\f';
            break;
        case 'n':
            out += '\n';
            break;
        case 'r':
            out += '\r';
            break;
        case 't':
            out += '\t';
            break;
        case 'u':
            appendUtf8(out, inner.sliced(i + 1, 4).toUInt(nullptr, 16));
            i += 4;
            break;
        default:
            out += e;
            break; // " \ /
        }
    }
    return QString::fromUtf8(out);
}

bool jsonBoolValue(QByteArrayView raw)
{
    return raw == "true";
}

qint64 jsonIntegerValue(QByteArrayView raw)
{
    if (raw.isEmpty() || !(raw.front() == '-' || (raw.front() >= '0' && raw.front() <= '9')))
        return 0;
    bool ok = false;
    if (!raw.contains('.')) {
        const qint64 n = raw.toLongLong(&ok);
        if (ok)
            return n;
    }
    // A double, as Qt stores it: an integer only when it holds one exactly.
    const double d = raw.toDouble(&ok);
    if (!ok || !std::isfinite(d) || std::trunc(d) != d || d < -9223372036854775808.0 ||
        d >= 9223372036854775808.0)
        return 0;
    return qint64(d);
}

} // namespace drover
