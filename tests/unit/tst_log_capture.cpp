// Log capture stays bounded in memory and on disk whatever an agent writes.
#include "core/supervisor/log_capture.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace drover;

class TestLogCapture : public QObject
{
    Q_OBJECT
private slots:
    void ringKeepsTheNewestLinesWithinItsBytes()
    {
        LogRing ring(100 * sizeof(QChar));
        for (int i = 0; i < 50; ++i)
            ring.append(QStringLiteral("line %1").arg(i, 2, 10, QLatin1Char('0'))); // 7 chars
        QVERIFY(ring.bytes() <= qint64(100 * sizeof(QChar)));
        const QStringList lines = ring.lines();
        QCOMPARE(lines.size(), 14);
        QCOMPARE(lines.last(), QStringLiteral("line 49"));
        QCOMPARE(lines.first(), QStringLiteral("line 36"));
        QCOMPARE(ring.dropped(), 36);
    }

    void linesAreSplitAcrossReadsAndStreams()
    {
        QTemporaryDir dir;
        LogCapture log(dir.filePath(QStringLiteral("a.log")));
        log.feed("out", "hel", 0);
        log.feed("err", "oops\n", 0);
        log.feed("out", "lo\nworld", 0);
        log.flushPartial();
        const QStringList lines = log.recentLines();
        QCOMPARE(lines.size(), 3);
        QVERIFY(lines[0].endsWith(QLatin1String(" err oops")));
        QVERIFY(lines[1].endsWith(QLatin1String(" out hello")));
        QVERIFY(lines[2].endsWith(QLatin1String(" out world")));
    }

    void filesRotateAndStayWithinTheCap()
    {
        QTemporaryDir dir;
        LogLimits limits;
        limits.fileBytes = 10 * 1024;
        limits.keepFiles = 3;
        limits.maxBytesPerSecond = 1 << 30;
        const QString path = dir.filePath(QStringLiteral("a.log"));
        LogCapture log(path, limits);
        const QByteArray line(99, 'x');
        for (int i = 0; i < 2000; ++i)
            log.feed("out", line + '\n', i);
        QVERIFY(QFileInfo::exists(path));
        QVERIFY(QFileInfo::exists(path + QStringLiteral(".1")));
        QVERIFY(QFileInfo::exists(path + QStringLiteral(".2")));
        QVERIFY(!QFileInfo::exists(path + QStringLiteral(".3")));
        for (const QString &p : {path, path + QStringLiteral(".1"), path + QStringLiteral(".2")})
            QVERIFY(QFileInfo(p).size() <= limits.fileBytes);
    }

    void aFloodIsThrottledAndSaysSo()
    {
        QTemporaryDir dir;
        LogLimits limits;
        limits.maxBytesPerSecond = 1000;
        LogCapture log(dir.filePath(QStringLiteral("a.log")), limits);
        const QByteArray chunk = QByteArray(99, 'y') + '\n';
        for (int i = 0; i < 100; ++i)
            log.feed("out", chunk, 500); // 10 kB within one second
        QCOMPARE(log.throttledBytes(), 9000);
        log.feed("out", chunk, 1600); // next second: the drop is reported
        QVERIFY(log.recentLines().join(QLatin1Char('\n')).contains(QLatin1String("9000 bytes dropped")));
    }

    void anEndlessLineIsCut()
    {
        QTemporaryDir dir;
        LogLimits limits;
        limits.maxLineBytes = 1000;
        limits.maxBytesPerSecond = 1 << 30;
        LogCapture log(dir.filePath(QStringLiteral("a.log")), limits);
        log.feed("out", QByteArray(3500, 'z'), 0);
        QCOMPARE(log.recentLines().size(), 3);
    }

    void anUnwritableFileKeepsTheRing()
    {
        LogCapture log(QStringLiteral("/proc/forbidden/a.log"));
        log.feed("out", "still here\n", 0);
        QCOMPARE(log.recentLines().size(), 1);
        QVERIFY(!log.fileError().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestLogCapture)
#include "tst_log_capture.moc"
