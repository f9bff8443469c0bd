#include "events_view.h"

#include <QDateTime>
#include <QHeaderView>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
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
    if (!index.isValid() || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return {};
    const SupervisorEvent &e = m_events[index.row()];
    switch (index.column()) {
    case Time:
        return QDateTime::fromMSecsSinceEpoch(e.timeMs).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
    case Pool: return e.pool;
    case Replica: return e.replica >= 0 ? QVariant(e.replica) : QVariant();
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

EventsView::EventsView(QWidget *parent)
    : QWidget(parent),
      m_model(new EventsModel(this)),
      m_proxy(new QSortFilterProxyModel(this)),
      m_filter(new QLineEdit(this)),
      m_table(new QTableView(this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterKeyColumn(-1); // every column
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_filter->setPlaceholderText(tr("Filter events (pool, kind, reason\u2026)"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setAccessibleName(tr("Event filter"));
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    m_table->setModel(m_proxy);
    m_table->setAlternatingRowColors(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(EventsModel::Reason, QHeaderView::Stretch);
    m_table->setAccessibleName(tr("Events"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_filter);
    layout->addWidget(m_table, 1);
}

void EventsView::setEvents(const QVector<SupervisorEvent> &events)
{
    m_model->setEvents(events);
}

} // namespace drover::ui
