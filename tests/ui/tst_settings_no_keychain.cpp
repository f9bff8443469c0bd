// The settings dialog where no keychain service exists (CTest points the session bus
// nowhere): it says so, refuses to save, and nothing lands in QSettings or anywhere else.
#include "ui/secret_field.h"
#include "ui/settings_dialog.h"

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QtTest>

using namespace drover::ui;

class TestSettingsNoKeychain : public QObject
{
    Q_OBJECT
private slots:
    void refusesToSaveASecretAnywhereElse()
    {
        QVERIFY2(qEnvironmentVariable("DBUS_SESSION_BUS_ADDRESS").contains(QLatin1String("nonexistent")),
                 "run through CTest, which points the session bus nowhere");
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("DroverTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_settings_no_keychain"));
        QSettings().clear();

        SettingsDialog dialog(QStringLiteral("DroverTestNoKeychain"),
                              {{QStringLiteral("openai_api_key"), QStringLiteral("Provider API key")}});
        dialog.show();
        SecretField *field = dialog.secretFields().value(0);
        QTRY_COMPARE_WITH_TIMEOUT(field->state(), SecretField::State::Unavailable, 60000);
        QCOMPARE(field->stateLabel()->text(), QStringLiteral("keychain unavailable"));
        QVERIFY(field->errorLabel()->isVisibleTo(&dialog));
        QVERIFY(field->errorLabel()->text().contains(QLatin1String("No OS keychain is available")));
        QVERIFY(field->errorLabel()->text().contains(QLatin1String("never in a file")));
        QVERIFY(!field->edit()->isEnabled());
        QVERIFY(!field->saveButton()->isEnabled());

        // Even a value forced into the field and Enter pressed goes nowhere.
        field->edit()->setEnabled(true);
        field->edit()->setText(QStringLiteral("sk-should-not-be-stored"));
        QTest::keyClick(field->edit(), Qt::Key_Return);
        QCOMPARE(field->state(), SecretField::State::Unavailable);

        dialog.accept();
        QSettings settings;
        settings.sync();
        QFile file(settings.fileName());
        if (file.open(QIODevice::ReadOnly))
            QVERIFY(!file.readAll().contains("sk-should-not-be-stored"));
    }
};

QTEST_MAIN(TestSettingsNoKeychain)
#include "tst_settings_no_keychain.moc"
