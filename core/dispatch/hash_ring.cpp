#include "hash_ring.h"

#include <algorithm>
#include <climits>

namespace drover {

quint64 stableHash64(QByteArrayView bytes)
{
    quint64 h = 14695981039346656037ULL; // FNV-1a offset basis
    for (char c : bytes) {
        h ^= quint8(c);
        h *= 1099511628211ULL;
    }
    // FNV alone clusters similar short keys ("replica-1#7", "replica-1#8"); the murmur3
    // finalizer spreads them over the whole ring.
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

void HashRing::setMembers(QVector<int> members)
{
    std::sort(members.begin(), members.end());
    members.erase(std::unique(members.begin(), members.end()), members.end());
    if (members == m_members && !m_points.isEmpty() == !members.isEmpty())
        return;
    m_members = std::move(members);
    m_points.clear();
    m_points.reserve(m_members.size() * m_virtualNodes);
    for (int member : m_members) {
        for (int v = 0; v < m_virtualNodes; ++v) {
            const QByteArray point =
                "replica-" + QByteArray::number(member) + '#' + QByteArray::number(v);
            m_points.append({stableHash64(point), member});
        }
    }
    std::sort(m_points.begin(), m_points.end());
}

std::optional<int> HashRing::lookup(QByteArrayView key,
                                    const std::function<bool(int)> &accept) const
{
    if (m_points.isEmpty())
        return std::nullopt;
    const quint64 h = stableHash64(key);
    auto it =
        std::lower_bound(m_points.cbegin(), m_points.cend(), std::pair<quint64, int>{h, INT_MIN});
    const qsizetype start = it - m_points.cbegin();
    // Walk clockwise; members seen and refused are skipped quickly after the first refusal.
    QVector<int> refused;
    for (qsizetype i = 0; i < m_points.size(); ++i) {
        const int member = m_points[(start + i) % m_points.size()].second;
        if (!accept)
            return member;
        if (refused.contains(member))
            continue;
        if (accept(member))
            return member;
        refused.append(member);
        if (refused.size() == m_members.size())
            break;
    }
    return std::nullopt;
}

} // namespace drover
