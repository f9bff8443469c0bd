// The Bottlenecks panel: the detector's current findings with a confidence bar, the evidence
// (the series that drove each one), and the remediation with Apply and "apply automatically".
// Only renders the snapshot and emits commands (STYLE.md 3).
#pragma once

#include "core/engine/snapshot.h"

#include <QAbstractTableModel>
#include <QStyledItemDelegate>
#include <QWidget>

class QCheckBox;
class QLabel;
class QListWidget;
class QPushButton;
class QTableView;

namespace drover::ui {

class BottlenecksModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Severity, Finding, Pool, Confidence, Since, ColumnCount };
    enum Role { KeyRole = Qt::UserRole + 1, ConfidenceRole };
    using QAbstractTableModel::QAbstractTableModel;

    void setFindings(const QVector<BottleneckView> &findings);
    const BottleneckView *finding(const QString &key) const;
    int rowOf(const QString &key) const;
    // A finding is one signature in one pool (or host-wide).
    static QString keyOf(const BottleneckView &b) { return b.signature + QLatin1Char('/') + b.pool; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVector<BottleneckView> m_findings;
};

// Paints the confidence column as a bar with its percentage.
class ConfidenceBarDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

class BottlenecksView : public QWidget
{
    Q_OBJECT
public:
    explicit BottlenecksView(QWidget *parent = nullptr);

    void setSnapshot(const Snapshot &snapshot);
    bool select(const QString &signature, const QString &pool);
    // Whether the engine applies this signature's remediation by itself (the engine owns the
    // state; the view shows what it was last told).
    void setAutoRemediation(const QStringList &signatures);

    BottlenecksModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QLabel *details() const { return m_details; }
    QListWidget *evidence() const { return m_evidence; }
    QLabel *remediation() const { return m_remediation; }
    QPushButton *applyButton() const { return m_apply; }
    QCheckBox *autoCheck() const { return m_auto; }

signals:
    void applyRemediationRequested(const QString &signature, const QString &pool);
    void autoRemediationRequested(const QString &signature, bool enabled);

private:
    void showSelected();
    const BottleneckView *selected() const;

    BottlenecksModel *m_model;
    QTableView *m_table;
    QLabel *m_details;
    QListWidget *m_evidence;
    QLabel *m_remediation;
    QPushButton *m_apply;
    QCheckBox *m_auto;
    QStringList m_autoSignatures;
};

} // namespace drover::ui
