// The Events view: filters by kind, pool and text combine; the CSV export writes exactly the
// rows shown, quoted, off the UI thread; an unwritable path is reported, not crashed on.
#include "ui/events_csv.h"
#include "ui/events_view.h"

#include <QComboBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace drover;
using namespace drover::ui;

namespace {

SupervisorEvent makeEvent(qint64 t, const QString &pool, const QString &kind, const QString &reason)
{
    SupervisorEvent e;
    e.timeMs = t;
    e.pool = pool;
    e.kind = kind;
    e.reason = reason;
    return e;
}

QVector<SupervisorEvent> sample()
{
    return {makeEvent(1000, QStringLiteral("mail"), QStringLiteral("scale"), QStringLiteral("cpu 82 %, scale out")),
            makeEvent(2000, QStringLiteral("web"), QStringLiteral("state"), QStringLiteral("ready")),
            makeEvent(3000, QStringLiteral("mail"), QStringLiteral("alert"), QStringLiteral("HighCpu firing, \"mail\"")),
            makeEvent(4000, QString(), QStringLiteral("alert"), QStringLiteral("=HostMemory firing")),
            makeEvent(5000, QStringLiteral("web"), QStringLiteral("scale"), QStringLiteral("queue 130\nscale out"))};
}

} // namespace

class TestEventsView : public QObject
{
    Q_OBJECT
private slots:
    void filtersCombine()
    {
        EventsView view;
        view.setEvents(sample());
        QCOMPARE(view.proxy()->rowCount(), 5);
        QCOMPARE(view.kindFilter()->count(), 4); // all, alert, scale, state
        QCOMPARE(view.poolFilter()->count(), 3); // all, mail, web

        view.kindFilter()->setCurrentIndex(view.kindFilter()->findData(QStringLiteral("scale")));
        QCOMPARE(view.proxy()->rowCount(), 2);
        view.poolFilter()->setCurrentIndex(view.poolFilter()->findData(QStringLiteral("mail")));
        QCOMPARE(view.proxy()->rowCount(), 1);
        QCOMPARE(view.proxy()->index(0, EventsModel::Reason).data().toString(), QStringLiteral("cpu 82 %, scale out"));
        view.kindFilter()->setCurrentIndex(0);
        QCOMPARE(view.proxy()->rowCount(), 2); // mail: scale and alert
        QTest::keyClicks(view.filter(), QStringLiteral("highcpu"));
        QCOMPARE(view.proxy()->rowCount(), 1);

        // A new snapshot keeps the operator's choices.
        QVector<SupervisorEvent> more = sample();
        more.append(makeEvent(6000, QStringLiteral("mail"), QStringLiteral("alert"), QStringLiteral("HighCpu resolved")));
        view.setEvents(more);
        QCOMPARE(view.poolFilter()->currentData().toString(), QStringLiteral("mail"));
        QCOMPARE(view.proxy()->rowCount(), 2);
    }

    void exportWritesTheRowsShown()
    {
        EventsView view;
        view.setEvents(sample());
        view.kindFilter()->setCurrentIndex(view.kindFilter()->findData(QStringLiteral("alert")));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("events.csv"));
        QSignalSpy exported(&view, &EventsView::exported);
        view.exportCsv(path);
        QTRY_COMPARE_WITH_TIMEOUT(exported.size(), 1, 10000);
        QCOMPARE(exported.first().at(1).toBool(), true);
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QByteArray bytes = f.readAll();
        QVERIFY(bytes.startsWith("\xEF\xBB\xBF"));
        const QStringList lines = QString::fromUtf8(bytes.mid(3)).split(QStringLiteral("\r\n"), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3); // header + the two alert rows, newest first
        QCOMPARE(lines[0], QStringLiteral("Time,Pool,Replica,Kind,Change,Reason"));
        QVERIFY(lines[1].endsWith(QLatin1String(",alert,,'=HostMemory firing")));
        QVERIFY(lines[2].endsWith(QLatin1String(",mail,,alert,,\"HighCpu firing, \"\"mail\"\"\"")));
    }

    void exportToAnUnwritablePathIsReported()
    {
        EventsView view;
        view.setEvents(sample());
        QSignalSpy exported(&view, &EventsView::exported);
        view.exportCsv(QStringLiteral("/nonexistent-dir/events.csv"));
        QTRY_COMPARE_WITH_TIMEOUT(exported.size(), 1, 10000);
        QCOMPARE(exported.first().at(1).toBool(), false);
        QVERIFY(!exported.first().at(2).toString().isEmpty());
    }

    // Not a timed assertion: QBENCHMARK reports how long formatting 5,000 rows as CSV takes
    // (run with -iterations N for a figure); the export does it on a pool thread.
    void csvOfFiveThousandEvents()
    {
        QVector<SupervisorEvent> many;
        for (int i = 0; i < 5000; ++i)
            many.append(makeEvent(1000 + i, QStringLiteral("pool%1").arg(i % 7), QStringLiteral("scale"),
                                  QStringLiteral("cpu %1 %, scale out, \"quoted\"").arg(i % 100)));
        EventsView view;
        view.setEvents(many);
        QString csv;
        QBENCHMARK {
            csv = view.csv();
        }
        QCOMPARE(csv.count(QStringLiteral("\r\n")), 5001);
    }

    void csvQuoting_data()
    {
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("out");
        QTest::newRow("plain") << "ready" << "ready";
        QTest::newRow("comma") << "a,b" << "\"a,b\"";
        QTest::newRow("quote") << "say \"hi\"" << "\"say \"\"hi\"\"\"";
        QTest::newRow("newline") << "a\nb" << "\"a\nb\"";
        QTest::newRow("formula") << "=1+1" << "'=1+1";
        QTest::newRow("at") << "@SUM(A1)" << "'@SUM(A1)";
        QTest::newRow("empty") << "" << "";
    }

    void csvQuoting()
    {
        QFETCH(QString, in);
        QFETCH(QString, out);
        QCOMPARE(csvField(in), out);
    }
};

QTEST_MAIN(TestEventsView)
#include "tst_events_view.moc"
