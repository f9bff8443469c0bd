#include "events_view.h"

#include "events_csv.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDateTime>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSaveFile>
#include <QSet>
#include <QStandardPaths>
#include <QTableView>
#include <QThreadPool>
#include <QVBoxLayout>

#include <algorithm>

namespace drover::ui {

void EventsModel::setEvents(const QVector<SupervisorEvent> &events)
{
    // Snapshots repeat the same tail; rebuild only when something new arrived.
    if (!m_events.isEmpty() && !events.isEmpty() && events.size() == m_events.size()
        && events.last().timeMs == m_events.first().timeMs
        && events.last().reason == m_events.first().reason)
        return;
    beginResetModel();
    m_events = events;
    std::reverse(m_events.begin(), m_events.end());
    endResetModel();
}

int EventsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_events.size());
}

int EventsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_events.size())
        return {};
    const SupervisorEvent &e = m_events[index.row()];
    if (role == KindRole)
        return e.kind;
    if (role == PoolRole)
        return e.pool;
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    if (index.column() == Replica)
        return e.replica >= 0 ? QVariant(e.replica) : QVariant();
    return cell(e, index.column());
}

QString EventsModel::cell(const SupervisorEvent &e, int column)
{
    switch (column) {
    case Time:
        return QDateTime::fromMSecsSinceEpoch(e.timeMs).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
    case Pool: return e.pool;
    case Replica: return e.replica >= 0 ? QString::number(e.replica) : QString();
    case Kind: return e.kind;
    case Change: return e.from.isEmpty() && e.to.isEmpty() ? QString() : e.from + QStringLiteral(" \u2192 ") + e.to;
    case Reason: return e.reason;
    }
    return {};
}

QVariant EventsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time: return tr("Time");
    case Pool: return tr("Pool");
    case Replica: return tr("Replica");
    case Kind: return tr("Kind");
    case Change: return tr("Change");
    case Reason: return tr("Reason");
    }
    return {};
}

void EventsFilter::setKind(const QString &kind)
{
    m_kind = kind;
    invalidateFilter();
}

void EventsFilter::setPool(const QString &pool)
{
    m_pool = pool;
    invalidateFilter();
}

void EventsFilter::setText(const QString &text)
{
    m_text = text;
    invalidateFilter();
}

bool EventsFilter::filterAcceptsRow(int row, const QModelIndex &parent) const
{
    const QModelIndex first = sourceModel()->index(row, 0, parent);
    if (!m_kind.isEmpty() && first.data(EventsModel::KindRole).toString() != m_kind)
        return false;
    if (!m_pool.isEmpty() && first.data(EventsModel::PoolRole).toString() != m_pool)
        return false;
    if (m_text.isEmpty())
        return true;
    for (int c = 0; c < sourceModel()->columnCount(parent); ++c)
        if (sourceModel()->index(row, c, parent).data().toString().contains(m_text, Qt::CaseInsensitive))
            return true;
    return false;
}

EventsView::EventsView(QWidget *parent)
    : QWidget(parent),
      m_model(new EventsModel(this)),
      m_proxy(new EventsFilter(this)),
      m_filter(new QLineEdit(this)),
      m_kind(new QComboBox(this)),
      m_pool(new QComboBox(this)),
      m_export(new QPushButton(tr("E&xport CSV\u2026"), this)),
      m_table(new QTableView(this))
{
    m_proxy->setSourceModel(m_model);
    m_filter->setPlaceholderText(tr("Filter events (pool, kind, reason\u2026)"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setAccessibleName(tr("Event filter"));
    m_filter->setToolTip(tr("Show only events containing this text in any column"));
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &EventsFilter::setText);
    m_kind->addItem(tr("All kinds"), QString());
    m_kind->setAccessibleName(tr("Event kind filter"));
    m_kind->setToolTip(tr("Show only events of this kind"));
    m_pool->addItem(tr("All pools"), QString());
    m_pool->setAccessibleName(tr("Event pool filter"));
    m_pool->setToolTip(tr("Show only events of this pool"));
    connect(m_kind, &QComboBox::currentIndexChanged, this,
            [this] { m_proxy->setKind(m_kind->currentData().toString()); });
    connect(m_pool, &QComboBox::currentIndexChanged, this,
            [this] { m_proxy->setPool(m_pool->currentData().toString()); });
    m_export->setAccessibleName(tr("Export events as CSV"));
    m_export->setToolTip(tr("Save the events shown (with the filters applied) as a CSV file"));
    connect(m_export, &QPushButton::clicked, this, &EventsView::chooseExportFile);

    m_table->setModel(m_proxy);
    m_table->setAlternatingRowColors(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(EventsModel::Reason, QHeaderView::Stretch);
    m_table->setAccessibleName(tr("Events"));
    m_table->setToolTip(tr("What happened and why, newest first"));
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_kind);
    bar->addWidget(m_pool);
    bar->addWidget(m_export);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);
}

