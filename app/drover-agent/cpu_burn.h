// Busy work for one job: spins until the calling thread has used `cpuMs` of CPU time.
//
// Thread CPU time, not wall time, is the measure: under a tier's CPU cap or on a busy machine a
// job then takes longer in wall time, exactly like real CPU-bound work would.
#pragma once

#include <QtGlobal>

namespace drover::agent {

void burnCpu(qint64 cpuMs);

} // namespace drover::agent
