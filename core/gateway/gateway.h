// The GPT gateway: an OpenAI-compatible proxy on 127.0.0.1 that agents use as their
// OPENAI_BASE_URL. It authenticates each replica by a per-replica token, swaps that token for
// the provider key from the OS keychain, forwards /v1/chat/completions, /v1/responses,
// /v1/embeddings and /v1/models to the configured upstream (any OpenAI-compatible base URL, or
// the built-in simulated upstream), streams SSE through as it arrives, counts tokens per
// replica, pool, tier, model and kind, and enforces per-tier token and request budgets.
//
// Threads: Gateway lives in its own thread, owned by GatewayHost (like Engine/EngineHost).
// Only values cross: commands are queued in, GatewayStats snapshots come out at most once a
// second. The one exception is GatewayTokens, a small mutex-guarded registry, because the
// supervisor needs a replica's token synchronously when it builds the replica's environment.
#pragma once

#include "core/config/config.h"
#include "token_bucket.h"
#include "usage.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QThread>
#include <QUrl>

#include <memory>
#include <mutex>
#include <optional>

class QTimer;

namespace drover {

class HttpResponder;
class HttpServer;
class CallQueue;
class SecretStore;
struct HttpRequest;
class SimulatedUpstream;
class ProxyCall;
class UpstreamClient;

struct GatewayIdentity
{
    QString pool;
    int replica = -1;
    QString tier;
};

// Per-replica tokens: random 256-bit values ("drv-" + 64 hex digits). Thread-safe.
class GatewayTokens
{
public:
    // A new token for the replica; an earlier token of the same replica stops working.
    QByteArray issue(const QString &pool, int replica, const QString &tier);
    bool revoke(const QByteArray &token);
    bool revokeReplica(const QString &pool, int replica);
    int revokePool(const QString &pool);
    // Re-tier: the replica's next request is metered against the new tier.
    bool setTier(const QString &pool, int replica, const QString &tier);
    std::optional<GatewayIdentity> lookup(QByteArrayView token) const;
    int count() const;

private:
    mutable std::mutex m_mutex; // std: ThreadSanitizer sees its ordering (Qt is not instrumented)
    QHash<QByteArray, GatewayIdentity> m_byToken;
    QHash<QString, QByteArray> m_byReplica; // "pool/replica" -> token
};

// The built-in offline upstream ("simulated"): same protocol, plausible usage, real 429s.
struct SimulatedUpstreamOptions
{
    // 0: no limit. Requests are limited per second (a burst of rpm/60, as providers do),
    // tokens per minute; beyond either the answer is a 429 with retry-after.
    qint64 requestsPerMinute = 0;
    qint64 tokensPerMinute = 0;
    int chunkIntervalMs = 30;     // between streamed chunks
    int completionTokens = 24;    // when the request sets no max_tokens
    QStringList models = {QStringLiteral("gpt-4o-mini"), QStringLiteral("gpt-4o"),
                          QStringLiteral("text-embedding-3-small")};
};

struct GatewayOptions
{
    bool enabled = true;
    quint16 port = 0; // 0: a free loopback port
    // "simulated", or an OpenAI-compatible base URL such as https://api.openai.com/v1 (the
    // gateway's /v1/<x> goes to <base>/<x>).
    QString upstream = QStringLiteral("simulated");
    // The provider key lives in the keychain under (service, name). Missing key: simulated.
    QString secretService = QStringLiteral("Drover");
    QString providerKeyName = QStringLiteral("openai_api_key");

    QMap<QString, TierBudget> tierBudgets; // by tier name; a tier not listed is unlimited
    enum class BudgetScope { Replica, Tier };
    // Replica: every replica has its tier's budget (tiers are per-replica limits, like CPU);
    // Tier: all replicas of a tier share one bucket.
    BudgetScope budgetScope = BudgetScope::Replica;
    qint64 defaultCompletionEstimate = 256; // when a request sets no max_tokens

