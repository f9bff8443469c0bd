// Test helpers that look at processes the way the OS sees them (/proc), not the way Drover
// reports them, so a test can catch Drover being wrong about its own fleet.
#pragma once

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QList>
#include <QString>

#include <csignal>
#include <sys/types.h>

namespace drover::test {

inline QByteArray procStat(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

// Alive and not a zombie.
inline bool processAlive(qint64 pid)
{
    if (pid <= 0)
        return false;
    const QByteArray stat = procStat(pid);
    const int close = stat.lastIndexOf(')');
    if (close < 0)
        return false;
    const char state = stat.size() > close + 2 ? stat.at(close + 2) : '?';
    return state != 'Z' && state != 'X';
}

// Live processes whose process group is `pgid`.
inline QList<qint64> processGroupMembers(qint64 pgid)
{
    QList<qint64> out;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
    for (const QString &e : entries) {
        bool ok = false;
        const qint64 pid = e.toLongLong(&ok);
        if (!ok)
            continue;
        const QByteArray stat = procStat(pid);
        const int close = stat.lastIndexOf(')');
        if (close < 0)
            continue;
        const QList<QByteArray> f = stat.mid(close + 2).split(' ');
        if (f.size() > 2 && f[2].toLongLong() == pgid && f[0] != "Z" && f[0] != "X")
            out << pid;
    }
    return out;
}

inline QByteArray procLimits(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/limits").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

inline QByteArray procEnviron(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/environ").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

} // namespace drover::test
