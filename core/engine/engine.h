// The engine: a worker QObject that lives in its own thread, ticks, and publishes snapshots.
//
// Nothing outside the engine thread touches an Engine directly: commands arrive as queued
// calls and results leave as Snapshot values (DESIGN.md, "Threads and data flow").
#pragma once

#include "../config/config.h"
#include "../platform/system_metrics.h"
#include "snapshot.h"

#include <QObject>
#include <QThread>

#include <functional>
#include <memory>

class QTimer;

namespace drover {

struct EngineOptions
{
    qint64 tickIntervalMs = 1000;
    int historyPoints = 600; // 10 minutes of 1 s points in every snapshot
    // Creates the OS metrics reader in the engine thread; tests substitute a recorded one.
    std::function<std::unique_ptr<SystemMetricsReader>()> metricsReaderFactory =
        &createSystemMetricsReader;
};

class Engine : public QObject
{
    Q_OBJECT
public:
    Engine(ConfigLoadResult config, EngineOptions options = {});
    ~Engine() override;

public slots:
    // Both run in the engine thread (EngineHost calls them through the event loop).
    void start();
    void stop();

signals:
    void snapshotPublished(const drover::Snapshot &snapshot);

private:
    void tick();

    ConfigLoadResult m_config;
    EngineOptions m_options;
    std::unique_ptr<SystemMetricsReader> m_reader;
    QTimer *m_timer = nullptr;
    std::optional<CpuCounters> m_lastCpu;
    Snapshot m_current;
};

// Owns the engine thread. Construct and destroy it in the thread that owns the application
// (the UI thread); destruction stops the engine and waits for its thread to finish.
class EngineHost : public QObject
{
    Q_OBJECT
public:
    EngineHost(ConfigLoadResult config, EngineOptions options = {}, QObject *parent = nullptr);
    ~EngineHost() override;

    void start();
    void stop();
    bool isRunning() const;

signals:
    // Re-emitted in the host's thread: connect UI slots here, never to the Engine.
    void snapshotPublished(const drover::Snapshot &snapshot);

private:
    QThread m_thread;
    Engine *m_engine = nullptr; // owned by m_thread's event loop once moved
};

} // namespace drover
