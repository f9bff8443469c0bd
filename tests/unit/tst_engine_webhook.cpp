// The whole path of a webhook notification through the running engine: a rule from drover.yaml
// fires, the file's route sends it to a webhook receiver that names a keychain entry, and a real
// HTTP server on 127.0.0.1 gets the Slack-compatible POST. The URL is only in the keychain (the
// suite runs under tests/run_with_keyring.sh); it appears in no snapshot field or event.
//
// QtKeychain runs one job executor per process, bound to the thread that first uses it; the
// engine uses the keychain in its thread, so this test writes its entry from a child process
// (this executable with --keychain) rather than from the test's thread.
#include "core/engine/engine.h"
#include "core/http/http_server.h"
#include "core/secrets/secret_store.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QProcess>
#include <QJsonObject>
#include <QUuid>
#include <QtTest>

using namespace drover;

namespace {

const QString kService = QStringLiteral("Drover-test");

// Busy 25 % of the time, memory 40 % used.
class ScriptedReader final : public SystemMetricsReader
{
public:
    std::optional<CpuCounters> readCpu() override
    {
        ++m_calls;
        return CpuCounters{quint64(m_calls) * 25, quint64(m_calls) * 100};
    }
    std::optional<MemoryInfo> readMemory() override { return MemoryInfo{1000, 600}; }

private:
    int m_calls = 0;
};

// Runs `--keychain set|remove <service> <name> [value]` in a child process; true on success.
bool keychainInChild(const QStringList &args)
{
    QProcess p;
    p.start(QCoreApplication::applicationFilePath(), QStringList{QStringLiteral("--keychain")} + args);
    return p.waitForFinished(30000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

int keychainMain(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList a = app.arguments().mid(2);
    SecretStore store(a.value(1));
    int code = 1;
    const auto done = [&](bool ok, const QString &) {
        code = ok ? 0 : 1;
        app.quit();
    };
    if (a.value(0) == QLatin1String("set") && a.size() == 4)
        store.write(a.value(2), a.value(3), done);
    else if (a.value(0) == QLatin1String("remove") && a.size() == 3)
        store.remove(a.value(2), done);
    else
        return 2;
    app.exec();
    return code;
}

} // namespace

class TestEngineWebhook : public QObject
{
    Q_OBJECT
private slots:
    void firingAlertReachesTheWebhookReceiver()
    {
        HttpServer server;
        QList<QByteArray> bodies;
        server.route("POST", "/hooks/secret-path", [&](const HttpRequest &q, HttpResponder &r) {
            bodies.append(q.body);
            r.respond(HttpResponse::text(200, "ok"));
        });
        QVERIFY(server.listen());
        const QString url = QStringLiteral("http://127.0.0.1:%1/hooks/secret-path").arg(server.port());

        const QString entry = QStringLiteral("webhook-") + QUuid::createUuid().toString(QUuid::Id128);
        QVERIFY(keychainInChild({QStringLiteral("set"), kService, entry, url}));

        const QByteArray yaml = "version: 1\n"
                                "alerts:\n"
                                "  - { name: Busy, series: system_cpu_percent, op: '>', threshold: 20, "
                                "for: 0s, severity: critical, summary: 'CPU at {{value}} %' }\n"
                                "notifications:\n"
                                "  receivers:\n"
                                "    - { name: ops, webhook: { url_secret: " + entry.toUtf8() + " } }\n"
                                "  default: { receiver: ops, group_wait: 0s }\n";
        const ConfigLoadResult config = parseConfig(yaml, QStringLiteral("t.yaml"));
        QVERIFY(!config.hasErrors());

        EngineOptions o;
        o.tickIntervalMs = 50;
        o.superviseAgents = false;
        o.useStore = false;
        o.secretService = kService;
        o.metricsReaderFactory = [] { return std::make_unique<ScriptedReader>(); };
        EngineHost host(config, o);
        Snapshot last;
        connect(&host, &EngineHost::snapshotPublished, this, [&](const Snapshot &s) { last = s; });
        host.start();

        QTRY_VERIFY_WITH_TIMEOUT(!bodies.isEmpty(), 30000);
        const QJsonObject payload = QJsonDocument::fromJson(bodies.first()).object();
        const QString text = payload.value(QStringLiteral("text")).toString();
        QVERIFY2(text.startsWith(QStringLiteral("*[FIRING:1] Busy")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("CPU at 25 %")), qPrintable(text));
        QCOMPARE(payload.value(QStringLiteral("drover")).toObject().value(QStringLiteral("status")).toString(),
                 QStringLiteral("firing"));

        QTRY_COMPARE_WITH_TIMEOUT(last.webhook.delivered, quint64(1), 15000);
        QCOMPARE(last.webhook.givenUp, quint64(0));
        bool notified = false;
        for (const NotificationView &n : std::as_const(last.notifications)) {
            if (n.channel == QLatin1String("webhook")) {
                notified = true;
                QCOMPARE(n.receiver, QStringLiteral("ops"));
                QCOMPARE(n.secretName, entry);
            }
        }
        QVERIFY(notified);
        for (const SupervisorEvent &e : std::as_const(last.recentEvents))
            QVERIFY2(!e.reason.contains(QStringLiteral("secret-path")), qPrintable(e.reason));
        host.stop();

        QVERIFY(keychainInChild({QStringLiteral("remove"), kService, entry}));
    }
};

int main(int argc, char **argv)
{
    if (argc > 1 && qstrcmp(argv[1], "--keychain") == 0)
        return keychainMain(argc, argv);
    QCoreApplication app(argc, argv);
    TestEngineWebhook test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}
#include "tst_engine_webhook.moc"
