// The bottleneck step of the engine tick: core/detect's BottleneckDetector fed from the engine's
// series. What Drover measures today is fed (pool CPU in cores, queue depth, host CPU and
// memory); the rest (gateway, per-replica memory, disk, cache, browsers) is left empty, so those
// signatures are not assessed rather than guessed.
//
// core/detect's header stays inside bottlenecks.cpp, so the engine's headers stay light.
#pragma once

#include "core/config/config.h"
#include "core/supervisor/supervisor_types.h"
#include "snapshot.h"

#include <functional>
#include <memory>

namespace drover {

class SeriesBook;
struct BottleneckTuning;

class Bottlenecks
{
public:
    // `tune` adjusts the detector's tuning (tests shorten the windows); empty: the defaults.
    explicit Bottlenecks(const std::function<void(BottleneckTuning &)> &tune = {});
    ~Bottlenecks();
    Bottlenecks(const Bottlenecks &) = delete;
    Bottlenecks &operator=(const Bottlenecks &) = delete;

    // Assesses at `nowMs`, fills snapshot->bottlenecks with the active findings and returns an
    // event for each finding that appeared or cleared.
    QVector<SupervisorEvent> evaluate(const SeriesBook &series, const QVector<PoolStatus> &pools,
                                      const Config &config, double logicalCores,
                                      quint64 memoryTotalBytes, qint64 nowMs, Snapshot *snapshot);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace drover
