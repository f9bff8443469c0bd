// Structured JSON logs: the line format (every field, nulls when unknown), the thread's log
// context (correlation id, pool, replica), the installed Qt message handler writing a real
// file through its writer thread, size-based rotation, and secrets never reaching the file.
#include "core/observe/json_log.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <thread>

using namespace drover;

namespace {

Q_LOGGING_CATEGORY(lcTest, "drover.test")

QList<QJsonObject> readLines(const QString &path)
{
    QList<QJsonObject> out;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return out;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.isEmpty())
            continue;
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject())
            qFatal("not a JSON line in %s: %s", qPrintable(path), line.constData());
        out << doc.object();
    }
    return out;
}

const QString kToken = QStringLiteral("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");

} // namespace

class TestObserveLog : public QObject
{
    Q_OBJECT
private slots:
    void lineHasEveryField()
    {
        const QByteArray line = formatJsonLogLine(QtWarningMsg, "drover.scaling", QStringLiteral("scaled \"mail\"\nout"),
                                                  {QStringLiteral("dec-42"), QStringLiteral("mail"), 2},
                                                  1'700'000'000'123);
        QVERIFY(line.endsWith('\n'));
        QCOMPARE(line.count('\n'), qsizetype(1)); // one line, even for a multi-line message
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        QCOMPARE(o.value(QStringLiteral("timestamp")).toString(), QStringLiteral("2023-11-14T22:13:20.123Z"));
        QCOMPARE(o.value(QStringLiteral("level")).toString(), QStringLiteral("warning"));
        QCOMPARE(o.value(QStringLiteral("logger")).toString(), QStringLiteral("drover.scaling"));
        QCOMPARE(o.value(QStringLiteral("message")).toString(), QStringLiteral("scaled \"mail\"\nout"));
        QCOMPARE(o.value(QStringLiteral("correlation_id")).toString(), QStringLiteral("dec-42"));
        QCOMPARE(o.value(QStringLiteral("pool")).toString(), QStringLiteral("mail"));
        QCOMPARE(o.value(QStringLiteral("replica")).toInt(), 2);

        const QJsonObject bare = QJsonDocument::fromJson(formatJsonLogLine(QtDebugMsg, nullptr, QStringLiteral("x"), {}, 0)).object();
        QCOMPARE(bare.value(QStringLiteral("logger")).toString(), QStringLiteral("default"));
        QCOMPARE(bare.value(QStringLiteral("level")).toString(), QStringLiteral("debug"));
        // Unknown context fields are present as null: every line has the same keys.
        for (const char *key : {"correlation_id", "pool", "replica"}) {
            QVERIFY2(bare.contains(QLatin1String(key)), key);
            QVERIFY2(bare.value(QLatin1String(key)).isNull(), key);
        }
    }

    void contextIsScopedAndPerThread()
    {
        QVERIFY(currentLogContext().correlationId.isEmpty());
        {
            ScopedLogContext job({QStringLiteral("job-1"), QStringLiteral("mail"), -1});
            {
                ScopedLogContext delivery({QStringLiteral("job-1"), QStringLiteral("mail"), 3});
                QCOMPARE(currentLogContext().replica, 3);
                QString other = QStringLiteral("unset");
                std::thread([&other] { other = currentLogContext().correlationId; }).join();
                QCOMPARE(other, QString()); // another thread has its own (empty) context
            }
            QCOMPARE(currentLogContext().replica, -1);
            QCOMPARE(currentLogContext().correlationId, QStringLiteral("job-1"));
        }
        QVERIFY(currentLogContext().correlationId.isEmpty());
    }

