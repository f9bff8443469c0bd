// Job intake: POST /v1/pools/{pool}/jobs on 127.0.0.1 (core/http HttpServer), for scripts
// and tools that hand work to a pool.
//
//   X-Correlation-Id: <id>          optional (1..128 of A-Z a-z 0-9 . _ : -); follows the job
//                                   through dispatch (logs, the agent's X-Correlation-Id);
//                                   without it the job's id is the correlation id
//   Authorization: Bearer <token>   the token is a random 256-bit value (64 hex digits) kept
//                                   in the OS keychain under `tokenName`, generated on first
//                                   use; there is no plaintext fallback: without a keychain
//                                   the endpoint answers 503
//   body (JSON object, all optional):
//     {"priority": "high|medium|low", "deadline_in_ms": 60000, "session_key": "user-42",
//      "job": {...}}                  "job" is what the agent receives (plus "id")
//   202 {"id": ..., "pool": ..., "priority": ..., "correlation_id": ...}   queued
//   401 missing or wrong token; 404 unknown pool; 400 bad JSON or fields; 503 no token yet
//
// Routes are exact paths (HttpServer), so a pool that was never configured gets the server's
// own 404 before the token is checked; a configured pool's path always checks the token first.
#pragma once

#include "core/http/http_server.h"
#include "dispatch_types.h"

#include <QObject>
#include <QSet>
#include <QString>
#include <functional>
#include <optional>

namespace drover {

struct IntakeOptions
{
    quint16 port = 0; // 0: any free loopback port
    QString secretService = QStringLiteral("Drover");
    QString tokenName = QStringLiteral("dispatch-intake-token");
};

struct IntakeParseResult
{
    std::optional<JobRequest> request;
    QString error; // why the body was refused (400)
};

// The body of POST /v1/pools/{pool}/jobs as a JobRequest for `pool` at `nowMs`.
IntakeParseResult parseIntakeBody(const QByteArray &body, const QString &pool, qint64 nowMs);
// Compares in time independent of where the first difference is.
bool constantTimeEquals(QByteArrayView a, QByteArrayView b);

class JobIntake : public QObject
{
    Q_OBJECT
public:
    // Queues a parsed request; returns the job (202) or nothing (503).
    using Submit = std::function<std::optional<QueuedJob>(const JobRequest &request)>;
    // `nowMs` for deadlines.
    using Clock = std::function<qint64()>;

    JobIntake(IntakeOptions options, Submit submit, Clock clock, QObject *parent = nullptr);
    ~JobIntake() override;

    // Listens and starts loading (or creating) the token; ready() or failed() follows.
    bool start(QString *error = nullptr);
    void stop();
    void setPools(const QStringList &pools);

    quint16 port() const;
    bool isReady() const { return !m_token.isEmpty(); }
    QString tokenError() const { return m_tokenError; }

signals:
    void ready(quint16 port);
    void failed(const QString &error);

private:
    void loadToken();
    void handle(const QString &pool, const HttpRequest &request, HttpResponder &responder);

    IntakeOptions m_options;
    Submit m_submit;
    Clock m_clock;
    HttpServer *m_server = nullptr;
    QSet<QString> m_routed; // paths registered with the server (they cannot be removed)
    QSet<QString> m_pools;  // pools accepting jobs now
    QByteArray m_token;
    QString m_tokenError;
};

} // namespace drover
