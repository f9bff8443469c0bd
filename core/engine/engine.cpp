#include "engine.h"

#include <QDateTime>
#include <QTimer>

namespace drover {

namespace {
ConfigStatus configStatusOf(const ConfigLoadResult &r)
{
    ConfigStatus s;
    s.file = r.config.sourceFile;
    s.issues = r.issues;
    s.refusedPools = r.refusedPools;
    s.fatal = r.fatal;
    for (const PoolSpec &p : r.config.pools)
        s.pools << p.name;
    return s;
}
} // namespace

Engine::Engine(ConfigLoadResult config, EngineOptions options)
    : m_config(std::move(config)), m_options(std::move(options))
{
    qRegisterMetaType<drover::Snapshot>();
    m_current.config = configStatusOf(m_config);
    m_current.tickIntervalMs = m_options.tickIntervalMs;
}

Engine::~Engine() = default;

void Engine::start()
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (m_timer)
        return;
    // Created here, not in the constructor, so the reader and the timer belong to the
    // engine thread.
    m_reader = m_options.metricsReaderFactory();
    m_timer = new QTimer(this);
    m_timer->setTimerType(Qt::PreciseTimer);
    m_timer->setInterval(int(m_options.tickIntervalMs));
    connect(m_timer, &QTimer::timeout, this, &Engine::tick);
    m_timer->start();
    tick(); // publish at once: the window should not wait a whole tick to show something
}

void Engine::stop()
{
    if (m_timer) {
        m_timer->stop();
        delete m_timer;
        m_timer = nullptr;
    }
    m_reader.reset();
}

void Engine::tick()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    Snapshot next = m_current;
    next.sequence = m_current.sequence + 1;
    next.publishedAtMs = now;

    const std::optional<CpuCounters> cpu = m_reader->readCpu();
    std::optional<double> cpuPercent;
    if (cpu && m_lastCpu)
        cpuPercent = cpuPercentBetween(*m_lastCpu, *cpu);
    if (cpu)
        m_lastCpu = cpu;
    next.cpuValid = cpuPercent.has_value();
    next.cpuPercent = cpuPercent.value_or(0.0);

    const std::optional<MemoryInfo> memory = m_reader->readMemory();
    if (memory) {
        next.memoryTotalBytes = memory->totalBytes;
        next.memoryUsedBytes = memory->usedBytes();
    }

    // A point goes into the history only when both values are real; a gap in the chart is
    // honest, a fabricated zero is not.
    if (cpuPercent && memory) {
        next.systemHistory.append({now, *cpuPercent, memory->usedPercent(), memory->usedBytes()});
        const int excess = next.systemHistory.size() - m_options.historyPoints;
        if (excess > 0)
            next.systemHistory.remove(0, excess);
    }

    m_current = next;
    emit snapshotPublished(m_current);
}

EngineHost::EngineHost(ConfigLoadResult config, EngineOptions options, QObject *parent)
    : QObject(parent), m_engine(new Engine(std::move(config), std::move(options)))
{
    m_thread.setObjectName(QStringLiteral("drover-engine"));
    connect(&m_thread, &QThread::started, m_engine, &Engine::start);
    // The engine is deleted in its own thread after its event loop ends.
    connect(&m_thread, &QThread::finished, m_engine, &QObject::deleteLater);
    connect(m_engine, &Engine::snapshotPublished, this, &EngineHost::snapshotPublished,
            Qt::QueuedConnection);
}

EngineHost::~EngineHost()
{
    stop();
    // Never started: the engine still lives in this thread and nothing else will delete it.
    delete m_engine;
}

void EngineHost::start()
{
    if (m_thread.isRunning() || !m_engine)
        return;
    // Moved only now, so an engine that never starts stays in (and dies with) this thread.
    m_engine->moveToThread(&m_thread);
    m_thread.start();
}

void EngineHost::stop()
{
    if (!m_thread.isRunning())
        return;
    // Queued so stop() runs in the engine thread before the loop quits (timers must be
    // stopped from the thread that owns them).
    QMetaObject::invokeMethod(m_engine, &Engine::stop, Qt::QueuedConnection);
    m_thread.quit();
    m_thread.wait();
    m_engine = nullptr; // deleted by the finished -> deleteLater connection
}

bool EngineHost::isRunning() const
{
    return m_thread.isRunning();
}

} // namespace drover
