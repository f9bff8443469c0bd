// The hook through which the engine adds to every replica process's environment at each start
// (the gateway's OPENAI_BASE_URL and a fresh per-replica token), after the DROVER_* variables.
// A header of its own so the supervisor's public header stays free of the replica's.
#pragma once

#include <QProcessEnvironment>
#include <QString>

#include <functional>

namespace drover {

using ReplicaEnvironmentHook =
    std::function<void(const QString &pool, int index, const QString &tier, QProcessEnvironment &env)>;

} // namespace drover
