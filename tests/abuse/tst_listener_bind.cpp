// Every Drover listener binds 127.0.0.1 only. The test starts what listens in the product (the
// engine, the GPT gateway with its simulated upstream, the dispatcher with its job intake,
// Drover's own /metrics and /health server, and a bare HttpServer, the building block of them
// all) in this process, then reads the kernel's socket tables: each listening TCP socket this
// process owns must be on 127.0.0.1, none on 0.0.0.0 or any IPv6 address. Asking the kernel rather
// than the objects also catches a listener nobody remembered to list here.
#include "core/dispatch/dispatcher.h"
#include "core/engine/engine.h"
#include "core/gateway/gateway.h"
#include "core/http/http_server.h"
#include "core/observe/observe_host.h"

#include <QDir>
#include <QFile>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QUuid>
#include <QtTest>
#include <unistd.h>

using namespace drover;

namespace {

struct ListeningSocket
{
    QString table;   // tcp or tcp6
    QString address; // as the kernel prints it, e.g. 0100007F:1F90
    quint16 port = 0;
};

// The socket inodes among this process's open file descriptors.
QSet<QByteArray> ownSocketInodes()
{
    QSet<QByteArray> inodes;
    const QDir fds(QStringLiteral("/proc/self/fd"));
    for (const QString &fd :
         fds.entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::System)) {
        char target[128] = {};
        const QByteArray link = QFile::encodeName(fds.filePath(fd));
        const ssize_t n = ::readlink(link.constData(), target, sizeof target - 1);
        const QByteArrayView t(target, n > 0 ? n : 0);
        if (t.startsWith("socket:[") && t.endsWith(']'))
            inodes.insert(t.sliced(8, t.size() - 9).toByteArray());
    }
    return inodes;
}

QList<ListeningSocket> ownListeningSockets()
{
    const QSet<QByteArray> inodes = ownSocketInodes();
    QList<ListeningSocket> out;
    for (const QString &table : {QStringLiteral("tcp"), QStringLiteral("tcp6")}) {
        QFile f(QStringLiteral("/proc/net/") + table);
        if (!f.open(QIODevice::ReadOnly))
            continue; // no IPv6 in this kernel: nothing can listen there
        const QList<QByteArray> lines = f.readAll().split('\n');
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QList<QByteArray> cols = lines[i].simplified().split(' ');
            // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...
            if (cols.size() < 10 || cols[3] != "0A" || !inodes.contains(cols[9]))
                continue;
            const QList<QByteArray> local = cols[1].split(':');
            out.append(
                {table, QString::fromLatin1(cols[1]), quint16(local.value(1).toUInt(nullptr, 16))});
        }
    }
    return out;
}

} // namespace

class TestListenerBind : public QObject
{
    Q_OBJECT
private slots:
    void everyListenerIsLoopbackOnly()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString service =
            QStringLiteral("Drover-bind-") + QUuid::createUuid().toString(QUuid::Id128);

        EngineOptions eo;
        eo.superviseAgents = false;
        eo.storePath = dir.filePath(QStringLiteral("store.sqlite"));
        eo.logDir = dir.filePath(QStringLiteral("logs"));
        eo.secretService = service;
        EngineHost engine(parseConfig("version: 1\npools:\n  - { name: work, command: x }\n",
                                      QStringLiteral("bind.yaml")),
                          eo);
        QSignalSpy snapshots(&engine, &EngineHost::snapshotPublished);
        engine.start();
        QTRY_VERIFY_WITH_TIMEOUT(!snapshots.isEmpty(), 20000);

        GatewayOptions go;
        go.upstream = QStringLiteral("simulated");
        go.secretService = service;
        GatewayHost gateway(go);
        QVERIFY2(gateway.start(), qPrintable(gateway.errorString()));

        DispatcherOptions dopt;
        dopt.queuePath = dir.filePath(QStringLiteral("queue.sqlite"));
        dopt.intake = true;
        dopt.intakeOptions.secretService = service;
        dopt.runLoops = false;
        Dispatcher dispatcher(dopt);
        QString error;
        QVERIFY2(dispatcher.start(&error), qPrintable(error));

        HttpServer http;
        QVERIFY(http.listen());

        ObserveOptions oo;
        oo.port = 0;
        ObserveHost observe(oo);
        QSignalSpy observing(&observe, &ObserveHost::listening);
        QSignalSpy observeFailed(&observe, &ObserveHost::failed);
        observe.start();
        QTRY_VERIFY_WITH_TIMEOUT(observing.count() + observeFailed.count() > 0, 20000);
        QVERIFY2(observeFailed.isEmpty(), qPrintable(observeFailed.value(0).value(0).toString()));

        const QList<ListeningSocket> sockets = ownListeningSockets();
        QSet<quint16> ports;
        for (const ListeningSocket &s : sockets) {
            qInfo("listening: %s %s (port %u)", qPrintable(s.table), qPrintable(s.address), s.port);
            QVERIFY2(s.table == QLatin1String("tcp") &&
                         s.address.startsWith(QLatin1String("0100007F:")),
                     qPrintable(QStringLiteral("port %1 listens on %2 (%3), not 127.0.0.1")
                                    .arg(s.port)
                                    .arg(s.address, s.table)));
            ports.insert(s.port);
        }
        // The ones this test knows of are among them (so the scan really saw them).
        QVERIFY(ports.contains(gateway.port()));
        QVERIFY(ports.contains(dispatcher.intakePort()));
        QVERIFY(ports.contains(http.port()));
        QVERIFY(ports.contains(observe.port()));
        // The gateway's simulated upstream is a listener too.
        QVERIFY(sockets.size() >= 5);

        observe.stop();
        dispatcher.stop();
        gateway.stop();
        engine.stop();
    }
};

QTEST_GUILESS_MAIN(TestListenerBind)
#include "tst_listener_bind.moc"
