// The chart reducers (core/metrics/downsample): table tests for what a plot must not lose.
#include "core/metrics/downsample.h"

#include <QtTest>

#include <cmath>
#include <limits>

using namespace drover;

namespace {
const double kNaN = std::numeric_limits<double>::quiet_NaN();

QVector<QPointF> ramp(int count, double step = 1000)
{
    QVector<QPointF> out;
    for (int i = 0; i < count; ++i)
        out.append(QPointF(i * step, std::sin(i / 50.0) * 10 + 50));
    return out;
}

int gapCount(const QVector<QPointF> &points)
{
    int n = 0;
    for (const QPointF &p : points)
        n += std::isnan(p.y()) ? 1 : 0;
    return n;
}

bool sortedByX(const QVector<QPointF> &points)
{
    for (int i = 1; i < points.size(); ++i)
        if (points[i].x() < points[i - 1].x())
            return false;
    return true;
}
} // namespace

class TestDownsample : public QObject
{
    Q_OBJECT
private slots:
    void lttbBoundsOutput_data()
    {
        QTest::addColumn<int>("input");
        QTest::addColumn<int>("maxPoints");
        QTest::newRow("24 h of 1 s to 800 px") << 86400 << 800;
        QTest::newRow("1 h to 3") << 3600 << 3;
        QTest::newRow("just over") << 101 << 100;
        QTest::newRow("max below 3 means 3") << 50 << 1;
    }
    void lttbBoundsOutput()
    {
        QFETCH(int, input);
        QFETCH(int, maxPoints);
        const QVector<QPointF> in = ramp(input);
        const QVector<QPointF> out = lttb(in, maxPoints);
        QVERIFY(out.size() <= qMax(3, maxPoints));
        QVERIFY(out.size() >= qMin(3, input));
        QCOMPARE(out.first(), in.first());
        QCOMPARE(out.last(), in.last());
        QVERIFY(sortedByX(out));
    }

    void lttbLeavesASeriesThatFits()
    {
        const QVector<QPointF> in = ramp(100);
        QCOMPARE(lttb(in, 100), in);
        QCOMPARE(lttb(in, 1000), in);
        QVERIFY(lttb({}, 10).isEmpty());
    }

    void lttbKeepsASpike()
    {
        QVector<QPointF> in;
        for (int i = 0; i < 10000; ++i)
            in.append(QPointF(i, 5.0));
        in[6543].setY(99.0); // one second at 99 % in a flat day
        in[2001].setY(-3.0);
        const QVector<QPointF> out = lttb(in, 50);
        QVERIFY(out.contains(QPointF(6543, 99.0)));
        QVERIFY(out.contains(QPointF(2001, -3.0)));
    }

    void lttbKeepsGapsAsGapsWithinTheBound_data()
    {
        QTest::addColumn<int>("gaps");
        QTest::addColumn<int>("maxPoints");
        QTest::newRow("one gap") << 1 << 100;
        QTest::newRow("few gaps") << 5 << 100;
        QTest::newRow("more gaps than half the budget") << 400 << 100;
    }
    void lttbKeepsGapsAsGapsWithinTheBound()
    {
        QFETCH(int, gaps);
        QFETCH(int, maxPoints);
        QVector<QPointF> in = ramp(20000);
        const int every = int(in.size()) / (gaps + 1);
        for (int g = 1; g <= gaps; ++g)
            in[g * every].setY(kNaN);
        const QVector<QPointF> out = lttb(in, maxPoints);
        QVERIFY2(out.size() <= maxPoints, qPrintable(QString::number(out.size())));
        QVERIFY(gapCount(out) >= 1);
        QVERIFY(gapCount(out) <= gaps);
        QVERIFY(std::isfinite(out.first().y()) && std::isfinite(out.last().y()));
        for (int i = 1; i < out.size(); ++i) // never two markers in a row
            QVERIFY(!(std::isnan(out[i].y()) && std::isnan(out[i - 1].y())));
        if (gaps <= maxPoints / 2)
            QCOMPARE(gapCount(out), gaps); // room for every gap: none is bridged
    }

    void lttbOfOnlyMissingDataIsEmpty()
    {
        QVector<QPointF> in;
        for (int i = 0; i < 50; ++i)
            in.append(QPointF(i, kNaN));
        QVERIFY(lttb(in, 10).isEmpty());
    }

    void minMaxKeepsTheEnvelope()
    {
        QVector<QPointF> in;
        for (int i = 0; i < 7 * 86400; i += 60) // a week of 1 min points
            in.append(QPointF(i, 10.0 + (i / 60) % 3));
        in[5000].setY(97.0);
        in[7000].setY(0.5);
        const int buckets = 700;
        const QVector<QPointF> out = minMaxPerBucket(in, 0, 7 * 86400, buckets);
        QVERIFY(out.size() <= 2 * buckets);
        QVERIFY(out.contains(in[5000]));
        QVERIFY(out.contains(in[7000]));
        QVERIFY(sortedByX(out));
        double lo = 1e9, hi = -1e9;
        for (const QPointF &p : out) {
            lo = qMin(lo, p.y());
            hi = qMax(hi, p.y());
        }
        QCOMPARE(lo, 0.5);
        QCOMPARE(hi, 97.0);
    }

    void minMaxMarksEmptyBucketsBetweenDataOnly()
    {
        // Data in the first and last quarter; nothing before 0 or in the middle.
        QVector<QPointF> in;
        for (int i = 0; i < 250; ++i)
            in.append(QPointF(i, 1));
        for (int i = 750; i < 1000; ++i)
            in.append(QPointF(i, 2));
        const QVector<QPointF> out = minMaxPerBucket(in, -500, 1000, 15);
        QCOMPARE(gapCount(out), 1);
        QVERIFY(std::isfinite(out.first().y()));
        QVERIFY(std::isfinite(out.last().y()));
        QVERIFY(out.size() <= 30);
    }

    void minMaxIgnoresPointsOutsideAndBadArguments()
    {
        const QVector<QPointF> in = ramp(1000, 1);
        for (const QPointF &p : minMaxPerBucket(in, 100, 200, 10))
            QVERIFY(p.x() >= 100 && p.x() <= 200);
        QVERIFY(minMaxPerBucket(in, 200, 100, 10).isEmpty());
        QVERIFY(minMaxPerBucket(in, 0, 1000, 0).isEmpty());
        QVERIFY(minMaxPerBucket({}, 0, 1000, 10).isEmpty());
    }

    void markGapsSplitsAtJumpsInTime()
    {
        const QVector<QPointF> in = {{0, 1}, {1000, 2}, {2000, 3}, {9000, 4}, {10000, 5}};
        const QVector<QPointF> out = markGaps(in, 3000);
        QCOMPARE(out.size(), 6);
        QVERIFY(std::isnan(out[3].y()));
        QVERIFY(out[3].x() > 2000 && out[3].x() < 9000);
        QCOMPARE(markGaps(in, 10000), in);
    }
};

QTEST_APPLESS_MAIN(TestDownsample)
#include "tst_downsample.moc"
