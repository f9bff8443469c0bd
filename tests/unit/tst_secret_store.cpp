// Secrets round-trip through the real OS keychain (the test suite runs under a session bus
// with an unlocked gnome-keyring; see tests/run_with_keyring.sh). No plaintext fallback.
#include "core/secrets/secret_store.h"

#include <QSignalSpy>
#include <QThread>
#include <atomic>
#include <memory>
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

    // The engine, the gateway and the UI each own a SecretStore in their own thread. QtKeychain
    // allows one job executor per process; SecretStore funnels every job through one keychain
    // thread, so concurrent use from three threads must just work, each callback in its caller's
    // thread.
    void storesInSeveralThreadsWorkConcurrently()
    {
        const int rounds = 5;
        std::atomic<int> okRounds{0};
        std::atomic<int> wrongThread{0};
        std::vector<std::unique_ptr<QThread>> threads;
        // Each chain's next step; owned here, so the chains need not own themselves.
        std::vector<std::unique_ptr<std::function<void(int)>>> steps;
        for (int t = 0; t < 2; ++t) {
            auto thread = std::make_unique<QThread>();
            auto *store = new SecretStore(QStringLiteral("Drover-test"));
            store->moveToThread(thread.get());
            QObject::connect(thread.get(), &QThread::finished, store, &QObject::deleteLater);
            thread->start();
            QThread *owner = thread.get();
            const QString name = QStringLiteral("thread-%1-").arg(t) + QUuid::createUuid().toString(QUuid::Id128);
            // A chain of write -> read -> compare, `rounds` times, started in the store's thread.
            steps.push_back(std::make_unique<std::function<void(int)>>());
            std::function<void(int)> *step = steps.back().get();
            *step = [=, &okRounds, &wrongThread](int round) {
                if (round == rounds) {
                    store->remove(name, [](bool, const QString &) {});
                    return;
                }
                const QString value = name + QString::number(round);
                store->write(name, value, [=, &okRounds, &wrongThread](bool ok, const QString &) {
                    if (QThread::currentThread() != owner)
                        ++wrongThread;
                    if (!ok)
                        return;
                    store->read(name, [=, &okRounds, &wrongThread](bool ok2, const QString &read, const QString &) {
                        if (QThread::currentThread() != owner)
                            ++wrongThread;
                        if (ok2 && read == value)
                            ++okRounds;
                        (*step)(round + 1);
                    });
                });
            };
            QMetaObject::invokeMethod(store, [step] { (*step)(0); }, Qt::QueuedConnection);
            threads.push_back(std::move(thread));
        }
        // Meanwhile the main thread uses its own store.
        SecretStore mine(QStringLiteral("Drover-test"));
        const QString myName = QStringLiteral("main-") + QUuid::createUuid().toString(QUuid::Id128);
        int myOk = 0;
        for (int round = 0; round < rounds; ++round) {
            bool done = false, ok = false;
            QString read;
            mine.write(myName, QString::number(round), [&](bool o, const QString &) { ok = o; done = true; });
            QTRY_VERIFY_WITH_TIMEOUT(done, 20000);
            QVERIFY(ok);
            done = false;
            mine.read(myName, [&](bool o, const QString &v, const QString &) { ok = o; read = v; done = true; });
            QTRY_VERIFY_WITH_TIMEOUT(done, 20000);
            if (ok && read == QString::number(round))
                ++myOk;
        }
        QCOMPARE(myOk, rounds);
        QTRY_COMPARE_WITH_TIMEOUT(okRounds.load(), 2 * rounds, 60000);
        QCOMPARE(wrongThread.load(), 0);
        for (auto &thread : threads) {
            thread->quit();
            QVERIFY(thread->wait(20000));
        }
        bool removed = false;
        mine.remove(myName, [&](bool, const QString &) { removed = true; });
        QTRY_VERIFY_WITH_TIMEOUT(removed, 20000);
    }

    // A store destroyed while its request runs never calls back (its owner is gone).
    void destroyedStoreIsNotCalledBack()
    {
        bool called = false;
        {
            SecretStore store(QStringLiteral("Drover-test"));
            store.read(QStringLiteral("never-there-") + QUuid::createUuid().toString(QUuid::Id128),
                       [&](bool, const QString &, const QString &) { called = true; });
        }
        // A later request from another store completes, so the first one has been answered too
        // (the keychain thread runs jobs in order).
        SecretStore other(QStringLiteral("Drover-test"));
        bool done = false;
        other.state(QStringLiteral("also-absent-") + QUuid::createUuid().toString(QUuid::Id128),
                    [&](SecretStore::State, const QString &) { done = true; });
        QTRY_VERIFY_WITH_TIMEOUT(done, 20000);
        QVERIFY(!called);
    }
};

QTEST_GUILESS_MAIN(TestSecretStore)
#include "tst_secret_store.moc"
