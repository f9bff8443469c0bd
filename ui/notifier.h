// Shows notifications: as tray toasts when the desktop has a system tray, otherwise as a
// banner inside the window (bare Xvfb and some Linux desktops have no tray, and
// QSystemTrayIcon::showMessage() would then silently do nothing).
//
// It also carries the fleet's alert state: the tray icon's colour is the worst severity of the
// firing alerts nobody has acknowledged or silenced yet. The engine's notification policy
// decides what to announce (STYLE.md 3); this class only delivers each decision once.
#pragma once

#include "core/engine/snapshot.h"

#include <QIcon>
#include <QObject>
#include <QPointer>

class QSystemTrayIcon;
class QMenu;

namespace drover::ui {

class NotificationBanner;

struct NotificationPreferences
{
    bool showAlerts = true;   // toasts (or the banner) for the engine's alert notifications
    bool showResolved = true; // also when an alert group resolves
};

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
    void setPreferences(const NotificationPreferences &preferences) { m_preferences = preferences; }
    NotificationPreferences preferences() const { return m_preferences; }

    // The alert state the icon shows. severity() is "" when nothing unacknowledged fires.
    void setAlerts(const QVector<AlertView> &active);
    QString severity() const { return m_severity; }
    QString statusText() const { return m_statusText; }
    QIcon icon() const { return m_icon; }

    // Delivers the tray and banner notifications not delivered yet (each id once; a snapshot
    // repeats the last ones). More than a few new ones at once become one summary, never a
    // storm of toasts. Returns how many messages were shown.
    int deliver(const QVector<NotificationView> &notifications);
    quint64 lastDeliveredId() const { return m_lastDeliveredId; }

signals:
    void activated(); // the operator clicked the tray icon
    void notified(const QString &title, const QString &message);
    void stateChanged(const QString &severity, const QString &statusText);

private:
    QPointer<NotificationBanner> m_banner;
    QSystemTrayIcon *m_tray = nullptr;
    NotificationPreferences m_preferences;
    QString m_severity = QStringLiteral("?"); // forces the first setAlerts to paint
    QString m_statusText;
    QIcon m_icon;
    quint64 m_lastDeliveredId = 0;
};

} // namespace drover::ui