void EventsView::setEvents(const QVector<SupervisorEvent> &events)
{
    m_model->setEvents(events);
    updateChoices();
}

void EventsView::updateChoices()
{
    // The combo boxes offer what occurs, and keep a choice that has scrolled out of the list.
    const auto refill = [](QComboBox *box, QSet<QString> values) {
        const QString chosen = box->currentData().toString();
        if (!chosen.isEmpty())
            values.insert(chosen);
        QStringList have;
        for (int i = 1; i < box->count(); ++i)
            have << box->itemData(i).toString();
        QStringList sorted(values.begin(), values.end());
        sorted.sort();
        if (sorted == have)
            return;
        const QSignalBlocker block(box);
        while (box->count() > 1)
            box->removeItem(1);
        for (const QString &v : sorted)
            box->addItem(v, v);
        box->setCurrentIndex(qMax(0, box->findData(chosen)));
    };
    QSet<QString> kinds, pools;
    for (int r = 0; r < m_model->rowCount(); ++r) {
        const QModelIndex i = m_model->index(r, 0);
        kinds.insert(i.data(EventsModel::KindRole).toString());
        const QString pool = i.data(EventsModel::PoolRole).toString();
        if (!pool.isEmpty())
            pools.insert(pool);
    }
    kinds.remove(QString());
    refill(m_kind, kinds);
    refill(m_pool, pools);
}

QVector<SupervisorEvent> EventsView::shownEvents() const
{
    QVector<SupervisorEvent> shown;
    shown.reserve(m_proxy->rowCount());
    for (int r = 0; r < m_proxy->rowCount(); ++r)
        shown.append(m_model->event(m_proxy->mapToSource(m_proxy->index(r, 0)).row()));
    return shown;
}

QStringList EventsView::csvHeader() const
{
    QStringList header;
    for (int c = 0; c < EventsModel::ColumnCount; ++c)
        header << m_model->headerData(c, Qt::Horizontal).toString();
    return header;
}

QString EventsView::csvOf(const QStringList &header, const QVector<SupervisorEvent> &events)
{
    QString out = csvLine(header);
    for (const SupervisorEvent &e : events) {
        QStringList row;
        for (int c = 0; c < EventsModel::ColumnCount; ++c)
            row << EventsModel::cell(e, c);
        out += csvLine(row);
    }
    return out;
}

QString EventsView::csv() const
{
    return csvOf(csvHeader(), shownEvents());
}

void EventsView::exportCsv(const QString &path)
{
    // Only values go to the pool thread: the rows shown (implicitly shared copies) and the
    // translated header; formatting and writing happen there.
    const QVector<SupervisorEvent> events = shownEvents();
    const QStringList header = csvHeader();
    QPointer<EventsView> self(this);
    m_export->setEnabled(false);
    QThreadPool::globalInstance()->start([self, path, header, events] {
        const QByteArray bytes = csvOf(header, events).toUtf8();
        QSaveFile file(path);
        bool ok = file.open(QIODevice::WriteOnly);
        ok = ok && file.write("\xEF\xBB\xBF", 3) == 3; // a BOM, so Excel reads UTF-8
        ok = ok && file.write(bytes) == bytes.size();
        ok = ok && file.commit();
        const QString error = ok ? QString() : file.errorString();
        // Back to the UI thread (the application object lives there for good; the view may be
        // gone by now, which the QPointer tells there): only values cross (STYLE.md 5).
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, path, ok, error] {
                if (!self)
                    return;
                self->m_export->setEnabled(true);
                emit self->exported(path, ok, error);
            },
            Qt::QueuedConnection);
    });
}

void EventsView::chooseExportFile()
{
    auto *dialog = new QFileDialog(this, tr("Export events"),
                                   QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation),
                                   tr("CSV files (*.csv)"));
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(QStringLiteral("csv"));
    dialog->selectFile(QStringLiteral("drover-events-%1.csv")
                           .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"))));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, &EventsView::exportCsv);
    dialog->open(); // window-modal, the event loop keeps running
}

} // namespace drover::ui
