#include "work_view.h"

#include "work_model.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QShortcut>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace drover::ui {

namespace {

void setUpTable(QTableView *table, QSortFilterProxyModel *proxy)
{
    proxy->setSortRole(SortRole);
    proxy->setDynamicSortFilter(true);
    table->setModel(proxy);
    table->setSortingEnabled(true);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setAlternatingRowColors(true);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->horizontalHeader()->setStretchLastSection(true);
}

} // namespace

WorkView::WorkView(QWidget *parent)
    : QWidget(parent), m_poolsModel(new PoolWorkModel(this)),
      m_poolsProxy(new QSortFilterProxyModel(this)), m_deadModel(new DeadLetterModel(this)),
      m_deadProxy(new QSortFilterProxyModel(this)), m_dispatch(new QLabel(this)),
      m_poolsTable(new QTableView(this)), m_deadSummary(new QLabel(this)),
      m_deadTable(new QTableView(this)), m_requeue(new QPushButton(tr("Re&queue"), this)),
      m_message(new QLabel(this))
{
    m_confirm = [this](const QString &title, const QString &text) {
        return QMessageBox::question(this, title, text, QMessageBox::Yes | QMessageBox::Cancel,
                                     QMessageBox::Cancel) == QMessageBox::Yes;
    };

    m_dispatch->setTextFormat(Qt::PlainText);
    m_dispatch->setWordWrap(true);
    m_dispatch->setAccessibleName(tr("Dispatcher state"));
    m_dispatch->setToolTip(tr("Whether the dispatcher and its job intake endpoint are running"));

    m_poolsProxy->setSourceModel(m_poolsModel);
    setUpTable(m_poolsTable, m_poolsProxy);
    m_poolsTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_poolsTable->sortByColumn(PoolWorkModel::Pool, Qt::AscendingOrder);
    m_poolsTable->setAccessibleName(tr("Work per pool"));
    m_poolsTable->setToolTip(tr("Each pool's queue, deliveries in flight, waits and circuit "
                                "breakers; hover the breakers for each replica"));

    m_deadSummary->setTextFormat(Qt::PlainText);
    m_deadSummary->setAccessibleName(tr("Dead letter summary"));
    m_deadProxy->setSourceModel(m_deadModel);
    setUpTable(m_deadTable, m_deadProxy);
    m_deadTable->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_deadTable->sortByColumn(DeadLetterModel::Dead, Qt::DescendingOrder);
    m_deadTable->setAccessibleName(tr("Dead letters"));
    m_deadTable->setToolTip(
        tr("Jobs the dispatcher gave up on, newest first; select one or more to requeue"));

    // A QShortcut, not setShortcut(): the button's text (with its Alt mnemonic) changes with
    // the selection, and setText() replaces a button's own shortcut.
    auto *requeueKey = new QShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R), this);
    requeueKey->setContext(Qt::WidgetWithChildrenShortcut);
    connect(requeueKey, &QShortcut::activated, this, [this] {
        if (m_requeue->isEnabled())
            requeueSelected();
    });
    m_requeue->setAccessibleName(tr("Requeue dead letters"));
    m_requeue->setToolTip(tr("Put the selected dead letters back in their pool's queue "
                             "(Ctrl+Shift+R); several at once ask first"));

    m_message->setTextFormat(Qt::PlainText);
    m_message->setWordWrap(true);
    m_message->setAccessibleName(tr("Requeue result"));
    m_message->setToolTip(tr("What became of the last requeue"));
    m_message->hide();

    auto *poolsBox = new QWidget(this);
    auto *poolsLayout = new QVBoxLayout(poolsBox);
    poolsLayout->setContentsMargins(0, 0, 0, 0);
    poolsLayout->addWidget(m_dispatch);
    poolsLayout->addWidget(m_poolsTable, 1);

    auto *deadBox = new QWidget(this);
    auto *deadLayout = new QVBoxLayout(deadBox);
    deadLayout->setContentsMargins(0, 0, 0, 0);
    auto *deadBar = new QHBoxLayout;
    auto *deadLabel = new QLabel(tr("Dead le&tters"), this);
    deadLabel->setBuddy(m_deadTable);
    deadBar->addWidget(deadLabel);
    deadBar->addWidget(m_deadSummary, 1);
    deadBar->addWidget(m_requeue);
    deadLayout->addLayout(deadBar);
    deadLayout->addWidget(m_message);
    deadLayout->addWidget(m_deadTable, 1);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("workSplitter"));
    split->addWidget(poolsBox);
    split->addWidget(deadBox);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split, 1);

    connect(m_deadTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &WorkView::updateControls);
    connect(m_deadProxy, &QAbstractItemModel::modelReset, this, &WorkView::updateControls);
    connect(m_requeue, &QPushButton::clicked, this, &WorkView::requeueSelected);
    updateControls();
}

