#include "token_bucket.h"

#include <cmath>

namespace drover {

namespace {
constexpr double kMsPerMinute = 60000.0;
}

TokenBucket::TokenBucket(double perMinute, qint64 nowMs, double capacity)
    : m_perMinute(qMax(0.0, perMinute)), m_capacity(capacity), m_lastMs(nowMs)
{
    m_level = this->capacity();
}

void TokenBucket::refill(qint64 nowMs)
{
    if (nowMs > m_lastMs) {
        m_level = qMin(capacity(), m_level + double(nowMs - m_lastMs) * m_perMinute / kMsPerMinute);
        m_lastMs = nowMs;
    }
}

void TokenBucket::setPerMinute(double perMinute, qint64 nowMs)
{
    refill(nowMs);
    const bool wasUnlimited = isUnlimited();
    m_perMinute = qMax(0.0, perMinute);
    m_lastMs = qMax(m_lastMs, nowMs);
    // From unlimited there is no level to keep: start full, as a new bucket does.
    m_level = wasUnlimited ? capacity() : qMin(m_level, capacity());
}

double TokenBucket::level(qint64 nowMs) const
{
    if (isUnlimited())
        return 0;
    const qint64 dt = qMax<qint64>(0, nowMs - m_lastMs);
    return qMin(capacity(), m_level + double(dt) * m_perMinute / kMsPerMinute);
}

bool TokenBucket::canTake(double amount, qint64 nowMs) const
{
    return isUnlimited() || level(nowMs) >= amount;
}

qint64 TokenBucket::msUntilAvailable(double amount, qint64 nowMs) const
{
    if (isUnlimited())
        return 0;
    if (amount > capacity())
        return -1;
    const double missing = amount - level(nowMs);
    if (missing <= 0)
        return 0;
    // Rounded up, so that a client which waits exactly this long is admitted.
    return qint64(std::ceil(missing * kMsPerMinute / m_perMinute));
}

qint64 TokenBucket::msUntilFull(qint64 nowMs) const
{
    if (isUnlimited())
        return 0;
    const double missing = capacity() - level(nowMs);
    return missing <= 0 ? 0 : qint64(std::ceil(missing * kMsPerMinute / m_perMinute));
}

void TokenBucket::take(double amount, qint64 nowMs)
{
    if (isUnlimited())
        return;
    refill(nowMs);
    m_level -= amount;
}

void TokenBucket::give(double amount, qint64 nowMs)
{
    if (isUnlimited())
        return;
    refill(nowMs);
    m_level = qMin(capacity(), m_level + amount);
}

void BudgetLimiter::setBudget(const QString &key, TierBudget budget, qint64 nowMs)
{
    auto it = m_buckets.find(key);
    if (it == m_buckets.end()) {
        Buckets b;
        b.budget = budget;
        b.tokens = TokenBucket(double(budget.tokensPerMinute), nowMs);
        b.requests = TokenBucket(double(budget.requestsPerMinute), nowMs);
        m_buckets.insert(key, b);
        return;
    }
    it->budget = budget;
    it->tokens.setPerMinute(double(budget.tokensPerMinute), nowMs);
    it->requests.setPerMinute(double(budget.requestsPerMinute), nowMs);
}

TierBudget BudgetLimiter::budget(const QString &key) const
{
    return m_buckets.value(key).budget;
}

void BudgetLimiter::describe(const Buckets &b, qint64 nowMs, BudgetDecision *d) const
{
    if (!b.tokens.isUnlimited()) {
        d->limitTokens = b.budget.tokensPerMinute;
        d->remainingTokens = qMax<qint64>(0, qint64(std::floor(b.tokens.level(nowMs))));
        d->resetTokensMs = b.tokens.msUntilFull(nowMs);
    }
    if (!b.requests.isUnlimited()) {
        d->limitRequests = b.budget.requestsPerMinute;
        d->remainingRequests = qMax<qint64>(0, qint64(std::floor(b.requests.level(nowMs))));
        d->resetRequestsMs = b.requests.msUntilFull(nowMs);
    }
}

BudgetDecision BudgetLimiter::admit(const QString &key, qint64 estimatedTokens, qint64 nowMs)
{
    BudgetDecision d;
    auto it = m_buckets.find(key);
    if (it == m_buckets.end()) {
        d.admitted = true; // no budget configured for this key: unlimited
        return d;
    }
    Buckets &b = *it;
    const double tokens = double(qMax<qint64>(0, estimatedTokens));
    const qint64 waitTokens = b.tokens.msUntilAvailable(tokens, nowMs);
    const qint64 waitRequests = b.requests.msUntilAvailable(1, nowMs);
    if (waitTokens < 0 || waitRequests < 0) {
        d.neverFits = true;
        d.limitedBy = waitTokens < 0 ? QStringLiteral("tokens") : QStringLiteral("requests");
    } else if (waitTokens > 0 || waitRequests > 0) {
        d.retryAfterMs = qMax(waitTokens, waitRequests);
        d.limitedBy = waitTokens >= waitRequests ? QStringLiteral("tokens")
                                                 : QStringLiteral("requests");
    } else {
        // Both or nothing: a request refused for its request count keeps its tokens.
        b.tokens.take(tokens, nowMs);
        b.requests.take(1, nowMs);
        d.admitted = true;
    }
    describe(b, nowMs, &d);
    return d;
}

void BudgetLimiter::settle(const QString &key, qint64 reservedTokens, qint64 actualTokens,
                           qint64 nowMs)
{
    auto it = m_buckets.find(key);
    if (it == m_buckets.end())
        return;
    it->tokens.give(double(reservedTokens - actualTokens), nowMs);
}

BudgetDecision BudgetLimiter::peek(const QString &key, qint64 nowMs) const
{
    BudgetDecision d;
    d.admitted = true;
    const auto it = m_buckets.constFind(key);
    if (it != m_buckets.constEnd())
        describe(*it, nowMs, &d);
    return d;
}

} // namespace drover
