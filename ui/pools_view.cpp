#include "pools_view.h"

#include "pools_model.h"

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QShortcut>
#include <QSpinBox>
#include <QSplitter>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

namespace drover::ui {

PoolsView::PoolsView(QWidget *parent)
    : QWidget(parent),
      m_model(new PoolsModel(this)),
      m_tree(new QTreeView(this)),
      m_title(new QLabel(this)),
      m_replicas(new QSpinBox(this)),
      m_scale(new QPushButton(tr("&Scale"), this)),
      m_tier(new QComboBox(this)),
      m_applyTier(new QPushButton(tr("Change &tier\u2026"), this)),
      m_restartPool(new QPushButton(tr("&Restart pool"), this)),
      m_restartReplica(new QPushButton(tr("Restart re&plica"), this)),
      m_stopReplica(new QPushButton(tr("St&op replica"), this)),
      m_mode(new QLabel(this)),
      m_pause(new QPushButton(tr("P&ause autoscaling"), this)),
      m_handBack(new QPushButton(tr("&Hand back to the autoscaler"), this)),
      m_split(new QSplitter(Qt::Vertical, this)),
      m_logFilter(new QLineEdit(this)),
      m_log(new QPlainTextEdit(this)),
      m_logTimer(new QTimer(this))
{
    m_confirm = [this](const QString &title, const QString &text) {
        return QMessageBox::question(this, title, text, QMessageBox::Yes | QMessageBox::Cancel,
                                     QMessageBox::Cancel)
               == QMessageBox::Yes;
    };
    m_tree->setModel(m_model);
    m_tree->setAlternatingRowColors(true);
    m_tree->setUniformRowHeights(true);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_tree->setAccessibleName(tr("Pools and replicas"));
    m_tree->setToolTip(tr("Every pool and its replicas; select one to control it"));

    m_title->setTextFormat(Qt::PlainText);
    m_replicas->setAccessibleName(tr("Desired replicas"));
    m_replicas->setToolTip(tr("How many replicas the selected pool should run (a manual scale; Ctrl++ and Ctrl+- scale by one)"));
    m_scale->setToolTip(tr("Scale the selected pool to this many replicas (Ctrl+Enter)"));
    m_scale->setAccessibleName(tr("Scale pool"));
    m_applyTier->setAccessibleName(tr("Change tier"));
    m_restartPool->setAccessibleName(tr("Restart pool"));
    m_restartReplica->setAccessibleName(tr("Restart replica"));
    m_stopReplica->setAccessibleName(tr("Stop replica"));
    m_tier->setAccessibleName(tr("Tier"));
    m_tier->setToolTip(tr("Resource tier for the selected pool"));
    m_applyTier->setToolTip(tr("Move the selected pool to the chosen tier (asks first)"));
    m_restartPool->setToolTip(tr("Rolling restart: each replica is replaced once its successor is ready (Ctrl+R)"));
    m_restartReplica->setToolTip(tr("Stop the selected replica gracefully and start it again"));
    m_stopReplica->setToolTip(tr("Stop the selected replica; the pool's desired count drops by one"));
    m_mode->setTextFormat(Qt::PlainText);
    m_mode->setAccessibleName(tr("Autoscaling mode"));
    m_mode->setToolTip(tr("Who decides the selected pool's size: the autoscaler, the operator (manual), nobody (paused)"));
    m_pause->setAccessibleName(tr("Pause or resume autoscaling"));
    m_pause->setToolTip(tr("Stop the autoscaler deciding for the selected pool, or let it decide again"));
    m_handBack->setAccessibleName(tr("Hand back to the autoscaler"));
    m_handBack->setToolTip(tr("The pool runs your manual count; hand its size back to the autoscaler"));
    m_scale->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_restartPool->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_logFilter->setPlaceholderText(tr("Filter the log\u2026"));
    m_logFilter->setAccessibleName(tr("Log filter"));
    m_logFilter->setToolTip(tr("Show only the log lines containing this text (Ctrl+F)"));
    m_log->setToolTip(tr("The selected replica's captured output; it follows the tail unless you scroll up"));
    m_logFilter->setClearButtonEnabled(true);
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(5000);
    m_log->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_log->setAccessibleName(tr("Replica log"));
    m_log->setFont(QFont(QStringLiteral("monospace")));

    auto *controls = new QHBoxLayout;
    controls->addWidget(m_title, 1);
    controls->addWidget(new QLabel(tr("Replicas:"), this));
    controls->addWidget(m_replicas);
    controls->addWidget(m_scale);
    controls->addSpacing(12);
    controls->addWidget(m_tier);
    controls->addWidget(m_applyTier);
    controls->addSpacing(12);
    controls->addWidget(m_restartPool);
    controls->addWidget(m_restartReplica);
    controls->addWidget(m_stopReplica);

    auto *modeBar = new QHBoxLayout;
    modeBar->addWidget(m_mode, 1);
    modeBar->addWidget(m_handBack);
    modeBar->addWidget(m_pause);

    auto *logBox = new QWidget(this);
    auto *logLayout = new QVBoxLayout(logBox);
    logLayout->setContentsMargins(0, 0, 0, 0);
    logLayout->addWidget(m_logFilter);
    logLayout->addWidget(m_log, 1);

    m_split->setObjectName(QStringLiteral("poolsSplitter"));
    m_split->addWidget(m_tree);
    m_split->addWidget(logBox);
    m_split->setStretchFactor(0, 3);
    m_split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addLayout(modeBar);
    layout->addWidget(m_split, 1);

    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this, &PoolsView::selectionChanged);
    connect(m_model, &QAbstractItemModel::modelReset, this, &PoolsView::updateControls);
    connect(m_scale, &QPushButton::clicked, this, [this] {
        if (!selectedPool().isEmpty())
            emit scaleRequested(selectedPool(), m_replicas->value());
    });
    connect(m_restartPool, &QPushButton::clicked, this, [this] {
        if (!selectedPool().isEmpty())
            emit restartPoolRequested(selectedPool());
    });
    connect(m_restartReplica, &QPushButton::clicked, this, [this] {
        if (selectedReplica() >= 0)
            emit restartReplicaRequested(selectedPool(), selectedReplica());
    });
    connect(m_stopReplica, &QPushButton::clicked, this, [this] {
        if (selectedReplica() >= 0)
            emit stopReplicaRequested(selectedPool(), selectedReplica());
    });
    connect(m_applyTier, &QPushButton::clicked, this, &PoolsView::requestTier);
    connect(m_pause, &QPushButton::clicked, this, [this] {
        const PoolAutoscaling *a = autoscaling(selectedPool());
        if (a && a->mode != QLatin1String("off"))
            emit pauseAutoscalingRequested(a->pool, a->mode != QLatin1String("paused"));
    });
    // Scale by one from the keyboard: the spin box moves and the command goes at once (the
    // range stops at the pool's min 0 and max, so a key held down cannot overshoot).
    const auto scaleBy = [this](int delta) {
        if (selectedPool().isEmpty() || !m_scale->isEnabled())
            return;
        m_replicas->setValue(m_replicas->value() + delta);
        emit scaleRequested(selectedPool(), m_replicas->value());
    };
    auto *scaleUp = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Plus), this, [scaleBy] { scaleBy(1); });
    auto *scaleUpEq = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Equal), this, [scaleBy] { scaleBy(1); });
    auto *scaleDown = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Minus), this, [scaleBy] { scaleBy(-1); });
    auto *find = new QShortcut(QKeySequence::Find, this, [this] {
        m_logFilter->setFocus();
        m_logFilter->selectAll();
    });
    for (QShortcut *s : {scaleUp, scaleUpEq, scaleDown, find})
        s->setContext(Qt::WidgetWithChildrenShortcut);
    connect(m_handBack, &QPushButton::clicked, this, [this] {
        const PoolAutoscaling *a = autoscaling(selectedPool());
        if (a && a->mode == QLatin1String("manual"))
            emit resumeAutoscalingRequested(a->pool);
    });
    connect(m_logFilter, &QLineEdit::textChanged, this, [this] {
        showReplicaLog(m_logPool, m_logReplica, m_logLines);
    });
    // While a replica is selected its log is fetched once a second (the engine answers
    // asynchronously; nothing here waits).
    m_logTimer->setInterval(1000);
    connect(m_logTimer, &QTimer::timeout, this, [this] {
        if (m_logReplica >= 0 && isVisible())
            emit logRequested(m_logPool, m_logReplica);
    });
    updateControls();
}

