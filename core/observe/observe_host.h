// Drover's own /metrics and /health on 127.0.0.1, served from a thread of its own.
//
// The host receives Snapshot values (connect EngineHost::snapshotPublished to applySnapshot)
// and renders from the last one; it never touches the engine, so a slow scrape cannot delay a
// tick and a stalled engine shows as a stale snapshot on /health/ready.
//
//   GET /metrics          Prometheus text format 0.0.4 (snapshot_metrics.h)
//   GET /health           {"status": ok|degraded|down, ...}; 503 when down
//   GET /health/live      200 while this thread answers
//   GET /health/ready     200 when the engine ticks, else 503 with the reason
//   GET /health/detailed  every component (engine, store, supervisor, gateway, keychain)
#pragma once

#include "core/engine/snapshot.h"
#include "health.h"

#include <QObject>
#include <QThread>

#include <atomic>

namespace drover {

struct ObserveOptions
{
    quint16 port = 9464; // 0: any free loopback port
    qint64 staleAfterMs = 0; // see HealthInput::staleAfterMs
};

class ObserveServer;

class ObserveHost : public QObject
{
    Q_OBJECT
public:
    explicit ObserveHost(ObserveOptions options = {}, QObject *parent = nullptr);
    // Closes the listener and waits for the observe thread to finish.
    ~ObserveHost() override;

    // Starts the thread and listens; listening() or failed() follows.
    void start();
    void stop();
    quint16 port() const { return m_port.load(); }

public slots:
    // Safe from any thread; the value is copied into the observe thread.
    void applySnapshot(const drover::Snapshot &snapshot);
    // The owner stopped the engine on purpose: /health/ready says so instead of "stale".
    void setEngineStopped(bool stopped);
    // A component the snapshot does not describe (e.g. the gateway, the intake's keychain
    // token), shown on /health/detailed.
    void reportComponent(const QString &name, drover::HealthStatus status, const QString &detail);

signals:
    void listening(quint16 port);
    void failed(const QString &error);

private:
    ObserveOptions m_options;
    QThread m_thread;
    ObserveServer *m_server = nullptr; // lives in m_thread
    std::atomic<quint16> m_port{0};
};

} // namespace drover

Q_DECLARE_METATYPE(drover::HealthStatus)
