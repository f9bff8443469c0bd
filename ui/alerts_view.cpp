#include "alerts_view.h"

#include "alerts_model.h"

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace drover::ui {

namespace {

QString quoted(QString value)
{
    value.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('"'), QStringLiteral("\\\""));
    return QLatin1Char('"') + value + QLatin1Char('"');
}

} // namespace

QString AlertsView::silenceMatchers(const AlertView &alert)
{
    QString matchers = QStringLiteral("alertname=") + quoted(alert.name);
    const QString pool = alert.labels.value(QStringLiteral("pool"));
    if (!pool.isEmpty())
        matchers += QStringLiteral(", pool=") + quoted(pool);
    return matchers;
}

AlertsView::AlertsView(QWidget *parent)
    : QWidget(parent),
      m_model(new AlertsModel(this)),
      m_table(new QTableView(this)),
      m_summary(new QLabel(this)),
      m_acknowledge(new QPushButton(tr("&Acknowledge"), this)),
      m_duration(new QComboBox(this)),
      m_silence(new QPushButton(tr("&Silence"), this)),
      m_openPool(new QPushButton(tr("Open &pool"), this)),
      m_silences(new QTreeWidget(this)),
      m_expire(new QPushButton(tr("&End silence"), this))
{
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setAccessibleName(tr("Alerts"));
    m_table->setToolTip(tr("Firing and pending alerts, most urgent first, then the recently resolved"));

    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setAccessibleName(tr("Alert summary"));
    m_acknowledge->setToolTip(tr("Acknowledge the selected alert: it stays listed but is not repeated (Ctrl+K)"));
    m_acknowledge->setAccessibleName(tr("Acknowledge alert"));
    m_acknowledge->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    const QList<QPair<QString, qint64>> durations{
        {tr("15 minutes"), 15 * 60 * 1000LL}, {tr("1 hour"), 3600 * 1000LL},
        {tr("4 hours"), 4 * 3600 * 1000LL},   {tr("24 hours"), 24 * 3600 * 1000LL},
        {tr("7 days"), 7 * 24 * 3600 * 1000LL}};
    for (const auto &d : durations)
        m_duration->addItem(d.first, d.second);
    m_duration->setCurrentIndex(1);
    m_duration->setAccessibleName(tr("Silence duration"));
    m_duration->setToolTip(tr("How long the silence mutes the selected alert"));
    m_silence->setToolTip(tr("Mute notifications for the selected alert (its name and pool) for the chosen time"));
    m_silence->setAccessibleName(tr("Silence alert"));
    m_openPool->setToolTip(tr("Show the alert's pool in the Pools view"));
    m_openPool->setAccessibleName(tr("Open the alert's pool"));

    m_silences->setColumnCount(3);
    m_silences->setHeaderLabels({tr("Silence"), tr("Until"), tr("Comment")});
    m_silences->setRootIsDecorated(false);
    m_silences->setAccessibleName(tr("Active silences"));
    m_silences->setToolTip(tr("Silences in force; select one to end it early"));
    m_expire->setToolTip(tr("End the selected silence now"));
    m_expire->setAccessibleName(tr("End silence"));

    auto *actions = new QHBoxLayout;
    actions->addWidget(m_summary, 1);
    actions->addWidget(m_acknowledge);
    actions->addSpacing(12);
    auto *forLabel = new QLabel(tr("for"), this);
    forLabel->setBuddy(m_duration);
    actions->addWidget(m_silence);
    actions->addWidget(forLabel);
    actions->addWidget(m_duration);
    actions->addSpacing(12);
    actions->addWidget(m_openPool);

    auto *silenceBox = new QWidget(this);
    auto *silenceLayout = new QVBoxLayout(silenceBox);
    silenceLayout->setContentsMargins(0, 0, 0, 0);
    auto *silenceBar = new QHBoxLayout;
    silenceBar->addWidget(new QLabel(tr("Silences"), this), 1);
    silenceBar->addWidget(m_expire);
    silenceLayout->addLayout(silenceBar);
    silenceLayout->addWidget(m_silences, 1);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("alertsSplitter"));
    split->addWidget(m_table);
    split->addWidget(silenceBox);
    split->setStretchFactor(0, 4);
    split->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(actions);
    layout->addWidget(split, 1);

    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &AlertsView::updateControls);
    connect(m_model, &QAbstractItemModel::modelReset, this, &AlertsView::updateControls);
    connect(m_silences, &QTreeWidget::itemSelectionChanged, this, &AlertsView::updateControls);
    connect(m_acknowledge, &QPushButton::clicked, this, &AlertsView::acknowledgeSelected);
    connect(m_silence, &QPushButton::clicked, this, [this] {
        const AlertView *a = m_model->alert(selectedFingerprint());
        if (a)
            emit silenceRequested(silenceMatchers(*a), m_duration->currentData().toLongLong(),
                                  tr("silenced from the Alerts panel"));
    });
    connect(m_openPool, &QPushButton::clicked, this, [this] {
        const AlertView *a = m_model->alert(selectedFingerprint());
        if (a && !a->labels.value(QStringLiteral("pool")).isEmpty())
            emit openPoolRequested(a->labels.value(QStringLiteral("pool")));
    });
    connect(m_table, &QTableView::doubleClicked, m_openPool, &QPushButton::click);
    connect(m_expire, &QPushButton::clicked, this, [this] {
        if (QTreeWidgetItem *item = m_silences->currentItem())
            emit expireSilenceRequested(item->data(0, Qt::UserRole).toString());
    });
    updateControls();
}

