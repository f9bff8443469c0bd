// Shows notifications: as tray toasts when the desktop has a system tray, otherwise as a
// banner inside the window (bare Xvfb and some Linux desktops have no tray, and
// QSystemTrayIcon::showMessage() would then silently do nothing).
#pragma once

#include <QObject>
#include <QPointer>

class QSystemTrayIcon;
class QMenu;

namespace drover::ui {

class NotificationBanner;

class Notifier : public QObject
{
    Q_OBJECT
public:
    // trayAvailable is passed in so tests can exercise both paths on one machine.
    Notifier(NotificationBanner *banner, bool trayAvailable, QObject *parent = nullptr);
    ~Notifier() override;

    void notify(const QString &title, const QString &message);
    bool usesTray() const { return m_tray != nullptr; }
    QSystemTrayIcon *trayIcon() const { return m_tray; }
    void setTrayMenu(QMenu *menu);

signals:
    void activated(); // the operator clicked the tray icon

private:
    QPointer<NotificationBanner> m_banner;
    QSystemTrayIcon *m_tray = nullptr;
};

} // namespace drover::ui
