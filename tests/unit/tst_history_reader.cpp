// HistoryReader against a real SQLite store written by the real Store: range queries answered
// from the reader's own thread and read-only connection while the writer keeps writing (WAL),
// the resolution chosen by range, downsampling bounds, sums, event markers, and bad stores.
#include "core/store/history_reader.h"
#include "core/store/store.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace drover;

namespace {
constexpr qint64 kMinute = 60 * 1000;
constexpr qint64 kHour = 60 * kMinute;

// Polls the reader's answers (with a generous deadline) for the one with `id`.
bool waitForAnswer(HistoryReader &reader, quint64 id, HistoryAnswer *out)
{
    QSignalSpy spy(&reader, &HistoryReader::answered);
    QDeadlineTimer deadline(30000);
    int seen = 0;
    for (;;) {
        for (; seen < spy.size(); ++seen) {
            const HistoryAnswer a = spy.at(seen).at(0).value<HistoryAnswer>();
            if (a.id == id) {
                *out = a;
                return true;
            }
        }
        if (deadline.hasExpired())
            return false;
        spy.wait(int(qMax<qint64>(1, deadline.remainingTime())));
    }
}

const HistorySeries *find(const HistoryAnswer &a, const QString &name)
{
    for (const HistorySeries &s : a.series)
        if (s.name == name)
            return &s;
    return nullptr;
}

double maxOf(const QVector<QPointF> &points)
{
    double m = -1e300;
    for (const QPointF &p : points)
        if (std::isfinite(p.y()))
            m = qMax(m, p.y());
    return m;
}
} // namespace

class TestHistoryReader : public QObject
{
    Q_OBJECT
private slots:
    void choosesTheResolutionByRange()
    {
        QCOMPARE(resolutionForRange(5 * kMinute), HistoryResolution::Raw);
        QCOMPARE(resolutionForRange(kHour), HistoryResolution::Raw);
        QCOMPARE(resolutionForRange(kHour + 1), HistoryResolution::TenSeconds);
        QCOMPARE(resolutionForRange(24 * kHour), HistoryResolution::TenSeconds);
        QCOMPARE(resolutionForRange(7 * 24 * kHour), HistoryResolution::Minute);
    }

