// The console's own preferences, typed, with their defaults in one place (STYLE.md 8). They
// live in QSettings; secrets never do (they go to the OS keychain through SecretStore).
#pragma once

#include "notifier.h"

#include <QString>

namespace drover::ui {

enum class Theme { System, Light, Dark };

struct UiSettings
{
    Theme theme = Theme::System;
    QString language; // empty: the system's; otherwise de, en, zh_CN (applied at the next start)
    NotificationPreferences notifications;

    static UiSettings load();
    void save() const;
};

QString themeKey(Theme theme);
Theme themeFromKey(const QString &key);

} // namespace drover::ui
