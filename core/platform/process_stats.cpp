#include "process_stats.h"

#include <QList>

namespace drover {

std::optional<ProcessSample> parseProcPidStat(const QByteArray &stat, const QByteArray &statm,
                                              long ticksPerSecond, long pageBytes)
{
    const int close = stat.lastIndexOf(')');
    if (close < 0 || ticksPerSecond <= 0 || pageBytes <= 0)
        return std::nullopt;
    // After ")": state(3) ppid(4) ... utime(14) stime(15) ... rss(24); index 0 here is field 3.
    const QList<QByteArray> f = stat.mid(close + 1).simplified().split(' ');
    if (f.size() < 22)
        return std::nullopt;
    if (f[0] == "Z" || f[0] == "X")
        return std::nullopt;
    bool okU = false, okS = false, okR = false;
    const quint64 utime = f[11].toULongLong(&okU);
    const quint64 stime = f[12].toULongLong(&okS);
    const qint64 rssPages = f[21].toLongLong(&okR);
    if (!okU || !okS || !okR)
        return std::nullopt;
    ProcessSample s;
    s.cpuTimeMs = (utime + stime) * 1000 / quint64(ticksPerSecond);
    s.rssBytes = quint64(qMax<qint64>(0, rssPages)) * quint64(pageBytes);
    // statm: size resident shared text lib data dt (pages). resident - shared = anonymous
    // resident memory, the part a process owns alone.
    const QList<QByteArray> m = statm.simplified().split(' ');
    if (m.size() >= 3) {
        const quint64 resident = m[1].toULongLong();
        const quint64 shared = m[2].toULongLong();
        s.privateBytes = (resident > shared ? resident - shared : 0) * quint64(pageBytes);
    }
    return s;
}

std::optional<double> processCpuPercent(const ProcessSample &earlier, const ProcessSample &later,
                                        qint64 elapsedMs)
{
    if (elapsedMs <= 0 || later.cpuTimeMs < earlier.cpuTimeMs)
        return std::nullopt; // a different process reused the pid, or no time passed
    return 100.0 * double(later.cpuTimeMs - earlier.cpuTimeMs) / double(elapsedMs);
}

} // namespace drover
