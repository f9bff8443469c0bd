#include "config_issues_view.h"

#include <QHeaderView>
#include <QLabel>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace drover::ui {

ConfigIssuesView::ConfigIssuesView(QWidget *parent)
    : QWidget(parent), m_summary(new QLabel(this)), m_tree(new QTreeWidget(this))
{
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_tree->setColumnCount(4);
    m_tree->setHeaderLabels({tr("Severity"), tr("Location"), tr("Message"), QString()});
    m_tree->setColumnHidden(3, true);
    m_tree->setRootIsDecorated(false);
    m_tree->setAlternatingRowColors(true);
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_tree->setAccessibleName(tr("Configuration issues"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_tree, 1);
}

void ConfigIssuesView::setStatus(const ConfigStatus &status)
{
    // Snapshots repeat the same status every tick; rebuild only when it changed so the
    // operator's selection and scroll position survive.
    if (status.file == m_shown.file && status.issues.size() == m_shown.issues.size()
        && status.pools == m_shown.pools && status.refusedPools == m_shown.refusedPools
        && m_tree->topLevelItemCount() == status.issues.size() && !m_summary->text().isEmpty())
        return;
    m_shown = status;
    m_tree->clear();
    for (const ConfigIssue &issue : status.issues) {
        auto *item = new QTreeWidgetItem(m_tree);
        item->setText(0, issue.severity == ConfigIssue::Severity::Error ? tr("Error")
                                                                        : tr("Warning"));
        item->setText(1, issue.line > 0 ? QStringLiteral("%1:%2:%3")
                                              .arg(issue.file).arg(issue.line).arg(issue.column)
                                        : issue.file);
        item->setText(2, issue.message);
        item->setToolTip(2, issue.toString());
    }
    m_tree->resizeColumnToContents(0);
    m_tree->resizeColumnToContents(1);
    if (status.fatal) {
        m_summary->setText(tr("%1 could not be used. Drover runs with no pools until it is fixed.")
                               .arg(status.file));
    } else if (status.issues.isEmpty()) {
        m_summary->setText(tr("%1: no problems, %n pool(s) configured.", nullptr,
                              int(status.pools.size()))
                               .arg(status.file));
    } else {
        m_summary->setText(tr("%1: %n problem(s). Refused pools: %2. The other pools run.", nullptr,
                              int(status.issues.size()))
                               .arg(status.file,
                                    status.refusedPools.isEmpty()
                                        ? tr("none")
                                        : status.refusedPools.join(QStringLiteral(", "))));
    }
}

int ConfigIssuesView::issueCount() const
{
    return m_tree->topLevelItemCount();
}

} // namespace drover::ui
