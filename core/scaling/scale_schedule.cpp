#include "scale_schedule.h"

#include <QDateTime>

namespace drover {

namespace {

int nameIndex(const QString &token, const char *const names[], int count)
{
    for (int i = 0; i < count; ++i) {
        if (token.compare(QLatin1String(names[i]), Qt::CaseInsensitive) == 0)
            return i;
    }
    return -1;
}

const char *const kMonthNames[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                   "jul", "aug", "sep", "oct", "nov", "dec"};
const char *const kDayNames[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

struct FieldSpec
{
    const char *what;
    int low;
    int high;
    const char *const *names; // index 0 is `namesBase`
    int nameCount;
    int namesBase;
};

bool parseValue(const QString &token, const FieldSpec &spec, int *value)
{
    bool ok = false;
    const int v = token.toInt(&ok);
    if (ok) {
        *value = v;
        return v >= spec.low && v <= spec.high;
    }
    if (spec.names) {
        const int i = nameIndex(token, spec.names, spec.nameCount);
        if (i >= 0) {
            *value = spec.namesBase + i;
            return true;
        }
    }
    return false;
}

// Sets the bits of one cron field; returns false (with `error`) when it does not parse.
template <size_t N>
bool parseField(const QString &text, const FieldSpec &spec, std::bitset<N> *bits, bool *restricted,
                QString *error)
{
    *restricted = text != QLatin1String("*") && text != QLatin1String("?");
    const auto fail = [&](const QString &why) {
        if (error)
            *error = QStringLiteral("%1 field \"%2\": %3").arg(QLatin1String(spec.what), text, why);
        return false;
    };
    if (text.isEmpty())
        return fail(QStringLiteral("empty"));
    for (const QString &part : text.split(QLatin1Char(','))) {
        QString range = part;
        int step = 1;
        const int slash = part.indexOf(QLatin1Char('/'));
        if (slash >= 0) {
            bool ok = false;
            step = part.mid(slash + 1).toInt(&ok);
            if (!ok || step <= 0)
                return fail(QStringLiteral("the step must be a positive number"));
            range = part.left(slash);
        }
        int from = spec.low;
        int to = spec.high;
        if (range != QLatin1String("*") && range != QLatin1String("?")) {
            const int dash = range.indexOf(QLatin1Char('-'));
            if (dash > 0) {
                if (!parseValue(range.left(dash), spec, &from) ||
                    !parseValue(range.mid(dash + 1), spec, &to))
                    return fail(
                        QStringLiteral("values must be within %1-%2").arg(spec.low).arg(spec.high));
                if (from > to)
                    return fail(QStringLiteral("a range must not run backwards"));
            } else {
                if (!parseValue(range, spec, &from))
                    return fail(
                        QStringLiteral("values must be within %1-%2").arg(spec.low).arg(spec.high));
                // "5/15" means from 5 to the end in steps of 15.
                to = slash >= 0 ? spec.high : from;
            }
        }
        for (int v = from; v <= to; v += step)
            bits->set(size_t(v));
    }
    return true;
}

} // namespace

std::optional<CronExpression> CronExpression::parse(const QString &text, QString *error)
{
    const QStringList fields = text.simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (fields.size() != 5) {
        if (error)
            *error = QStringLiteral("\"%1\" needs five fields (minute hour day-of-month month "
                                    "day-of-week), it has %2")
                         .arg(text)
                         .arg(fields.size());
        return std::nullopt;
    }
    CronExpression cron;
    bool restricted = false;
    if (!parseField(fields[0], {"minute", 0, 59, nullptr, 0, 0}, &cron.m_minutes, &restricted,
                    error) ||
        !parseField(fields[1], {"hour", 0, 23, nullptr, 0, 0}, &cron.m_hours, &restricted, error) ||
        !parseField(fields[2], {"day-of-month", 1, 31, nullptr, 0, 0}, &cron.m_daysOfMonth,
                    &cron.m_domRestricted, error) ||
        !parseField(fields[3], {"month", 1, 12, kMonthNames, 12, 1}, &cron.m_months, &restricted,
                    error))
        return std::nullopt;
    std::bitset<8> weekdays;
    if (!parseField(fields[4], {"day-of-week", 0, 7, kDayNames, 7, 0}, &weekdays,
                    &cron.m_dowRestricted, error))
        return std::nullopt;
    for (int d = 0; d < 7; ++d)
        cron.m_weekdays[size_t(d)] = weekdays[size_t(d)] || (d == 0 && weekdays[7]);
    return cron;
}

bool CronExpression::matchesDay(const QDate &date) const
{
    if (!m_months[size_t(date.month())])
        return false;
    const bool dom = m_daysOfMonth[size_t(date.day())];
    const bool dow = m_weekdays[size_t(date.dayOfWeek() % 7)]; // Qt: Monday 1 .. Sunday 7
    if (m_domRestricted && m_dowRestricted)
        return dom || dow;
    return dom && dow;
}

bool CronExpression::matches(const QDate &date, const QTime &time) const
{
    return matchesDay(date) && m_hours[size_t(time.hour())] && m_minutes[size_t(time.minute())];
}

namespace {

// The UTC instant of a local wall-clock minute. A minute skipped by a spring-forward gap maps to
// the first minute after the gap.
qint64 wallClockToUtcMs(const QDate &date, const QTime &time, const QTimeZone &zone)
{
    QDateTime dt(date, time, zone);
    const QDateTime midnight(date, QTime(0, 0), QTimeZone::utc()); // plain arithmetic, no DST
    const int minuteOfDay = time.hour() * 60 + time.minute();
    for (int later = 1; !dt.isValid() && later <= 24 * 60; ++later) {
        const QDateTime wall = midnight.addSecs(qint64(minuteOfDay + later) * 60);
        dt = QDateTime(wall.date(), wall.time(), zone);
    }
    return dt.toMSecsSinceEpoch();
}

} // namespace

std::optional<qint64> CronExpression::lastAtOrBefore(qint64 utcMs, const QTimeZone &zone,
                                                     int lookbackDays) const
{
    const QDateTime local = QDateTime::fromMSecsSinceEpoch(utcMs, zone);
    // Start a day ahead: only exotic zones put a later wall-clock date behind `utcMs`, but one
    // extra day costs nothing.
    const QDate today = local.date();
    const int nowMinuteOfDay = local.time().hour() * 60 + local.time().minute();
    // Wall-clock times more than this far after the local time of `utcMs` cannot be before it
    // (no zone shifts by more than a few hours), so they are skipped without a conversion.
    constexpr int kSlackMinutes = 3 * 60;
    for (int back = -1; back <= lookbackDays; ++back) {
        const QDate day = today.addDays(-back);
        if (!matchesDay(day))
            continue;
        for (int h = 23; h >= 0; --h) {
            if (!m_hours[size_t(h)])
                continue;
            for (int m = 59; m >= 0; --m) {
                if (!m_minutes[size_t(m)])
                    continue;
                if (-back * 24 * 60 + h * 60 + m > nowMinuteOfDay + kSlackMinutes)
                    continue;
                const qint64 at = wallClockToUtcMs(day, QTime(h, m), zone);
                if (at <= utcMs)
                    return at;
            }
        }
    }
    return std::nullopt;
}

std::optional<bool> scheduleWindowActive(const ScheduleWindow &window, qint64 utcMs)
{
    const auto start = CronExpression::parse(window.start);
    const auto end = CronExpression::parse(window.end);
    const QTimeZone zone(window.timeZone.toUtf8());
    if (!start || !end || !zone.isValid())
        return std::nullopt;
    const auto lastStart = start->lastAtOrBefore(utcMs, zone);
    if (!lastStart)
        return false;
    const auto lastEnd = end->lastAtOrBefore(utcMs, zone);
    return !lastEnd || *lastStart > *lastEnd;
}

QStringList scheduleWindowProblems(const ScheduleWindow &window)
{
    QStringList problems;
    const QString who = window.name.isEmpty() ? QStringLiteral("a schedule")
                                              : QStringLiteral("schedule \"%1\"").arg(window.name);
    QString error;
    if (!CronExpression::parse(window.start, &error))
        problems << QStringLiteral("%1: start: %2").arg(who, error);
    if (!CronExpression::parse(window.end, &error))
        problems << QStringLiteral("%1: end: %2").arg(who, error);
    if (!QTimeZone(window.timeZone.toUtf8()).isValid())
        problems
            << QStringLiteral("%1: \"%2\" is not a known IANA time zone").arg(who, window.timeZone);
    if (window.minReplicas < 0)
        problems << QStringLiteral("%1: min_replicas must not be negative").arg(who);
    return problems;
}

} // namespace drover
