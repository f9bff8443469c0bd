#include "system_metrics.h"

#include <QList>

namespace drover {

std::optional<double> cpuPercentBetween(const CpuCounters &earlier, const CpuCounters &later)
{
    if (later.total <= earlier.total || later.busy < earlier.busy)
        return std::nullopt;
    const quint64 total = later.total - earlier.total;
    const quint64 busy = later.busy - earlier.busy;
    if (busy > total)
        return std::nullopt;
    return 100.0 * double(busy) / double(total);
}

std::optional<CpuCounters> parseProcStat(const QByteArray &procStat)
{
    // First line: "cpu  user nice system idle iowait irq softirq steal guest guest_nice"
    const int end = procStat.indexOf('\n');
    const QByteArray line = end < 0 ? procStat : procStat.left(end);
    const QList<QByteArray> fields = line.simplified().split(' ');
    if (fields.size() < 5 || fields.first() != "cpu")
        return std::nullopt;
    quint64 v[8] = {};
    const int n = qMin<int>(8, fields.size() - 1);
    for (int i = 0; i < n; ++i) {
        bool ok = false;
        v[i] = fields.at(i + 1).toULongLong(&ok);
        if (!ok)
            return std::nullopt;
    }
    const quint64 user = v[0], nice = v[1], system = v[2], idle = v[3], iowait = v[4],
                  irq = v[5], softirq = v[6], steal = v[7];
    CpuCounters c;
    c.busy = user + nice + system + irq + softirq + steal;
    c.total = c.busy + idle + iowait;
    return c;
}

std::optional<MemoryInfo> parseProcMeminfo(const QByteArray &procMeminfo)
{
    MemoryInfo info;
    bool haveTotal = false, haveAvailable = false;
    for (const QByteArray &raw : procMeminfo.split('\n')) {
        const QList<QByteArray> parts = raw.simplified().split(' ');
        if (parts.size() < 2)
            continue;
        bool ok = false;
        const quint64 kb = parts.at(1).toULongLong(&ok);
        if (!ok)
            continue;
        if (parts.at(0) == "MemTotal:") {
            info.totalBytes = kb * 1024;
            haveTotal = true;
        } else if (parts.at(0) == "MemAvailable:") {
            info.availableBytes = kb * 1024;
            haveAvailable = true;
        }
    }
    if (!haveTotal || !haveAvailable || info.totalBytes == 0)
        return std::nullopt;
    return info;
}

} // namespace drover
