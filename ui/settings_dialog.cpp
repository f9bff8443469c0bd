#include "settings_dialog.h"

#include "core/platform/autostart.h"
#include "core/secrets/secret_store.h"
#include "secret_field.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QVBoxLayout>

namespace drover::ui {

QList<SecretEntry> SettingsDialog::defaultSecrets(const QStringList &webhookSecrets)
{
    // openai_api_key is the gateway's providerKeyName default.
    QList<SecretEntry> entries{{QStringLiteral("openai_api_key"), tr("Provider API key")}};
    QStringList webhooks = webhookSecrets;
    if (webhooks.isEmpty())
        webhooks << QStringLiteral("webhook_url");
    webhooks.removeDuplicates();
    for (const QString &name : webhooks)
        entries.append({name, tr("Webhook URL (%1)").arg(name)});
    return entries;
}

SettingsDialog::SettingsDialog(const QString &keychainService, const QList<SecretEntry> &secrets,
                               QWidget *parent)
    : QDialog(parent),
      m_store(new SecretStore(keychainService, this)),
      m_theme(new QComboBox(this)),
      m_language(new QComboBox(this)),
      m_showAlerts(new QCheckBox(tr("Show alert notifications"), this)),
      m_showResolved(new QCheckBox(tr("Also when alerts resolve"), this)),
      m_startAtLogin(new QCheckBox(tr("Start Drover when I log in"), this)),
      m_autostartError(new QLabel(this))
{
    setWindowTitle(tr("Settings"));
    const UiSettings current = UiSettings::load();

    auto *secretsBox = new QGroupBox(tr("Secrets (stored only in the OS keychain)"), this);
    auto *secretsLayout = new QVBoxLayout(secretsBox);
    for (const SecretEntry &e : secrets) {
        auto *field = new SecretField(m_store, e.name, e.label, secretsBox);
        m_fields.append(field);
        secretsLayout->addWidget(field);
    }

    auto *notifyBox = new QGroupBox(tr("Notifications"), this);
    auto *notifyLayout = new QVBoxLayout(notifyBox);
    m_showAlerts->setChecked(current.notifications.showAlerts);
    m_showAlerts->setToolTip(tr("Tray toasts (or the in-window banner) when the engine's notification policy reports alerts"));
    m_showResolved->setChecked(current.notifications.showResolved);
    m_showResolved->setToolTip(tr("Also tell me when an alert group resolves"));
    m_showResolved->setEnabled(current.notifications.showAlerts);
    connect(m_showAlerts, &QCheckBox::toggled, m_showResolved, &QWidget::setEnabled);
    notifyLayout->addWidget(m_showAlerts);
    notifyLayout->addWidget(m_showResolved);

    auto *lookBox = new QGroupBox(tr("Appearance and start"), this);
    auto *form = new QFormLayout(lookBox);
    m_theme->addItem(tr("Follow the system"), themeKey(Theme::System));
    m_theme->addItem(tr("Light"), themeKey(Theme::Light));
    m_theme->addItem(tr("Dark"), themeKey(Theme::Dark));
    m_theme->setCurrentIndex(m_theme->findData(themeKey(current.theme)));
    m_theme->setAccessibleName(tr("Theme"));
    m_theme->setToolTip(tr("Colours of the console; applied at once"));
    // Language names in their own language, as operators look for them.
    m_language->addItem(tr("System language"), QString());
    m_language->addItem(QStringLiteral("Deutsch"), QStringLiteral("de"));
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("\u7b80\u4f53\u4e2d\u6587"), QStringLiteral("zh_CN"));
    m_language->setCurrentIndex(qMax(0, m_language->findData(current.language)));
    m_language->setAccessibleName(tr("Language"));
    m_language->setToolTip(tr("Language of the console; applied when Drover starts next time"));
    form->addRow(tr("&Theme:"), m_theme);
    form->addRow(tr("&Language:"), m_language);
    form->addRow(QString(), new QLabel(tr("A new language is applied after a restart."), this));
    m_startAtLogin->setChecked(autostart::isEnabled());
    m_startAtLogin->setToolTip(tr("Adds Drover to the programs started at login (%1)").arg(autostart::location()));
    m_startAtLogin->setAccessibleName(tr("Start at login"));
    form->addRow(QString(), m_startAtLogin);
    m_autostartError->setWordWrap(true);
    m_autostartError->setTextFormat(Qt::PlainText);
    m_autostartError->setStyleSheet(QStringLiteral("color: #c0392b;"));
    m_autostartError->hide();
    form->addRow(QString(), m_autostartError);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(secretsBox);
    layout->addWidget(notifyBox);
    layout->addWidget(lookBox);
    layout->addStretch(1);
    layout->addWidget(buttons);
}

UiSettings SettingsDialog::settings() const
{
    UiSettings s;
    s.theme = themeFromKey(m_theme->currentData().toString());
    s.language = m_language->currentData().toString();
    s.notifications.showAlerts = m_showAlerts->isChecked();
    s.notifications.showResolved = m_showResolved->isChecked();
    return s;
}

void SettingsDialog::accept()
{
    if (m_startAtLogin->isChecked() != autostart::isEnabled()) {
        QString error;
        if (!autostart::setEnabled(m_startAtLogin->isChecked(), &error)) {
            m_autostartError->setText(tr("Start at login could not be changed: %1").arg(error));
            m_autostartError->show();
            return; // the dialog stays open with the reason
        }
    }
    const UiSettings s = settings();
    s.save();
    emit settingsSaved(s);
    QDialog::accept();
}

} // namespace drover::ui
