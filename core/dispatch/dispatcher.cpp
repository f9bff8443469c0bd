#include "dispatcher.h"

#include "core/observe/json_log.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>
#include <algorithm>

namespace drover {

Dispatcher::Dispatcher(DispatcherOptions options, QObject *parent)
    : QObject(parent), m_options(std::move(options)), m_loops(m_options.loops)
{
    if (!m_options.clock)
        m_options.clock = [] { return QDateTime::currentMSecsSinceEpoch(); };
    m_pumpTimer = new QTimer(this);
    m_pumpTimer->setSingleShot(true);
    connect(m_pumpTimer, &QTimer::timeout, this, &Dispatcher::pump);
}

Dispatcher::~Dispatcher()
{
    stop();
}

qint64 Dispatcher::now() const
{
    return m_options.clock();
}

bool Dispatcher::start(QString *error)
{
    if (m_running)
        return true;
    QString problem;
    if (!m_queue.open(m_options.queuePath, &problem)) {
        m_error = problem;
        if (error)
            *error = problem;
        return false;
    }
    m_error.clear();
    for (auto it = m_pools.begin(); it != m_pools.end(); ++it)
        m_queue.setRetryPolicy(it.key(), it->config.retry);
    m_loops.restore(m_queue.loadLoopRecords());
    // A loop whose job is still queued from before the restart is running: no second copy.
    for (const QString &loop : m_queue.queuedLoops())
        m_loops.setRunning(loop, true);

    // Created here, in the thread the dispatcher lives in (the engine thread).
    if (!m_nam) {
        m_nam = new QNetworkAccessManager(this);
        m_nam->setProxy(QNetworkProxy::NoProxy); // loopback only; never via a system proxy
    }
    if (m_options.intake && !m_intake) {
        m_intake = new JobIntake(
            m_options.intakeOptions, [this](const JobRequest &r) { return enqueue(r); },
            [this] { return now(); }, this);
        connect(m_intake, &JobIntake::ready, this, &Dispatcher::intakeReady);
        connect(m_intake, &JobIntake::failed, this, &Dispatcher::intakeFailed);
        QStringList known;
        for (auto it = m_pools.cbegin(); it != m_pools.cend(); ++it) {
            if (it->known)
                known.append(it.key());
        }
        m_intake->setPools(known);
    }
    if (m_intake && !m_intake->start(&problem)) {
        m_error = problem;
        if (error)
            *error = problem;
        m_queue.close();
        return false;
    }
    m_running = true;
    schedulePump();
    return true;
}

void Dispatcher::stop()
{
    if (!m_running)
        return;
    m_running = false;
    m_pumpTimer->stop();
    if (m_intake)
        m_intake->stop();
    // POSTs still out: their jobs stay queued (leases are released by the next open too).
    const auto deliveries = m_deliveries;
    m_deliveries.clear();
    for (auto it = deliveries.cbegin(); it != deliveries.cend(); ++it) {
        QNetworkReply *reply = it.key();
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
        m_queue.release(it->jobId, false);
    }
    for (auto it = m_loops.records().cbegin(); it != m_loops.records().cend(); ++it)
        m_queue.saveLoopRecord(it.key(), it.value());
    m_queue.close();
}

void Dispatcher::setPools(const QVector<DispatchPoolConfig> &pools)
{
    QStringList known;
    for (auto it = m_pools.begin(); it != m_pools.end(); ++it)
        it->known = false;
    for (const DispatchPoolConfig &config : pools) {
        PoolRuntime &p = m_pools[config.pool];
        // A new balancer only when the algorithm changes: its cursor, averages and ring carry
        // over otherwise.
        const bool fresh = p.config.pool.isEmpty() || p.config.algorithm != config.algorithm;
        p.config = config;
        p.known = true;
        if (fresh)
            p.balancer = Balancer(config.algorithm, config.balancer);
        for (auto r = p.replicas.begin(); r != p.replicas.end(); ++r)
            r->breaker.setTuning(config.breaker);
        if (m_queue.isOpen())
            m_queue.setRetryPolicy(config.pool, config.retry);
        known.append(config.pool);
    }
    if (m_intake)
        m_intake->setPools(known);
    schedulePump();
}

void Dispatcher::updateStatus(const QVector<PoolStatus> &pools)
{
    const qint64 t = now();
    for (const PoolStatus &status : pools) {
        auto pit = m_pools.find(status.name);
        if (pit == m_pools.end())
            continue;
        PoolRuntime &p = *pit;
        p.hasStatus = true;
        QSet<int> seen;
        for (const ReplicaStatus &r : status.replicas) {
            seen.insert(r.index);
            auto it = p.replicas.find(r.index);
            if (it == p.replicas.end()) {
                it = p.replicas.insert(r.index, ReplicaTrack{});
                it->breaker.setTuning(p.config.breaker);
            }
            ReplicaTrack &track = *it;
            if (track.pid != r.pid && track.pid != 0) {
                // A new process: its counter starts over and so does our view of it.
                track.baselineSet = false;
                track.sent = 0;
                track.breaker = CircuitBreaker(p.config.breaker);
                p.balancer.forget(r.index);
            }
            track.pid = r.pid;
            if (r.metricsValid) {
                if (!track.baselineSet || r.jobsTotal < track.baselineJobs) {
                    track.baselineJobs = r.jobsTotal;
                    track.sent = 0;
                    track.baselineSet = true;
                } else if (r.jobsTotal - track.baselineJobs >= double(track.sent)) {
                    // Everything we sent is finished: rebase so the numbers stay small and
                    // jobs from elsewhere never count as ours.
                    track.baselineJobs = r.jobsTotal;
                    track.sent = 0;
                }
            }
            // A fresh status ends a pause a 429 asked for only when its time is up.
            track.status = r;
        }
        for (auto it = p.replicas.begin(); it != p.replicas.end();) {
            if (!seen.contains(it.key()) && it->posting == 0) {
                p.balancer.forget(it.key());
                it = p.replicas.erase(it);
            } else {
                ++it;
            }
        }
    }
    if (!m_running)
        return;
    runLoops(t);
    pump();
}

std::optional<QueuedJob> Dispatcher::enqueue(const JobRequest &request)
{
    if (!m_running || !m_pools.value(request.pool).known)
        return std::nullopt;
    std::optional<QueuedJob> job = m_queue.enqueue(request, now());
    if (job)
        schedulePump();
    return job;
}

QVector<DeadLetter> Dispatcher::deadLetters(const QString &pool, int limit) const
{
    return m_queue.isOpen() ? m_queue.deadLetters(pool, limit) : QVector<DeadLetter>{};
}

bool Dispatcher::requeueDeadLetter(const QString &id, qint64 deadlineMs)
{
    if (!m_queue.isOpen() || !m_queue.requeue(id, now(), deadlineMs))
        return false;
    schedulePump();
    return true;
}

bool Dispatcher::discardDeadLetter(const QString &id)
{
    return m_queue.isOpen() && m_queue.discardDeadLetter(id);
}

quint16 Dispatcher::intakePort() const
{
    return m_intake ? m_intake->port() : 0;
}

bool Dispatcher::isIntakeReady() const
{
    return m_intake && m_intake->isReady();
}

void Dispatcher::schedulePump(qint64 delayMs)
{
    if (!m_running)
        return;
    const int delay = int(std::clamp<qint64>(delayMs, 0, 24LL * 3600 * 1000));
    if (!m_pumpTimer->isActive() || m_pumpTimer->remainingTime() > delay)
        m_pumpTimer->start(delay);
}

double Dispatcher::replicaLoad(const ReplicaTrack &track) const
{
    const ReplicaStatus &s = track.status;
    double load = 0;
    if (s.metricsValid) {
        const double finished = std::max(0.0, s.jobsTotal - track.baselineJobs);
        const double unfinished = std::max(0.0, double(track.sent) - finished);
        load = std::max(unfinished, s.inFlight + s.queueDepth);
    }
    // Without metrics a 202 counts as done; only POSTs still out take a slot.
    return load + track.posting;
}

BalancerReplica Dispatcher::candidate(const ReplicaTrack &track, qint64 nowMs) const
{
    BalancerReplica b;
    b.index = track.status.index;
    b.ready = track.status.state == ReplicaState::Ready && track.status.port > 0;
    b.breakerAllows = track.breaker.allows(nowMs);
    b.paused = track.pausedUntilMs > nowMs;
    b.capacity = track.status.concurrentTasks;
    b.load = replicaLoad(track);
    b.cpuValid = track.status.cpuValid;
    b.cpuPercent = track.status.cpuPercent;
    return b;
}

void Dispatcher::pump()
{
    if (!m_running)
        return;
    const qint64 t = now();
    expireDeadlines(t);
    for (auto it = m_pools.begin(); it != m_pools.end(); ++it) {
        if (it->known && it->hasStatus)
            dispatchPool(*it, t);
    }
}

void Dispatcher::dispatchPool(PoolRuntime &pool, qint64 nowMs)
{
    QVector<BalancerReplica> candidates;
    for (auto it = pool.replicas.cbegin(); it != pool.replicas.cend(); ++it)
        candidates.append(candidate(*it, nowMs));
    std::sort(candidates.begin(), candidates.end(),
              [](const BalancerReplica &a, const BalancerReplica &b) { return a.index < b.index; });
    while (std::any_of(candidates.cbegin(), candidates.cend(), isEligible)) {
        std::optional<QueuedJob> job = m_queue.take(pool.config.pool, nowMs);
        if (!job)
            break;
        const QByteArray key = (job->sessionKey.isEmpty() ? job->id : job->sessionKey).toUtf8();
        const std::optional<int> picked = pool.balancer.pick(candidates, key, job->avoid);
        if (!picked) {
            m_queue.release(job->id, false);
            break;
        }
        ReplicaTrack &track = pool.replicas[*picked];
        track.breaker.onDispatched(nowMs);
        post(pool, track, *job);
        for (BalancerReplica &c : candidates) {
            if (c.index == *picked) {
                c.load = replicaLoad(track);
                c.breakerAllows = track.breaker.allows(nowMs);
            }
        }
    }
}

void Dispatcher::post(PoolRuntime &pool, ReplicaTrack &track, const QueuedJob &job)
{
    QJsonObject body = job.payload;
    body.insert(QStringLiteral("id"), job.id);
    body.insert(QStringLiteral("pool"), job.pool);
    body.insert(QStringLiteral("priority"), jobPriorityName(job.priority));
    body.insert(QStringLiteral("attempt"), job.attempts + 1);
    if (!job.loop.isEmpty())
        body.insert(QStringLiteral("loop"), job.loop);
    if (!job.sessionKey.isEmpty())
        body.insert(QStringLiteral("session_key"), job.sessionKey);

    QNetworkRequest request(
        QUrl(QStringLiteral("http://127.0.0.1:%1/jobs").arg(track.status.port)));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setTransferTimeout(m_options.requestTimeoutMs);
    if (!job.correlationId.isEmpty())
        request.setRawHeader("X-Correlation-Id", job.correlationId.toUtf8());
    {
        ScopedLogContext context({job.correlationId, job.pool, track.status.index});
        qCDebug(lcDispatch).noquote() << "job" << job.id << "sent, attempt" << job.attempts + 1;
    }
    QNetworkReply *reply = m_nam->post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
    Delivery d;
    d.jobId = job.id;
    d.pool = pool.config.pool;
    d.loop = job.loop;
    d.correlationId = job.correlationId;
    d.replica = track.status.index;
    d.timer.start();
    m_deliveries.insert(reply, d);
    ++track.posting;
    connect(reply, &QNetworkReply::finished, this, [this, reply] { onReplyFinished(reply); });
}

void Dispatcher::onReplyFinished(QNetworkReply *reply)
{
    reply->deleteLater();
    const auto found = m_deliveries.constFind(reply);
    if (found == m_deliveries.constEnd())
        return;
    const Delivery d = *found;
    m_deliveries.erase(found);
    const qint64 t = now();
    const double latencyMs = double(d.timer.nsecsElapsed()) / 1e6;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray answer = reply->readAll().left(300);
    const ScopedLogContext context({d.correlationId, d.pool, d.replica});

    PoolRuntime *pool = m_pools.contains(d.pool) ? &m_pools[d.pool] : nullptr;
    ReplicaTrack *track =
        pool && pool->replicas.contains(d.replica) ? &pool->replicas[d.replica] : nullptr;
    if (track)
        track->posting = std::max(0, track->posting - 1);

    if (status >= 200 && status < 300) {
        m_queue.complete(d.jobId, t, latencyMs);
        if (track) {
            track->breaker.onSuccess(t);
            ++track->sent;
            ++track->delivered;
        }
        if (pool)
            pool->balancer.recordResponse(d.replica, latencyMs);
        loopFinished(d.loop);
        qCInfo(lcDispatch).noquote() << "job" << d.jobId << "delivered in" << latencyMs << "ms";
        emit jobDelivered(d.pool, d.jobId, d.replica);
    } else if (status == 429 || status == 503) {
        // Full or draining: not the job's fault and not a broken replica.
        m_queue.release(d.jobId);
        if (track) {
            track->breaker.onReleased(t);
            ++track->full;
            bool ok = false;
            const qint64 retryAfterMs = reply->rawHeader("Retry-After").toLongLong(&ok) * 1000;
            track->pausedUntilMs =
                t + std::clamp<qint64>(ok ? retryAfterMs : 1000, 100, m_options.maxPauseMs);
            schedulePump(track->pausedUntilMs - t);
        }
    } else if (status >= 400 && status < 500) {
        const QString reason = QStringLiteral("rejected by %1/%2: HTTP %3 %4")
                                   .arg(d.pool)
                                   .arg(d.replica)
                                   .arg(status)
                                   .arg(QString::fromUtf8(answer).simplified());
        if (track)
            track->breaker.onReleased(t);
        if (m_queue.reject(d.jobId, reason, t)) {
            qCWarning(lcDispatch).noquote() << "job" << d.jobId << "dead-lettered:" << reason;
            loopFinished(d.loop);
            emit jobDeadLettered(d.pool, d.jobId, reason);
        }
    } else {
        const QString error =
            status > 0
                ? QStringLiteral("HTTP %1 from %2/%3").arg(status).arg(d.pool).arg(d.replica)
                : QStringLiteral("%1 (%2/%3)").arg(reply->errorString(), d.pool).arg(d.replica);
        if (track) {
            track->breaker.onFailure(t);
            ++track->failures;
        }
        const JobQueue::FailResult r = m_queue.fail(d.jobId, d.replica, error, t);
        if (r.outcome == JobQueue::FailOutcome::DeadLettered) {
            qCWarning(lcDispatch).noquote() << "job" << d.jobId << "dead-lettered:" << r.reason;
            loopFinished(d.loop);
            emit jobDeadLettered(d.pool, d.jobId, r.reason);
        } else if (r.outcome == JobQueue::FailOutcome::Retry) {
            qCInfo(lcDispatch).noquote() << "job" << d.jobId << "failed, retried later:" << error;
            schedulePump(r.notBeforeMs - t);
        }
        if (track && !track->breaker.allows(t)) {
            const BreakerStatus b = track->breaker.status(t);
            if (b.retryAtMs > t)
                schedulePump(b.retryAtMs - t);
        }
    }
    schedulePump();
}

void Dispatcher::runLoops(qint64 nowMs)
{
    if (!m_options.runLoops)
        return;
    for (const LoopDecision &d : m_loops.tick(nowMs)) {
        if (d.action == LoopAction::Blocked)
            continue;
        if (d.action == LoopAction::Run) {
            const auto spec = std::find_if(m_loops.specs().cbegin(), m_loops.specs().cend(),
                                           [&](const LoopSpec &s) { return s.name == d.loop; });
            JobRequest r;
            r.pool = spec->pool;
            r.priority = spec->priority;
            r.payload = spec->payload;
            r.payload.insert(QStringLiteral("loop"), spec->name);
            r.payload.insert(QStringLiteral("slot_ms"), double(d.slotMs));
            if (d.missed > 0)
                r.payload.insert(QStringLiteral("missed_slots"), d.missed);
            r.loop = spec->name;
            // One interval to get through: a run still queued by the next slot is stale.
            r.deadlineMs = d.nextDueMs;
            if (!enqueue(r))
                m_loops.onRunFinished(d.loop); // unknown pool: nothing is running
        }
        m_queue.saveLoopRecord(d.loop, m_loops.record(d.loop));
    }
}

void Dispatcher::loopFinished(const QString &loop)
{
    if (!loop.isEmpty())
        m_loops.onRunFinished(loop);
}

void Dispatcher::expireDeadlines(qint64 nowMs)
{
    for (const DeadLetter &d : m_queue.expire(nowMs)) {
        const ScopedLogContext context({d.job.correlationId, d.job.pool, -1});
        qCWarning(lcDispatch).noquote() << "job" << d.job.id << "dead-lettered:" << d.reason;
        loopFinished(d.job.loop);
        emit jobDeadLettered(d.job.pool, d.job.id, d.reason);
    }
}

DispatcherStatus Dispatcher::status() const
{
    DispatcherStatus s;
    s.running = m_running;
    s.error = m_error;
    s.intakePort = intakePort();
    s.intakeReady = isIntakeReady();
    s.intakeError = m_intake ? m_intake->tokenError() : QString();
    const qint64 t = now();
    for (auto it = m_pools.cbegin(); it != m_pools.cend(); ++it) {
        if (!it->known)
            continue;
        PoolDispatchStatus p;
        p.pool = it.key();
        p.algorithm = it->config.algorithm;
        if (m_queue.isOpen())
            p.queue = m_queue.stats(it.key(), t);
        for (auto r = it->replicas.cbegin(); r != it->replicas.cend(); ++r) {
            ReplicaDispatchStatus rs;
            const BalancerReplica c = candidate(*r, t);
            rs.index = r.key();
            rs.port = r->status.port;
            rs.eligible = isEligible(c);
            rs.load = c.load;
            rs.capacity = c.capacity;
            rs.posting = r->posting;
            rs.delivered = r->delivered;
            rs.failures = r->failures;
            rs.full = r->full;
            rs.paused = c.paused;
            rs.breaker = r->breaker.status(t);
            rs.responseEwmaMs = it->balancer.responseEwmaMs(r.key()).value_or(-1);
            if (r->status.metricsValid)
                p.agentQueueDepth += r->status.queueDepth;
            p.replicas.append(rs);
        }
        std::sort(p.replicas.begin(), p.replicas.end(),
                  [](const ReplicaDispatchStatus &a, const ReplicaDispatchStatus &b) {
                      return a.index < b.index;
                  });
        p.queueDepth = p.queue.waiting + p.queue.delivering + p.agentQueueDepth;
        s.pools.append(p);
    }
    std::sort(
        s.pools.begin(), s.pools.end(),
        [](const PoolDispatchStatus &a, const PoolDispatchStatus &b) { return a.pool < b.pool; });
    if (m_options.runLoops)
        s.loops = m_loops.preview(t);
    return s;
}

} // namespace drover
