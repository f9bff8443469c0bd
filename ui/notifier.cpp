#include "notifier.h"

#include "alerts_model.h"
#include "notification_banner.h"
#include "status_icon.h"

#include <QSystemTrayIcon>

namespace drover::ui {

namespace {

// More new notifications than this in one snapshot are summarised in one message.
constexpr int kMaxMessagesAtOnce = 3;

} // namespace

Notifier::Notifier(NotificationBanner *banner, bool trayAvailable, QObject *parent)
    : QObject(parent), m_banner(banner)
{
    if (trayAvailable) {
        m_tray = new QSystemTrayIcon(this);
        connect(m_tray, &QSystemTrayIcon::activated, this,
                [this](QSystemTrayIcon::ActivationReason reason) {
                    if (reason == QSystemTrayIcon::Trigger
                        || reason == QSystemTrayIcon::DoubleClick)
                        emit activated();
                });
    }
    setAlerts({});
    if (m_tray)
        m_tray->show();
}

Notifier::~Notifier() = default;

void Notifier::setTrayMenu(QMenu *menu)
{
    if (m_tray)
        m_tray->setContextMenu(menu);
}

void Notifier::notify(const QString &title, const QString &message)
{
    emit notified(title, message);
    if (m_tray && m_tray->isVisible()) {
        m_tray->showMessage(title, message, QSystemTrayIcon::Information);
        return;
    }
    if (m_banner)
        m_banner->showMessage(title, message);
}

void Notifier::setAlerts(const QVector<AlertView> &active)
{
    int firing = 0, needsOperator = 0, rank = -1;
    QString worst;
    for (const AlertView &a : active) {
        if (a.state != QLatin1String("firing"))
            continue;
        ++firing;
        // Acknowledged, silenced or inhibited alerts are known or explained: they do not colour
        // the icon, so the colour always means "something needs you".
        if (a.acknowledged || !a.silencedBy.isEmpty() || !a.inhibitedBy.isEmpty())
            continue;
        ++needsOperator;
        const int r = AlertsModel::severityRank(a.severity);
        if (r > rank) {
            rank = r;
            worst = a.severity;
        }
    }
    QString text;
    if (firing == 0)
        text = tr("Drover: no alerts firing");
    else if (needsOperator == 0)
        text = tr("Drover: %n alert(s) firing, all acknowledged or silenced", nullptr, firing);
    else
        text = tr("Drover: %n alert(s) firing, worst %1; %2 need attention", nullptr, firing)
                   .arg(AlertsModel::severityText(worst))
                   .arg(needsOperator);
    if (worst == m_severity && text == m_statusText)
        return;
    const bool repaint = worst != m_severity;
    m_severity = worst;
    m_statusText = text;
    if (repaint)
        m_icon = statusIcon(worst);
    if (m_tray) {
        if (repaint)
            m_tray->setIcon(m_icon);
        m_tray->setToolTip(text);
    }
    emit stateChanged(m_severity, m_statusText);
}

int Notifier::deliver(const QVector<NotificationView> &notifications)
{
    QVector<NotificationView> fresh;
    for (const NotificationView &n : notifications) {
        if (n.id <= m_lastDeliveredId)
            continue;
        m_lastDeliveredId = n.id;
        if (n.channel != QLatin1String("tray") && n.channel != QLatin1String("banner"))
            continue; // webhook and log channels are delivered by the engine
        if (!m_preferences.showAlerts || (n.resolved && !m_preferences.showResolved))
            continue;
        fresh.append(n);
    }
    if (fresh.size() <= kMaxMessagesAtOnce) {
        for (const NotificationView &n : fresh)
            notify(n.title, n.body);
        return int(fresh.size());
    }
    QStringList titles;
    for (int i = 0; i < kMaxMessagesAtOnce; ++i)
        titles << fresh[i].title;
    notify(tr("%n new alert notification(s)", nullptr, int(fresh.size())),
           tr("%1 and %n more; see the Alerts tab.", nullptr, int(fresh.size()) - kMaxMessagesAtOnce)
               .arg(titles.join(QStringLiteral("; "))));
    return 1;
}

} // namespace drover::ui
