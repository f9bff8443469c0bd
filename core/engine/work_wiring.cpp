#include "work_wiring.h"

#include "core/dispatch/dispatcher.h"
#include "core/gateway/gateway.h"

#include <QDateTime>

#include <cmath>

namespace drover {

namespace {

constexpr int kDeadLettersInSnapshot = 100;

QString replicaKey(const QString &pool, int index)
{
    return pool + QLatin1Char('/') + QString::number(index);
}

// A role from `--role X` in the pool's arguments, else the pool's name (the seed's balancing
// table is by role).
QString roleOf(const PoolSpec &pool)
{
    const int i = pool.args.indexOf(QStringLiteral("--role"));
    if (i >= 0 && i + 1 < pool.args.size())
        return pool.args.at(i + 1);
    return pool.name;
}

// YAML scalars as JSON: true/false, numbers, else text.
QJsonValue jsonOfScalar(const QString &text)
{
    if (text == QLatin1String("true"))
        return true;
    if (text == QLatin1String("false"))
        return false;
    bool ok = false;
    const qlonglong i = text.toLongLong(&ok);
    if (ok)
        return double(i);
    const double d = text.toDouble(&ok);
    if (ok && std::isfinite(d))
        return d;
    return text;
}

double finiteOr(double v, double fallback)
{
    return std::isfinite(v) ? v : fallback;
}

} // namespace

// ---- CounterWindow ----------------------------------------------------------------------------

void CounterWindow::observe(qint64 nowMs, double value, qint64 windowMs)
{
    if (!std::isfinite(value))
        return;
    if (!m_points.isEmpty() && value < m_points.last().value)
        m_points.clear(); // the counter started over (a new gateway): only what follows counts
    m_points.append({nowMs, value});
    while (m_points.size() > 2 && m_points.at(1).timeMs <= nowMs - windowMs)
        m_points.removeFirst();
}

double CounterWindow::rate() const
{
    if (m_points.size() < 2)
        return missingValue();
    const TimedValue &a = m_points.first();
    const TimedValue &b = m_points.last();
    if (b.timeMs <= a.timeMs)
        return missingValue();
    return (b.value - a.value) * 1000.0 / double(b.timeMs - a.timeMs);
}

// ---- configuration ----------------------------------------------------------------------------

QVector<LoopSpec> loopSpecsFromConfig(const Config &config)
{
    const DispatchSpec &d = config.dispatch;
    if (!d.loopsGiven)
        return defaultLoops();
    QVector<LoopSpec> out;
    for (const LoopConfigSpec &c : d.loops) {
        LoopSpec s = seedLoopSpec(c.name, c.pool,
                                  jobPriorityFromName(c.priority).value_or(JobPriority::Low),
                                  c.intervalMs, c.monthly);
        if (c.jitterMs >= 0) {
            s.jitterMs = c.jitterMs;
            s.lateGraceMs = std::max<qint64>(60000, loopEffectiveJitterMs(s));
        }
        const QString missed = !c.missed.isEmpty() ? c.missed : d.missedRuns;
        if (missed == QLatin1String("skip"))
            s.missedPolicy = MissedRunPolicy::Skip;
        else if (missed == QLatin1String("run_once"))
            s.missedPolicy = MissedRunPolicy::RunOnce;
        s.allowOverlap = c.allowOverlap;
        s.runAtFirstStart = c.runAtFirstStart;
        s.enabled = c.enabled;
        for (auto it = c.payloadText.cbegin(); it != c.payloadText.cend(); ++it)
            s.payload.insert(it.key(), jsonOfScalar(it.value()));
        out.append(s);
    }
    return out;
}

QVector<DispatchPoolConfig> dispatchPoolsFromConfig(const Config &config)
{
    QVector<DispatchPoolConfig> out;
    for (const PoolSpec &p : config.pools) {
        DispatchPoolConfig c;
        c.pool = p.name;
        const DispatchPoolSpec spec = config.dispatch.pools.value(p.name);
        c.algorithm = balancingAlgorithmFromName(spec.algorithm)
                          .value_or(defaultBalancingAlgorithm(roleOf(p)));
        c.retry.maxRetries = spec.maxRetries >= 0 ? spec.maxRetries : config.dispatch.maxRetries;
        c.retry.backoffInitialMs = config.dispatch.retryBackoffMs;
        out.append(c);
    }
    return out;
}

GatewayOptions gatewayOptionsFromConfig(const Config &config, const QString &secretService)
{
    GatewayOptions o = GatewayOptions::fromConfig(config);
    const GatewaySpec &g = config.gateway;
    o.secretService = secretService;
    o.providerKeyName = g.providerKey;
    o.defaultCompletionEstimate = g.completionEstimate;
    o.maxUpstreamRetries = g.maxRetries;
    o.simulated.requestsPerMinute = g.simulatedRequestsPerMinute;
    o.simulated.tokensPerMinute = g.simulatedTokensPerMinute;
    for (auto it = g.budgets.cbegin(); it != g.budgets.cend(); ++it) {
        TierBudget b = o.tierBudgets.value(it.key());
        if (it->tokensPerMinute >= 0)
            b.tokensPerMinute = it->tokensPerMinute;
        b.requestsPerMinute = it->requestsPerMinute;
        o.tierBudgets.insert(it.key(), b);
    }
    return o;
}

// ---- WorkWiring -------------------------------------------------------------------------------

// The gateway's cumulative counters turned into rates, per pool and replica.
struct WorkWiring::Meter
{
    struct PoolMeter
    {
        CounterWindow prompt, completion, cached, reasoning, requests, rejected, upstream429;
    };
    QHash<QString, PoolMeter> pools;
    QHash<QString, CounterWindow> replicaTokens; // "pool/index"
    CounterWindow upstream429;
    CounterWindow totalRequests;
    CounterWindow totalTokens;
    QHash<QString, double> tokensByPool; // last computed, for the snapshot
    QHash<QString, double> tokensByReplica;
    double totalTokensPerSecond = missingValue();
};

WorkWiring::WorkWiring(const Config &config, WorkWiringOptions options)
    : m_config(config), m_options(std::move(options)), m_meter(std::make_unique<Meter>())
{
}

WorkWiring::~WorkWiring()
{
    stopDispatch();
    stopGateway();
}

void WorkWiring::start()
{
    if (m_config.gateway.enabled && !m_gateway) {
        m_gateway = std::make_unique<GatewayHost>(
            gatewayOptionsFromConfig(m_config, m_options.secretService));
        if (!m_gateway->start()) {
            m_gatewayError = m_gateway->errorString();
            event(QString(), -1, QStringLiteral("gateway"), QString(), QStringLiteral("failed"),
                  QStringLiteral("the GPT gateway could not start: %1; agents run without it")
                      .arg(m_gatewayError));
            m_gateway.reset();
        }
    }
    if (!m_config.dispatch.enabled || m_dispatcher)
        return;
    if (m_options.queuePath.isEmpty()) {
        m_dispatchError = m_options.queueProblem;
        return;
    }
    const auto makeDispatcher = [this](bool intake) {
        DispatcherOptions o;
        o.queuePath = m_options.queuePath;
        o.intake = intake;
        o.intakeOptions.port = quint16(m_config.dispatch.intakePort);
        o.intakeOptions.secretService = m_options.secretService;
        o.requestTimeoutMs = int(m_config.dispatch.requestTimeoutMs);
        o.loops = loopSpecsFromConfig(m_config);
        auto d = std::make_unique<Dispatcher>(o);
        d->setPools(dispatchPoolsFromConfig(m_config));
        return d;
    };
    const bool intake = m_config.dispatch.intake;
    m_dispatcher = makeDispatcher(intake);
    QString error;
    if (!m_dispatcher->start(&error) && intake) {
        // The intake's port is taken (or its server failed): the queue and the loops still
        // work without it; the operator sees why.
        m_intakeError = error;
        event(QString(), -1, QStringLiteral("dispatch"), QString(), QStringLiteral("intake off"),
              QStringLiteral("job intake could not start: %1").arg(error));
        m_dispatcher = makeDispatcher(false);
        error.clear();
        m_dispatcher->start(&error);
    }
    if (!m_dispatcher->isRunning()) {
        m_dispatchError = error;
        event(QString(), -1, QStringLiteral("dispatch"), QString(), QStringLiteral("failed"),
              QStringLiteral("the dispatcher could not start: %1").arg(error));
        m_dispatcher.reset();
        return;
    }
    Dispatcher *d = m_dispatcher.get();
    QObject::connect(d, &Dispatcher::intakeFailed, d, [this](const QString &why) {
        m_intakeError = why;
        event(QString(), -1, QStringLiteral("dispatch"), QString(), QStringLiteral("intake off"),
              QStringLiteral("job intake refused: %1").arg(why));
    });
    QObject::connect(d, &Dispatcher::jobDeadLettered, d,
                     [this](const QString &pool, const QString &id, const QString &reason) {
                         event(pool, -1, QStringLiteral("dead_letter"), QString(), id, reason);
                     });
}

void WorkWiring::stopDispatch()
{
    if (m_dispatcher)
        m_dispatcher->stop();
}

void WorkWiring::stopGateway()
{
    if (m_gateway) {
        m_gateway->stop();
        m_gateway.reset();
    }
    m_issued.clear();
}

bool WorkWiring::gatewayRunning() const
{
    return m_gateway && m_gateway->isRunning();
}

quint16 WorkWiring::gatewayPort() const
{
    return m_gateway ? m_gateway->port() : 0;
}

quint16 WorkWiring::intakePort() const
{
    return m_dispatcher ? m_dispatcher->intakePort() : 0;
}

void WorkWiring::replicaEnvironment(const QString &pool, int index, const QString &tier,
                                    QProcessEnvironment &env)
{
    if (!gatewayRunning())
        return;
    // A new token at every start: the previous process's token stops working at once.
    const QByteArray token = m_gateway->issueToken(pool, index, tier);
    m_issued.insert(replicaKey(pool, index), tier);
    env.insert(QStringLiteral("OPENAI_BASE_URL"), m_gateway->baseUrl().toString());
    env.insert(QStringLiteral("OPENAI_API_KEY"), QString::fromLatin1(token));
}

void WorkWiring::followReplicas(const QVector<PoolStatus> &pools)
{
    if (!m_gateway)
        return;
    QHash<QString, QString> present; // "pool/index" -> tier
    for (const PoolStatus &p : pools) {
        for (const ReplicaStatus &r : p.replicas)
            present.insert(replicaKey(p.name, r.index), p.tier);
    }
    for (auto it = m_issued.begin(); it != m_issued.end();) {
        const auto now = present.constFind(it.key());
        const int slash = int(it.key().lastIndexOf(QLatin1Char('/')));
        const QString pool = it.key().left(slash);
        const int index = it.key().mid(slash + 1).toInt();
        if (now == present.cend()) {
            // The replica is gone (scaled in, stopped): its token goes with it.
            m_gateway->revokeReplica(pool, index);
            it = m_issued.erase(it);
            continue;
        }
        if (now.value() != it.value()) {
            // Re-tier applied live: the next request is metered against the new tier's budget
            // (the bucket keeps its level, so a re-tier neither refills nor drains it).
            m_gateway->setReplicaTier(pool, index, now.value());
            it.value() = now.value();
        }
        ++it;
    }
}

QHash<QString, PoolWork> WorkWiring::tick(qint64 nowMs, const QVector<PoolStatus> &pools)
{
    m_lastTickMs = nowMs;
    followReplicas(pools);
    QHash<QString, PoolWork> work;
    for (const PoolStatus &p : pools)
        work.insert(p.name, PoolWork());
    if (m_dispatcher) {
        m_dispatcher->updateStatus(pools);
        const DispatcherStatus status = m_dispatcher->status();
        for (const PoolDispatchStatus &ps : status.pools) {
            const auto it = work.find(ps.pool);
            if (it == work.end())
                continue;
            it->queueDepth = ps.queueDepth;
            it->oldestWaitSeconds = double(ps.queue.oldestWaitMs) / 1000.0;
            it->deadLetters = ps.queue.deadLetters;
            if (ps.queue.delivered > 0)
                it->dispatchLatencyMs = ps.queue.latencyP95Ms;
        }
    }
    readGateway(nowMs, pools, work);
    m_lastWork = work;
    return work;
}

void WorkWiring::readGateway(qint64 nowMs, const QVector<PoolStatus> &pools,
                             QHash<QString, PoolWork> &work)
{
    if (!m_gateway)
        return;
    const GatewayStats g = m_gateway->stats();
    const qint64 window = m_options.rateWindowMs;
    Meter &m = *m_meter;
    m.upstream429.observe(nowMs, double(g.throttle.upstream429), window);
    m.totalRequests.observe(nowMs, double(g.usage.total.requests), window);
    m.totalTokens.observe(nowMs, double(g.usage.total.total()), window);
    m.totalTokensPerSecond = m.totalTokens.rate();
    m.tokensByPool.clear();
    m.tokensByReplica.clear();
    for (const PoolStatus &p : pools) {
        PoolWork &w = work[p.name];
        const auto counters = g.usage.byPool.constFind(p.name);
        if (counters == g.usage.byPool.cend()) {
            m.pools.remove(p.name);
            continue; // the gateway never saw this pool: its agents' own counts stand
        }
        Meter::PoolMeter &pm = m.pools[p.name];
        pm.prompt.observe(nowMs, double(counters->prompt), window);
        pm.completion.observe(nowMs, double(counters->completion), window);
        pm.cached.observe(nowMs, double(counters->cached), window);
        pm.reasoning.observe(nowMs, double(counters->reasoning), window);
        pm.requests.observe(nowMs, double(counters->requests), window);
        pm.rejected.observe(nowMs, double(counters->rejected), window);
        w.metered = true;
        w.promptTokensPerSecond = pm.prompt.rate();
        w.completionTokensPerSecond = pm.completion.rate();
        w.cachedTokensPerSecond = pm.cached.rate();
        w.reasoningTokensPerSecond = pm.reasoning.rate();
        w.requestsPerSecond = pm.requests.rate();
        w.rejectedPerSecond = pm.rejected.rate();
        // The provider's 429s to this pool's own calls (the gateway knows each request's pool
        // from its replica token): a limit per model or key may hold back one pool only.
        pm.upstream429.observe(nowMs, double(counters->upstream429), window);
        w.upstream429PerSecond = pm.upstream429.rate();
        if (std::isfinite(w.promptTokensPerSecond) && std::isfinite(w.completionTokensPerSecond))
            m.tokensByPool.insert(p.name, w.promptTokensPerSecond + w.completionTokensPerSecond);
        for (const ReplicaStatus &r : p.replicas) {
            const QString key = replicaKey(p.name, r.index);
            const auto rc = g.usage.byReplica.constFind(key);
            if (rc == g.usage.byReplica.cend())
                continue;
            CounterWindow &cw = m.replicaTokens[key];
            cw.observe(nowMs, double(rc->total()), window);
            const double rate = cw.rate();
            w.replicaTokensPerSecond.insert(r.index, rate);
            if (std::isfinite(rate))
                m.tokensByReplica.insert(key, rate);
        }
        // GPT-bound: the pool's work called the provider within the window.
        w.gptBound = finiteOr(w.requestsPerSecond, 0) > 0 || finiteOr(w.rejectedPerSecond, 0) > 0;
        // Held only when the provider throttles this pool's calls, not another pool's.
        w.providerThrottled = g.throttle.poolThrottledUntilMs.contains(p.name)
                              || finiteOr(w.upstream429PerSecond, 0) > 0;
    }
    // Replicas that are gone leave the meter too.
    for (auto it = m.replicaTokens.begin(); it != m.replicaTokens.end();) {
        if (m_issued.contains(it.key()) || m.tokensByReplica.contains(it.key()))
            ++it;
        else
            it = m.replicaTokens.erase(it);
    }

    if (g.throttle.insufficientQuota && !m_quotaReported) {
        m_quotaReported = true;
        event(QString(), -1, QStringLiteral("gateway"), QString(),
              QStringLiteral("insufficient_quota"),
              QStringLiteral("the GPT provider answered insufficient_quota: the account is out of "
                             "credit; GPT calls fail until the operator adds credit or changes "
                             "the key (%1)")
                  .arg(g.throttle.lastError));
    }
}

const PoolWork *WorkWiring::workOf(const QString &pool) const
{
    const auto it = m_lastWork.constFind(pool);
    return it == m_lastWork.cend() ? nullptr : &it.value();
}

double WorkWiring::providerThrottled() const
{
    if (!m_gateway || m_gateway->stats().atMs == 0)
        return missingValue();
    return m_gateway->stats().throttle.throttled ? 1.0 : 0.0;
}

double WorkWiring::insufficientQuota() const
{
    if (!m_gateway || m_gateway->stats().atMs == 0)
        return missingValue();
    return m_gateway->stats().throttle.insufficientQuota ? 1.0 : 0.0;
}

void WorkWiring::event(const QString &pool, int replica, const QString &kind, const QString &from,
                       const QString &to, const QString &reason)
{
    SupervisorEvent e;
    e.timeMs = QDateTime::currentMSecsSinceEpoch();
    e.pool = pool;
    e.replica = replica;
    e.kind = kind;
    e.from = from;
    e.to = to;
    e.reason = reason;
    m_events.append(e);
}

QVector<SupervisorEvent> WorkWiring::takeEvents()
{
    QVector<SupervisorEvent> out;
    out.swap(m_events);
    return out;
}

void WorkWiring::fillSnapshot(Snapshot *s) const
{
    GatewayView &gv = s->gateway;
    gv = GatewayView();
    gv.enabled = m_config.gateway.enabled;
    gv.error = m_gatewayError;
    if (m_gateway) {
        const GatewayStats g = m_gateway->stats();
        gv.running = m_gateway->isRunning();
        gv.port = m_gateway->port();
        // Before the first published stats the configured upstream is all there is to show.
        gv.upstream = g.atMs ? g.upstream : m_config.gateway.upstream;
        gv.simulated = g.atMs ? g.simulated : m_config.gateway.upstream == QLatin1String("simulated");
        gv.simulatedReason = g.atMs ? g.simulatedReason
                             : gv.simulated ? QStringLiteral("configured")
                                            : QStringLiteral("waiting for the provider key");
        gv.throttled = g.throttle.throttled;
        gv.throttledUntilMs = g.throttle.throttledUntilMs;
        gv.insufficientQuota = g.throttle.insufficientQuota;
        gv.lastError = g.throttle.lastError;
        gv.upstream429 = g.throttle.upstream429;
        gv.unauthorized = g.unauthorized;
        gv.activeRequests = g.activeRequests;
        gv.activeStreams = g.activeStreams;
        gv.promptTokens = g.usage.total.prompt;
        gv.completionTokens = g.usage.total.completion;
        gv.cachedTokens = g.usage.total.cached;
        gv.reasoningTokens = g.usage.total.reasoning;
        gv.tokensPerSecond = finiteOr(m_meter->totalTokensPerSecond, -1);
        for (auto it = m_meter->tokensByPool.cbegin(); it != m_meter->tokensByPool.cend(); ++it)
            gv.tokensPerSecondByPool.insert(it.key(), it.value());
    }

    DispatchView &dv = s->dispatch;
    dv = DispatchView();
    dv.enabled = m_config.dispatch.enabled;
    dv.error = m_dispatchError;
    dv.intakeError = m_intakeError;
    s->work.clear();
    s->deadLetters.clear();
    if (!m_dispatcher)
        return;
    const DispatcherStatus status = m_dispatcher->status();
    dv.running = status.running;
    if (!status.error.isEmpty())
        dv.error = status.error;
    dv.intakePort = status.intakePort;
    dv.intakeReady = status.intakeReady;
    if (!status.intakeError.isEmpty())
        dv.intakeError = status.intakeError;
    for (const PoolDispatchStatus &ps : status.pools) {
        PoolWorkView v;
        v.pool = ps.pool;
        v.algorithm = balancingAlgorithmName(ps.algorithm);
        v.waiting = ps.queue.waiting;
        v.delivering = ps.queue.delivering;
        v.queueDepth = ps.queueDepth;
        v.oldestWaitMs = ps.queue.oldestWaitMs;
        v.deadLetters = ps.queue.deadLetters;
        v.delivered = ps.queue.delivered;
        if (ps.queue.delivered > 0) {
            v.dispatchLatencyP95Ms = ps.queue.latencyP95Ms;
            v.waitP95Ms = ps.queue.waitP95Ms;
        }
        const PoolWork w = m_lastWork.value(ps.pool);
        if (w.metered) {
            v.promptTokensPerSecond = finiteOr(w.promptTokensPerSecond, -1);
            v.completionTokensPerSecond = finiteOr(w.completionTokensPerSecond, -1);
            v.tokensPerSecond = m_meter->tokensByPool.value(ps.pool, -1);
        }
        if (m_gateway) {
            const GatewayStats &g = m_gateway->stats();
            const auto counters = g.usage.byPool.value(ps.pool);
            v.rejected = counters.rejected;
            v.providerRejected = counters.upstream429;
            const qint64 until = g.throttle.poolThrottledUntilMs.value(ps.pool);
            v.providerThrottledUntilMs = until > g.atMs ? until : 0;
        }
        for (const ReplicaDispatchStatus &r : ps.replicas) {
            ReplicaWorkView rv;
            rv.replica = r.index;
            rv.breaker = breakerStateName(r.breaker.state);
            rv.consecutiveFailures = r.breaker.consecutiveFailures;
            rv.breakerRetryAtMs = r.breaker.retryAtMs;
            rv.timesOpened = r.breaker.timesOpened;
            rv.eligible = r.eligible;
            rv.load = r.load;
            rv.capacity = r.capacity;
            rv.delivered = r.delivered;
            rv.failures = r.failures;
            rv.responseEwmaMs = r.responseEwmaMs;
            rv.tokensPerSecond = m_meter->tokensByReplica.value(replicaKey(ps.pool, r.index), -1);
            v.replicas.append(rv);
        }
        s->work.append(v);
    }
    for (const DeadLetter &d : m_dispatcher->deadLetters(QString(), kDeadLettersInSnapshot)) {
        DeadLetterView v;
        v.id = d.job.id;
        v.pool = d.job.pool;
        v.loop = d.job.loop;
        v.priority = jobPriorityName(d.job.priority);
        v.reason = d.reason;
        v.lastError = d.job.lastError;
        v.attempts = d.job.attempts;
        v.enqueuedMs = d.job.enqueuedMs;
        v.deadMs = d.deadMs;
        s->deadLetters.append(v);
    }
}

bool WorkWiring::requeueDeadLetter(const QString &id, QString *refusal)
{
    if (!m_dispatcher) {
        *refusal = QStringLiteral("the dispatcher is not running");
        return false;
    }
    if (!m_dispatcher->requeueDeadLetter(id)) {
        *refusal = QStringLiteral("no dead letter %1").arg(id);
        return false;
    }
    event(QString(), -1, QStringLiteral("dead_letter"), id, QStringLiteral("requeued"),
          QStringLiteral("operator requeued dead letter %1").arg(id));
    return true;
}

bool WorkWiring::submitJob(const QString &pool, const QJsonObject &payload,
                           const QString &priority, QString *refusal, QString *jobId)
{
    if (!m_dispatcher) {
        *refusal = QStringLiteral("the dispatcher is not running");
        return false;
    }
    const std::optional<JobPriority> p = jobPriorityFromName(priority);
    if (!p) {
        *refusal = QStringLiteral("priority must be high, medium or low, not '%1'").arg(priority);
        return false;
    }
    JobRequest r;
    r.pool = pool;
    r.priority = *p;
    r.payload = payload;
    const std::optional<QueuedJob> job = m_dispatcher->enqueue(r);
    if (!job) {
        *refusal = QStringLiteral("pool '%1' takes no jobs (not configured, or the queue failed)")
                       .arg(pool);
        return false;
    }
    if (jobId)
        *jobId = job->id;
    return true;
}

} // namespace drover