QString AlertsView::selectedFingerprint() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(AlertsModel::FingerprintRole).toString();
}

bool AlertsView::select(const QString &fingerprint)
{
    const int row = m_model->rowOf(fingerprint);
    if (row < 0)
        return false;
    m_table->selectRow(row);
    return true;
}

void AlertsView::acknowledgeSelected()
{
    const AlertView *a = m_model->alert(selectedFingerprint());
    if (a && a->state != QLatin1String("resolved") && !a->acknowledged)
        emit acknowledgeRequested(a->fingerprint);
}

void AlertsView::setSnapshot(const Snapshot &snapshot)
{
    const QString selected = selectedFingerprint();
    m_model->setAlerts(snapshot.activeAlerts, snapshot.resolvedAlerts, snapshot.publishedAtMs);
    if (!selected.isEmpty() && selectedFingerprint() != selected)
        select(selected); // rows were rebuilt: keep the operator's selection

    int firing = 0, pending = 0;
    for (const AlertView &a : snapshot.activeAlerts)
        (a.state == QLatin1String("firing") ? firing : pending) += 1;
    m_summary->setText(firing + pending == 0 ? tr("No active alerts")
                                             : tr("%1 firing, %2 pending").arg(firing).arg(pending));

    const QString selectedSilence = m_silences->currentItem()
                                        ? m_silences->currentItem()->data(0, Qt::UserRole).toString()
                                        : QString();
    QStringList shown;
    for (int i = 0; i < m_silences->topLevelItemCount(); ++i)
        shown << m_silences->topLevelItem(i)->data(0, Qt::UserRole).toString();
    QStringList now;
    for (const SilenceView &s : snapshot.silences)
        now << s.id;
    if (shown != now) {
        m_silences->clear();
        for (const SilenceView &s : snapshot.silences) {
            auto *item = new QTreeWidgetItem(m_silences, {s.matchers,
                                                          QDateTime::fromMSecsSinceEpoch(s.endsAtMs).toString(QStringLiteral("yyyy-MM-dd HH:mm")),
                                                          s.comment});
            item->setData(0, Qt::UserRole, s.id);
            if (s.id == selectedSilence)
                m_silences->setCurrentItem(item);
        }
    }
    updateControls();
}

void AlertsView::updateControls()
{
    const AlertView *a = m_model->alert(selectedFingerprint());
    m_acknowledge->setEnabled(a && a->state != QLatin1String("resolved") && !a->acknowledged);
    m_silence->setEnabled(a && a->state != QLatin1String("resolved"));
    m_duration->setEnabled(m_silence->isEnabled());
    m_openPool->setEnabled(a && !a->labels.value(QStringLiteral("pool")).isEmpty());
    m_expire->setEnabled(m_silences->currentItem() != nullptr);
}

} // namespace drover::ui
