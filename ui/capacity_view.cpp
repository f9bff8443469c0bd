#include "capacity_view.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>
#include <algorithm>
#include <cmath>

namespace drover::ui {

namespace {

QString whenText(int months)
{
    return months == 0 ? CapacityModel::tr("Now")
                       : CapacityModel::tr("In %n month(s)", nullptr, months);
}

QString memoryText(double mb)
{
    return QLocale().formattedDataSize(qint64(mb * 1024 * 1024), 1);
}

// Costs carry no currency in the plan (the planner's prices say which); a number with two
// decimals, or a dash when the configuration prices nothing.
QString costText(double v)
{
    return v > 0 ? QLocale().toString(v, 'f', 2) : QStringLiteral("\u2013");
}

} // namespace

void CapacityModel::setPlan(const CapacityPlan &plan)
{
    beginResetModel();
    m_rows.clear();
    if (plan.enoughHistory) {
        m_rows.append(plan.current);
        m_rows += plan.fleet;
    }
    endResetModel();
}

int CapacityModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CapacityModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CapacityModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const FleetProjection &f = m_rows[index.row()];
    const QLocale locale;
    if (role == Qt::TextAlignmentRole)
        return index.column() <= Date ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                      : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole) {
        switch (index.column()) {
        case Replicas:
            return tr("Replicas the pools with enough history need, summed");
        case Machines:
            return tr("Machines of the configured type, filled to 80 % of cores and memory");
        case TokenCost:
            return tr("GPT tokens per day \u00d7 30.44 at the configured prices");
        case MachineCost:
            return tr("Machines \u00d7 the configured monthly machine price");
        default:
            return data(index, Qt::DisplayRole);
        }
    }
    if (role == Qt::UserRole) { // raw values, for tests and sorting
        switch (index.column()) {
        case When:
            return f.months;
        case Date:
            return f.date;
        case JobsPerDay:
            return f.jobsPerDay;
        case TokensPerDay:
            return f.tokensPerDay;
        case Replicas:
            return f.replicas;
        case CpuCores:
            return f.cpuCores;
        case Memory:
            return f.memoryMb;
        case Machines:
            return f.machines;
        case TokenCost:
            return f.tokenCostPerMonth;
        case MachineCost:
            return f.machineCostPerMonth;
        case TotalCost:
            return f.totalCostPerMonth;
        }
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case When:
        return whenText(f.months);
    case Date:
        return locale.toString(f.date, QLocale::ShortFormat);
    case JobsPerDay:
        return locale.toString(f.jobsPerDay, 'f', 0);
    case TokensPerDay:
        return locale.toString(f.tokensPerDay, 'f', 0);
    case Replicas:
        return f.replicas;
    case CpuCores:
        return locale.toString(f.cpuCores, 'f', 1);
    case Memory:
        return memoryText(f.memoryMb);
    case Machines:
        return f.machines;
    case TokenCost:
        return costText(f.tokenCostPerMonth);
    case MachineCost:
        return costText(f.machineCostPerMonth);
    case TotalCost:
        return costText(f.totalCostPerMonth);
    }
    return {};
}

QVariant CapacityModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case When:
        return tr("When");
    case Date:
        return tr("Date");
    case JobsPerDay:
        return tr("Jobs/day");
    case TokensPerDay:
        return tr("Tokens/day");
    case Replicas:
        return tr("Replicas");
    case CpuCores:
        return tr("CPU cores");
    case Memory:
        return tr("Memory");
    case Machines:
        return tr("Machines");
    case TokenCost:
        return tr("Tokens/month");
    case MachineCost:
        return tr("Machines/month");
    case TotalCost:
        return tr("Total/month");
    }
    return {};
}

