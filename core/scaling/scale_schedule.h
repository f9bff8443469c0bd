// Scheduled minimums: five-field cron expressions evaluated in an IANA time zone. `now` is UTC
// milliseconds passed in; QTimeZone does the wall-clock conversion, so daylight saving changes
// move the UTC instant of "08:00" and a window spanning a change lasts one hour more or less.
#pragma once

#include "autoscaler_spec.h"

#include <QDate>
#include <QTime>
#include <QTimeZone>
#include <bitset>
#include <optional>

namespace drover {

// minute hour day-of-month month day-of-week, each "*", "n", "a-b", "*/s", "a-b/s" or a comma
// list of those; months and weekdays also by three-letter English name; weekday 0 and 7 are
// Sunday. As in Vixie cron, when both day fields are restricted a day matching either counts.
class CronExpression
{
public:
    static std::optional<CronExpression> parse(const QString &text, QString *error = nullptr);

    bool matchesDay(const QDate &date) const;
    bool matches(const QDate &date, const QTime &time) const;

    // The latest occurrence at or before `utcMs`, as UTC milliseconds, looking back at most
    // `lookbackDays` local days. An occurrence inside a spring-forward gap happens at the first
    // wall-clock minute after the gap (cron's behaviour); an ambiguous fall-back time counts
    // once, at the instant Qt resolves it to.
    std::optional<qint64> lastAtOrBefore(qint64 utcMs, const QTimeZone &zone,
                                         int lookbackDays = 400) const;

private:
    std::bitset<60> m_minutes;
    std::bitset<24> m_hours;
    std::bitset<32> m_daysOfMonth; // 1..31
    std::bitset<13> m_months;      // 1..12
    std::bitset<7> m_weekdays;     // 0 = Sunday
    bool m_domRestricted = false;
    bool m_dowRestricted = false;
};

// Whether `window` is active at `utcMs`: its latest start is later than its latest end.
// Returns std::nullopt for an unusable window (bad cron or unknown zone).
std::optional<bool> scheduleWindowActive(const ScheduleWindow &window, qint64 utcMs);

// Problems with a window, for validateAutoscalerSpec.
QStringList scheduleWindowProblems(const ScheduleWindow &window);

} // namespace drover
