// The observe thread's worker: an HttpServer and the last snapshot (see observe_host.h).
#pragma once

#include "core/http/http_server.h"
#include "health.h"
#include "observe_host.h"
#include "snapshot_counters.h"

#include <QObject>

#include <optional>

namespace drover {

class ObserveServer : public QObject
{
    Q_OBJECT
public:
    explicit ObserveServer(ObserveOptions options);

    // Called in the observe thread.
    bool listen(QString *error);
    void close();
    quint16 port() const;
    void apply(const Snapshot &snapshot);
    void setEngineStopped(bool stopped) { m_engineStopped = stopped; }
    void report(const ComponentHealth &component);

private:
    HealthReport health() const;

    ObserveOptions m_options;
    HttpServer *m_http = nullptr;
    std::optional<Snapshot> m_last;
    SnapshotCounters m_counters;
    bool m_engineStopped = false;
    QList<ComponentHealth> m_reported;
};

} // namespace drover
