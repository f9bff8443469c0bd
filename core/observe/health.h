// /health and its parts: whether Drover is alive, ready, and how each component is doing,
// assessed from the last snapshot and what hosts reported. Plain C++ with the time passed in.
#pragma once

#include "core/engine/snapshot.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace drover {

enum class HealthStatus { Ok, Degraded, Down, Unknown };

QString healthStatusName(HealthStatus status); // ok, degraded, down, unknown

struct ComponentHealth
{
    QString name; // engine, store, supervisor, gateway, keychain, ...
    HealthStatus status = HealthStatus::Unknown;
    QString detail; // one sentence for the operator
};

struct HealthReport
{
    bool ready = false;
    QString reason; // why not ready (empty when ready)
    HealthStatus overall = HealthStatus::Unknown;
    QList<ComponentHealth> components;

    QJsonObject toJson() const;
};

struct HealthInput
{
    const Snapshot *snapshot = nullptr; // the last one; null: none yet
    qint64 nowMs = 0;
    // Older than this, the engine counts as stalled; 0: three tick intervals, at least 5 s.
    qint64 staleAfterMs = 0;
    bool engineStopped = false; // the owner stopped the engine on purpose (shutdown)
    // Components a host knows about and the snapshot does not carry (e.g. the job intake's
    // keychain token); they replace the snapshot's assessment of the same name.
    QList<ComponentHealth> reported;
};

HealthReport assessHealth(const HealthInput &input);

} // namespace drover
