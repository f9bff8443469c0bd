// Token buckets for the gateway's per-tier budgets. Pure: no clock, no I/O; `nowMs` is any
// monotonic millisecond count the caller passes in, so tests drive them with simulated time.
#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

namespace drover {

// A bucket that holds up to one minute's worth (`perMinute`) and refills continuously at
// perMinute / 60 000 per millisecond. Its level may go below zero: a request that was admitted
// on an estimate and then used more leaves a debt the following requests wait for.
class TokenBucket
{
public:
    TokenBucket() = default; // unlimited
    // `capacity` <= 0: one minute's worth.
    TokenBucket(double perMinute, qint64 nowMs, double capacity = 0);

    bool isUnlimited() const { return m_perMinute <= 0; }
    double perMinute() const { return m_perMinute; }
    double capacity() const { return m_capacity > 0 ? m_capacity : m_perMinute; }

    // A new rate applies from now on; the level is kept (clamped to the new capacity), so a
    // re-tier neither refills a drained bucket nor drains a full one. <= 0: unlimited.
    void setPerMinute(double perMinute, qint64 nowMs);

    double level(qint64 nowMs) const;
    // Whether `amount` can be taken now; otherwise how long until it can (-1: never, because it
    // exceeds the capacity).
    bool canTake(double amount, qint64 nowMs) const;
    qint64 msUntilAvailable(double amount, qint64 nowMs) const;
    // Time until the bucket is full again (OpenAI's x-ratelimit-reset-*).
    qint64 msUntilFull(qint64 nowMs) const;

    void take(double amount, qint64 nowMs);
    // Puts back (or, negative, takes) `amount`; never above the capacity.
    void give(double amount, qint64 nowMs);

private:
    void refill(qint64 nowMs);

    double m_perMinute = 0;
    double m_capacity = 0;
    double m_level = 0;
    qint64 m_lastMs = 0;
};

struct TierBudget
{
    qint64 tokensPerMinute = 0;   // 0: unlimited
    qint64 requestsPerMinute = 0; // 0: unlimited

    friend bool operator==(const TierBudget &a, const TierBudget &b)
    {
        return a.tokensPerMinute == b.tokensPerMinute && a.requestsPerMinute == b.requestsPerMinute;
    }
};

// What admission decided, and the bucket as the OpenAI rate-limit headers describe it.
struct BudgetDecision
{
    bool admitted = false;
    bool neverFits = false;   // the request alone exceeds the whole bucket: do not retry
    qint64 retryAfterMs = 0;  // when refused and it could fit later
    QString limitedBy;        // "tokens" or "requests" when refused

    qint64 limitTokens = 0;   // 0: unlimited (no token headers)
    qint64 remainingTokens = 0;
    qint64 resetTokensMs = 0;
    qint64 limitRequests = 0; // 0: unlimited (no request headers)
    qint64 remainingRequests = 0;
    qint64 resetRequestsMs = 0;
};

// The budgets of all buckets (one per tier or one per replica; the key is the caller's).
// Admission reserves a request's estimated tokens and one request; settle() corrects the
// reservation to the actual usage. Because every admitted request holds its estimate until it
// completes, concurrent requests can overshoot the bucket only by what their actual usage
// exceeds their estimates, not by being admitted against the same free tokens.
class BudgetLimiter
{
public:
    // Creates or re-rates a bucket. Levels are kept across changes (live re-tier).
    void setBudget(const QString &key, TierBudget budget, qint64 nowMs);
    TierBudget budget(const QString &key) const;
    bool hasBucket(const QString &key) const { return m_buckets.contains(key); }
    QStringList keys() const { return m_buckets.keys(); }

    BudgetDecision admit(const QString &key, qint64 estimatedTokens, qint64 nowMs);
    void settle(const QString &key, qint64 reservedTokens, qint64 actualTokens, qint64 nowMs);
    // The headers' view without taking anything.
    BudgetDecision peek(const QString &key, qint64 nowMs) const;

private:
    struct Buckets
    {
        TierBudget budget;
        TokenBucket tokens;
        TokenBucket requests;
    };
    void describe(const Buckets &b, qint64 nowMs, BudgetDecision *d) const;

    QHash<QString, Buckets> m_buckets;
};

} // namespace drover
