// Secrets round-trip through the real OS keychain (the test suite runs under a session bus
// with an unlocked gnome-keyring; see tests/run_with_keyring.sh). No plaintext fallback.
#include "core/secrets/secret_store.h"

#include <QSignalSpy>
#include <QUuid>
#include <QtTest>

using namespace drover;

class TestSecretStore : public QObject
{
    Q_OBJECT
private slots:
    void writeReadRemoveRoundTrip()
    {
        SecretStore store(QStringLiteral("Drover-test"));
        const QString name = QStringLiteral("provider-key-") + QUuid::createUuid().toString(QUuid::Id128);
        const QString value = QStringLiteral("sk-test-\u00e9\u4e2d-") + QUuid::createUuid().toString();

        bool done = false, ok = false;
        QString error;
        store.write(name, value, [&](bool o, const QString &e) { done = true; ok = o; error = e; });
        QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
        QVERIFY2(ok, qPrintable(QStringLiteral("keychain write failed: ") + error));

        done = false;
        QString read;
        store.read(name, [&](bool o, const QString &v, const QString &e) {
            done = true; ok = o; read = v; error = e;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
        QVERIFY2(ok, qPrintable(error));
        QCOMPARE(read, value);

        done = false;
        store.remove(name, [&](bool o, const QString &e) { done = true; ok = o; error = e; });
        QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
        QVERIFY2(ok, qPrintable(error));

        done = false;
        store.read(name, [&](bool o, const QString &, const QString &) { done = true; ok = o; });
        QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
        QVERIFY(!ok); // gone, and not silently served from anywhere else
    }
};

QTEST_GUILESS_MAIN(TestSecretStore)
#include "tst_secret_store.moc"
