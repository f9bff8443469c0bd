// Token usage as OpenAI-compatible providers report it, and the counters the gateway keeps.
// Pure value code: parsing, deltas and sums; no clock, no I/O.
#pragma once

#include <QByteArrayView>
#include <QJsonObject>
#include <QMap>
#include <QString>

#include <optional>

namespace drover {

// One response's usage. `cached` is part of `prompt` and `reasoning` part of `completion`
// (the providers' own accounting), kept apart because they are priced differently.
struct TokenUsage
{
    qint64 prompt = 0;
    qint64 completion = 0;
    qint64 cached = 0;    // prompt_tokens_details.cached_tokens / input_tokens_details
    qint64 reasoning = 0; // completion_tokens_details.reasoning_tokens / output_tokens_details
    bool estimated = false; // not reported by the provider: guessed from bytes

    qint64 total() const { return prompt + completion; }
    bool isZero() const { return prompt == 0 && completion == 0 && cached == 0 && reasoning == 0; }
    friend bool operator==(const TokenUsage &a, const TokenUsage &b)
    {
        return a.prompt == b.prompt && a.completion == b.completion && a.cached == b.cached
               && a.reasoning == b.reasoning && a.estimated == b.estimated;
    }
};

// A `usage` object of Chat Completions / Embeddings (prompt_tokens, completion_tokens, ...) or
// of the Responses API (input_tokens, output_tokens, ...). nullopt when it is neither.
std::optional<TokenUsage> parseUsage(const QJsonObject &usage);
// The usage of a whole JSON response body (its top-level "usage", or "response.usage" of a
// Responses API event). nullopt without one.
std::optional<TokenUsage> usageOfResponse(const QJsonObject &response);
// The same from the body's bytes; builds QJsonObjects only of the usage (json_scan.h), or of
// the whole body when the scan is unsure.
std::optional<TokenUsage> usageOfResponseBody(QByteArrayView body);

// Turns the usages a stream reports into increments. Most providers send usage once, at the
// end; some repeat a growing total in every chunk. Counting only what grew since the last
// report is right for both and never counts a token twice.
class UsageAccumulator
{
public:
    TokenUsage observe(const TokenUsage &cumulative);
    const TokenUsage &seen() const { return m_seen; }
    bool hasUsage() const { return m_hasUsage; }

private:
    TokenUsage m_seen;
    bool m_hasUsage = false;
};

struct TokenCounters
{
    qint64 prompt = 0;
    qint64 completion = 0;
    qint64 cached = 0;
    qint64 reasoning = 0;
    qint64 estimatedTokens = 0;   // part of prompt + completion that was estimated
    qint64 requests = 0;          // requests forwarded upstream (admitted)
    qint64 estimatedRequests = 0; // of which usage was estimated (client left, upstream broke)
    qint64 rejected = 0;          // refused by the budget (429 from the gateway)
    qint64 errors = 0;            // upstream or gateway errors answered to the client
    qint64 upstream429 = 0;       // answers (retries included) the provider throttled with 429

    qint64 total() const { return prompt + completion; }
    void add(const TokenUsage &u);
    friend bool operator==(const TokenCounters &a, const TokenCounters &b);
};

// Who a request is attributed to.
struct UsageKey
{
    QString pool;
    int replica = -1;
    QString tier;
    QString model;

    QString replicaKey() const { return pool + QLatin1Char('/') + QString::number(replica); }
};

// Counters by replica ("pool/index"), pool, tier, model, and in total.
struct UsageTotals
{
    TokenCounters total;
    QMap<QString, TokenCounters> byReplica;
    QMap<QString, TokenCounters> byPool;
    QMap<QString, TokenCounters> byTier;
    QMap<QString, TokenCounters> byModel;
};

class UsageLedger
{
public:
    void addUsage(const UsageKey &key, const TokenUsage &delta);
    void countRequest(const UsageKey &key);
    void countEstimatedRequest(const UsageKey &key);
    void countRejected(const UsageKey &key);
    void countError(const UsageKey &key);
    void countUpstream429(const UsageKey &key);
    const UsageTotals &totals() const { return m_totals; }

private:
    template<typename F> void apply(const UsageKey &key, F f);
    UsageTotals m_totals;
};

} // namespace drover
