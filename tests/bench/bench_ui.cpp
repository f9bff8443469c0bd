// The UI stall benchmark (issue 5, "Quality"): the longest time the UI thread's event loop is
// blocked while the Dashboard redraws its 24 h range for a fleet of 50 replicas.
//
// Setup: a real store written through Store with 24 h of samples every 10 s for 50 single-
// replica pools (per pool: CPU, memory, queue depth, prompt and completion tokens/s) plus the
// machine's CPU and memory: 252 series, about 2.2 million samples. Each pool is its own series
// (the worst case: 50 replicas in fewer pools give fewer), so every chart has 50 pool lines and
// the token chart 103; the dashboard draws them condensed (pinned lines, the 5 busiest, a band).
//
// Measure: a 1 ms precise timer on the UI thread records how late each tick fires; the longest
// gap between ticks from the range switch until the answer is drawn and painted is that redraw's
// stall; the part from the answer's arrival on (the drawing) is reported too. Run with
// QT_QPA_PLATFORM=offscreen (set here when unset) and a raised priority (docs/benchmarks/ui.md).
// Goal: under 50 ms.
//
//   bench_ui [--redraws N] [--keep-store PATH]
#include "core/engine/snapshot.h"
#include "core/store/store.h"
#include "ui/dashboard.h"

#include <QApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

using namespace drover;
using namespace drover::ui;

namespace {

constexpr int kPools = 50;
constexpr qint64 kDayMs = 24LL * 3600 * 1000;

// The longest gap between consecutive ticks of a 1 ms timer while it runs.
class StallMeter : public QObject
{
public:
    StallMeter()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(1);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            if (m_last >= 0) {
                m_maxGapNs = std::max(m_maxGapNs, now - m_last);
                if (m_marked)
                    m_maxMarkedGapNs = std::max(m_maxMarkedGapNs, now - m_last);
            }
            m_last = now;
        });
        m_clock.start();
    }
    void start()
    {
        m_last = -1;
        m_maxGapNs = 0;
        m_maxMarkedGapNs = 0;
        m_marked = false;
        m_timer.start();
    }
    // From now on gaps count towards marked() too (a gap running at the mark included).
    void mark() { m_marked = true; }
    double marked() const { return std::max(0.0, m_maxMarkedGapNs / 1e6 - 1.0); }
    // The longest stall beyond the timer's own 1 ms period, in ms.
    double stop()
    {
        // The tail since the last tick counts too (a stall right before stop()).
        m_maxGapNs = std::max(m_maxGapNs, m_clock.nsecsElapsed() - m_last);
        if (m_marked)
            m_maxMarkedGapNs = std::max(m_maxMarkedGapNs, m_clock.nsecsElapsed() - m_last);
        m_timer.stop();
        return std::max(0.0, m_maxGapNs / 1e6 - 1.0);
    }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = -1;
    qint64 m_maxGapNs = 0;
    qint64 m_maxMarkedGapNs = 0;
    bool m_marked = false;
};

QString poolName(int i)
{
    return QStringLiteral("agents-%1").arg(i, 2, 10, QLatin1Char('0'));
}

void writeStore(const QString &path, qint64 now)
{
    Store store;
    if (!store.open(path)) {
        std::fprintf(stderr, "cannot open the store %s: %s\n", qPrintable(path), qPrintable(store.lastError()));
        std::exit(1);
    }
    const QStringList metrics = {QStringLiteral("pool_cpu_percent"), QStringLiteral("pool_memory_percent"),
                                 QStringLiteral("queue_depth"), QStringLiteral("pool_gpt_prompt_tokens_per_second"),
                                 QStringLiteral("pool_gpt_completion_tokens_per_second")};
    QStringList names;
    for (int p = 0; p < kPools; ++p)
        for (const QString &m : metrics)
            names << QStringLiteral("%1{pool=\"%2\"}").arg(m, poolName(p));
    quint32 seed = 12345;
    const auto noise = [&seed] {
        seed = seed * 1664525u + 1013904223u;
        return double(seed >> 8) / double(1u << 24);
    };
    int ticks = 0;
    for (qint64 t = now - kDayMs - 60000; t <= now; t += 10000) {
        store.addSample(QStringLiteral("system_cpu_percent"), t, 20 + 60 * noise());
        store.addSample(QStringLiteral("system_memory_percent"), t, 50 + 10 * noise());
        for (int i = 0; i < names.size(); ++i)
            store.addSample(names[i], t, 100 * noise());
        if (++ticks % 60 == 0) // the engine flushes every tick; batches keep the setup short
            store.flush();
    }
    store.flush();
}

