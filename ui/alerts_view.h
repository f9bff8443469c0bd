// The Alerts panel: firing, pending and recently resolved alerts with the operator's actions
// (acknowledge, silence for a chosen duration, open the related pool) and the active silences
// (end one early). Every action is a signal; main.cpp routes it to the engine.
#pragma once

#include "core/engine/snapshot.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QTableView;
class QTreeWidget;

namespace drover::ui {

class AlertsModel;

class AlertsView : public QWidget
{
    Q_OBJECT
public:
    explicit AlertsView(QWidget *parent = nullptr);

    void setSnapshot(const Snapshot &snapshot);
    // Selects the alert with this fingerprint; false when it is not shown.
    bool select(const QString &fingerprint);
    QString selectedFingerprint() const;

    // The matchers that silence exactly this alert: its name and, when it has one, its pool.
    static QString silenceMatchers(const AlertView &alert);

    AlertsModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QPushButton *acknowledgeButton() const { return m_acknowledge; }
    QComboBox *silenceDuration() const { return m_duration; }
    QPushButton *silenceButton() const { return m_silence; }
    QPushButton *openPoolButton() const { return m_openPool; }
    QTreeWidget *silencesList() const { return m_silences; }
    QPushButton *expireSilenceButton() const { return m_expire; }

public slots:
    void acknowledgeSelected();

signals:
    void acknowledgeRequested(const QString &fingerprint);
    void silenceRequested(const QString &matchers, qint64 durationMs, const QString &comment);
    void expireSilenceRequested(const QString &id);
    void openPoolRequested(const QString &pool);

private:
    void updateControls();

    AlertsModel *m_model;
    QTableView *m_table;
    QLabel *m_summary;
    QPushButton *m_acknowledge;
    QComboBox *m_duration;
    QPushButton *m_silence;
    QPushButton *m_openPool;
    QTreeWidget *m_silences;
    QPushButton *m_expire;
};

} // namespace drover::ui
