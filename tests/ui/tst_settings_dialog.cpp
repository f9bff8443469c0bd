// The settings dialog against the real OS keychain (a private gnome-keyring under
// tests/run_with_keyring.sh): a secret typed in goes to the keychain, is shown only as "set",
// leaves the text field, and never reaches QSettings; clearing removes it. Preferences persist.
#include "core/secrets/secret_store.h"
#include "ui/secret_field.h"
#include "ui/settings_dialog.h"
#include "ui/console_settings.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QtTest>

using namespace drover;
using namespace drover::ui;

class TestSettingsDialog : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("DroverTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_settings_dialog"));
        QSettings().clear();
    }

    void secretGoesToTheKeychainOnly()
    {
        const QString service = QStringLiteral("DroverTest-%1").arg(QCoreApplication::applicationPid());
        const QString secret = QStringLiteral("sk-test-%1-do-not-leak").arg(QDateTime::currentMSecsSinceEpoch());
        SettingsDialog dialog(service, {{QStringLiteral("openai_api_key"), QStringLiteral("Provider API key")}});
        dialog.show();
        SecretField *field = dialog.secretFields().value(0);
        QVERIFY(field);
        QTRY_COMPARE_WITH_TIMEOUT(field->state(), SecretField::State::NotSet, 20000);
        QCOMPARE(field->stateLabel()->text(), QStringLiteral("not set"));
        QVERIFY(!field->saveButton()->isEnabled()); // nothing typed yet

        QTest::keyClicks(field->edit(), secret);
        QCOMPARE(field->edit()->echoMode(), QLineEdit::Password);
        QVERIFY(field->saveButton()->isEnabled());
        QTest::mouseClick(field->saveButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(field->state(), SecretField::State::Set, 20000);
        QCOMPARE(field->stateLabel()->text(), QStringLiteral("set"));
        QVERIFY(field->edit()->text().isEmpty()); // the value left the UI

        // The keychain holds it, under the entry the gateway reads.
        SecretStore store(service);
        bool read = false;
        QString value;
        store.read(QStringLiteral("openai_api_key"), [&](bool ok, const QString &v, const QString &) {
            read = ok;
            value = v;
        });
        QTRY_VERIFY_WITH_TIMEOUT(read, 20000);
        QCOMPARE(value, secret);

        // Nothing the dialog shows is the secret.
        for (const QLabel *label : dialog.findChildren<QLabel *>())
            QVERIFY(!label->text().contains(secret));
        for (const QLineEdit *edit : dialog.findChildren<QLineEdit *>())
            QVERIFY(!edit->text().contains(secret));

        // A new dialog finds it set, without reading it into any widget.
        {
            SettingsDialog again(service, {{QStringLiteral("openai_api_key"), QStringLiteral("Provider API key")}});
            QTRY_COMPARE_WITH_TIMEOUT(again.secretFields().value(0)->state(), SecretField::State::Set, 20000);
            QVERIFY(again.secretFields().value(0)->edit()->text().isEmpty());
        }

        // OK stores the preferences, and the settings file has no trace of the secret.
        dialog.themeCombo()->setCurrentIndex(dialog.themeCombo()->findData(QStringLiteral("dark")));
        dialog.languageCombo()->setCurrentIndex(dialog.languageCombo()->findData(QStringLiteral("de")));
        dialog.showResolvedCheck()->setChecked(false);
        dialog.accept();
        const UiSettings saved = UiSettings::load();
        QCOMPARE(saved.theme, Theme::Dark);
        QCOMPARE(saved.language, QStringLiteral("de"));
        QCOMPARE(saved.notifications.showResolved, false);
        QSettings settings;
        settings.sync();
        QFile file(settings.fileName());
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(settings.fileName()));
        const QByteArray contents = file.readAll();
        QVERIFY(contents.contains("dark"));
        QVERIFY(!contents.contains(secret.toUtf8()));
        QVERIFY(!contents.contains("sk-test"));

        // Clear removes the entry.
        QTest::mouseClick(field->clearButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(field->state(), SecretField::State::NotSet, 20000);
        bool answered = false, found = true;
        store.read(QStringLiteral("openai_api_key"), [&](bool ok, const QString &, const QString &) {
            answered = true;
            found = ok;
        });
        QTRY_VERIFY_WITH_TIMEOUT(answered, 20000);
        QVERIFY(!found);
    }

    void defaultSecretsNameTheProviderKeyAndEveryWebhook()
    {
        const QList<SecretEntry> none = SettingsDialog::defaultSecrets({});
        QCOMPARE(none.size(), 2);
        QCOMPARE(none[0].name, QStringLiteral("openai_api_key"));
        QCOMPARE(none[1].name, QStringLiteral("webhook_url"));
        const QList<SecretEntry> two =
            SettingsDialog::defaultSecrets({QStringLiteral("slack"), QStringLiteral("ops"), QStringLiteral("slack")});
        QCOMPARE(two.size(), 3);
        QCOMPARE(two[2].name, QStringLiteral("ops"));
    }
};

QTEST_MAIN(TestSettingsDialog)
#include "tst_settings_dialog.moc"
