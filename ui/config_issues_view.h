// Lists configuration problems with file:line:column; the valid pools still run.
#pragma once

#include "core/engine/snapshot.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace drover::ui {

class ConfigIssuesView : public QWidget
{
    Q_OBJECT
public:
    explicit ConfigIssuesView(QWidget *parent = nullptr);

    void setStatus(const ConfigStatus &status);
    int issueCount() const;
    QTreeWidget *tree() const { return m_tree; }
    QPushButton *reloadButton() const { return m_reload; }
    QString lastReloadText() const;
    QString summaryText() const;

signals:
    // The operator asked for the configuration file to be read again (button or F5).
    void reloadRequested();

private:
    QLabel *m_summary;
    QLabel *m_lastReload;
    QPushButton *m_reload;
    QTreeWidget *m_tree;
    ConfigStatus m_shown;
    QStringList m_shownIssues;
};

} // namespace drover::ui
