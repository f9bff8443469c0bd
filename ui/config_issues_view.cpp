#include "config_issues_view.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QShortcut>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace drover::ui {

ConfigIssuesView::ConfigIssuesView(QWidget *parent)
    : QWidget(parent),
      m_summary(new QLabel(this)),
      m_lastReload(new QLabel(this)),
      m_reload(new QPushButton(tr("&Reload configuration"), this)),
      m_tree(new QTreeWidget(this))
{
    m_reload->setToolTip(tr("Read the configuration file again and apply what is valid (F5). "
                            "A pool with errors keeps its last good settings; listener ports "
                            "and the store path change at the next start."));
    m_reload->setAccessibleName(tr("Reload configuration"));
    connect(m_reload, &QPushButton::clicked, this, &ConfigIssuesView::reloadRequested);
    // F5 within this view only: other views may give F5 their own meaning.
    auto *f5 = new QShortcut(QKeySequence(Qt::Key_F5), this);
    f5->setContext(Qt::WidgetWithChildrenShortcut);
    connect(f5, &QShortcut::activated, this, &ConfigIssuesView::reloadRequested);
    m_lastReload->setWordWrap(true);
    m_lastReload->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_lastReload->setAccessibleName(tr("Last configuration reload"));
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
    auto *top = new QHBoxLayout;
    top->addWidget(m_summary, 1);
    top->addWidget(m_reload, 0, Qt::AlignTop);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_lastReload);
    layout->addWidget(m_tree, 1);
    m_lastReload->setText(tr("Not reloaded since Drover started. Saving the file reloads it."));
}

QString ConfigIssuesView::lastReloadText() const
{
    return m_lastReload->text();
}

QString ConfigIssuesView::summaryText() const
{
    return m_summary->text();
}

void ConfigIssuesView::setStatus(const ConfigStatus &status)
{
    // Snapshots repeat the same status every tick; rebuild only when it changed so the
    // operator's selection and scroll position survive. A reload can replace issues by others
    // of the same number, so the texts are compared, not the count.
    QStringList issues;
    for (const ConfigIssue &issue : status.issues)
        issues << issue.toString();
    if (status.file == m_shown.file && issues == m_shownIssues && status.pools == m_shown.pools
        && status.refusedPools == m_shown.refusedPools && status.fatal == m_shown.fatal
        && status.reloads == m_shown.reloads && !m_summary->text().isEmpty())
        return;
    m_shown = status;
    m_shownIssues = issues;
    if (status.reloads > 0) {
        const QString when = QLocale().toString(QDateTime::fromMSecsSinceEpoch(status.lastReloadAtMs).time(),
                                                QLocale::LongFormat);
        const QString by = status.lastReloadTrigger == QLatin1String("operator") ? tr("on request")
                                                                                 : tr("after the file changed");
        m_lastReload->setText(status.lastReloadApplied
                                  ? tr("Last reload at %1 (%2): %3").arg(when, by, status.lastReloadResult)
                                  : tr("Last reload at %1 (%2) was refused: %3").arg(when, by, status.lastReloadResult));
    }
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
        // After a reload a refused pool may still run, on its last good settings.
        QStringList refused, kept;
        for (const QString &pool : status.refusedPools)
            (status.pools.contains(pool) ? kept : refused) << pool;
        QString text = tr("%1: %n problem(s). Refused pools: %2. The other pools run.", nullptr,
                          int(status.issues.size()))
                           .arg(status.file, refused.isEmpty() ? tr("none")
                                                               : refused.join(QStringLiteral(", ")));
        if (!kept.isEmpty())
            text += QLatin1Char(' ')
                    + tr("Kept on their last good settings: %1.").arg(kept.join(QStringLiteral(", ")));
        m_summary->setText(text);
    }
}

int ConfigIssuesView::issueCount() const
{
    return m_tree->topLevelItemCount();
}

} // namespace drover::ui
