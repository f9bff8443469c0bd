// A consistent-hash ring with virtual nodes. Each replica owns `virtualNodes` points on a
// 64-bit ring; a key belongs to the first point clockwise from its hash. Adding or removing a
// replica moves only the keys of the arcs it gains or loses (about 1/N of them), which is what
// session affinity needs when a pool scales.
//
// Hashes are FNV-1a with a murmur3 finalizer: stable across runs and platforms (qHash is
// seeded per process), so a session keeps its replica across a Drover restart.
#pragma once

#include <QByteArray>
#include <QVector>
#include <functional>
#include <optional>
#include <utility>

namespace drover {

quint64 stableHash64(QByteArrayView bytes);

class HashRing
{
public:
    explicit HashRing(int virtualNodes = 160) : m_virtualNodes(qMax(1, virtualNodes)) {}

    // Rebuilds the ring when the member set changed (cheap no-op otherwise).
    void setMembers(QVector<int> members);
    const QVector<int> &members() const { return m_members; }

    // The owner of `key`, or the first member clockwise from it that `accept` takes (a full
    // or unhealthy owner hands the key to its ring neighbour, and gets it back when it
    // recovers). Nothing when no member is accepted.
    std::optional<int> lookup(QByteArrayView key,
                              const std::function<bool(int)> &accept = {}) const;

private:
    int m_virtualNodes;
    QVector<int> m_members;                    // sorted
    QVector<std::pair<quint64, int>> m_points; // (hash, member), sorted by hash
};

} // namespace drover
