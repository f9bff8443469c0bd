#include "balancer.h"

#include <algorithm>
#include <cmath>

namespace drover {

namespace {
struct AlgorithmName
{
    BalancingAlgorithm algorithm;
    const char *name;
};
constexpr AlgorithmName kNames[] = {
    {BalancingAlgorithm::LeastConnections, "least_connections"},
    {BalancingAlgorithm::RoundRobin, "round_robin"},
    {BalancingAlgorithm::WeightedRoundRobin, "weighted_round_robin"},
    {BalancingAlgorithm::ConsistentHash, "consistent_hash"},
    {BalancingAlgorithm::LeastResponseTime, "least_response_time"},
    {BalancingAlgorithm::ResourceBased, "resource_based"},
};
constexpr double kEpsilon = 1e-9;
} // namespace

QString balancingAlgorithmName(BalancingAlgorithm algorithm)
{
    for (const AlgorithmName &n : kNames) {
        if (n.algorithm == algorithm)
            return QString::fromLatin1(n.name);
    }
    return QString();
}

std::optional<BalancingAlgorithm> balancingAlgorithmFromName(const QString &name)
{
    for (const AlgorithmName &n : kNames) {
        if (name == QLatin1String(n.name))
            return n.algorithm;
    }
    return std::nullopt;
}

BalancingAlgorithm defaultBalancingAlgorithm(const QString &role)
{
    const QString r = role.toLower();
    if (r == QLatin1String("gpt") || r == QLatin1String("mail"))
        return BalancingAlgorithm::LeastConnections;
    if (r == QLatin1String("browser"))
        return BalancingAlgorithm::RoundRobin;
    if (r == QLatin1String("tts") || r == QLatin1String("stt") || r == QLatin1String("speech"))
        return BalancingAlgorithm::WeightedRoundRobin;
    if (r == QLatin1String("session") || r == QLatin1String("sessions"))
        return BalancingAlgorithm::ConsistentHash;
    if (r == QLatin1String("voice") || r == QLatin1String("phone"))
        return BalancingAlgorithm::LeastResponseTime;
    if (r == QLatin1String("system") || r == QLatin1String("loops"))
        return BalancingAlgorithm::ResourceBased;
    return BalancingAlgorithm::LeastConnections;
}

bool isEligible(const BalancerReplica &r)
{
    return r.ready && r.breakerAllows && !r.paused &&
           (r.capacity <= 0 || r.load < double(r.capacity) - kEpsilon);
}

double dynamicWeight(const BalancerReplica &r, std::optional<double> ewmaMs,
                     const BalancerTuning &t)
{
    const auto headroom = [&t](double used) { return std::clamp(1.0 - used, t.minFactor, 1.0); };
    double w = std::max(0.0, r.baseWeight);
    if (r.cpuValid && r.cpuCapacityPercent > 0)
        w *= headroom(r.cpuPercent / r.cpuCapacityPercent);
    if (r.memoryFraction >= 0)
        w *= headroom(r.memoryFraction);
    if (ewmaMs && *ewmaMs >= 0 && t.responseRefMs > 0)
        w *= std::max(t.minFactor, t.responseRefMs / (t.responseRefMs + *ewmaMs));
    if (r.capacity > 0)
        w *= headroom(r.load / r.capacity);
    else
        w *= std::max(t.minFactor, 1.0 / (1.0 + std::max(0.0, r.load)));
    return w;
}

Balancer::Balancer(BalancingAlgorithm algorithm, BalancerTuning tuning)
    : m_algorithm(algorithm), m_tuning(tuning), m_ring(tuning.virtualNodes)
{
}

int Balancer::rotateFrom(const QVector<BalancerReplica> &replicas, const QVector<int> &tied) const
{
    // The tied replica with the smallest index above the last pick, else the smallest.
    int chosen = -1;
    int wrap = -1;
    for (int i : tied) {
        const int index = replicas[i].index;
        if (index > m_last && (chosen < 0 || index < replicas[chosen].index))
            chosen = i;
        if (wrap < 0 || index < replicas[wrap].index)
            wrap = i;
    }
    return chosen >= 0 ? chosen : wrap;
}

template <typename Score>
std::optional<int> Balancer::best(const QVector<BalancerReplica> &replicas,
                                  const QVector<int> &candidates, Score score)
{
    // Lower score wins.
    double bestScore = 0;
    QVector<int> tied;
    for (int i : candidates) {
        const double s = score(replicas[i]);
        if (tied.isEmpty() || s < bestScore - kEpsilon) {
            bestScore = s;
            tied = {i};
        } else if (std::abs(s - bestScore) <= kEpsilon) {
            tied.append(i);
        }
    }
    if (tied.isEmpty())
        return std::nullopt;
    return rotateFrom(replicas, tied);
}

std::optional<int> Balancer::pick(const QVector<BalancerReplica> &replicas, QByteArrayView key,
                                  const QVector<int> &avoid)
{
    QVector<int> eligible;
    QVector<int> preferred; // eligible and not in `avoid`
    for (int i = 0; i < replicas.size(); ++i) {
        if (!isEligible(replicas[i]))
            continue;
        eligible.append(i);
        if (!avoid.contains(replicas[i].index))
            preferred.append(i);
    }
    const QVector<int> &candidates = preferred.isEmpty() ? eligible : preferred;
    if (candidates.isEmpty())
        return std::nullopt;

    std::optional<int> chosen; // index into replicas
    switch (m_algorithm) {
    case BalancingAlgorithm::LeastConnections:
        chosen = best(replicas, candidates, [](const BalancerReplica &r) { return r.load; });
        break;
    case BalancingAlgorithm::RoundRobin:
        chosen = rotateFrom(replicas, candidates);
        break;
    case BalancingAlgorithm::WeightedRoundRobin: {
        // Smooth weighted round robin: every candidate gains its weight, the richest is picked
        // and pays the total. Over any window the shares follow the weights without bursts.
        double total = 0;
        int richest = -1;
        for (int i : candidates) {
            const int index = replicas[i].index;
            const double w = dynamicWeight(replicas[i], responseEwmaMs(index), m_tuning);
            total += w;
            double &current = m_current[index];
            current += w;
            if (richest < 0 || current > m_current.value(replicas[richest].index) + kEpsilon)
                richest = i;
        }
        m_current[replicas[richest].index] -= total;
        chosen = richest;
        break;
    }
    case BalancingAlgorithm::ConsistentHash: {
        // Every replica the pool has is on the ring, ready or not, so a replica that is busy
        // for a moment does not reshuffle everyone's sessions: its keys visit the neighbour
        // clockwise and come back.
        QVector<int> members;
        QHash<int, int> position;
        for (int i = 0; i < replicas.size(); ++i) {
            members.append(replicas[i].index);
            position.insert(replicas[i].index, i);
        }
        m_ring.setMembers(members);
        const auto accept = [&](int member) { return candidates.contains(position.value(member)); };
        if (const auto owner = m_ring.lookup(key, accept))
            chosen = position.value(*owner);
        break;
    }
    case BalancingAlgorithm::LeastResponseTime:
        // Unmeasured replicas score 0 and are tried first, so every replica gets measured.
        chosen = best(replicas, candidates, [this](const BalancerReplica &r) {
            return responseEwmaMs(r.index).value_or(0.0) * (r.load + 1.0);
        });
        break;
    case BalancingAlgorithm::ResourceBased:
        chosen = best(replicas, candidates, [](const BalancerReplica &r) {
            const double cpu = r.cpuValid && r.cpuCapacityPercent > 0
                                   ? std::clamp(r.cpuPercent / r.cpuCapacityPercent, 0.0, 1.0)
                                   : 0.5;
            const double memory =
                r.memoryFraction >= 0 ? std::clamp(r.memoryFraction, 0.0, 1.0) : 0.5;
            const double busySlots = r.capacity > 0 ? std::clamp(r.load / r.capacity, 0.0, 1.0)
                                                    : 1.0 - 1.0 / (1.0 + std::max(0.0, r.load));
            // Used share, weighted: CPU is what system commands mostly burn.
            return 0.4 * cpu + 0.3 * memory + 0.3 * busySlots;
        });
        break;
    }
    if (!chosen)
        return std::nullopt;
    m_last = replicas[*chosen].index;
    return replicas[*chosen].index;
}

void Balancer::recordResponse(int replica, double ms)
{
    if (!std::isfinite(ms) || ms < 0)
        return;
    auto it = m_ewma.find(replica);
    if (it == m_ewma.end())
        m_ewma.insert(replica, ms);
    else
        *it = m_tuning.ewmaAlpha * ms + (1.0 - m_tuning.ewmaAlpha) * *it;
}

std::optional<double> Balancer::responseEwmaMs(int replica) const
{
    const auto it = m_ewma.constFind(replica);
    if (it == m_ewma.constEnd())
        return std::nullopt;
    return *it;
}

void Balancer::forget(int replica)
{
    m_ewma.remove(replica);
    m_current.remove(replica);
}

} // namespace drover
