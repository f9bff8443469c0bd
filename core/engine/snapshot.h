// The immutable value the engine publishes to the UI. Everything here is a plain value (Qt's
// implicitly shared containers make copies cheap), so it can cross threads by queued signal.
#pragma once

#include "core/config/config.h"
#include "core/supervisor/supervisor_types.h"

#include <QMetaType>
#include <QVector>

namespace drover {

struct SystemPoint
{
    qint64 timeMs = 0;       // ms since the epoch
    double cpuPercent = 0;   // busy share of all cores, 0..100
    double memoryPercent = 0;
    quint64 memoryUsedBytes = 0;
};

struct ConfigStatus
{
    QString file;
    QList<ConfigIssue> issues;
    QStringList refusedPools;
    QStringList pools; // accepted pools, in file order
    QStringList tiers; // tier names, for the tier selector
    bool fatal = false;
};

struct Snapshot
{
    quint64 sequence = 0;    // 1 for the first snapshot; gaps mean the UI skipped some
    qint64 publishedAtMs = 0;
    qint64 tickIntervalMs = 0;
    bool cpuValid = false;   // false until two CPU samples exist, or when counters misbehaved
    double cpuPercent = 0;
    quint64 memoryTotalBytes = 0;
    quint64 memoryUsedBytes = 0;
    QVector<SystemPoint> systemHistory; // oldest first, 1 s resolution, bounded
    ConfigStatus config;
    QVector<PoolStatus> pools;
    QVector<SupervisorEvent> recentEvents; // newest last, bounded
    QString cgroupRoot; // where tier limits are enforced on Linux; empty: rlimit fallback
    QString storePath;
    QString storeNotice; // a store that was broken and moved aside, or could not be opened
};

} // namespace drover

Q_DECLARE_METATYPE(drover::Snapshot)