    void answersTheLastHourBesideAWritingEngine()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("drover.sqlite"));
        Store store;
        QVERIFY(store.open(path));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const qint64 start = now - 50 * kMinute;
        for (qint64 t = start; t < now - 10 * kMinute; t += 1000) {
            const bool spike = t == start + 1234 * 1000;
            store.addSample(QStringLiteral("system_cpu_percent"), t, spike ? 99.5 : 20.0 + (t / 1000) % 7);
            store.addSample(QStringLiteral("queue_depth{pool=\"mail\"}"), t, 3);
        }
        QVERIFY(store.flush() > 0);

        HistoryReader reader(path);
        HistoryRequest request;
        request.series = {QStringLiteral("system_cpu_percent"), QStringLiteral("queue_depth{pool=\"mail\"}"),
                          QStringLiteral("never_written")};
        request.fromMs = now - kHour;
        request.toMs = now;
        request.maxPoints = 300;
        HistoryAnswer a;
        QVERIFY(waitForAnswer(reader, reader.request(request), &a));
        QVERIFY2(a.error.isEmpty(), qPrintable(a.error));
        QCOMPARE(a.resolution, QStringLiteral("1 s"));
        QCOMPARE(a.series.size(), 3);
        const HistorySeries *cpu = find(a, QStringLiteral("system_cpu_percent"));
        QVERIFY(cpu && !cpu->points.isEmpty());
        QVERIFY(cpu->points.size() <= 300); // 2400 stored points, 300 asked for
        QCOMPARE(maxOf(cpu->points), 99.5); // the one-second spike survives
        for (const QPointF &p : cpu->points)
            QVERIFY(!std::isfinite(p.y()) || (p.x() >= start && p.x() < now - 10 * kMinute));
        QCOMPARE(maxOf(find(a, QStringLiteral("queue_depth{pool=\"mail\"}"))->points), 3.0);
        QVERIFY(find(a, QStringLiteral("never_written"))->points.isEmpty());

        // The engine goes on writing while the reader's connection is open: the next answer
        // sees the new rows (WAL: the reader never blocks the writer, nor the reverse).
        for (qint64 t = now - 5 * kMinute; t < now; t += 1000)
            store.addSample(QStringLiteral("system_cpu_percent"), t, 77.0);
        QVERIFY(store.flush() > 0);
        QVERIFY(waitForAnswer(reader, reader.request(request), &a));
        cpu = find(a, QStringLiteral("system_cpu_percent"));
        QVERIFY(cpu->points.last().x() >= now - 5 * kMinute);
        QCOMPARE(cpu->points.last().y(), 77.0);
        // The gap between the two writes (10 min without data) stays a gap.
        int gaps = 0;
        for (const QPointF &p : cpu->points)
            gaps += std::isnan(p.y()) ? 1 : 0;
        QCOMPARE(gaps, 1);
    }

    void longRangesComeFromRollupsWithTheirExtremes()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("drover.sqlite"));
        Store store;
        QVERIFY(store.open(path));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        // Three days at one sample per 20 s, one 20 s spike to 95 two days ago.
        const qint64 spikeAt = now - 2 * 24 * kHour;
        for (qint64 t = now - 3 * 24 * kHour; t < now; t += 20000) {
            const bool spike = std::abs(t - spikeAt) < 10000;
            store.addSample(QStringLiteral("pool_cpu_percent{pool=\"mail\"}"), t, spike ? 95.0 : 30.0);
            store.addSample(QStringLiteral("pool_gpt_prompt_tokens_per_second{pool=\"a\"}"), t, 10.0);
            store.addSample(QStringLiteral("pool_gpt_prompt_tokens_per_second{pool=\"b\"}"), t, 5.0);
        }
        QVERIFY(store.flush() > 0);

        HistoryReader reader(path);
        HistoryRequest week;
        week.series = {QStringLiteral("pool_cpu_percent{pool=\"mail\"}")};
        week.sums = {{QStringLiteral("total"),
                      {QStringLiteral("pool_gpt_prompt_tokens_per_second{pool=\"a\"}"),
                       QStringLiteral("pool_gpt_prompt_tokens_per_second{pool=\"b\"}")}}};
        week.fromMs = now - 7 * 24 * kHour;
        week.toMs = now;
        week.maxPoints = 500;
        HistoryAnswer a;
        QVERIFY(waitForAnswer(reader, reader.request(week), &a));
        QVERIFY2(a.error.isEmpty(), qPrintable(a.error));
        QCOMPARE(a.resolution, QStringLiteral("1 min"));
        QCOMPARE(a.series.size(), 2); // the series, then the sum
        const HistorySeries *cpu = find(a, QStringLiteral("pool_cpu_percent{pool=\"mail\"}"));
        QVERIFY(cpu->points.size() <= 500);
        QCOMPARE(maxOf(cpu->points), 95.0);
        const HistorySeries *total = find(a, QStringLiteral("total"));
        QVERIFY(total && !total->points.isEmpty());
        for (const QPointF &p : total->points)
            QVERIFY(!std::isfinite(p.y()) || std::abs(p.y() - 15.0) < 1e-9);

        HistoryRequest day = week;
        day.sums.clear();
        day.fromMs = now - 24 * kHour;
        HistoryAnswer d;
        QVERIFY(waitForAnswer(reader, reader.request(day), &d));
        QCOMPARE(d.resolution, QStringLiteral("10 s"));
        QVERIFY(!find(d, QStringLiteral("pool_cpu_percent{pool=\"mail\"}"))->points.isEmpty());
        QCOMPARE(maxOf(find(d, QStringLiteral("pool_cpu_percent{pool=\"mail\"}"))->points), 30.0); // the spike is older
    }

    void eventsAreScalingChangesAndAlertTransitions()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("drover.sqlite"));
        Store store;
        QVERIFY(store.open(path));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const auto event = [&](qint64 t, const QString &kind, const QString &from, const QString &to) {
            SupervisorEvent e;
            e.timeMs = t;
            e.pool = QStringLiteral("mail");
            e.kind = kind;
            e.from = from;
            e.to = to;
            e.reason = QStringLiteral("why");
            store.addEvent(e);
        };
        event(now - 30 * kMinute, QStringLiteral("scaling"), QStringLiteral("2"), QStringLiteral("3"));
        event(now - 29 * kMinute, QStringLiteral("scaling"), QStringLiteral("3"), QStringLiteral("3")); // heartbeat
        event(now - 20 * kMinute, QStringLiteral("alert"), QStringLiteral("inactive"), QStringLiteral("pending"));
        event(now - 19 * kMinute, QStringLiteral("alert"), QStringLiteral("pending"), QStringLiteral("firing"));
        event(now - 18 * kMinute, QStringLiteral("state"), QStringLiteral("starting"), QStringLiteral("ready"));
        event(now - 2 * kHour, QStringLiteral("scaling"), QStringLiteral("1"), QStringLiteral("2")); // outside
        store.flush();

        HistoryReader reader(path);
        HistoryRequest request;
        request.fromMs = now - kHour;
        request.toMs = now;
        HistoryAnswer a;
        QVERIFY(waitForAnswer(reader, reader.request(request), &a));
        QVERIFY2(a.error.isEmpty(), qPrintable(a.error));
        QCOMPARE(a.events.size(), 2);
        QCOMPARE(a.events[0].kind, QStringLiteral("scaling"));
        QCOMPARE(a.events[0].to, QStringLiteral("3"));
        QCOMPARE(a.events[1].to, QStringLiteral("firing"));
    }

    void aMissingOrBrokenStoreIsAClearAnswerNotACrash()
    {
        QTemporaryDir dir;
        // The first hour of CPU from a store that cannot answer it.
        const auto askCpu = [](const QString &path) {
            HistoryReader reader(path);
            HistoryRequest request;
            request.series = {QStringLiteral("system_cpu_percent")};
            request.fromMs = 0;
            request.toMs = kHour;
            HistoryAnswer a;
            if (!waitForAnswer(reader, reader.request(request), &a))
                a.error = QStringLiteral("no answer");
            return a;
        };
        const QString missing = dir.filePath(QStringLiteral("nope.sqlite"));
        const HistoryAnswer none = askCpu(missing);
        QVERIFY2(none.error.contains(missing), qPrintable(none.error));
        QCOMPARE(none.series.size(), 1);
        QVERIFY(none.series[0].points.isEmpty());
        QVERIFY(!QFile::exists(missing)); // reading never creates the engine's file

        const QString garbage = dir.filePath(QStringLiteral("garbage.sqlite"));
        QFile f(garbage);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(8192, 'x'));
        f.close();
        const HistoryAnswer broken = askCpu(garbage);
        QVERIFY2(broken.error.contains(garbage), qPrintable(broken.error));
    }

    void aNewerRequestSupersedesQueuedOnes()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("drover.sqlite"));
        Store store;
        QVERIFY(store.open(path));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        store.addSample(QStringLiteral("system_cpu_percent"), now - 1000, 1);
        store.flush();
        HistoryReader reader(path);
        QSignalSpy spy(&reader, &HistoryReader::answered);
        HistoryRequest request;
        request.series = {QStringLiteral("system_cpu_percent")};
        request.fromMs = now - kHour;
        request.toMs = now;
        quint64 last = 0;
        for (int i = 0; i < 20; ++i)
            last = reader.request(request);
        HistoryAnswer a;
        QVERIFY(waitForAnswer(reader, last, &a));
        QCOMPARE(a.id, last);
        QVERIFY(spy.size() <= 20);
        // Answers arrive in order, and nothing after the newest.
        quint64 previous = 0;
        for (const QList<QVariant> &args : std::as_const(spy)) {
            const quint64 id = args.at(0).value<HistoryAnswer>().id;
            QVERIFY(id > previous && id <= last);
            previous = id;
        }
    }
};

QTEST_GUILESS_MAIN(TestHistoryReader)
#include "tst_history_reader.moc"