CapacityView::CapacityView(QWidget *parent)
    : QWidget(parent), m_model(new CapacityModel(this)), m_state(new QLabel(this)),
      m_verdict(new QLabel(this)), m_refresh(new QPushButton(tr("&Refresh plan"), this)),
      m_chartView(new QChartView(new QChart, this)), m_replicas(new QLineSeries(this)),
      m_cores(new QLineSeries(this)), m_memory(new QLineSeries(this)),
      m_months(new QValueAxis(this)), m_count(new QValueAxis(this)), m_gib(new QValueAxis(this)),
      m_table(new QTableView(this)), m_pools(new QTreeWidget(this)),
      m_recommendations(new QListWidget(this))
{
    m_state->setTextFormat(Qt::PlainText);
    m_state->setAccessibleName(tr("Capacity plan state"));
    m_state->setToolTip(tr("When the engine made the plan from the stored history"));
    m_verdict->setTextFormat(Qt::PlainText);
    m_verdict->setWordWrap(true);
    m_verdict->setAccessibleName(tr("Capacity verdict"));
    m_verdict->setToolTip(tr("The plan's verdict in one line"));
    m_refresh->setShortcut(
        QKeySequence(Qt::Key_F5)); // the standard Refresh binding is Ctrl+R on some desktops
    m_refresh->setAccessibleName(tr("Refresh capacity plan"));
    m_refresh->setToolTip(tr("Ask the engine for a new plan from the stored history now (%1); it "
                             "makes one every minute anyway")
                              .arg(m_refresh->shortcut().toString(QKeySequence::NativeText)));

    m_replicas->setName(tr("Replicas"));
    m_cores->setName(tr("CPU cores"));
    m_memory->setName(tr("Memory (GiB)"));
    // Built with its chart (the view owns it): QChartView(parent) would make one of its own,
    // which setChart releases without deleting.
    QChart *const chart = m_chartView->chart();
    chart->setTitle(tr("What the fleet needs"));
    for (QLineSeries *s : {m_replicas, m_cores, m_memory}) {
        s->setPointsVisible(true);
        chart->addSeries(s);
    }
    m_months->setTitleText(tr("Months from now"));
    m_months->setLabelFormat(QStringLiteral("%d"));
    m_months->setRange(0, 12);
    m_months->setTickCount(7);
    // No titles on the value axes: the legend names the lines, and a rotated title is cut off
    // in a short chart. Left: replicas and cores; right: GiB.
    m_count->setLabelFormat(QStringLiteral("%.0f"));
    m_gib->setLabelFormat(QStringLiteral("%.1f"));
    chart->addAxis(m_months, Qt::AlignBottom);
    chart->addAxis(m_count, Qt::AlignLeft);
    chart->addAxis(m_gib, Qt::AlignRight);
    for (QLineSeries *s : {m_replicas, m_cores, m_memory})
        s->attachAxis(m_months);
    m_replicas->attachAxis(m_count);
    m_cores->attachAxis(m_count);
    m_memory->attachAxis(m_gib);
    chart->legend()->setAlignment(Qt::AlignBottom);
    m_chartView->setRenderHint(QPainter::Antialiasing);
    m_chartView->setMinimumHeight(200);
    m_chartView->setAccessibleName(tr("Capacity projection chart"));
    m_chartView->setToolTip(
        tr("Replicas, CPU cores and memory the fleet needs now and at 1, 3, 6 and 12 months"));

    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setAccessibleName(tr("Capacity projections"));
    m_table->setToolTip(tr("The fleet's needs and monthly cost now and at each horizon (pools with "
                           "too little history are left out)"));

    m_pools->setColumnCount(6);
    m_pools->setHeaderLabels(
        {tr("Pool"), tr("Tier"), tr("History"), tr("Jobs trend"), tr("Tokens trend"), tr("Note")});
    m_pools->setRootIsDecorated(false);
    m_pools->setAlternatingRowColors(true);
    m_pools->setSortingEnabled(true);
    m_pools->sortByColumn(0, Qt::AscendingOrder);
    m_pools->setAccessibleName(tr("Pool trends"));
    m_pools->setToolTip(tr("Each pool's growth trend and how much history it has"));

    m_recommendations->setWordWrap(true);
    m_recommendations->setAccessibleName(tr("Recommendations"));
    m_recommendations->setToolTip(tr("What to change, in plain words"));

    auto *top = new QHBoxLayout;
    top->addWidget(m_state, 1);
    top->addWidget(m_refresh);

    auto *lower = new QWidget(this);
    auto *lowerLayout = new QVBoxLayout(lower);
    lowerLayout->setContentsMargins(0, 0, 0, 0);
    auto *tableLabel = new QLabel(tr("Pro&jections"), this);
    tableLabel->setBuddy(m_table);
    lowerLayout->addWidget(tableLabel);
    lowerLayout->addWidget(m_table, 2);
    auto *poolsLabel = new QLabel(tr("P&ools"), this);
    poolsLabel->setBuddy(m_pools);
    lowerLayout->addWidget(poolsLabel);
    lowerLayout->addWidget(m_pools, 1);
    auto *recommendationsLabel = new QLabel(tr("Recommendatio&ns"), this);
    recommendationsLabel->setBuddy(m_recommendations);
    lowerLayout->addWidget(recommendationsLabel);
    lowerLayout->addWidget(m_recommendations, 1);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("capacitySplitter"));
    split->addWidget(m_chartView);
    split->addWidget(lower);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_verdict);
    layout->addWidget(split, 1);

    connect(m_refresh, &QPushButton::clicked, this, [this] {
        m_refreshing = true;
        m_state->setText(m_state->text() + tr(" \u2013 asked for a new plan\u2026"));
        emit refreshRequested();
    });
    render(CapacityPlan{}, 0);
}

