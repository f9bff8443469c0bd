#include "job_intake.h"

#include "core/observe/json_log.h"
#include "core/secrets/secret_store.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <cmath>

namespace drover {

namespace {
constexpr qint64 kMaxDeadlineInMs = 30LL * 24 * 3600 * 1000;
constexpr qsizetype kMaxSessionKeyChars = 1024;

QString poolPath(const QString &pool)
{
    return QStringLiteral("/v1/pools/%1/jobs").arg(pool);
}
} // namespace

bool constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    // Length is not secret (every token has 64 digits); the contents are.
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

IntakeParseResult parseIntakeBody(const QByteArray &body, const QString &pool, qint64 nowMs)
{
    IntakeParseResult result;
    JobRequest r;
    r.pool = pool;
    if (!body.trimmed().isEmpty()) {
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
        if (parseError.error != QJsonParseError::NoError) {
            result.error = QStringLiteral("invalid JSON at offset %1: %2")
                               .arg(parseError.offset)
                               .arg(parseError.errorString());
            return result;
        }
        if (!doc.isObject()) {
            result.error = QStringLiteral("the body must be a JSON object");
            return result;
        }
        const QJsonObject o = doc.object();
        const QJsonValue priority = o.value(QStringLiteral("priority"));
        if (!priority.isUndefined()) {
            const auto p = jobPriorityFromName(priority.toString());
            if (!priority.isString() || !p) {
                result.error =
                    QStringLiteral("\"priority\" must be \"high\", \"medium\" or \"low\"");
                return result;
            }
            r.priority = *p;
        }
        const QJsonValue deadline = o.value(QStringLiteral("deadline_in_ms"));
        if (!deadline.isUndefined()) {
            const double v = deadline.toDouble(-1);
            if (!deadline.isDouble() || !std::isfinite(v) || v < 1 ||
                v > double(kMaxDeadlineInMs)) {
                result.error = QStringLiteral("\"deadline_in_ms\" must be a number in 1..%1")
                                   .arg(kMaxDeadlineInMs);
                return result;
            }
            r.deadlineMs = nowMs + qint64(v);
        }
        const QJsonValue session = o.value(QStringLiteral("session_key"));
        if (!session.isUndefined()) {
            if (!session.isString() || session.toString().size() > kMaxSessionKeyChars) {
                result.error =
                    QStringLiteral("\"session_key\" must be a string of at most %1 characters")
                        .arg(kMaxSessionKeyChars);
                return result;
            }
            r.sessionKey = session.toString();
        }
        const QJsonValue job = o.value(QStringLiteral("job"));
        if (!job.isUndefined()) {
            if (!job.isObject()) {
                result.error = QStringLiteral("\"job\" must be a JSON object");
                return result;
            }
            r.payload = job.toObject();
        }
    }
    result.request = r;
    return result;
}

JobIntake::JobIntake(IntakeOptions options, Submit submit, Clock clock, QObject *parent)
    : QObject(parent), m_options(std::move(options)), m_submit(std::move(submit)),
      m_clock(std::move(clock))
{
    HttpServerOptions serverOptions;
    serverOptions.limits.maxBodyBytes = 1024 * 1024;
    m_server = new HttpServer(serverOptions, this);
}

JobIntake::~JobIntake() = default;

bool JobIntake::start(QString *error)
{
    if (!m_server->isListening() && !m_server->listen(m_options.port)) {
        if (error)
            *error = QStringLiteral("job intake cannot listen on 127.0.0.1:%1: %2")
                         .arg(m_options.port)
                         .arg(m_server->errorString());
        return false;
    }
    if (m_token.isEmpty())
        loadToken();
    return true;
}

void JobIntake::stop()
{
    m_server->close();
}

quint16 JobIntake::port() const
{
    return m_server->isListening() ? m_server->port() : 0;
}

void JobIntake::setPools(const QStringList &pools)
{
    m_pools = QSet<QString>(pools.cbegin(), pools.cend());
    for (const QString &pool : pools) {
        const QString path = poolPath(pool);
        if (m_routed.contains(path))
            continue;
        m_routed.insert(path);
        m_server->route(
            "POST", path.toUtf8(),
            [this, pool](const HttpRequest &q, HttpResponder &r) { handle(pool, q, r); });
    }
}

void JobIntake::loadToken()
{
    // "No such entry" (generate one) is told apart from "no keychain" (refuse, never fall back).
    auto *reader = new SecretStore(m_options.secretService, this);
    reader->lookup(m_options.tokenName, [this, reader](SecretStore::State state, const QString &value,
                                                       const QString &error) {
        reader->deleteLater();
        if (state == SecretStore::State::Set && value.size() >= 32) {
            m_token = value.toUtf8();
            emit ready(port());
            return;
        }
        if (state == SecretStore::State::Unavailable) {
            m_tokenError =
                QStringLiteral("the job-intake token cannot be read from the keychain: %1").arg(error);
            emit failed(m_tokenError);
            return;
        }
        quint32 words[8];
        QRandomGenerator::system()->fillRange(words);
        const QString token = QString::fromLatin1(
            QByteArray(reinterpret_cast<const char *>(words), sizeof words).toHex());
        auto *secrets = new SecretStore(m_options.secretService, this);
        secrets->write(
            m_options.tokenName, token, [this, token, secrets](bool ok, const QString &writeError) {
                secrets->deleteLater();
                if (!ok) {
                    m_tokenError =
                        QStringLiteral("the job-intake token cannot be stored in the keychain: %1")
                            .arg(writeError);
                    emit failed(m_tokenError);
                    return;
                }
                m_token = token.toUtf8();
                emit ready(port());
            });
    });
}

void JobIntake::handle(const QString &pool, const HttpRequest &request, HttpResponder &responder)
{
    if (m_token.isEmpty()) {
        responder.respond(HttpResponse::error(
            503, m_tokenError.isEmpty() ? QByteArray("the intake token is not loaded yet")
                                        : m_tokenError.toUtf8()));
        return;
    }
    const QByteArray authorization = request.header("Authorization");
    const QByteArray prefix = "Bearer ";
    const bool authorized =
        authorization.size() > prefix.size() &&
        authorization.left(prefix.size()).compare(prefix, Qt::CaseInsensitive) == 0 &&
        constantTimeEquals(authorization.mid(prefix.size()).trimmed(), m_token);
    if (!authorized) {
        HttpResponse r = HttpResponse::error(401, authorization.isEmpty() ? "missing bearer token"
                                                                          : "invalid bearer token");
        r.setHeader("WWW-Authenticate", "Bearer realm=\"drover\"");
        responder.respond(r);
        return;
    }
    if (!m_pools.contains(pool)) {
        responder.respond(HttpResponse::error(404, "unknown pool"));
        return;
    }
    // The caller's correlation id (X-Correlation-Id) follows the job; without one the job's id
    // does. It ends up in logs and headers, so only a plain token is accepted.
    static const QRegularExpression kCorrelationId(QStringLiteral("^[A-Za-z0-9._:-]{1,128}$"));
    const QString correlationId = QString::fromLatin1(request.header("X-Correlation-Id"));
    if (request.hasHeader("X-Correlation-Id") && !kCorrelationId.match(correlationId).hasMatch()) {
        responder.respond(HttpResponse::error(
            400, "X-Correlation-Id must be 1 to 128 letters, digits, '.', '_', ':' or '-'"));
        return;
    }
    IntakeParseResult parsed = parseIntakeBody(request.body, pool, m_clock());
    if (!parsed.request) {
        responder.respond(HttpResponse::error(400, parsed.error.toUtf8()));
        return;
    }
    parsed.request->correlationId = correlationId;
    const std::optional<QueuedJob> job = m_submit(*parsed.request);
    if (!job) {
        responder.respond(HttpResponse::error(503, "the job queue is not available"));
        return;
    }
    {
        ScopedLogContext context({job->correlationId, job->pool, -1});
        qCInfo(lcDispatch).noquote() << "job" << job->id << "accepted at the intake, priority"
                                     << jobPriorityName(job->priority);
    }
    QJsonObject o;
    o.insert(QStringLiteral("id"), job->id);
    o.insert(QStringLiteral("pool"), job->pool);
    o.insert(QStringLiteral("priority"), jobPriorityName(job->priority));
    o.insert(QStringLiteral("correlation_id"), job->correlationId);
    HttpResponse response = HttpResponse::json(202, o);
    response.setHeader("X-Correlation-Id", job->correlationId.toLatin1());
    responder.respond(response);
}

} // namespace drover
