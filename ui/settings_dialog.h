// Settings: secrets (to the OS keychain only, shown as set / not set), notification
// preferences, theme, language and start at login. Preferences go to QSettings when the
// operator presses OK; each secret is saved or cleared by its own button, asynchronously.
#pragma once

#include "console_settings.h"

#include <QDialog>
#include <QList>
#include <QPair>

class QCheckBox;
class QComboBox;
class QLabel;

namespace drover {
class SecretStore;
}

namespace drover::ui {

class SecretField;

struct SecretEntry
{
    QString name;  // the keychain entry (e.g. openai_api_key, a webhook's url_secret)
    QString label; // what the operator reads
};

class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    SettingsDialog(const QString &keychainService, const QList<SecretEntry> &secrets,
                   QWidget *parent = nullptr);

    QList<SecretField *> secretFields() const { return m_fields; }
    QComboBox *themeCombo() const { return m_theme; }
    QComboBox *languageCombo() const { return m_language; }
    QCheckBox *showAlertsCheck() const { return m_showAlerts; }
    QCheckBox *showResolvedCheck() const { return m_showResolved; }
    QCheckBox *startAtLoginCheck() const { return m_startAtLogin; }
    // What OK stored (also what the window applies at once: theme and notifications).
    UiSettings settings() const;

    // The secrets the console manages: the provider key and every webhook's URL entry.
    static QList<SecretEntry> defaultSecrets(const QStringList &webhookSecrets);

signals:
    void settingsSaved(const drover::ui::UiSettings &settings);

public slots:
    void accept() override;

private:
    SecretStore *m_store;
    QList<SecretField *> m_fields;
    QComboBox *m_theme;
    QComboBox *m_language;
    QCheckBox *m_showAlerts;
    QCheckBox *m_showResolved;
    QCheckBox *m_startAtLogin;
    QLabel *m_autostartError;
};

} // namespace drover::ui