double median(QVector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.isEmpty() ? 0 : v[v.size() / 2];
}

void spin(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("drover-bench"));
    int redraws = 10;
    QString keep;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == QLatin1String("--redraws"))
            redraws = args[i + 1].toInt();
        else if (args[i] == QLatin1String("--keep-store"))
            keep = args[i + 1];
    }

    QTemporaryDir dir;
    const QString path = keep.isEmpty() ? dir.filePath(QStringLiteral("drover.sqlite")) : keep;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QElapsedTimer setup;
    setup.start();
    if (keep.isEmpty() || !QFileInfo::exists(keep))
        writeStore(path, now); // a kept store is reused: the setup takes a minute
    std::printf("store: %d pools, 24 h at 10 s, written in %.1f s\n", kPools, setup.elapsed() / 1000.0);

    Dashboard dashboard;
    dashboard.resize(1600, 1000);
    dashboard.show();
    Snapshot s;
    s.sequence = 1;
    s.publishedAtMs = now;
    s.storePath = path;
    for (int p = 0; p < kPools; ++p) {
        s.config.pools << poolName(p);
        PoolSeriesTail tail;
        tail.pool = poolName(p);
        tail.tokenBudgetPerSecond = 500.0 / 60.0;
        s.poolSeries << tail;
    }
    dashboard.setRange(Dashboard::Range::FiveMinutes);
    dashboard.applySnapshot(s);
    spin(300);

    StallMeter meter;
    // Baseline: the same window with nothing to do (timer and scheduler noise of this machine).
    meter.start();
    spin(1000);
    const double idle = meter.stop();

    QVector<double> stalls, drawing, latencies;
    QObject::connect(&dashboard, &Dashboard::historyArrived, &meter, [&meter] { meter.mark(); });
    for (int i = 0; i < redraws; ++i) {
        QEventLoop shown;
        const auto connection = QObject::connect(&dashboard, &Dashboard::historyShown, &shown, &QEventLoop::quit);
        QElapsedTimer latency;
        meter.start();
        latency.start();
        dashboard.setRange(Dashboard::Range::Day); // request -> reader thread -> answer -> draw
        QTimer::singleShot(60000, &shown, &QEventLoop::quit);
        shown.exec();
        const double answerMs = latency.nsecsElapsed() / 1e6;
        spin(250); // the charts repaint through the event loop after the answer is set
        stalls << meter.stop();
        drawing << meter.marked();
        latencies << answerMs;
        QObject::disconnect(connection);
        dashboard.setRange(Dashboard::Range::FiveMinutes);
        spin(100);
    }
    const double maxStall = *std::max_element(stalls.cbegin(), stalls.cend());
    std::printf("24 h redraw, %d pools, %d redraws at %dx%d\n", kPools, redraws, dashboard.width(),
                dashboard.height());
    std::printf("  longest UI stall per redraw: median %.1f ms, max %.1f ms (goal < 50 ms)\n",
                median(stalls), maxStall);
    std::printf("    of it from the answer's arrival until drawn: median %.1f ms, max %.1f ms\n",
                median(drawing), *std::max_element(drawing.cbegin(), drawing.cend()));
    std::printf("  request to drawn answer:     median %.0f ms, max %.0f ms\n", median(latencies),
                *std::max_element(latencies.cbegin(), latencies.cend()));
    std::printf("  idle baseline stall:         %.1f ms\n", idle);
    return 0;
}
