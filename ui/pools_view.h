// The Pools view: every pool and replica with its live state, and the operator's controls
// (scale, restart, re-tier, per-replica restart/stop, the replica's log). It only renders
// snapshots and emits commands; main.cpp routes them to the engine.
#pragma once

#include "core/engine/snapshot.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QSplitter;
class QTimer;
class QTreeView;

namespace drover::ui {

class PoolsModel;

class PoolsView : public QWidget
{
    Q_OBJECT
public:
    explicit PoolsView(QWidget *parent = nullptr);

    void setSnapshot(const Snapshot &snapshot);
    void showReplicaLog(const QString &pool, int index, const QStringList &lines);

    PoolsModel *model() const { return m_model; }
    QTreeView *tree() const { return m_tree; }
    QSpinBox *replicaSpin() const { return m_replicas; }
    QPushButton *scaleButton() const { return m_scale; }
    QComboBox *tierCombo() const { return m_tier; }
    QPushButton *tierButton() const { return m_applyTier; }
    QPushButton *restartPoolButton() const { return m_restartPool; }
    QPushButton *restartReplicaButton() const { return m_restartReplica; }
    QPushButton *stopReplicaButton() const { return m_stopReplica; }
    QPlainTextEdit *logView() const { return m_log; }
    QLineEdit *logFilter() const { return m_logFilter; }
    QLabel *autoscalingLabel() const { return m_mode; }
    QPushButton *pauseButton() const { return m_pause; }
    QPushButton *handBackButton() const { return m_handBack; }
    QSplitter *splitter() const { return m_split; }
    void select(const QString &pool, int replica = -1);
    // Tests answer the re-tier confirmation themselves.
    void setConfirm(std::function<bool(const QString &title, const QString &text)> confirm)
    {
        m_confirm = std::move(confirm);
    }

signals:
    void scaleRequested(const QString &pool, int replicas);
    void restartPoolRequested(const QString &pool);
    void tierRequested(const QString &pool, const QString &tier);
    void restartReplicaRequested(const QString &pool, int index);
    void stopReplicaRequested(const QString &pool, int index);
    void logRequested(const QString &pool, int index);
    void pauseAutoscalingRequested(const QString &pool, bool paused);
    void resumeAutoscalingRequested(const QString &pool); // hand a manual pool back

private:
    void selectionChanged();
    void updateControls();
    QString selectedPool() const;
    int selectedReplica() const;
    void requestTier();
    const PoolAutoscaling *autoscaling(const QString &pool) const;

    PoolsModel *m_model;
    QTreeView *m_tree;
    QLabel *m_title;
    QSpinBox *m_replicas;
    QPushButton *m_scale;
    QComboBox *m_tier;
    QPushButton *m_applyTier;
    QPushButton *m_restartPool;
    QPushButton *m_restartReplica;
    QPushButton *m_stopReplica;
    QLabel *m_mode;
    QPushButton *m_pause;
    QPushButton *m_handBack;
    QSplitter *m_split;
    QVector<PoolAutoscaling> m_autoscaling;
    QLineEdit *m_logFilter;
    QPlainTextEdit *m_log;
    QTimer *m_logTimer;
    QStringList m_tiers;
    QString m_logPool;
    int m_logReplica = -1;
    QStringList m_logLines;
    std::function<bool(const QString &, const QString &)> m_confirm;
};

} // namespace drover::ui
