#include "bottlenecks_view.h"

#include "alerts_model.h"

#include <QApplication>
#include <QCheckBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace drover::ui {

void BottlenecksModel::setFindings(const QVector<BottleneckView> &findings)
{
    bool sameRows = findings.size() == m_findings.size();
    for (int i = 0; sameRows && i < findings.size(); ++i)
        sameRows = keyOf(findings[i]) == keyOf(m_findings[i]);
    if (sameRows) {
        m_findings = findings;
        if (!m_findings.isEmpty())
            emit dataChanged(index(0, 0), index(int(m_findings.size()) - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_findings = findings;
    endResetModel();
}

const BottleneckView *BottlenecksModel::finding(const QString &key) const
{
    const int row = rowOf(key);
    return row >= 0 ? &m_findings[row] : nullptr;
}

int BottlenecksModel::rowOf(const QString &key) const
{
    for (int i = 0; i < m_findings.size(); ++i)
        if (keyOf(m_findings[i]) == key)
            return i;
    return -1;
}

int BottlenecksModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_findings.size());
}

int BottlenecksModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BottlenecksModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_findings.size())
        return {};
    const BottleneckView &b = m_findings[index.row()];
    if (role == KeyRole)
        return keyOf(b);
    if (role == ConfidenceRole)
        return b.confidence;
    if (role == Qt::ToolTipRole)
        return b.summary;
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Severity: return AlertsModel::severityText(b.severity);
    case Finding: return b.title;
    case Pool: return b.pool.isEmpty() ? tr("(host)") : b.pool;
    case Confidence: return tr("%1 %").arg(qRound(b.confidence * 100));
    case Since:
        return b.sinceMs > 0 ? QDateTime::fromMSecsSinceEpoch(b.sinceMs).toString(QStringLiteral("HH:mm:ss"))
                             : QString();
    }
    return {};
}

QVariant BottlenecksModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Severity: return tr("Severity");
    case Finding: return tr("Finding");
    case Pool: return tr("Pool");
    case Confidence: return tr("Confidence");
    case Since: return tr("Since");
    }
    return {};
}

void ConfidenceBarDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                                  const QModelIndex &index) const
{
    QStyleOptionProgressBar bar;
    bar.rect = option.rect.adjusted(2, 3, -2, -3);
    bar.minimum = 0;
    bar.maximum = 100;
    bar.progress = qBound(0, qRound(index.data(BottlenecksModel::ConfidenceRole).toDouble() * 100), 100);
    bar.text = index.data().toString();
    bar.textVisible = true;
    bar.state = option.state | QStyle::State_Horizontal;
    bar.palette = option.palette;
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ProgressBar, &bar, painter, widget);
}

