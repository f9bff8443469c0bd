#include "console_settings.h"

#include <QSettings>

namespace drover::ui {

namespace {
const QString kTheme = QStringLiteral("appearance/theme");
const QString kLanguage = QStringLiteral("appearance/language");
const QString kShowAlerts = QStringLiteral("notifications/showAlerts");
const QString kShowResolved = QStringLiteral("notifications/showResolved");
} // namespace

QString themeKey(Theme theme)
{
    switch (theme) {
    case Theme::Light: return QStringLiteral("light");
    case Theme::Dark: return QStringLiteral("dark");
    case Theme::System: break;
    }
    return QStringLiteral("system");
}

Theme themeFromKey(const QString &key)
{
    if (key == QLatin1String("light"))
        return Theme::Light;
    if (key == QLatin1String("dark"))
        return Theme::Dark;
    return Theme::System; // also for values a newer or broken settings file may hold
}

UiSettings UiSettings::load()
{
    const UiSettings defaults;
    QSettings s;
    UiSettings u;
    u.theme = themeFromKey(s.value(kTheme, themeKey(defaults.theme)).toString());
    u.language = s.value(kLanguage, defaults.language).toString();
    u.notifications.showAlerts = s.value(kShowAlerts, defaults.notifications.showAlerts).toBool();
    u.notifications.showResolved = s.value(kShowResolved, defaults.notifications.showResolved).toBool();
    return u;
}

void UiSettings::save() const
{
    QSettings s;
    s.setValue(kTheme, themeKey(theme));
    s.setValue(kLanguage, language);
    s.setValue(kShowAlerts, notifications.showAlerts);
    s.setValue(kShowResolved, notifications.showResolved);
}

} // namespace drover::ui
