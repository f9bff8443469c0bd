#include "notification_banner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace drover::ui {

NotificationBanner::NotificationBanner(QWidget *parent)
    : QFrame(parent), m_label(new QLabel(this)), m_close(new QToolButton(this))
{
    setObjectName(QStringLiteral("notificationBanner"));
    setFrameShape(QFrame::StyledPanel);
    setStyleSheet(QStringLiteral("#notificationBanner { background: palette(highlight); }"
                                 "#notificationBanner QLabel { color: palette(highlighted-text); }"));
    m_label->setWordWrap(true);
    m_label->setTextFormat(Qt::PlainText);
    m_close->setText(QStringLiteral("\u2715"));
    m_close->setToolTip(tr("Dismiss"));
    m_close->setAccessibleName(tr("Dismiss notification"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_close);
    connect(m_close, &QToolButton::clicked, this, &QWidget::hide);
    setAccessibleName(tr("Notification"));
    hide();
}

void NotificationBanner::showMessage(const QString &title, const QString &message)
{
    m_label->setText(message.isEmpty() ? title : title + QStringLiteral(": ") + message);
    show();
}

QString NotificationBanner::text() const
{
    return m_label->text();
}

} // namespace drover::ui