QList<QLineSeries *> CapacityView::chartSeries() const
{
    return {m_replicas, m_cores, m_memory};
}

void CapacityView::commandRefused()
{
    // The engine answers a refused refresh (no store) with a message the window shows; here the
    // "asked" note must not stay as if a plan were coming.
    if (!m_refreshing)
        return;
    m_refreshing = false;
    m_shownAtMs = -1;
}

void CapacityView::setSnapshot(const Snapshot &snapshot)
{
    if (snapshot.capacityAtMs == m_shownAtMs)
        return; // the plan changes once a minute; snapshots come several times a second
    m_refreshing = false;
    render(snapshot.capacity, snapshot.capacityAtMs);
}

void CapacityView::render(const CapacityPlan &plan, qint64 atMs)
{
    m_shownAtMs = atMs;
    const QLocale locale;
    if (atMs <= 0) {
        m_state->setText(tr("No capacity plan yet: the engine makes one from the stored history "
                            "within a minute of starting."));
    } else if (!plan.enoughHistory) {
        m_state->setText(
            tr("Not enough history yet (as of %1).")
                .arg(locale.toString(QDateTime::fromMSecsSinceEpoch(atMs), QLocale::ShortFormat)));
    } else {
        m_state->setText(
            tr("Plan as of %1, from the history up to %2.")
                .arg(locale.toString(QDateTime::fromMSecsSinceEpoch(atMs), QLocale::ShortFormat),
                     locale.toString(plan.asOf, QLocale::ShortFormat)));
    }
    m_verdict->setText(plan.message);
    m_verdict->setVisible(!plan.message.isEmpty());

    m_model->setPlan(plan);
    m_table->setEnabled(plan.enoughHistory);

    // The chart: one point per row of the table; empty without a projection (a made-up line
    // would look like a forecast).
    QVector<FleetProjection> rows;
    if (plan.enoughHistory) {
        rows.append(plan.current);
        rows += plan.fleet;
    }
    QList<QPointF> replicas, cores, memory;
    double maxCount = 1, maxGib = 1;
    int maxMonths = 12;
    for (const FleetProjection &f : rows) {
        const double gib = f.memoryMb / 1024.0;
        replicas.append(QPointF(f.months, f.replicas));
        cores.append(QPointF(f.months, f.cpuCores));
        memory.append(QPointF(f.months, gib));
        maxCount = std::max({maxCount, double(f.replicas), f.cpuCores});
        maxGib = std::max(maxGib, gib);
        maxMonths = std::max(maxMonths, f.months);
    }
    // Axes before the points: an axis change recomputes every series.
    m_months->setRange(0, maxMonths);
    m_count->setRange(0, std::ceil(maxCount * 1.1));
    m_gib->setRange(0, maxGib * 1.1);
    m_replicas->replace(replicas);
    m_cores->replace(cores);
    m_memory->replace(memory);
    m_chartView->setEnabled(plan.enoughHistory);

    m_pools->setSortingEnabled(false);
    m_pools->clear();
    for (const PoolPlan &p : plan.pools) {
        auto *item = new QTreeWidgetItem(m_pools);
        item->setText(0, p.pool);
        item->setText(1, p.tier);
        item->setText(2, tr("%n day(s)", nullptr, p.historyDays));
        item->setData(2, Qt::UserRole, p.historyDays);
        item->setText(3, p.enoughHistory ? p.jobs.description : QString());
        item->setText(4, p.enoughHistory ? p.tokens.description : QString());
        QString note = p.note;
        if (p.enoughHistory && !p.projections.isEmpty()) {
            const PoolProjection &last = p.projections.last();
            note = tr("%1 replica(s) in %n month(s)", nullptr, last.months).arg(last.replicas);
            if (last.aboveMax)
                note += tr(" (above its max of %1)").arg(p.maxReplicas);
        }
        item->setText(5, note);
        for (int c = 0; c < 6; ++c)
            item->setToolTip(c, item->text(c));
    }
    m_pools->setSortingEnabled(true);

    m_recommendations->clear();
    for (const QString &r : plan.recommendations) {
        auto *item = new QListWidgetItem(r, m_recommendations);
        item->setToolTip(r);
    }
}

} // namespace drover::ui
