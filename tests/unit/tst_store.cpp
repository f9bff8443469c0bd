// The SQLite store: samples and rollups, retention, events, desired state, and a corrupt or
// locked file moved aside instead of stopping Drover.
#include "core/store/store.h"

#include <QDir>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace drover;

class TestStore : public QObject
{
    Q_OBJECT
private slots:
    void samplesRoundTripWithRollups()
    {
        QTemporaryDir dir;
        Store store;
        QVERIFY(store.open(dir.filePath(QStringLiteral("d.sqlite"))));
        const qint64 t0 = 1'800'000'000'000; // a multiple of 60 s
        for (int s = 0; s < 125; ++s)
            store.addSample(QStringLiteral("cpu{pool=\"a\"}"), t0 + s * 1000, double(s));
        store.addSample(QStringLiteral("cpu{pool=\"a\"}"), t0 + 126000, std::nan(""));
        QVERIFY(store.flush() > 125);
        const QVector<RollupPoint> raw = store.load(QStringLiteral("cpu{pool=\"a\"}"), Resolution::Raw, t0, t0 + 200000);
        QCOMPARE(raw.size(), 125); // NaN is a gap, not a row
        QCOMPARE(raw[7].avg, 7.0);
        const QVector<RollupPoint> ten = store.load(QStringLiteral("cpu{pool=\"a\"}"), Resolution::TenSeconds, t0, t0 + 200000);
        QCOMPARE(ten.size(), 12); // the open 13th bucket is written when it closes
        QCOMPARE(ten[0].timeMs, t0);
        QCOMPARE(ten[0].avg, 4.5);
        QCOMPARE(ten[0].min, 0.0);
        QCOMPARE(ten[0].max, 9.0);
        const QVector<RollupPoint> minute = store.load(QStringLiteral("cpu{pool=\"a\"}"), Resolution::Minute, t0, t0 + 200000);
        QCOMPARE(minute.size(), 2);
        QCOMPARE(minute[1].avg, (60.0 + 119.0) / 2);
        QVERIFY(store.load(QStringLiteral("other"), Resolution::Raw, t0, t0 + 1000).isEmpty());
    }

    void retentionPrunesEachResolution()
    {
        QTemporaryDir dir;
        Store store;
        QVERIFY(store.open(dir.filePath(QStringLiteral("d.sqlite"))));
        StoreRetention r;
        r.rawMs = 60000;
        r.tenSecondMs = 120000;
        r.minuteMs = 600000;
        store.setRetention(r);
        const qint64 t0 = 1'800'000'000'000;
        for (int s = 0; s < 600; ++s)
            store.addSample(QStringLiteral("x"), t0 + s * 1000, 1.0);
        store.flush();
        const qint64 now = t0 + 600000;
        store.prune(now);
        const QVector<RollupPoint> raw = store.load(QStringLiteral("x"), Resolution::Raw, 0, now);
        QVERIFY(raw.first().timeMs >= now - 60000);
        QVERIFY(store.load(QStringLiteral("x"), Resolution::TenSeconds, 0, now).first().timeMs >= now - 120000);
        QCOMPARE(store.load(QStringLiteral("x"), Resolution::Minute, 0, now).size(), 9);
    }

    void eventsAndDesiredStateSurviveAReopen()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("d.sqlite"));
        {
            Store store;
            QVERIFY(store.open(path));
            SupervisorEvent e;
            e.timeMs = 1000;
            e.pool = QStringLiteral("mail");
            e.replica = 2;
            e.kind = QStringLiteral("state");
            e.from = QStringLiteral("ready");
            e.to = QStringLiteral("crashed");
            e.reason = QStringLiteral("exited with code 3");
            store.addEvent(e, QStringLiteral("corr-1"));
            store.flush();
            QVERIFY(store.saveDesiredState({QStringLiteral("mail"), 3, QStringLiteral("premium"), true, true, 5}));
            QVERIFY(store.saveDesiredState({QStringLiteral("mail"), 4, QStringLiteral("basic"), false, true, 6})); // upsert
        }
        Store again;
        QVERIFY(again.open(path));
        const QVector<StoredEvent> events = again.loadEvents(0, 10);
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].event.reason, QStringLiteral("exited with code 3"));
        QCOMPARE(events[0].event.replica, 2);
        QCOMPARE(events[0].correlationId, QStringLiteral("corr-1"));
        const QMap<QString, DesiredState> desired = again.loadDesiredState();
        QCOMPARE(desired.size(), 1);
        QCOMPARE(desired[QStringLiteral("mail")].replicas, 4);
        QCOMPARE(desired[QStringLiteral("mail")].tier, QStringLiteral("basic"));
        QVERIFY(desired[QStringLiteral("mail")].manualOverride);
        QVERIFY(!desired[QStringLiteral("mail")].autoscalingPaused);
    }

    void corruptFileIsMovedAsideAndAFreshStoreStarts()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("d.sqlite"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray("this is not a database").repeated(500));
        f.close();
        Store store;
        QString notice;
        QVERIFY(store.open(path, &notice));
        QVERIFY2(notice.contains(QLatin1String("moved to")), qPrintable(notice));
        QVERIFY(store.isOpen());
        QCOMPARE(QDir(dir.path()).entryList({QStringLiteral("d.sqlite.broken-*")}).size(), 1);
        QVERIFY(store.saveDesiredState({QStringLiteral("p"), 1, QString(), false, false, 1}));
    }

    void lockedFileIsMovedAside()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("d.sqlite"));
        {
            Store first;
            QVERIFY(first.open(path));
        }
        // Another process (here: another connection) holds an exclusive lock and keeps it.
        QSqlDatabase other = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("locker"));
        other.setDatabaseName(path);
        QVERIFY(other.open());
        QSqlQuery q(other);
        QVERIFY(q.exec(QStringLiteral("PRAGMA locking_mode=EXCLUSIVE")));
        QVERIFY(q.exec(QStringLiteral("BEGIN EXCLUSIVE")));
        Store store;
        QString notice;
        QVERIFY(store.open(path, &notice));
        QVERIFY2(notice.contains(QLatin1String("locked")) || notice.contains(QLatin1String("moved to")), qPrintable(notice));
        QVERIFY(store.saveDesiredState({QStringLiteral("p"), 2, QString(), false, false, 1}));
        q.exec(QStringLiteral("ROLLBACK"));
        q.finish();
        other.close();
        other = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("locker"));
    }

    void unwritableLocationIsReportedNotFatal()
    {
        Store store;
        QString notice;
        QVERIFY(!store.open(QStringLiteral("/proc/drover/d.sqlite"), &notice));
        QVERIFY(!notice.isEmpty());
        store.addSample(QStringLiteral("x"), 1, 1); // ignored, no crash
        QCOMPARE(store.flush(), 0);
    }
};

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