    qint64 maxRequestBytes = 8 * 1024 * 1024;
    // Request bytes buffered across all client connections; beyond it a request gets a 503
    // (OpenAI-shaped, with retry-after) instead of 512 connections x 8 MiB piling up.
    qint64 maxBufferedRequestBytes = 64 * 1024 * 1024;
    int clientIdleTimeoutMs = 30000;
    int maxConnections = 512;

    int maxUpstreamRetries = 2;     // on 429/5xx/connection errors before the first byte
    qint64 retryBackoffMs = 250;    // doubled per attempt when no Retry-After is given
    qint64 maxRetryWaitMs = 20000;  // a longer Retry-After goes to the client instead
    int upstreamTimeoutMs = 600000; // no progress for this long: the upstream is given up
    qint64 drainTimeoutMs = 60000;  // reading on for usage after a client left mid-stream
    qint64 maxUpstreamResponseBytes = 64 * 1024 * 1024; // non-streamed bodies are buffered

    int publishIntervalMs = 1000;
    SimulatedUpstreamOptions simulated;

    // Budgets from the tiers' gpt_tokens_per_min, upstream and port from `gateway:`.
    static GatewayOptions fromConfig(const Config &config);
};

struct GatewayThrottle
{
    bool throttled = false;          // the provider said "slow down" and its reset has not come
    qint64 throttledUntilMs = 0;     // wall clock (ms since the epoch)
    bool insufficientQuota = false;  // the provider key is out of quota: an operator must act
    qint64 upstream429 = 0;
    qint64 upstream5xx = 0;
    qint64 upstreamNetworkErrors = 0;
    qint64 retries = 0;
    QString lastError; // e.g. "429 rate_limit_exceeded"; never contains a key
    // The provider throttles per key, model or organisation, so not every pool's calls are
    // refused at once: the wall-clock time until which each pool's requests were told to
    // wait (a pool missing here was not throttled). Per-pool 429 counts are in
    // UsageTotals::byPool (TokenCounters::upstream429).
    QMap<QString, qint64> poolThrottledUntilMs;
};

struct GatewayBucketStats
{
    QString key;  // tier name, or "pool/replica" with per-replica budgets
    QString tier;
    TierBudget budget;
    qint64 remainingTokens = 0;
    qint64 remainingRequests = 0;
    qint64 resetTokensMs = 0;
};

// A value snapshot of the gateway, published from the gateway thread at most once a second.
struct GatewayStats
{
    qint64 atMs = 0; // wall clock
    bool listening = false;
    quint16 port = 0;
    QString upstream;        // "simulated" or the base URL (never with credentials)
    bool simulated = false;  // answers come from the built-in simulated upstream
    QString simulatedReason; // why: "configured" or "no provider key in the keychain"
    int activeRequests = 0;
    int activeStreams = 0;
    qint64 unauthorized = 0;
    UsageTotals usage;
    GatewayThrottle throttle;
    QList<GatewayBucketStats> buckets;
};

// The worker. Lives in the gateway thread; use it through GatewayHost.
class Gateway : public QObject
{
    Q_OBJECT
public:
    Gateway(GatewayOptions options, std::shared_ptr<GatewayTokens> tokens);
    ~Gateway() override;

    // In the gateway thread: listen. Unless the upstream is "simulated", requests wait until
    // setProviderKey() says whether there is a key.
    void start();
    void stop();
    quint16 port() const;
    QString errorString() const { return m_error; }

