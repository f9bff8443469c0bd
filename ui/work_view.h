// The Work view: the dispatcher's pools (queue, deliveries in flight, waits, circuit breakers)
// and the dead letters, with Requeue (several at once after a confirmation). It renders
// snapshots and emits requests; console_wiring.cpp routes them to the engine, whose refusals
// come back through commandRefused().
#pragma once

#include "core/engine/snapshot.h"

#include <QSet>
#include <QWidget>
#include <functional>

class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace drover::ui {

class DeadLetterModel;
class PoolWorkModel;

class WorkView : public QWidget
{
    Q_OBJECT
public:
    explicit WorkView(QWidget *parent = nullptr);

    void setSnapshot(const Snapshot &snapshot);
    // The engine refused a command; if a requeue is awaiting its answer, the view says so.
    void commandRefused(const QString &message);

    PoolWorkModel *poolsModel() const { return m_poolsModel; }
    DeadLetterModel *deadLetterModel() const { return m_deadModel; }
    QTableView *poolsTable() const { return m_poolsTable; }
    QTableView *deadLetterTable() const { return m_deadTable; }
    QPushButton *requeueButton() const { return m_requeue; }
    QLabel *dispatchLabel() const { return m_dispatch; }
    QLabel *messageLabel() const { return m_message; }
    // Ids of the selected dead letters, in the order shown.
    QStringList selectedIds() const;
    // Selects these dead letters (the others are deselected); returns how many were found.
    int selectIds(const QStringList &ids);
    // Tests answer the "requeue several" confirmation themselves.
    void setConfirm(std::function<bool(const QString &title, const QString &text)> confirm)
    {
        m_confirm = std::move(confirm);
    }

public slots:
    void requeueSelected();

signals:
    void requeueRequested(const QString &id);

private:
    void updateControls();

    PoolWorkModel *m_poolsModel;
    QSortFilterProxyModel *m_poolsProxy;
    DeadLetterModel *m_deadModel;
    QSortFilterProxyModel *m_deadProxy;
    QLabel *m_dispatch;
    QTableView *m_poolsTable;
    QLabel *m_deadSummary;
    QTableView *m_deadTable;
    QPushButton *m_requeue;
    QLabel *m_message;
    QSet<QString> m_awaiting; // requeued, not yet gone from the dead letters nor refused
    QStringList m_lastBatch;  // the ids of the last Requeue
    std::function<bool(const QString &, const QString &)> m_confirm;
};

} // namespace drover::ui