QStringList WorkView::selectedIds() const
{
    QModelIndexList rows = m_deadTable->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(),
              [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    QStringList ids;
    for (const QModelIndex &i : rows)
        ids << i.data(DeadLetterModel::IdRole).toString();
    return ids;
}

int WorkView::selectIds(const QStringList &ids)
{
    QItemSelection selection;
    for (const QString &id : ids) {
        const int row = m_deadModel->rowOf(id);
        if (row < 0)
            continue;
        const QModelIndex i = m_deadProxy->mapFromSource(m_deadModel->index(row, 0));
        selection.select(i, i.siblingAtColumn(DeadLetterModel::ColumnCount - 1));
    }
    m_deadTable->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect |
                                                         QItemSelectionModel::Rows);
    return int(selection.size());
}

void WorkView::requeueSelected()
{
    const QStringList ids = selectedIds();
    if (ids.isEmpty())
        return;
    if (ids.size() > 1 &&
        !m_confirm(tr("Requeue dead letters"),
                   tr("Put %n job(s) back in their pools' queues? Each is delivered again, "
                      "and fails again if its cause remains.",
                      nullptr, int(ids.size()))))
        return;
    m_lastBatch = ids;
    for (const QString &id : ids) {
        m_awaiting.insert(id);
        emit requeueRequested(id);
    }
    m_message->setStyleSheet(QString());
    m_message->setText(tr("Asked the engine to requeue %n job(s)\u2026", nullptr, int(ids.size())));
    m_message->show();
}

void WorkView::commandRefused(const QString &message)
{
    // The engine says nothing on success and names the job when it refuses one. A snapshot
    // published before the refusal may already lack the job (requeued elsewhere), so the last
    // batch is matched by name too.
    bool ours = !m_awaiting.isEmpty();
    for (const QString &id : m_lastBatch)
        ours = ours || message.contains(id);
    if (!ours)
        return;
    m_awaiting.clear();
    m_message->setStyleSheet(QStringLiteral("color: #c0392b;"));
    m_message->setText(tr("The engine refused to requeue: %1").arg(message));
    m_message->show();
}

void WorkView::setSnapshot(const Snapshot &snapshot)
{
    const DispatchView &d = snapshot.dispatch;
    if (!d.enabled)
        m_dispatch->setText(tr("Work distribution is off (dispatch.enabled in drover.yaml)."));
    else if (!d.running)
        m_dispatch->setText(tr("The dispatcher is not running: %1")
                                .arg(d.error.isEmpty() ? tr("starting") : d.error));
    else if (d.intakeReady)
        m_dispatch->setText(tr("Dispatching to %n pool(s); jobs are taken at "
                               "http://127.0.0.1:%1/v1/pools/<pool>/jobs",
                               nullptr, int(snapshot.work.size()))
                                .arg(d.intakePort));
    else
        m_dispatch->setText(tr("Dispatching to %n pool(s); the job intake is not listening: %1",
                               nullptr, int(snapshot.work.size()))
                                .arg(d.intakeError.isEmpty() ? tr("starting") : d.intakeError));

    const QString selectedPool =
        m_poolsTable->currentIndex().data(PoolWorkModel::PoolRole).toString();
    m_poolsModel->setWork(snapshot.work);
    if (!selectedPool.isEmpty() &&
        m_poolsTable->currentIndex().data(PoolWorkModel::PoolRole).toString() != selectedPool) {
        for (int r = 0; r < m_poolsProxy->rowCount(); ++r)
            if (m_poolsProxy->index(r, 0).data(PoolWorkModel::PoolRole).toString() == selectedPool)
                m_poolsTable->selectRow(r);
    }

    const QStringList selected = selectedIds();
    m_deadModel->setDeadLetters(snapshot.deadLetters);
    if (!selected.isEmpty() && selectedIds() != selected)
        selectIds(selected); // rows were rebuilt: keep the operator's selection

    QSet<QString> present;
    for (const DeadLetterView &l : snapshot.deadLetters)
        present.insert(l.id);
    if (!m_awaiting.isEmpty()) {
        const int before = int(m_awaiting.size());
        m_awaiting.intersect(present);
        if (m_awaiting.isEmpty() && before > 0) {
            m_message->setStyleSheet(QString());
            m_message->setText(tr("Requeued: the job(s) are back in their pools' queues."));
        }
    }
    int total = 0;
    for (const PoolWorkView &p : snapshot.work)
        total += p.deadLetters;
    m_deadSummary->setText(
        snapshot.deadLetters.isEmpty() ? tr("none")
        : total > snapshot.deadLetters.size()
            ? tr("the newest %1 of %2").arg(snapshot.deadLetters.size()).arg(total)
            : tr("%n job(s)", nullptr, int(snapshot.deadLetters.size())));
    updateControls();
}

void WorkView::updateControls()
{
    const int n = int(m_deadTable->selectionModel()->selectedRows().size());
    m_requeue->setEnabled(n > 0);
    m_requeue->setText(n > 1 ? tr("Re&queue %1").arg(n) : tr("Re&queue"));
}

} // namespace drover::ui