    void setTierBudget(const QString &tier, TierBudget budget);
    // The keychain's answer, read by GatewayHost in its own thread (QtKeychain jobs must all
    // run in one thread). No key: the simulated upstream answers instead.
    void setProviderKey(bool found, const QString &key, const QString &error);
    GatewayStats currentStats() const;

signals:
    void statsPublished(const drover::GatewayStats &stats);

private:
    friend class ProxyCall;
    void handle(const QByteArray &upstreamPath, const HttpRequest &request,
                HttpResponder &responder);
    void chooseUpstream();
    QString bucketKey(const GatewayIdentity &id) const;
    void markDirty();
    void publish();
    void callFinished(ProxyCall *call);
    void deleteSoon(QObject *object);
    QUrl upstreamUrl(const QByteArray &upstreamPath, const QByteArray &query);
    void noteThrottle(const QString &pool, qint64 untilWallMs, const QString &error);

    GatewayOptions m_options;
    std::shared_ptr<GatewayTokens> m_tokens;
    HttpServer *m_server = nullptr;
    SimulatedUpstream *m_simulated = nullptr;
    UpstreamClient *m_upstream = nullptr; // keep-alive http client, QNAM for https
    QTimer *m_publishTimer = nullptr;
    QString m_error;

    enum class KeyState { Pending, Ready, Missing };
    KeyState m_keyState = KeyState::Pending;
    QByteArray m_providerKey; // "Bearer <key>": only ever the upstream Authorization header
    QUrl m_upstreamBase;      // the resolved base (the simulated server's, when simulated)
    QHash<QByteArray, QUrl> m_upstreamUrls; // upstream path -> full URL (no query)
    bool m_simulatedActive = false;
    QString m_simulatedReason;
    QList<ProxyCall *> m_waitingForKey;
    QList<ProxyCall *> m_calls;
    QList<QObject *> m_graveyard; // finished calls and replies, deleted from the event loop

    BudgetLimiter m_budgets;
    UsageLedger m_ledger;
    GatewayThrottle m_throttle;
    qint64 m_unauthorized = 0;
    int m_activeStreams = 0;
    QHash<QString, QString> m_bucketTier; // bucket key -> tier, for the stats
    bool m_dirty = true;
    bool m_started = false;
};

// Owns the gateway thread. Construct and destroy it in the application's main thread.
class GatewayHost : public QObject
{
    Q_OBJECT
public:
    explicit GatewayHost(GatewayOptions options, QObject *parent = nullptr);
    ~GatewayHost() override;

    // Starts the thread and waits (briefly) until the gateway listens. False if it cannot.
    bool start();
    void stop();
    bool isRunning() const;
    quint16 port() const { return m_port; }
    // http://127.0.0.1:<port>/v1: what agents get as OPENAI_BASE_URL.
    QUrl baseUrl() const;
    QString errorString() const { return m_error; }

    // Token API (thread-safe, synchronous).
    QByteArray issueToken(const QString &pool, int replica, const QString &tier);
    bool revokeToken(const QByteArray &token);
    bool revokeReplica(const QString &pool, int replica);
    bool setReplicaTier(const QString &pool, int replica, const QString &tier);
    std::shared_ptr<GatewayTokens> tokens() const { return m_tokens; }

    // Queued to the gateway thread; applies live (bucket levels are kept).
    void setTierBudget(const QString &tier, TierBudget budget);
    // Reads the provider key from the keychain again (after the operator changed it). The
    // read runs in the host's thread; its event loop must run for the answer to arrive.
    void reloadProviderKey();

    // The latest published snapshot (in the host's thread).
    GatewayStats stats() const { return m_stats; }

signals:
    void statsPublished(const drover::GatewayStats &stats);

private:
    QThread m_thread;
    Gateway *m_gateway = nullptr;
    CallQueue *m_gatewayCalls = nullptr; // a child of m_gateway: calls into the gateway thread
    SecretStore *m_secrets = nullptr;
    GatewayOptions m_options;
    std::shared_ptr<GatewayTokens> m_tokens;
    GatewayStats m_stats;
    quint16 m_port = 0;
    QString m_error;
};

// OpenAI's rate-limit duration format ("20ms", "1.5s", "6m0s").
QByteArray formatRateLimitDuration(qint64 ms);

} // namespace drover

Q_DECLARE_METATYPE(drover::GatewayStats)
