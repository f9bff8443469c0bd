// drover-gateway-bench: the pieces of tests/bench/gateway_vs_nginx.sh.
//   upstream --port P [--chunk-ms 20 --chunks 20]   a fake OpenAI upstream (plain + SSE); each
//                                                  SSE chunk carries its send time ("t", ns of
//                                                  CLOCK_MONOTONIC, comparable across processes)
//   gateway --upstream URL                          the gateway with a provider key in the
//                                                  keychain (run under run_with_keyring.sh);
//                                                  prints "<port> <token>"
//   streams --port P [--token T --streams 20]       N concurrent streams; per-chunk delay from
//                                                  upstream send to arrival here, as JSON
#include "core/gateway/gateway.h"
#include "core/http/http_server.h"
#include "core/secrets/secret_store.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>
#include <chrono>
#include <cstdio>

using namespace drover;

namespace {

qint64 monoNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

QString arg(const QStringList &args, const QString &name, const QString &fallback)
{
    const int i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args[i + 1] : fallback;
}

const QByteArray kPlainAnswer =
    R"({"id":"chatcmpl-bench","object":"chat.completion","created":1,"model":"gpt-4o-mini",)"
    R"("choices":[{"index":0,"message":{"role":"assistant","content":"Hello, fleet."},)"
    R"("finish_reason":"stop"}],"usage":{"prompt_tokens":20,"completion_tokens":10,)"
    R"("total_tokens":30,"prompt_tokens_details":{"cached_tokens":0},)"
    R"("completion_tokens_details":{"reasoning_tokens":0}}})";

int runUpstream(const QStringList &args)
{
    const int chunkMs = arg(args, QStringLiteral("--chunk-ms"), QStringLiteral("20")).toInt();
    const int chunks = arg(args, QStringLiteral("--chunks"), QStringLiteral("20")).toInt();
    HttpServerOptions so;
    so.maxConnections = 1024;
    auto *server = new HttpServer(so);
    server->route("POST", "/v1/chat/completions", [=](const HttpRequest &req, HttpResponder &r) {
        if (!req.body.contains("\"stream\":true")) {
            r.respond(HttpResponse::text(200, kPlainAnswer, "application/json"));
            return;
        }
        const bool usage = req.body.contains("\"include_usage\":true");
        HttpResponse head;
        head.setHeader("Content-Type", "text/event-stream");
        r.beginStream(head);
        auto *timer = new QTimer;
        timer->setTimerType(Qt::PreciseTimer);
        timer->setInterval(chunkMs);
        auto n = std::make_shared<int>(0);
        HttpResponder s = r;
        QObject::connect(timer, &QTimer::timeout, [=]() mutable {
            if ((*n)++ < chunks) {
                if (!s.write("data: {\"object\":\"chat.completion.chunk\",\"t\":" + QByteArray::number(monoNs())
                             + ",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"w \"}}]}\n\n")) {
                    timer->deleteLater();
                }
                return;
            }
            QByteArray tail;
            if (usage)
                tail += "data: {\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":" + QByteArray::number(chunks) + "}}\n\n";
            tail += "data: [DONE]\n\n";
            s.write(tail);
            s.end();
            timer->deleteLater();
        });
        timer->start();
    });
    if (!server->listen(quint16(arg(args, QStringLiteral("--port"), QStringLiteral("0")).toUInt()))) {
        std::fprintf(stderr, "upstream: cannot listen\n");
        return 1;
    }
    std::printf("%u\n", server->port());
    std::fflush(stdout);
    return QCoreApplication::exec();
}

