#include "observe_server.h"

#include "snapshot_metrics.h"

#include <QDateTime>
#include <QJsonObject>

namespace drover {

ObserveServer::ObserveServer(ObserveOptions options) : m_options(options) {}

bool ObserveServer::listen(QString *error)
{
    // Scrapers and health probes send small GETs; keep every limit tight.
    HttpServerOptions o;
    o.limits.maxBodyBytes = 0;
    o.maxConnections = 32;
    m_http = new HttpServer(o, this);
    m_http->route("GET", "/metrics", [this](const HttpRequest &, HttpResponder &responder) {
        MetricsInput in;
        in.snapshot = m_last ? &*m_last : nullptr;
        in.counters = &m_counters;
        in.nowMs = QDateTime::currentMSecsSinceEpoch();
        responder.respond(HttpResponse::text(200, renderMetrics(in), kPrometheusContentType));
    });
    m_http->route("GET", "/health/live", [](const HttpRequest &, HttpResponder &responder) {
        responder.respond(HttpResponse::json(200, {{QStringLiteral("status"), QStringLiteral("ok")}}));
    });
    m_http->route("GET", "/health/ready", [this](const HttpRequest &, HttpResponder &responder) {
        const HealthReport h = health();
        QJsonObject o{{QStringLiteral("ready"), h.ready}};
        if (!h.ready)
            o.insert(QStringLiteral("reason"), h.reason);
        responder.respond(HttpResponse::json(h.ready ? 200 : 503, o));
    });
    const auto summary = [this](const HttpRequest &, HttpResponder &responder) {
        const HealthReport h = health();
        QJsonObject o{{QStringLiteral("status"), healthStatusName(h.overall)},
                      {QStringLiteral("ready"), h.ready}};
        if (!h.ready)
            o.insert(QStringLiteral("reason"), h.reason);
        responder.respond(HttpResponse::json(h.ready ? 200 : 503, o));
    };
    m_http->route("GET", "/health", summary);
    m_http->route("GET", "/health/detailed", [this](const HttpRequest &, HttpResponder &responder) {
        const HealthReport h = health();
        responder.respond(HttpResponse::json(h.ready ? 200 : 503, h.toJson()));
    });
    if (!m_http->listen(m_options.port)) {
        if (error)
            *error = QStringLiteral("cannot listen on 127.0.0.1:%1 for /metrics: %2")
                         .arg(m_options.port)
                         .arg(m_http->errorString());
        return false;
    }
    return true;
}

void ObserveServer::close()
{
    if (m_http)
        m_http->close();
}

quint16 ObserveServer::port() const
{
    return m_http ? m_http->port() : 0;
}

void ObserveServer::apply(const Snapshot &snapshot)
{
    m_counters.apply(snapshot);
    m_last = snapshot;
}

void ObserveServer::report(const ComponentHealth &component)
{
    for (ComponentHealth &c : m_reported)
        if (c.name == component.name) {
            c = component;
            return;
        }
    m_reported << component;
}

HealthReport ObserveServer::health() const
{
    HealthInput in;
    in.snapshot = m_last ? &*m_last : nullptr;
    in.nowMs = QDateTime::currentMSecsSinceEpoch();
    in.staleAfterMs = m_options.staleAfterMs;
    in.engineStopped = m_engineStopped;
    in.reported = m_reported;
    return assessHealth(in);
}

} // namespace drover