QString PoolsView::selectedPool() const
{
    return m_tree->currentIndex().data(PoolsModel::PoolNameRole).toString();
}

const PoolAutoscaling *PoolsView::autoscaling(const QString &pool) const
{
    for (const PoolAutoscaling &a : m_autoscaling)
        if (a.pool == pool)
            return &a;
    return nullptr;
}

int PoolsView::selectedReplica() const
{
    const QModelIndex current = m_tree->currentIndex();
    return current.isValid() ? current.data(PoolsModel::ReplicaIndexRole).toInt() : -1;
}

void PoolsView::select(const QString &pool, int replica)
{
    for (int i = 0; i < m_model->rowCount(); ++i) {
        const QModelIndex p = m_model->index(i, 0);
        if (p.data(PoolsModel::PoolNameRole).toString() != pool)
            continue;
        QModelIndex target = p;
        for (int j = 0; replica >= 0 && j < m_model->rowCount(p); ++j) {
            const QModelIndex r = m_model->index(j, 0, p);
            if (r.data(PoolsModel::ReplicaIndexRole).toInt() == replica)
                target = r;
        }
        m_tree->expand(p);
        m_tree->setCurrentIndex(target);
        return;
    }
}

void PoolsView::setSnapshot(const Snapshot &snapshot)
{
    const QString pool = selectedPool();
    const int replica = selectedReplica();
    const bool firstPools = m_model->rowCount() == 0 && !snapshot.pools.isEmpty();
    if (m_tiers != snapshot.config.tiers) {
        m_tiers = snapshot.config.tiers;
        m_tier->clear();
        m_tier->addItems(m_tiers);
    }
    m_autoscaling = snapshot.autoscaling;
    m_model->setPools(snapshot.pools, snapshot.publishedAtMs);
    if (firstPools)
        m_tree->expandAll();
    if (!pool.isEmpty() && selectedPool() != pool)
        select(pool, replica); // rows were rebuilt: keep the operator's selection
    updateControls();
}

