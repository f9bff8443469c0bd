#include "notifier.h"

#include "notification_banner.h"

#include <QIcon>
#include <QSystemTrayIcon>

namespace drover::ui {

Notifier::Notifier(NotificationBanner *banner, bool trayAvailable, QObject *parent)
    : QObject(parent), m_banner(banner)
{
    if (trayAvailable) {
        m_tray = new QSystemTrayIcon(QIcon(QStringLiteral(":/drover/icons/drover.svg")), this);
        m_tray->setToolTip(tr("Drover"));
        connect(m_tray, &QSystemTrayIcon::activated, this,
                [this](QSystemTrayIcon::ActivationReason reason) {
                    if (reason == QSystemTrayIcon::Trigger
                        || reason == QSystemTrayIcon::DoubleClick)
                        emit activated();
                });
        m_tray->show();
    }
}

Notifier::~Notifier() = default;

void Notifier::setTrayMenu(QMenu *menu)
{
    if (m_tray)
        m_tray->setContextMenu(menu);
}

void Notifier::notify(const QString &title, const QString &message)
{
    if (m_tray && m_tray->isVisible()) {
        m_tray->showMessage(title, message, QSystemTrayIcon::Information);
        return;
    }
    if (m_banner)
        m_banner->showMessage(title, message);
}

} // namespace drover::ui