int runGateway(const QStringList &args)
{
    const QString service = QStringLiteral("drover-gateway-bench-%1").arg(QCoreApplication::applicationPid());
    auto *store = new SecretStore(service);
    store->write(QStringLiteral("openai_api_key"), QStringLiteral("sk-bench-provider-key"),
                 [=](bool ok, const QString &error) {
        if (!ok) {
            std::fprintf(stderr, "gateway: keychain write failed: %s\n", qPrintable(error));
            QCoreApplication::exit(1);
            return;
        }
        GatewayOptions o;
        o.upstream = arg(args, QStringLiteral("--upstream"), QString());
        o.secretService = service;
        o.maxConnections = 1024;
        // Metered but effectively unlimited, so the budget code runs on every request.
        o.tierBudgets.insert(QStringLiteral("bench"), TierBudget{1'000'000'000, 1'000'000'000});
        auto *host = new GatewayHost(o);
        if (!host->start()) {
            std::fprintf(stderr, "gateway: %s\n", qPrintable(host->errorString()));
            QCoreApplication::exit(1);
            return;
        }
        const QByteArray token = host->issueToken(QStringLiteral("bench"), 0, QStringLiteral("bench"));
        QObject::connect(host, &GatewayHost::statsPublished, [](const GatewayStats &s) {
            std::fprintf(stderr, "gateway stats: requests %lld prompt %lld completion %lld simulated %d\n",
                         s.usage.total.requests, s.usage.total.prompt, s.usage.total.completion,
                         int(s.simulated));
        });
        std::printf("%u %s\n", host->port(), token.constData());
        std::fflush(stdout);
    });
    return QCoreApplication::exec();
}

int runStreams(const QStringList &args)
{
    const quint16 port = quint16(arg(args, QStringLiteral("--port"), QStringLiteral("0")).toUInt());
    const QByteArray token = arg(args, QStringLiteral("--token"), QStringLiteral("none")).toLatin1();
    const int n = arg(args, QStringLiteral("--streams"), QStringLiteral("20")).toInt();
    const QByteArray body = R"({"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"go"}]})";
    auto delays = std::make_shared<QList<double>>();
    auto done = std::make_shared<int>(0);
    for (int i = 0; i < n; ++i) {
        auto *socket = new QTcpSocket;
        auto buffer = std::make_shared<QByteArray>();
        QObject::connect(socket, &QTcpSocket::connected, [=] {
            socket->write("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                          "Authorization: Bearer " + token + "\r\nContent-Length: " + QByteArray::number(body.size())
                          + "\r\nConnection: close\r\n\r\n" + body);
        });
        QObject::connect(socket, &QTcpSocket::readyRead, [=] {
            const qint64 now = monoNs();
            *buffer += socket->readAll();
            qsizetype pos;
            while ((pos = buffer->indexOf("\"t\":")) >= 0) {
                qsizetype end = pos + 4;
                while (end < buffer->size() && std::isdigit(uchar(buffer->at(end))))
                    ++end;
                if (end == buffer->size())
                    break;
                delays->append(double(now - buffer->mid(pos + 4, end - pos - 4).toLongLong()) / 1e6);
                buffer->remove(0, end);
            }
        });
        QObject::connect(socket, &QTcpSocket::disconnected, [=] {
            if (++*done == n)
                QCoreApplication::quit();
        });
        socket->connectToHost(QHostAddress::LocalHost, port);
    }
    QTimer::singleShot(120000, [] { QCoreApplication::quit(); });
    QCoreApplication::exec();
    std::sort(delays->begin(), delays->end());
    auto pct = [&](double p) {
        return delays->isEmpty() ? -1.0 : delays->at(qMin(delays->size() - 1, qsizetype(p * delays->size())));
    };
    std::printf("{\"chunks\":%lld,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f}\n",
                qint64(delays->size()), pct(0.5), pct(0.99), delays->isEmpty() ? -1.0 : delays->last());
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const QString mode = args.value(1);
    if (mode == QLatin1String("upstream"))
        return runUpstream(args);
    if (mode == QLatin1String("gateway"))
        return runGateway(args);
    if (mode == QLatin1String("streams"))
        return runStreams(args);
    std::fprintf(stderr, "usage: drover-gateway-bench upstream|gateway|streams [options]\n");
    return 2;
}