    void secretsAreRedacted()
    {
        const QString in = QStringLiteral("POST /v1/pools/mail/jobs Authorization: Bearer %1 key sk-proj-AbCdEf0123456789xyz "
                                          "api_key=hunter2secret token: \"%1\" for pool mail")
                               .arg(kToken);
        const QString out = redactSecrets(in);
        QVERIFY2(!out.contains(kToken), qPrintable(out));
        QVERIFY2(!out.contains(QLatin1String("sk-proj-AbCdEf0123456789xyz")), qPrintable(out));
        QVERIFY2(!out.contains(QLatin1String("hunter2secret")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("POST /v1/pools/mail/jobs")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("for pool mail")), qPrintable(out));
        QVERIFY(out.contains(QLatin1String("[redacted]")));
        // Ordinary text is left alone.
        QCOMPARE(redactSecrets(QStringLiteral("scaled mail 2 -> 3 (rule:cpu)")), QStringLiteral("scaled mail 2 -> 3 (rule:cpu)"));
    }

    void handlerWritesJsonLinesAndRotates()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        JsonLogOptions o;
        o.path = dir.filePath(QStringLiteral("logs/drover.jsonl"));
        o.maxBytes = 4096;
        o.keepFiles = 3;
        o.alsoStderr = false;
        QString error;
        QVERIFY2(installJsonLog(o, &error), qPrintable(error));
        {
            ScopedLogContext job({QStringLiteral("job-7f3"), QStringLiteral("mail"), 1});
            qCInfo(lcTest) << "delivered with" << (QStringLiteral("Bearer ") + kToken);
        }
        qWarning("plain warning %d", 5);
        flushJsonLog();

        QList<QJsonObject> lines = readLines(o.path);
        QCOMPARE(lines.size(), 2);
        QCOMPARE(lines.at(0).value(QStringLiteral("logger")).toString(), QStringLiteral("drover.test"));
        QCOMPARE(lines.at(0).value(QStringLiteral("level")).toString(), QStringLiteral("info"));
        QCOMPARE(lines.at(0).value(QStringLiteral("correlation_id")).toString(), QStringLiteral("job-7f3"));
        QCOMPARE(lines.at(0).value(QStringLiteral("pool")).toString(), QStringLiteral("mail"));
        QCOMPARE(lines.at(0).value(QStringLiteral("replica")).toInt(), 1);
        QCOMPARE(lines.at(1).value(QStringLiteral("message")).toString(), QStringLiteral("plain warning 5"));
        QVERIFY(lines.at(1).value(QStringLiteral("correlation_id")).isNull());
        QFile raw(o.path);
        QVERIFY(raw.open(QIODevice::ReadOnly));
        const QByteArray content = raw.readAll();
        QVERIFY2(!content.contains(kToken.toLatin1()), content.constData());
        raw.close();

        // Rotation: ~60 KB of lines through a 4 KB file keeps the current file and 3 old ones.
        for (int i = 0; i < 600; ++i)
            qCInfo(lcTest, "line %04d of the rotation test, padded to make it longer", i);
        flushJsonLog();
        uninstallJsonLog();

        QStringList present;
        for (const QString &name : QDir(dir.filePath(QStringLiteral("logs"))).entryList(QDir::Files, QDir::Name))
            present << name;
        QCOMPARE(present, QStringList({QStringLiteral("drover.jsonl"), QStringLiteral("drover.jsonl.1"),
                                       QStringLiteral("drover.jsonl.2"), QStringLiteral("drover.jsonl.3")}));
        int previousLast = 1000;
        for (int i = 0; i <= 3; ++i) {
            const QString path = i == 0 ? o.path : o.path + QLatin1Char('.') + QString::number(i);
            QVERIFY2(QFileInfo(path).size() <= o.maxBytes, qPrintable(path));
            const QList<QJsonObject> part = readLines(path);
            QVERIFY2(!part.isEmpty(), qPrintable(path));
            // Newest in drover.jsonl, older in .1, .2, .3: line numbers decrease file by file.
            const int last = part.last().value(QStringLiteral("message")).toString().mid(5, 4).toInt();
            QVERIFY2(last < previousLast, qPrintable(path));
            previousLast = last;
        }
        QCOMPARE(readLines(o.path).last().value(QStringLiteral("message")).toString().left(9), QStringLiteral("line 0599"));
    }
};

QTEST_GUILESS_MAIN(TestObserveLog)
#include "tst_observe_log.moc"