BottlenecksView::BottlenecksView(QWidget *parent)
    : QWidget(parent),
      m_model(new BottlenecksModel(this)),
      m_table(new QTableView(this)),
      m_details(new QLabel(this)),
      m_evidence(new QListWidget(this)),
      m_remediation(new QLabel(this)),
      m_apply(new QPushButton(tr("A&pply"), this)),
      m_auto(new QCheckBox(tr("Apply &automatically"), this))
{
    m_table->setModel(m_model);
    m_table->setItemDelegateForColumn(BottlenecksModel::Confidence, new ConfidenceBarDelegate(m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(BottlenecksModel::Finding, QHeaderView::Stretch);
    m_table->setColumnWidth(BottlenecksModel::Confidence, 140);
    m_table->setAccessibleName(tr("Bottleneck findings"));
    m_table->setToolTip(tr("What limits the fleet now, most severe first, with the detector's confidence"));

    m_details->setWordWrap(true);
    m_details->setTextFormat(Qt::PlainText);
    m_details->setAccessibleName(tr("Finding summary"));
    m_evidence->setAccessibleName(tr("Evidence"));
    m_evidence->setToolTip(tr("The measurements that drove the finding"));
    m_remediation->setWordWrap(true);
    m_remediation->setTextFormat(Qt::PlainText);
    m_remediation->setAccessibleName(tr("Remediation"));
    m_apply->setAccessibleName(tr("Apply remediation"));
    m_apply->setToolTip(tr("Let the engine carry out the remediation for this finding now"));
    m_auto->setAccessibleName(tr("Apply this remediation automatically"));
    m_auto->setToolTip(tr("The engine applies this kind of remediation by itself whenever it finds it"));

    auto *detailBox = new QWidget(this);
    auto *detail = new QVBoxLayout(detailBox);
    detail->setContentsMargins(0, 0, 0, 0);
    detail->addWidget(m_details);
    auto *evidenceLabel = new QLabel(tr("Evidence:"), this);
    evidenceLabel->setBuddy(m_evidence);
    detail->addWidget(evidenceLabel);
    detail->addWidget(m_evidence, 1);
    detail->addWidget(m_remediation);
    auto *actions = new QHBoxLayout;
    actions->addStretch(1);
    actions->addWidget(m_auto);
    actions->addWidget(m_apply);
    detail->addLayout(actions);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("bottlenecksSplitter"));
    split->addWidget(m_table);
    split->addWidget(detailBox);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split);

    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &BottlenecksView::showSelected);
    connect(m_model, &QAbstractItemModel::modelReset, this, &BottlenecksView::showSelected);
    connect(m_apply, &QPushButton::clicked, this, [this] {
        if (const BottleneckView *b = selected())
            emit applyRemediationRequested(b->signature, b->pool);
    });
    connect(m_auto, &QCheckBox::clicked, this, [this](bool on) {
        if (const BottleneckView *b = selected())
            emit autoRemediationRequested(b->signature, on);
    });
    showSelected();
}

const BottleneckView *BottlenecksView::selected() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? nullptr : m_model->finding(rows.first().data(BottlenecksModel::KeyRole).toString());
}

bool BottlenecksView::select(const QString &signature, const QString &pool)
{
    const int row = m_model->rowOf(signature + QLatin1Char('/') + pool);
    if (row < 0)
        return false;
    m_table->selectRow(row);
    return true;
}

void BottlenecksView::setAutoRemediation(const QStringList &signatures)
{
    m_autoSignatures = signatures;
    showSelected();
}

void BottlenecksView::setSnapshot(const Snapshot &snapshot)
{
    const BottleneckView *before = selected();
    const QString key = before ? BottlenecksModel::keyOf(*before) : QString();
    m_model->setFindings(snapshot.bottlenecks);
    if (!key.isEmpty() && m_model->rowOf(key) >= 0 && (!selected() || BottlenecksModel::keyOf(*selected()) != key))
        m_table->selectRow(m_model->rowOf(key));
    showSelected();
}

void BottlenecksView::showSelected()
{
    const BottleneckView *b = selected();
    if (!b) {
        m_details->setText(m_model->rowCount() ? tr("Select a finding to see its evidence and remedy.")
                                               : tr("No bottleneck found: nothing limits the fleet now."));
        m_evidence->clear();
        m_remediation->clear();
        m_apply->setEnabled(false);
        m_auto->setEnabled(false);
        m_auto->setChecked(false);
        return;
    }
    m_details->setText(b->summary);
    QStringList shown;
    for (int i = 0; i < m_evidence->count(); ++i)
        shown << m_evidence->item(i)->text();
    if (shown != b->evidence) {
        m_evidence->clear();
        m_evidence->addItems(b->evidence);
    }
    // notify_only findings have nothing for the engine to do: the remedy is the operator's.
    const bool actionable = !b->remediationKind.isEmpty() && b->remediationKind != QLatin1String("notify_only");
    m_remediation->setText(b->remediation.isEmpty() ? tr("Remedy: none suggested")
                                                    : tr("Remedy: %1").arg(b->remediation));
    m_apply->setEnabled(actionable);
    m_auto->setEnabled(actionable);
    m_auto->setChecked(m_autoSignatures.contains(b->signature));
}

} // namespace drover::ui
