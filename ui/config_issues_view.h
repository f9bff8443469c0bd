// Lists configuration problems with file:line:column; the valid pools still run.
#pragma once

#include "core/engine/snapshot.h"

#include <QWidget>

class QLabel;
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

private:
    QLabel *m_summary;
    QTreeWidget *m_tree;
    ConfigStatus m_shown;
};

} // namespace drover::ui