void PoolsView::selectionChanged()
{
    const PoolStatus *p = m_model->pool(selectedPool());
    if (p) {
        // The spin box shows the pool's desired count when the selection changes, and is the
        // operator's from then on (a snapshot never overwrites a value being edited).
        m_replicas->setValue(p->desired);
        m_tier->setCurrentText(p->tier);
    }
    m_logPool = selectedPool();
    m_logReplica = selectedReplica();
    m_logLines.clear();
    m_log->clear();
    if (m_logReplica >= 0) {
        m_log->setPlaceholderText(tr("Loading the log of %1 replica %2\u2026").arg(m_logPool).arg(m_logReplica));
        emit logRequested(m_logPool, m_logReplica);
        m_logTimer->start();
    } else {
        m_log->setPlaceholderText(tr("Select a replica to see its output."));
        m_logTimer->stop();
    }
    updateControls();
}

void PoolsView::updateControls()
{
    const PoolStatus *p = m_model->pool(selectedPool());
    const bool replica = selectedReplica() >= 0;
    m_replicas->setEnabled(p);
    m_scale->setEnabled(p);
    m_tier->setEnabled(p && !p->rollingRestart);
    m_applyTier->setEnabled(p && !p->rollingRestart);
    m_restartPool->setEnabled(p);
    m_restartReplica->setEnabled(p && replica);
    m_stopReplica->setEnabled(p && replica);
    if (p) {
        // The slider's range is the pool's: nothing beyond max can even be asked for.
        m_replicas->setRange(0, p->maxReplicas);
        m_title->setText(tr("%1: %2 of %3 ready, tier %4").arg(p->name).arg(p->ready).arg(p->desired).arg(p->tier));
        m_applyTier->setToolTip(p->rollingRestart ? tr("A rolling restart is running; change the tier when it is done")
                                                  : tr("Move the selected pool to the chosen tier (asks first)"));
    } else {
        m_title->setText(m_model->rowCount() ? tr("Select a pool") : tr("No pools configured"));
    }

    const PoolAutoscaling *a = p ? autoscaling(p->name) : nullptr;
    const QString mode = a ? a->mode : QString();
    if (!a)
        m_mode->setText(p ? tr("Autoscaling: not reported") : QString());
    else if (mode == QLatin1String("auto"))
        m_mode->setText(tr("Autoscaling: on, the autoscaler decides between %1 and %2 replicas")
                            .arg(a->minReplicas).arg(a->maxReplicas));
    else if (mode == QLatin1String("manual"))
        m_mode->setText(tr("Autoscaling: overridden, the pool holds your manual count of %1")
                            .arg(a->manualReplicas));
    else if (mode == QLatin1String("paused"))
        m_mode->setText(tr("Autoscaling: paused, the count stays until you resume"));
    else
        m_mode->setText(tr("Autoscaling: off in the configuration"));
    m_pause->setEnabled(a && mode != QLatin1String("off"));
    m_pause->setText(mode == QLatin1String("paused") ? tr("Res&ume autoscaling") : tr("P&ause autoscaling"));
    m_handBack->setVisible(mode == QLatin1String("manual"));
}

void PoolsView::requestTier()
{
    const PoolStatus *p = m_model->pool(selectedPool());
    const QString tier = m_tier->currentText();
    if (!p || tier.isEmpty() || tier == p->tier)
        return;
    const QString how = p->retierLive
                            ? tr("The new CPU and memory limits are applied to the %n running replica(s) "
                                 "without a restart, where the operating system allows it; otherwise "
                                 "the replicas are restarted one at a time.", nullptr, p->running)
                            : tr("The %n replica(s) are restarted one at a time (rolling restart); the "
                                 "pool keeps its ready replicas while each is replaced.", nullptr, p->running);
    if (!m_confirm(tr("Change tier"),
                   tr("Move pool %1 from tier %2 to %3?\n\n%4").arg(p->name, p->tier, tier, how)))
        return;
    emit tierRequested(p->name, tier);
}

void PoolsView::showReplicaLog(const QString &pool, int index, const QStringList &lines)
{
    if (pool != m_logPool || index != m_logReplica)
        return; // an answer for a replica no longer selected
    m_logLines = lines;
    const QString filter = m_logFilter->text();
    QStringList shown;
    for (const QString &line : lines)
        if (filter.isEmpty() || line.contains(filter, Qt::CaseInsensitive))
            shown << line;
    QScrollBar *bar = m_log->verticalScrollBar();
    const bool follow = bar->value() == bar->maximum(); // follow the tail unless scrolled up
    const int keep = bar->value();
    m_log->setPlainText(shown.join(QLatin1Char('\n')));
    bar->setValue(follow ? bar->maximum() : keep);
    if (lines.isEmpty())
        m_log->setPlaceholderText(tr("No output from %1 replica %2 yet.").arg(pool).arg(index));
}

} // namespace drover::ui
