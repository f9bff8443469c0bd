// drover-supervisor-host: the supervisor alone in a console process, for tests that must kill
// the supervising process and for the benchmark against PM2 and supervisord.
//
//   drover-supervisor-host --config FILE [--log-dir DIR] [--control FIFO-or-socket-path]
//
// Prints one JSON line per supervisor event, and "status" lines on request. Commands arrive
// on stdin (or on a local socket with --control, so a benchmark can time a command):
//   scale POOL N | restart POOL | tier POOL TIER | status | quit
#include "core/config/config.h"
#include "core/supervisor/supervisor.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalServer>
#include <QLocalSocket>
#include <QSocketNotifier>
#include <QTextStream>
#include <QTimer>

#include <cstdio>
#include <unistd.h>

using namespace drover;

namespace {

void printLine(const QJsonObject &o)
{
    const QByteArray line = QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
    fwrite(line.constData(), 1, size_t(line.size()), stdout);
    fflush(stdout);
}

QJsonObject statusJson(const QVector<PoolStatus> &pools)
{
    QJsonArray arr;
    for (const PoolStatus &p : pools) {
        QJsonArray replicas;
        for (const ReplicaStatus &r : p.replicas) {
            replicas.append(QJsonObject{{QStringLiteral("index"), r.index},
                                        {QStringLiteral("pid"), r.pid},
                                        {QStringLiteral("port"), r.port},
                                        {QStringLiteral("state"), replicaStateName(r.state)},
                                        {QStringLiteral("restarts"), r.restarts}});
        }
        arr.append(QJsonObject{{QStringLiteral("name"), p.name},
                               {QStringLiteral("state"), poolStateName(p.state)},
                               {QStringLiteral("desired"), p.desired},
                               {QStringLiteral("ready"), p.ready},
                               {QStringLiteral("running"), p.running},
                               {QStringLiteral("replicas"), replicas}});
    }
    return QJsonObject{{QStringLiteral("status"), arr}};
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption configOption(QStringLiteral("config"), QStringLiteral("YAML file"),
                                          QStringLiteral("file"));
    const QCommandLineOption logOption(QStringLiteral("log-dir"), QStringLiteral("replica logs"),
                                       QStringLiteral("dir"));
    const QCommandLineOption controlOption(QStringLiteral("control"),
                                           QStringLiteral("also accept commands on this local socket"),
                                           QStringLiteral("name"));
    const QCommandLineOption quietOption(QStringLiteral("quiet"), QStringLiteral("print no events"));
    const QCommandLineOption serviceOption(QStringLiteral("secret-service"),
                                           QStringLiteral("keychain service"), QStringLiteral("name"));
    parser.addOptions({configOption, logOption, controlOption, quietOption, serviceOption});
    parser.process(app);

    const ConfigLoadResult loaded = loadConfigFile(parser.value(configOption));
    for (const ConfigIssue &issue : loaded.issues)
        QTextStream(stderr) << issue.toString() << '\n';
    if (loaded.fatal)
        return 2;

    SupervisorOptions options;
    options.logDir = parser.value(logOption);
    options.searchDirs << QCoreApplication::applicationDirPath();
    if (parser.isSet(serviceOption))
        options.secretService = parser.value(serviceOption);
    Supervisor supervisor(loaded.config, options);
    const bool quiet = parser.isSet(quietOption);
    QObject::connect(&supervisor, &Supervisor::eventRecorded, [quiet](const SupervisorEvent &e) {
        if (quiet)
            return;
        printLine(QJsonObject{{QStringLiteral("event"), e.kind},
                              {QStringLiteral("pool"), e.pool},
                              {QStringLiteral("replica"), e.replica},
                              {QStringLiteral("from"), e.from},
                              {QStringLiteral("to"), e.to},
                              {QStringLiteral("reason"), e.reason}});
    });

    // The engine samples once a second; so does the host, so its CPU cost is comparable.
    QTimer sampler;
    QObject::connect(&sampler, &QTimer::timeout, &supervisor,
                     [&supervisor] { supervisor.sample(QDateTime::currentMSecsSinceEpoch()); });
    sampler.start(1000);

    auto execute = [&](const QByteArray &raw) -> QByteArray {
        const QList<QByteArray> w = raw.simplified().split(' ');
        QString refusal;
        bool ok = true;
        if (w.value(0) == "scale" && w.size() == 3)
            ok = supervisor.scale(QString::fromUtf8(w[1]), w[2].toInt(), QStringLiteral("command"), &refusal);
        else if (w.value(0) == "restart" && w.size() == 2)
            ok = supervisor.restartPool(QString::fromUtf8(w[1]), QStringLiteral("command"), &refusal);
        else if (w.value(0) == "tier" && w.size() == 3)
            ok = supervisor.setTier(QString::fromUtf8(w[1]), QString::fromUtf8(w[2]), QStringLiteral("command"), &refusal);
        else if (w.value(0) == "status")
            return QJsonDocument(statusJson(supervisor.status())).toJson(QJsonDocument::Compact);
        else if (w.value(0) == "quit") {
            supervisor.shutdown(15000);
            QCoreApplication::quit();
            return "ok";
        } else if (!raw.trimmed().isEmpty()) {
            ok = false;
            refusal = QStringLiteral("unknown command");
        }
        return ok ? QByteArray("ok") : ("refused: " + refusal.toUtf8());
    };

    QSocketNotifier input(STDIN_FILENO, QSocketNotifier::Read);
    QByteArray pending;
    QObject::connect(&input, &QSocketNotifier::activated, [&] {
        char buffer[4096];
        const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof(buffer));
        if (n <= 0) {
            input.setEnabled(false); // stdin closed: keep running until a signal or "quit"
            return;
        }
        pending.append(buffer, int(n));
        int nl;
        while ((nl = pending.indexOf('\n')) >= 0) {
            const QByteArray reply = execute(pending.left(nl));
            pending.remove(0, nl + 1);
            if (reply.startsWith('{'))
                printLine(QJsonDocument::fromJson(reply).object());
            else
                printLine(QJsonObject{{QStringLiteral("reply"), QString::fromUtf8(reply)}});
        }
    });

    // With --control, one command per connection: the client sends a line and waits for the
    // reply, so "command to N running" can be timed from outside.
    QLocalServer control;
    if (parser.isSet(controlOption)) {
        QLocalServer::removeServer(parser.value(controlOption));
        if (!control.listen(parser.value(controlOption))) {
            QTextStream(stderr) << "cannot listen on " << parser.value(controlOption) << '\n';
            return 2;
        }
        QObject::connect(&control, &QLocalServer::newConnection, [&] {
            while (QLocalSocket *s = control.nextPendingConnection()) {
                QObject::connect(s, &QLocalSocket::disconnected, s, &QObject::deleteLater);
                QObject::connect(s, &QLocalSocket::readyRead, s, [s, &execute] {
                    if (!s->canReadLine())
                        return;
                    s->write(execute(s->readLine()) + '\n');
                    s->flush();
                });
            }
        });
    }

    printLine(QJsonObject{{QStringLiteral("event"), QStringLiteral("host started")},
                          {QStringLiteral("pid"), qint64(QCoreApplication::applicationPid())}});
    supervisor.startAll();
    return app.exec();
}
