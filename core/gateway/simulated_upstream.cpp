#include "simulated_upstream.h"

#include "core/http/http_server.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTimer>

#include <cmath>

namespace drover {

namespace {

const char *const kWords[] = {"The", " fleet", " is", " healthy", ".", " Queue", " depth", " is",
                              " stable", ",", " and", " the", " agents", " are", " keeping",
                              " up", " with", " the", " load", ".", " No", " action", " is",
                              " needed", " right", " now", "."};
constexpr int kWordCount = int(sizeof kWords / sizeof kWords[0]);

qint64 monotonicMs()
{
    static QElapsedTimer timer = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return timer.elapsed();
}

HttpResponse apiError(int status, const QString &message, const QString &type,
                      const QString &code)
{
    QJsonObject error{{QStringLiteral("message"), message},
                      {QStringLiteral("type"), type},
                      {QStringLiteral("param"), QJsonValue::Null},
                      {QStringLiteral("code"), code.isEmpty() ? QJsonValue(QJsonValue::Null)
                                                              : QJsonValue(code)}};
    return HttpResponse::json(status, QJsonObject{{QStringLiteral("error"), error}});
}

// Roughly what a tokenizer would say about the prompt: 4 bytes a token.
qint64 promptTokensOf(const QJsonObject &request)
{
    qint64 chars = 0;
    for (const QJsonValue &m : request.value(QLatin1String("messages")).toArray())
        chars += QJsonDocument(m.toObject()).toJson(QJsonDocument::Compact).size();
    const QJsonValue input = request.value(QLatin1String("input"));
    if (input.isString())
        chars += input.toString().size();
    else if (input.isArray())
        chars += QJsonDocument(input.toArray()).toJson(QJsonDocument::Compact).size();
    return qMax<qint64>(1, (chars + 3) / 4);
}

int completionTokensOf(const QJsonObject &request, int fallback)
{
    for (const char *key : {"max_completion_tokens", "max_tokens", "max_output_tokens"}) {
        const int n = request.value(QLatin1String(key)).toInt();
        if (n > 0)
            return qMin(n, 512);
    }
    return fallback;
}

QJsonObject usageJson(qint64 prompt, qint64 completion, bool reasoningModel)
{
    // Plausible detail: long prompts hit the provider's prompt cache in 64-token blocks, and
    // reasoning models spend a third of their output thinking.
    const qint64 cached = prompt >= 128 ? (prompt / 2 / 64) * 64 : 0;
    const qint64 reasoning = reasoningModel ? completion / 3 : 0;
    return QJsonObject{
        {QStringLiteral("prompt_tokens"), prompt},
        {QStringLiteral("completion_tokens"), completion},
        {QStringLiteral("total_tokens"), prompt + completion},
        {QStringLiteral("prompt_tokens_details"),
         QJsonObject{{QStringLiteral("cached_tokens"), cached}}},
        {QStringLiteral("completion_tokens_details"),
         QJsonObject{{QStringLiteral("reasoning_tokens"), reasoning}}}};
}

bool isReasoningModel(const QString &model)
{
    return model.startsWith(QLatin1Char('o')) || model.startsWith(QLatin1String("gpt-5"));
}

QByteArray sseData(const QJsonObject &o)
{
    return "data: " + QJsonDocument(o).toJson(QJsonDocument::Compact) + "\n\n";
}

// Only the gateway talks to it, and the gateway already bounds request sizes and the bytes it
// buffers: whatever it accepted (up to its maxRequestBytes) is answered, not refused as 413.
HttpServerOptions serverOptions()
{
    HttpServerOptions o;
    o.limits.maxBodyBytes = 256 * 1024 * 1024;
    o.maxBufferedRequestBytes = 0;
    return o;
}

} // namespace

SimulatedUpstream::SimulatedUpstream(SimulatedUpstreamOptions options, QObject *parent)
    : QObject(parent), m_options(std::move(options)), m_server(new HttpServer(serverOptions(), this))
{
    // Like real providers, requests are limited per second (a burst of one second's share),
    // tokens per minute.
    const qint64 now = monotonicMs();
    if (m_options.requestsPerMinute > 0)
        m_requests = TokenBucket(double(m_options.requestsPerMinute), now,
                                 qMax(1.0, double(m_options.requestsPerMinute) / 60.0));
    if (m_options.tokensPerMinute > 0)
        m_tokens = TokenBucket(double(m_options.tokensPerMinute), now);

    m_server->route("GET", "/v1/models", [this](const HttpRequest &, HttpResponder &r) {
        QJsonArray data;
        for (const QString &m : m_options.models) {
            data.append(QJsonObject{{QStringLiteral("id"), m},
                                    {QStringLiteral("object"), QStringLiteral("model")},
                                    {QStringLiteral("created"), 1700000000},
                                    {QStringLiteral("owned_by"), QStringLiteral("drover-simulated")}});
        }
        r.respond(HttpResponse::json(200, QJsonObject{{QStringLiteral("object"), QStringLiteral("list")},
                                                      {QStringLiteral("data"), data}}));
    });

    m_server->route("POST", "/v1/embeddings", [this](const HttpRequest &req, HttpResponder &r) {
        const QJsonObject body = QJsonDocument::fromJson(req.body).object();
        const qint64 prompt = promptTokensOf(body);
        if (limited(prompt, r))
            return;
        QJsonArray vector;
        for (int i = 0; i < 8; ++i)
            vector.append(std::sin(double(prompt + i)));
        QJsonObject usage{{QStringLiteral("prompt_tokens"), prompt},
                          {QStringLiteral("total_tokens"), prompt}};
        r.respond(HttpResponse::json(
            200, QJsonObject{{QStringLiteral("object"), QStringLiteral("list")},
                             {QStringLiteral("data"),
                              QJsonArray{QJsonObject{{QStringLiteral("object"), QStringLiteral("embedding")},
                                                     {QStringLiteral("index"), 0},
                                                     {QStringLiteral("embedding"), vector}}}},
                             {QStringLiteral("model"), body.value(QLatin1String("model"))},
                             {QStringLiteral("usage"), usage}}));
    });

    m_server->route("POST", "/v1/responses", [this](const HttpRequest &req, HttpResponder &r) {
        const QJsonObject body = QJsonDocument::fromJson(req.body).object();
        const qint64 prompt = promptTokensOf(body);
        const int completion = completionTokensOf(body, m_options.completionTokens);
        if (limited(prompt + completion, r))
            return;
        QString text;
        for (int i = 0; i < completion; ++i)
            text += QLatin1String(kWords[i % kWordCount]);
        const QJsonObject u = usageJson(prompt, completion, isReasoningModel(body.value(QLatin1String("model")).toString()));
        const QJsonObject usage{{QStringLiteral("input_tokens"), prompt},
                                {QStringLiteral("output_tokens"), completion},
                                {QStringLiteral("total_tokens"), prompt + completion},
                                {QStringLiteral("input_tokens_details"), u.value(QLatin1String("prompt_tokens_details"))},
                                {QStringLiteral("output_tokens_details"), u.value(QLatin1String("completion_tokens_details"))}};
        const QJsonObject content{{QStringLiteral("type"), QStringLiteral("output_text")},
                                  {QStringLiteral("text"), text}};
        const QJsonObject message{{QStringLiteral("type"), QStringLiteral("message")},
                                  {QStringLiteral("role"), QStringLiteral("assistant")},
                                  {QStringLiteral("content"), QJsonArray{content}}};
        r.respond(HttpResponse::json(
            200, QJsonObject{{QStringLiteral("id"), QStringLiteral("resp_sim%1").arg(++m_ids)},
                             {QStringLiteral("object"), QStringLiteral("response")},
                             {QStringLiteral("status"), QStringLiteral("completed")},
                             {QStringLiteral("model"), body.value(QLatin1String("model"))},
                             {QStringLiteral("output"), QJsonArray{message}},
                             {QStringLiteral("usage"), usage}}));
    });

    m_server->route("POST", "/v1/chat/completions", [this](const HttpRequest &req, HttpResponder &r) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(req.body, &error);
        if (!doc.isObject()) {
            r.respond(apiError(400, QStringLiteral("We could not parse the JSON body of your request."),
                               QStringLiteral("invalid_request_error"), QString()));
            return;
        }
        const QJsonObject body = doc.object();
        const QString model = body.value(QLatin1String("model")).toString(QStringLiteral("gpt-4o-mini"));
        const qint64 prompt = promptTokensOf(body);
        const int completion = completionTokensOf(body, m_options.completionTokens);
        if (limited(prompt + completion, r))
            return;
        const QString id = QStringLiteral("chatcmpl-sim%1").arg(++m_ids);
        const qint64 created = QDateTime::currentSecsSinceEpoch();
        const QJsonObject usage = usageJson(prompt, completion, isReasoningModel(model));

        if (!body.value(QLatin1String("stream")).toBool()) {
            QString text;
            for (int i = 0; i < completion; ++i)
                text += QLatin1String(kWords[i % kWordCount]);
            const QJsonObject message{{QStringLiteral("role"), QStringLiteral("assistant")},
                                      {QStringLiteral("content"), text}};
            const QJsonObject choice{{QStringLiteral("index"), 0},
                                     {QStringLiteral("message"), message},
                                     {QStringLiteral("finish_reason"), QStringLiteral("stop")}};
            r.respond(HttpResponse::json(
                200, QJsonObject{{QStringLiteral("id"), id},
                                 {QStringLiteral("object"), QStringLiteral("chat.completion")},
                                 {QStringLiteral("created"), created},
                                 {QStringLiteral("model"), model},
                                 {QStringLiteral("choices"), QJsonArray{choice}},
                                 {QStringLiteral("usage"), usage}}));
            return;
        }

        const bool includeUsage = body.value(QLatin1String("stream_options"))
                                      .toObject()
                                      .value(QLatin1String("include_usage"))
                                      .toBool();
        HttpResponse head;
        head.status = 200;
        head.setHeader("Content-Type", "text/event-stream; charset=utf-8");
        head.setHeader("Cache-Control", "no-cache");
        if (!r.beginStream(head))
            return;
        auto chunk = [id, created, model](const QJsonObject &delta, const QJsonValue &finish) {
            const QJsonObject choice{{QStringLiteral("index"), 0},
                                     {QStringLiteral("delta"), delta},
                                     {QStringLiteral("finish_reason"), finish}};
            return QJsonObject{{QStringLiteral("id"), id},
                               {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
                               {QStringLiteral("created"), created},
                               {QStringLiteral("model"), model},
                               {QStringLiteral("choices"), QJsonArray{choice}}};
        };
        // One word a tick, like a model producing tokens; the timer dies with the stream.
        auto *timer = new QTimer(this);
        timer->setInterval(qMax(0, m_options.chunkIntervalMs));
        auto step = std::make_shared<int>(0);
        HttpResponder stream = r;
        QPointer<QTimer> guard(timer);
        stream.onClientDisconnected([guard] {
            if (guard)
                guard->deleteLater();
        });
        connect(timer, &QTimer::timeout, this, [=]() mutable {
            const int i = (*step)++;
            QByteArray out;
            if (i == 0) {
                out = sseData(chunk(QJsonObject{{QStringLiteral("role"), QStringLiteral("assistant")},
                                                {QStringLiteral("content"), QString()}},
                                    QJsonValue::Null));
            } else if (i <= completion) {
                out = sseData(chunk(QJsonObject{{QStringLiteral("content"),
                                                 QLatin1String(kWords[(i - 1) % kWordCount])}},
                                    QJsonValue::Null));
            } else {
                out = sseData(chunk(QJsonObject(), QStringLiteral("stop")));
                if (includeUsage) {
                    out += sseData(QJsonObject{{QStringLiteral("id"), id},
                                               {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
                                               {QStringLiteral("created"), created},
                                               {QStringLiteral("model"), model},
                                               {QStringLiteral("choices"), QJsonArray()},
                                               {QStringLiteral("usage"), usage}});
                }
                out += "data: [DONE]\n\n";
                stream.write(out);
                stream.end();
                timer->deleteLater();
                return;
            }
            if (!stream.write(out))
                timer->deleteLater();
        });
        timer->start();
    });
}

SimulatedUpstream::~SimulatedUpstream() = default;

bool SimulatedUpstream::listen()
{
    return m_server->listen(0);
}

quint16 SimulatedUpstream::port() const
{
    return m_server->port();
}

QUrl SimulatedUpstream::baseUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1/v1").arg(port()));
}

void SimulatedUpstream::close()
{
    m_server->close();
}

bool SimulatedUpstream::limited(qint64 estimatedTokens, HttpResponder &responder)
{
    const qint64 now = monotonicMs();
    const double tokens = double(qMin<qint64>(estimatedTokens, qint64(m_tokens.capacity())));
    const qint64 waitRequests = m_requests.msUntilAvailable(1, now);
    const qint64 waitTokens = m_tokens.msUntilAvailable(tokens, now);
    if (waitRequests == 0 && waitTokens == 0) {
        // The simulated provider bills what it estimated; close enough for a demo.
        m_requests.take(1, now);
        m_tokens.take(tokens, now);
        return false;
    }
    const bool byRequests = waitRequests >= waitTokens;
    const qint64 waitMs = qMax<qint64>(1, qMax(waitRequests, waitTokens));
    const QString what = byRequests ? QStringLiteral("requests") : QStringLiteral("tokens");
    HttpResponse r = apiError(
        429,
        QStringLiteral("Rate limit reached for the simulated provider on %1 per min. "
                       "Please try again in %2ms.").arg(what).arg(waitMs),
        what, QStringLiteral("rate_limit_exceeded"));
    r.setHeader("retry-after", QByteArray::number((waitMs + 999) / 1000));
    r.setHeader("retry-after-ms", QByteArray::number(waitMs));
    if (!m_requests.isUnlimited()) {
        r.setHeader("x-ratelimit-limit-requests", QByteArray::number(m_options.requestsPerMinute));
        r.setHeader("x-ratelimit-remaining-requests",
                    QByteArray::number(qMax<qint64>(0, qint64(m_requests.level(now)))));
        r.setHeader("x-ratelimit-reset-requests", formatRateLimitDuration(m_requests.msUntilFull(now)));
    }
    if (!m_tokens.isUnlimited()) {
        r.setHeader("x-ratelimit-limit-tokens", QByteArray::number(m_options.tokensPerMinute));
        r.setHeader("x-ratelimit-remaining-tokens",
                    QByteArray::number(qMax<qint64>(0, qint64(m_tokens.level(now)))));
        r.setHeader("x-ratelimit-reset-tokens", formatRateLimitDuration(m_tokens.msUntilFull(now)));
    }
    responder.respond(r);
    return true;
}

} // namespace drover
