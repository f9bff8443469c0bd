#include "dashboard.h"

#include "core/metrics/downsample.h"
#include "dashboard_chart.h"

#include <QComboBox>
#include <QDateTime>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMap>
#include <QSettings>
#include <QTimer>
#include <QVBoxLayout>

#include <cmath>

namespace drover::ui {

namespace {
const char kRangeKey[] = "dashboard/range";
// Between the charts of a store answer: long enough for the previous chart's repaints (one for
// the new points, one more after its deferred layout of axes and legend) to be done before the
// next chart is rebuilt, so no turn holds more than one of them; the four charts still appear
// within a quarter of a second.
constexpr int kDrawStepMs = 50;

QString poolLabel(const QString &metric, const QString &pool)
{
    return QStringLiteral("%1{pool=\"%2\"}").arg(metric, pool);
}

QVector<QPointF> toPoints(const QVector<SeriesPoint> &series, qint64 fromMs, double maxStepMs)
{
    QVector<QPointF> out;
    out.reserve(series.size());
    for (const SeriesPoint &p : series)
        if (p.timeMs >= fromMs)
            out.append(QPointF(double(p.timeMs), p.value));
    return markGaps(out, maxStepMs);
}

// Sums series that share timestamps (the engine samples every pool in the same tick).
QVector<QPointF> sumByTime(const QVector<const QVector<SeriesPoint> *> &series, qint64 fromMs,
                           double maxStepMs)
{
    QMap<qint64, double> total;
    for (const QVector<SeriesPoint> *s : series)
        for (const SeriesPoint &p : *s)
            if (p.timeMs >= fromMs)
                total[p.timeMs] += p.value;
    QVector<QPointF> out;
    out.reserve(total.size());
    for (auto it = total.cbegin(); it != total.cend(); ++it)
        out.append(QPointF(double(it.key()), it.value()));
    return markGaps(out, maxStepMs);
}

QString elide(const QString &text, int max = 140)
{
    return text.size() <= max ? text : text.left(max - 1) + QChar(0x2026);
}

ChartMarker scalingMarker(qint64 atMs, const QString &pool, const QString &from, const QString &to,
                          const QString &why)
{
    return {atMs, ChartMarker::Kind::Scaling,
            elide(QStringLiteral("%1: %2 \u2192 %3 replicas, %4").arg(pool, from, to, why))};
}

ChartMarker alertMarker(const SupervisorEvent &e)
{
    return {e.timeMs, ChartMarker::Kind::Alert, elide(QStringLiteral("%1: %2").arg(e.to, e.reason))};
}

bool isMarkedAlert(const SupervisorEvent &e)
{
    return e.kind == QLatin1String("alert")
           && (e.to == QLatin1String("firing") || e.to == QLatin1String("resolved"));
}
} // namespace

Dashboard::Dashboard(QWidget *parent)
    : QWidget(parent),
      m_rangeBox(new QComboBox(this)),
      m_source(new QLabel(this)),
      m_cpu(new DashboardChart(tr("CPU"), tr("%"), true, this)),
      m_memory(new DashboardChart(tr("Memory (machine; pools: share of their tier's limit)"), tr("%"),
                                  true, this)),
      m_queue(new DashboardChart(tr("Queue depth"), tr("jobs"), false, this)),
      m_tokens(new DashboardChart(tr("GPT tokens per second"), tr("tokens/s"), false, this)),
      m_historyTimer(new QTimer(this))
{
    m_rangeBox->addItem(tr("Last 5 minutes"), int(Range::FiveMinutes));
    m_rangeBox->addItem(tr("Last hour"), int(Range::Hour));
    m_rangeBox->addItem(tr("Last 24 hours"), int(Range::Day));
    m_rangeBox->addItem(tr("Last 7 days"), int(Range::Week));
    m_rangeBox->setAccessibleName(tr("Time range"));
    m_rangeBox->setToolTip(tr("How far back the charts reach: 5 minutes live from the engine, "
                              "longer ranges from the store (Alt+R)"));
    auto *rangeLabel = new QLabel(tr("&Range:"), this);
    rangeLabel->setBuddy(m_rangeBox);
    m_source->setAccessibleName(tr("Data source"));
    m_source->setToolTip(tr("Where the charts' data comes from and at which resolution"));
    auto *top = new QHBoxLayout;
    top->addWidget(rangeLabel);
    top->addWidget(m_rangeBox);
    top->addSpacing(12);
    top->addWidget(m_source, 1);
    auto *grid = new QGridLayout;
    grid->addWidget(m_cpu, 0, 0);
    grid->addWidget(m_memory, 0, 1);
    grid->addWidget(m_queue, 1, 0);
    grid->addWidget(m_tokens, 1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(grid, 1);

    m_cpu->setAccessibleName(tr("CPU chart"));
    m_cpu->setToolTip(tr("Busy share of the machine's cores, and of each pool's tier cores"));
    m_memory->setAccessibleName(tr("Memory chart"));
    m_memory->setToolTip(tr("Memory in use on the machine, and each pool's share of its tier's memory"));
    m_queue->setAccessibleName(tr("Queue depth chart"));
    m_queue->setToolTip(tr("Jobs waiting in each pool's agents"));
    m_tokens->setAccessibleName(tr("GPT token rate chart"));
    m_tokens->setToolTip(tr("Prompt and completion tokens per second, per pool and in total; "
                            "the dashed line is the tier budget (today's, on the longer ranges)"));

    // Long ranges move slowly: a fresh answer every so often is enough (a 10 s rollup cannot
    // change faster).
    connect(m_historyTimer, &QTimer::timeout, this, &Dashboard::requestHistory);

    connect(m_rangeBox, &QComboBox::currentIndexChanged, this,
            [this](int index) { setRange(Range(m_rangeBox->itemData(index).toInt())); });
    m_source->setText(tr("Live from the engine, 1 s resolution"));
    const int stored = QSettings().value(QLatin1String(kRangeKey), 0).toInt();
    setRange(stored >= 0 && stored <= 3 ? Range(stored) : Range::FiveMinutes);
}

Dashboard::~Dashboard() = default;

qint64 Dashboard::spanMs(Range range)
{
    switch (range) {
    case Range::FiveMinutes:
        return 5LL * 60 * 1000;
    case Range::Hour:
        return 3600LL * 1000;
    case Range::Day:
        return 24LL * 3600 * 1000;
    case Range::Week:
        return 7LL * 24 * 3600 * 1000;
    }
    return 5LL * 60 * 1000;
}

void Dashboard::setStorePath(const QString &path)
{
    if (m_reader && m_reader->storePath() == path)
        return;
    m_reader.reset();
    if (!path.isEmpty()) {
        m_reader = std::make_unique<HistoryReader>(path);
        connect(m_reader.get(), &HistoryReader::answered, this, &Dashboard::showHistory);
    }
    if (m_range != Range::FiveMinutes)
        requestHistory();
}

void Dashboard::setRange(Range range)
{
    if (m_rangeBox->currentIndex() != int(range)) {
        m_rangeBox->setCurrentIndex(int(range)); // comes back here through the signal
        return;
    }
    m_range = range;
    QSettings().setValue(QLatin1String(kRangeKey), int(range));
    if (range == Range::FiveMinutes) {
        m_historyTimer->stop();
        m_pendingId = 0;
        m_drawQueue.clear();
        m_source->setText(tr("Live from the engine, 1 s resolution"));
        showLive();
        return;
    }
    m_historyTimer->start(range == Range::Hour ? 10000 : 60000);
    requestHistory();
}

QStringList Dashboard::poolNames() const
{
    QStringList names = m_configPools;
    for (const PoolSeriesTail &t : m_poolSeries)
        if (!names.contains(t.pool))
            names << t.pool;
    return names;
}

void Dashboard::applySnapshot(const drover::Snapshot &snapshot)
{
    const QStringList poolsBefore = poolNames();
    m_system = snapshot.systemHistory;
    m_poolSeries = snapshot.poolSeries;
    m_decisions = snapshot.scalingDecisions;
    m_events = snapshot.recentEvents;
    m_configPools = snapshot.config.pools;
    m_lastPublishedMs = snapshot.publishedAtMs;
    if (!snapshot.storePath.isEmpty())
        setStorePath(snapshot.storePath);
    if (m_range == Range::FiveMinutes)
        showLive();
    else if (poolNames() != poolsBefore)
        requestHistory(); // a pool came or went: its lines too
}

void Dashboard::showLive()
{
    qint64 now = m_lastPublishedMs;
    if (!m_system.isEmpty())
        now = qMax(now, m_system.last().timeMs);
    if (now <= 0)
        now = QDateTime::currentMSecsSinceEpoch();
    const qint64 from = now - spanMs(Range::FiveMinutes);
    // Two missed ticks are a gap; one late tick is not.
    const double maxStep = 2500;

    QVector<ChartLine> cpu, memory, queue, tokens;
    QVector<QPointF> machineCpu, machineMemory;
    for (const SystemPoint &p : std::as_const(m_system)) {
        if (p.timeMs < from)
            continue;
        machineCpu.append(QPointF(double(p.timeMs), p.cpuPercent));
        machineMemory.append(QPointF(double(p.timeMs), p.memoryPercent));
    }
    cpu.append({tr("Machine"), markGaps(machineCpu, maxStep), false, true});
    memory.append({tr("Machine"), markGaps(machineMemory, maxStep), false, true});
    QVector<const QVector<SeriesPoint> *> prompts, completions;
    double budget = 0;
    bool budgetKnown = false;
    for (const PoolSeriesTail &t : std::as_const(m_poolSeries)) {
        cpu.append({t.pool, toPoints(t.cpuPercent, from, maxStep)});
        memory.append({t.pool, toPoints(t.memoryPercent, from, maxStep)});
        queue.append({t.pool, toPoints(t.queueDepth, from, maxStep)});
        tokens.append({tr("%1 prompt").arg(t.pool), toPoints(t.promptTokensPerSecond, from, maxStep)});
        tokens.append({tr("%1 completion").arg(t.pool), toPoints(t.completionTokensPerSecond, from, maxStep)});
        prompts.append(&t.promptTokensPerSecond);
        completions.append(&t.completionTokensPerSecond);
        if (std::isfinite(t.tokenBudgetPerSecond)) {
            budget += t.tokenBudgetPerSecond;
            budgetKnown = true;
        }
    }
    if (m_poolSeries.size() > 1) {
        tokens.append({tr("Total prompt"), sumByTime(prompts, from, maxStep), false, true});
        tokens.append({tr("Total completion"), sumByTime(completions, from, maxStep), false, true});
    }
    if (budgetKnown)
        tokens.append({tr("Tier budget"), {QPointF(double(from), budget), QPointF(double(now), budget)}, true});

    QVector<ChartMarker> markers;
    for (const ScalingRecord &r : std::as_const(m_decisions)) {
        const ScalingDecision &d = r.decision;
        if (d.changed() && d.atMs >= from)
            markers.append(scalingMarker(d.atMs, r.pool, QString::number(d.currentReplicas),
                                         QString::number(d.finalReplicas),
                                         r.applied ? d.explanation : tr("not applied: %1").arg(r.refusal)));
    }
    for (const SupervisorEvent &e : std::as_const(m_events))
        if (isMarkedAlert(e) && e.timeMs >= from)
            markers.append(alertMarker(e));
    m_drawQueue.clear();
    m_cpu->setData(cpu, from, now, markers);
    m_memory->setData(memory, from, now, markers);
    m_queue->setData(queue, from, now, markers);
    m_tokens->setData(tokens, from, now, markers);
}

void Dashboard::showMarkers(const QVector<ChartMarker> &markers)
{
    for (DashboardChart *chart : {m_cpu, m_memory, m_queue, m_tokens})
        chart->setMarkers(markers);
}

void Dashboard::requestHistory()
{
    if (m_range == Range::FiveMinutes)
        return;
    if (!m_reader) {
        m_source->setText(tr("No store: only the last 5 minutes are kept"));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (DashboardChart *chart : {m_cpu, m_memory, m_queue, m_tokens})
            chart->setData({}, now - spanMs(m_range), now);
        showMarkers({});
        return;
    }
    HistoryRequest request;
    request.toMs = QDateTime::currentMSecsSinceEpoch();
    request.fromMs = request.toMs - spanMs(m_range);
    request.series << QStringLiteral("system_cpu_percent") << QStringLiteral("system_memory_percent");
    HistorySum prompt{QStringLiteral("total_prompt"), {}};
    HistorySum completion{QStringLiteral("total_completion"), {}};
    for (const QString &pool : poolNames()) {
        request.series << poolLabel(QStringLiteral("pool_cpu_percent"), pool)
                       << poolLabel(QStringLiteral("pool_memory_percent"), pool)
                       << poolLabel(QStringLiteral("queue_depth"), pool)
                       << poolLabel(QStringLiteral("pool_gpt_prompt_tokens_per_second"), pool)
                       << poolLabel(QStringLiteral("pool_gpt_completion_tokens_per_second"), pool);
        prompt.members << poolLabel(QStringLiteral("pool_gpt_prompt_tokens_per_second"), pool);
        completion.members << poolLabel(QStringLiteral("pool_gpt_completion_tokens_per_second"), pool);
    }
    if (prompt.members.size() > 1)
        request.sums << prompt << completion;
    // One point per pixel column of the widest chart: the reader's min/max buckets are then
    // two pixels wide, and nothing more crosses the thread than the plot can show.
    int budget = 0;
    for (DashboardChart *chart : {m_cpu, m_memory, m_queue, m_tokens})
        budget = qMax(budget, chart->pointBudget());
    request.maxPoints = budget;
    m_pendingId = m_reader->request(request);
    if (m_source->text().isEmpty() || m_source->text().startsWith(tr("Live")))
        m_source->setText(tr("Loading from the store\u2026"));
}

void Dashboard::showHistory(const drover::HistoryAnswer &answer)
{
    if (answer.id != m_pendingId || m_range == Range::FiveMinutes)
        return; // superseded by a newer request or by the live range
    emit historyArrived(answer.id);
    if (!answer.error.isEmpty())
        m_source->setText(tr("History unavailable: %1").arg(answer.error));
    else
        m_source->setText(tr("From the store, %1 resolution").arg(answer.resolution));

    QHash<QString, const QVector<QPointF> *> byName;
    for (const HistorySeries &s : answer.series)
        byName.insert(s.name, &s.points);
    const auto points = [&](const QString &name) {
        const QVector<QPointF> *p = byName.value(name);
        return p ? *p : QVector<QPointF>();
    };
    QVector<ChartLine> cpu, memory, queue, tokens;
    cpu.append({tr("Machine"), points(QStringLiteral("system_cpu_percent")), false, true});
    memory.append({tr("Machine"), points(QStringLiteral("system_memory_percent")), false, true});
    const QStringList pools = poolNames();
    double budget = 0;
    bool budgetKnown = false;
    for (const QString &pool : pools) {
        cpu.append({pool, points(poolLabel(QStringLiteral("pool_cpu_percent"), pool))});
        memory.append({pool, points(poolLabel(QStringLiteral("pool_memory_percent"), pool))});
        queue.append({pool, points(poolLabel(QStringLiteral("queue_depth"), pool))});
        tokens.append({tr("%1 prompt").arg(pool),
                       points(poolLabel(QStringLiteral("pool_gpt_prompt_tokens_per_second"), pool))});
        tokens.append({tr("%1 completion").arg(pool),
                       points(poolLabel(QStringLiteral("pool_gpt_completion_tokens_per_second"), pool))});
    }
    for (const PoolSeriesTail &t : std::as_const(m_poolSeries)) {
        if (std::isfinite(t.tokenBudgetPerSecond)) {
            budget += t.tokenBudgetPerSecond;
            budgetKnown = true;
        }
    }
    if (pools.size() > 1) {
        tokens.append({tr("Total prompt"), points(QStringLiteral("total_prompt")), false, true});
        tokens.append({tr("Total completion"), points(QStringLiteral("total_completion")), false, true});
    }
    // The store keeps replica counts, not past budgets: today's budget (the tooltip says so).
    if (budgetKnown)
        tokens.append({tr("Tier budget"),
                       {QPointF(double(answer.fromMs), budget), QPointF(double(answer.toMs), budget)},
                       true});
    QVector<ChartMarker> markers;
    for (const SupervisorEvent &e : answer.events) {
        if (e.kind == QLatin1String("scaling"))
            markers.append(scalingMarker(e.timeMs, e.pool, e.from, e.to, e.reason));
        else if (isMarkedAlert(e))
            markers.append(alertMarker(e));
    }
    const qint64 from = answer.fromMs;
    const qint64 to = answer.toMs;
    m_drawQueue.clear();
    for (const auto &[chart, lines] : {std::pair{m_cpu, cpu}, std::pair{m_memory, memory},
                                       std::pair{m_queue, queue}, std::pair{m_tokens, tokens}}) {
        m_drawQueue.append([chart = chart, lines = lines, from, to, markers] {
            chart->setData(lines, from, to, markers);
        });
    }
    const quint64 id = answer.id;
    m_drawQueue.append([this, id] { emit historyShown(id); });
    // Not in this turn: the answer's arrival already cost the UI thread its share.
    QTimer::singleShot(kDrawStepMs, this, &Dashboard::drawNext);
}

void Dashboard::drawNext()
{
    if (m_drawQueue.isEmpty())
        return;
    const std::function<void()> step = m_drawQueue.takeFirst();
    step();
    // A pause rather than the next turn: the chart just set repaints some turns later (the scene
    // reports its change queued, then the window's update request, then again after the layout),
    // so a zero delay put those paints and the next chart's rebuild into one stall of 40-50 ms
    // on a loaded machine (docs/benchmarks/ui.md).
    if (!m_drawQueue.isEmpty())
        QTimer::singleShot(kDrawStepMs, this, &Dashboard::drawNext);
}

} // namespace drover::ui
