// Load balancing for one pool: which replica gets the next job. A pure decision core (no clock,
// no I/O): the dispatcher describes the replicas, the balancer names one and keeps only the
// state its algorithm needs (a cursor, smooth weights, response-time averages, the hash ring).
//
// The algorithms follow the seed's table (DESIGN.md, Dispatcher):
//   least_connections     GPT-bound work: the replica with the fewest jobs
//   round_robin           browser automation: in turn, skipping replicas that are not healthy
//   weighted_round_robin  TTS/STT: smooth weighted round robin (nginx) with weights recomputed
//                         from CPU, memory, response time and jobs in flight at every pick
//   consistent_hash       user sessions: a hash ring with virtual nodes on the session key
//   least_response_time   voice: the lowest EWMA of response times times (jobs + 1)
//   resource_based        system commands: the most CPU, memory and slot headroom
// Whatever the algorithm, only eligible replicas are picked: ready, breaker closed (or a
// half-open trial), not pausing after a 429, and with a free concurrent-task slot (the tier's
// cap). Ties go round robin, so equal replicas share work evenly.
#pragma once

#include "hash_ring.h"

#include <QByteArrayView>
#include <QHash>
#include <QString>
#include <QVector>
#include <optional>

namespace drover {

enum class BalancingAlgorithm
{
    LeastConnections,
    RoundRobin,
    WeightedRoundRobin,
    ConsistentHash,
    LeastResponseTime,
    ResourceBased,
};

QString balancingAlgorithmName(BalancingAlgorithm algorithm); // "least_connections", ...
std::optional<BalancingAlgorithm> balancingAlgorithmFromName(const QString &name);
// The seed's balancing table by pool role (gpt, browser, tts/stt/speech, session, voice/phone,
// system); anything else gets least connections.
BalancingAlgorithm defaultBalancingAlgorithm(const QString &role);

struct BalancerReplica
{
    int index = 0;             // the replica's index in its pool
    bool ready = false;        // ReplicaState::Ready
    bool breakerAllows = true; // its circuit breaker lets a job through now
    bool paused = false;       // answered 429/503 moments ago: let it drain first
    int capacity = 0;          // the tier's concurrent-task cap; 0: no cap
    double load = 0;           // jobs at the replica now (in flight and waiting there)
    bool cpuValid = false;
    double cpuPercent = 0;           // of one core
    double cpuCapacityPercent = 100; // what counts as saturated (100 x the tier's cores)
    double memoryFraction = -1;      // of the tier's memory limit; < 0: unknown
    double baseWeight = 1;           // operator weight for weighted round robin
};

// Ready, breaker allows, not paused, and a free slot under the tier's cap.
bool isEligible(const BalancerReplica &replica);

struct BalancerTuning
{
    int virtualNodes = 160;      // per replica on the hash ring: ~+-10 % key share
    double ewmaAlpha = 0.3;      // weight of the newest response time
    double responseRefMs = 1000; // response time that halves a replica's dynamic weight
    double minFactor = 0.05;     // a busy replica keeps a trickle, so its numbers refresh
};

// The weighted-round-robin weight: baseWeight x CPU headroom x memory headroom x response time
// factor (ref / (ref + ewma)) x free slots. Unknown inputs count as neutral (factor 1).
double dynamicWeight(const BalancerReplica &replica, std::optional<double> responseEwmaMs,
                     const BalancerTuning &tuning = {});

class Balancer
{
public:
    explicit Balancer(BalancingAlgorithm algorithm = BalancingAlgorithm::LeastConnections,
                      BalancerTuning tuning = {});

    BalancingAlgorithm algorithm() const { return m_algorithm; }
    void setAlgorithm(BalancingAlgorithm algorithm) { m_algorithm = algorithm; }

    // The replica for one job, or nothing when none is eligible. `key` is the session key
    // (consistent hashing; other algorithms ignore it). Replicas in `avoid` (they failed this
    // job) are picked only when no other replica is eligible. The caller updates `load` of
    // the picked replica before the next pick in the same batch.
    std::optional<int> pick(const QVector<BalancerReplica> &replicas, QByteArrayView key = {},
                            const QVector<int> &avoid = {});

    // A measured response time (the agent's answer to POST /jobs) for least response time and
    // the weighted algorithm.
    void recordResponse(int replica, double ms);
    std::optional<double> responseEwmaMs(int replica) const;
    // The replica is gone (scaled in): drop its averages and weights.
    void forget(int replica);

    const HashRing &ring() const { return m_ring; }

private:
    // Among `candidates` (indices into replicas) with the best score, the first after the
    // last pick, so ties rotate.
    template <typename Score>
    std::optional<int> best(const QVector<BalancerReplica> &replicas,
                            const QVector<int> &candidates, Score score);
    int rotateFrom(const QVector<BalancerReplica> &replicas, const QVector<int> &tied) const;

    BalancingAlgorithm m_algorithm;
    BalancerTuning m_tuning;
    int m_last = -1; // the replica index picked last (round robin cursor and tie breaker)
    QHash<int, double> m_ewma;
    QHash<int, double> m_current; // smooth weighted round robin state
    HashRing m_ring;
};

} // namespace drover
