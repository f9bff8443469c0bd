#include "usage.h"

#include "json_scan.h"

#include <QJsonDocument>

namespace drover {

namespace {

// A token count as Drover keeps it: what the provider reported, within [0, 10^12]. A negative
// or astronomically large count is not a count (a fuzzer sent INT64_MIN, whose difference from
// the previous chunk's count overflowed); bounded, the ledger's sums cannot overflow either.
qint64 tokenCount(qint64 reported)
{
    constexpr qint64 maxTokens = 1'000'000'000'000;
    return qBound<qint64>(0, reported, maxTokens);
}

qint64 integer(const QJsonObject &o, QLatin1StringView key)
{
    return tokenCount(o.value(key).toInteger());
}

} // namespace

std::optional<TokenUsage> parseUsage(const QJsonObject &usage)
{
    TokenUsage u;
    if (usage.contains(QLatin1String("prompt_tokens"))) {
        u.prompt = integer(usage, QLatin1String("prompt_tokens"));
        u.completion = integer(usage, QLatin1String("completion_tokens"));
        u.cached = integer(usage.value(QLatin1String("prompt_tokens_details")).toObject(),
                           QLatin1String("cached_tokens"));
        u.reasoning = integer(usage.value(QLatin1String("completion_tokens_details")).toObject(),
                              QLatin1String("reasoning_tokens"));
        return u;
    }
    if (usage.contains(QLatin1String("input_tokens"))) {
        u.prompt = integer(usage, QLatin1String("input_tokens"));
        u.completion = integer(usage, QLatin1String("output_tokens"));
        u.cached = integer(usage.value(QLatin1String("input_tokens_details")).toObject(),
                           QLatin1String("cached_tokens"));
        u.reasoning = integer(usage.value(QLatin1String("output_tokens_details")).toObject(),
                              QLatin1String("reasoning_tokens"));
        return u;
    }
    return std::nullopt;
}

std::optional<TokenUsage> usageOfResponse(const QJsonObject &response)
{
    const QJsonValue usage = response.value(QLatin1String("usage"));
    if (usage.isObject())
        return parseUsage(usage.toObject());
    // Responses API stream events carry the finished response: {"type": "response.completed",
    // "response": {..., "usage": {...}}}.
    const QJsonValue inner = response.value(QLatin1String("response"));
    if (inner.isObject()) {
        const QJsonValue innerUsage = inner.toObject().value(QLatin1String("usage"));
        if (innerUsage.isObject())
            return parseUsage(innerUsage.toObject());
    }
    return std::nullopt;
}

namespace {

// parseUsage() on a usage object's raw text, read with JsonObjectScan; Unsure: nullopt
// with *unsure set, for the caller to ask QJsonDocument.
std::optional<TokenUsage> parseUsageText(QByteArrayView text, bool *unsure)
{
    const JsonObjectScan usage = JsonObjectScan::scan(text);
    if (!usage.isObject()) {
        *unsure = true;
        return std::nullopt;
    }
    auto detail = [&](QByteArrayView objectKey, QByteArrayView key) -> qint64 {
        const QByteArrayView raw = usage.value(objectKey);
        if (!raw.startsWith('{'))
            return 0;
        const JsonObjectScan details = JsonObjectScan::scan(raw);
        if (!details.isObject())
            *unsure = true;
        return tokenCount(jsonIntegerValue(details.value(key)));
    };
    TokenUsage u;
    std::optional<TokenUsage> result;
    if (!usage.value("prompt_tokens").isNull()) {
        u.prompt = tokenCount(jsonIntegerValue(usage.value("prompt_tokens")));
        u.completion = tokenCount(jsonIntegerValue(usage.value("completion_tokens")));
        u.cached = detail("prompt_tokens_details", "cached_tokens");
        u.reasoning = detail("completion_tokens_details", "reasoning_tokens");
        result = u;
    } else if (!usage.value("input_tokens").isNull()) {
        u.prompt = tokenCount(jsonIntegerValue(usage.value("input_tokens")));
        u.completion = tokenCount(jsonIntegerValue(usage.value("output_tokens")));
        u.cached = detail("input_tokens_details", "cached_tokens");
        u.reasoning = detail("output_tokens_details", "reasoning_tokens");
        result = u;
    }
    return *unsure ? std::nullopt : result;
}

std::optional<TokenUsage> usageOfUsageText(QByteArrayView text)
{
    bool unsure = false;
    std::optional<TokenUsage> u = parseUsageText(text, &unsure);
    if (unsure)
        return parseUsage(QJsonDocument::fromJson(text.toByteArray()).object());
    return u;
}

} // namespace

std::optional<TokenUsage> usageOfResponseBody(QByteArrayView body)
{
    const JsonObjectScan scan = JsonObjectScan::scan(body);
    if (!scan.isObject())
        return usageOfResponse(QJsonDocument::fromJson(body.toByteArray()).object());
    const QByteArrayView usage = scan.value("usage");
    if (usage.startsWith('{'))
        return usageOfUsageText(usage);
    const QByteArrayView inner = scan.value("response");
    if (inner.startsWith('{')) {
        const JsonObjectScan innerScan = JsonObjectScan::scan(inner);
        if (!innerScan.isObject())
            return usageOfResponse(QJsonDocument::fromJson(body.toByteArray()).object());
        const QByteArrayView innerUsage = innerScan.value("usage");
        if (innerUsage.startsWith('{'))
            return usageOfUsageText(innerUsage);
    }
    return std::nullopt;
}

TokenUsage UsageAccumulator::observe(const TokenUsage &cumulative)
{
    // Compared before subtracting: m_seen only grows from 0, so no difference can overflow.
    auto growth = [](qint64 now, qint64 seen) { return now > seen ? now - seen : 0; };
    TokenUsage delta;
    delta.prompt = growth(cumulative.prompt, m_seen.prompt);
    delta.completion = growth(cumulative.completion, m_seen.completion);
    delta.cached = growth(cumulative.cached, m_seen.cached);
    delta.reasoning = growth(cumulative.reasoning, m_seen.reasoning);
    delta.estimated = cumulative.estimated;
    m_seen.prompt = qMax(m_seen.prompt, cumulative.prompt);
    m_seen.completion = qMax(m_seen.completion, cumulative.completion);
    m_seen.cached = qMax(m_seen.cached, cumulative.cached);
    m_seen.reasoning = qMax(m_seen.reasoning, cumulative.reasoning);
    m_hasUsage = true;
    return delta;
}

void TokenCounters::add(const TokenUsage &u)
{
    prompt += u.prompt;
    completion += u.completion;
    cached += u.cached;
    reasoning += u.reasoning;
    if (u.estimated)
        estimatedTokens += u.prompt + u.completion;
}

bool operator==(const TokenCounters &a, const TokenCounters &b)
{
    return a.prompt == b.prompt && a.completion == b.completion && a.cached == b.cached
           && a.reasoning == b.reasoning && a.estimatedTokens == b.estimatedTokens
           && a.requests == b.requests && a.estimatedRequests == b.estimatedRequests
           && a.rejected == b.rejected && a.errors == b.errors
           && a.upstream429 == b.upstream429;
}

template<typename F>
void UsageLedger::apply(const UsageKey &key, F f)
{
    f(m_totals.total);
    f(m_totals.byReplica[key.replicaKey()]);
    f(m_totals.byPool[key.pool]);
    f(m_totals.byTier[key.tier]);
    // Requests refused before their model is known still count for the replica.
    if (!key.model.isEmpty())
        f(m_totals.byModel[key.model]);
}

void UsageLedger::addUsage(const UsageKey &key, const TokenUsage &delta)
{
    if (delta.isZero())
        return;
    apply(key, [&](TokenCounters &c) { c.add(delta); });
}

void UsageLedger::countRequest(const UsageKey &key)
{
    apply(key, [](TokenCounters &c) { ++c.requests; });
}

void UsageLedger::countEstimatedRequest(const UsageKey &key)
{
    apply(key, [](TokenCounters &c) { ++c.estimatedRequests; });
}

void UsageLedger::countRejected(const UsageKey &key)
{
    apply(key, [](TokenCounters &c) { ++c.rejected; });
}

void UsageLedger::countError(const UsageKey &key)
{
    apply(key, [](TokenCounters &c) { ++c.errors; });
}

void UsageLedger::countUpstream429(const UsageKey &key)
{
    apply(key, [](TokenCounters &c) { ++c.upstream429; });
}

} // namespace drover
