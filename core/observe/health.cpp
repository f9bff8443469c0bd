#include "health.h"

#include <QJsonArray>

namespace drover {

QString healthStatusName(HealthStatus status)
{
    switch (status) {
    case HealthStatus::Ok:
        return QStringLiteral("ok");
    case HealthStatus::Degraded:
        return QStringLiteral("degraded");
    case HealthStatus::Down:
        return QStringLiteral("down");
    case HealthStatus::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

QJsonObject HealthReport::toJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("status"), healthStatusName(overall));
    o.insert(QStringLiteral("ready"), ready);
    if (!reason.isEmpty())
        o.insert(QStringLiteral("reason"), reason);
    QJsonObject parts;
    for (const ComponentHealth &c : components) {
        QJsonObject part;
        part.insert(QStringLiteral("status"), healthStatusName(c.status));
        part.insert(QStringLiteral("detail"), c.detail);
        parts.insert(c.name, part);
    }
    o.insert(QStringLiteral("components"), parts);
    return o;
}

namespace {

ComponentHealth engineHealth(const HealthInput &in, QString *notReady)
{
    ComponentHealth c{QStringLiteral("engine"), HealthStatus::Down, {}};
    if (in.engineStopped) {
        c.detail = QStringLiteral("the engine is stopped");
    } else if (!in.snapshot) {
        c.detail = QStringLiteral("the engine has not published a snapshot yet");
    } else {
        const Snapshot &s = *in.snapshot;
        const qint64 stale = in.staleAfterMs > 0 ? in.staleAfterMs
                                                 : qMax<qint64>(5000, 3 * s.tickIntervalMs);
        const qint64 age = in.nowMs - s.publishedAtMs;
        if (age > stale) {
            c.detail = QStringLiteral("the last snapshot (#%1) is %2 s old, more than %3 s: the "
                                      "engine is not ticking")
                           .arg(s.sequence)
                           .arg(age / 1000.0, 0, 'f', 1)
                           .arg(stale / 1000.0, 0, 'f', 1);
        } else {
            c.status = HealthStatus::Ok;
            c.detail = QStringLiteral("ticking: snapshot #%1, %2 s old")
                           .arg(s.sequence)
                           .arg(qMax<qint64>(0, age) / 1000.0, 0, 'f', 1);
        }
    }
    if (c.status != HealthStatus::Ok)
        *notReady = c.detail;
    return c;
}

ComponentHealth storeHealth(const Snapshot *s)
{
    ComponentHealth c{QStringLiteral("store"), HealthStatus::Unknown, {}};
    if (!s) {
        c.detail = QStringLiteral("no snapshot yet");
    } else if (s->storePath.isEmpty()) {
        c.detail = QStringLiteral("no store in use");
    } else if (!s->storeNotice.isEmpty()) {
        c.status = HealthStatus::Degraded;
        c.detail = s->storeNotice;
    } else {
        c.status = HealthStatus::Ok;
        c.detail = s->storePath;
    }
    return c;
}

ComponentHealth supervisorHealth(const Snapshot *s)
{
    ComponentHealth c{QStringLiteral("supervisor"), HealthStatus::Unknown, {}};
    if (!s) {
        c.detail = QStringLiteral("no snapshot yet");
        return c;
    }
    if (s->pools.isEmpty()) {
        c.detail = s->config.pools.isEmpty() ? QStringLiteral("no pools configured")
                                             : QStringLiteral("not supervising");
        return c;
    }
    QStringList troubled;
    int ready = 0;
    int desired = 0;
    for (const PoolStatus &p : s->pools) {
        ready += p.ready;
        desired += p.desired;
        if (p.state == PoolState::CrashLoop || p.state == PoolState::Error ||
            p.state == PoolState::Degraded)
            troubled << QStringLiteral("%1 (%2%3)").arg(
                p.name, poolStateName(p.state),
                p.stateReason.isEmpty() ? QString() : QStringLiteral(": ") + p.stateReason);
    }
    c.status = troubled.isEmpty() ? HealthStatus::Ok : HealthStatus::Degraded;
    c.detail = QStringLiteral("%1 pool(s), %2 of %3 desired replicas ready")
                   .arg(s->pools.size())
                   .arg(ready)
                   .arg(desired);
    if (!troubled.isEmpty())
        c.detail += QStringLiteral("; ") + troubled.join(QStringLiteral(", "));
    return c;
}

ComponentHealth keychainHealth(const Snapshot *s)
{
    // What the supervisor last heard from the keychain, per pool: "resolved ..." or a failure.
    ComponentHealth c{QStringLiteral("keychain"), HealthStatus::Unknown,
                      QStringLiteral("no keychain secret read yet")};
    if (!s)
        return c;
    QMap<QString, SupervisorEvent> lastByPool;
    for (const SupervisorEvent &e : s->recentEvents)
        if (e.kind == QLatin1String("secret"))
            lastByPool[e.pool] = e;
    QStringList failures;
    for (const SupervisorEvent &e : lastByPool)
        if (!e.reason.startsWith(QLatin1String("resolved")))
            failures << e.pool + QStringLiteral(": ") + e.reason;
    if (!failures.isEmpty()) {
        c.status = HealthStatus::Down;
        c.detail = failures.join(QStringLiteral("; "));
    } else if (!lastByPool.isEmpty()) {
        c.status = HealthStatus::Ok;
        c.detail = QStringLiteral("secrets resolved for %1 pool(s)").arg(lastByPool.size());
    }
    return c;
}

ComponentHealth gatewayHealth(const Snapshot *s)
{
    ComponentHealth c{QStringLiteral("gateway"), HealthStatus::Unknown, QStringLiteral("no snapshot yet")};
    if (!s)
        return c;
    const GatewayView &g = s->gateway;
    if (!g.enabled) {
        c.detail = QStringLiteral("disabled in the configuration");
        return c;
    }
    if (!g.running) {
        c.status = HealthStatus::Down;
        c.detail = g.error.isEmpty() ? QStringLiteral("not running") : g.error;
        return c;
    }
    // The gateway itself serves; what the provider does to it degrades it (agents wait or fail).
    c.status = HealthStatus::Ok;
    c.detail = QStringLiteral("listening on 127.0.0.1:%1, upstream %2").arg(g.port).arg(g.upstream);
    if (g.simulated)
        c.detail += QStringLiteral(" (simulated: %1)").arg(g.simulatedReason);
    if (g.insufficientQuota) {
        c.status = HealthStatus::Degraded;
        c.detail += QStringLiteral("; the provider reports insufficient quota");
    } else if (g.throttled) {
        c.status = HealthStatus::Degraded;
        c.detail += QStringLiteral("; the provider is throttling (429)");
    }
    return c;
}

ComponentHealth dispatchHealth(const Snapshot *s)
{
    ComponentHealth c{QStringLiteral("dispatch"), HealthStatus::Unknown, QStringLiteral("no snapshot yet")};
    if (!s)
        return c;
    const DispatchView &d = s->dispatch;
    if (!d.enabled) {
        c.detail = QStringLiteral("disabled in the configuration");
        return c;
    }
    if (!d.running) {
        c.status = HealthStatus::Down;
        c.detail = d.error.isEmpty() ? QStringLiteral("not running") : d.error;
        return c;
    }
    int waiting = 0;
    int deadLetters = 0;
    for (const PoolWorkView &w : s->work) {
        waiting += w.waiting;
        deadLetters += w.deadLetters;
    }
    c.status = HealthStatus::Ok;
    c.detail = QStringLiteral("%1 job(s) waiting, %2 dead letter(s)").arg(waiting).arg(deadLetters);
    if (!d.intakeReady) {
        // Loops still run; only external submitters are turned away.
        c.status = HealthStatus::Degraded;
        c.detail += QStringLiteral("; job intake not ready: %1")
                        .arg(d.intakeError.isEmpty() ? QStringLiteral("unknown reason") : d.intakeError);
    } else {
        c.detail += QStringLiteral("; intake on 127.0.0.1:%1").arg(d.intakePort);
    }
    return c;
}

} // namespace

HealthReport assessHealth(const HealthInput &in)
{
    HealthReport r;
    QString notReady;
    r.components << engineHealth(in, &notReady) << storeHealth(in.snapshot)
                 << supervisorHealth(in.snapshot) << gatewayHealth(in.snapshot)
                 << dispatchHealth(in.snapshot) << keychainHealth(in.snapshot);
    for (const ComponentHealth &reported : in.reported) {
        bool replaced = false;
        for (ComponentHealth &c : r.components)
            if (c.name == reported.name) {
                c = reported;
                replaced = true;
            }
        if (!replaced)
            r.components << reported;
    }
    // Ready means the engine ticks: /metrics then reflects the present. Other components
    // degrade the overall status without making Drover unready.
    r.ready = notReady.isEmpty();
    r.reason = notReady;
    if (!r.ready) {
        r.overall = HealthStatus::Down;
    } else {
        r.overall = HealthStatus::Ok;
        for (const ComponentHealth &c : r.components)
            if (c.status == HealthStatus::Down || c.status == HealthStatus::Degraded)
                r.overall = HealthStatus::Degraded;
    }
    return r;
}

} // namespace drover
