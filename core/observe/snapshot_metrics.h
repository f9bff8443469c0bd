// Drover's own /metrics: the engine's snapshot in the Prometheus text format. Rendering reads
// values only (a snapshot and the counters accumulated from snapshots), never the engine.
//
// Each metric family is one function in snapshot_metrics.cpp's table; adding a family is
// adding a function and a line.
#pragma once

#include "core/engine/snapshot.h"
#include "snapshot_counters.h"

#include <QByteArray>
#include <optional>

namespace drover {

struct MetricsInput
{
    const Snapshot *snapshot = nullptr; // null until the engine published one
    const SnapshotCounters *counters = nullptr;
    qint64 nowMs = 0;
};

QByteArray renderMetrics(const MetricsInput &input);

// The content type Prometheus expects for the text format.
inline constexpr char kPrometheusContentType[] = "text/plain; version=0.0.4; charset=utf-8";

} // namespace drover
