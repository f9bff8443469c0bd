// Structured logs: every qDebug/qInfo/qWarning (and qC* with a QLoggingCategory) becomes one
// JSON line in a rotating file in Drover's data folder:
//
//   {"timestamp":"2026-11-29T10:54:15.123Z","level":"info","logger":"drover.scaling",
//    "message":"...","correlation_id":"dec-...","pool":"mail","replica":null}
//
// The logger is the message's category. correlation_id, pool and replica come from the
// thread's LogContext (ScopedLogContext around the work: a job from intake to completion, a
// scaling decision). Secrets never reach the file: messages pass redactSecrets() first.
//
// The message handler only formats and queues; a writer thread does the file I/O, so logging
// from the UI thread never waits on the disk. Rotation is the supervisor's RotatingLogFile (the
// same size-capped scheme as replica logs).
#pragma once

#include <QByteArray>
#include <QLoggingCategory>
#include <QString>

namespace drover {

Q_DECLARE_LOGGING_CATEGORY(lcScaling)  // drover.scaling: autoscaler decisions
Q_DECLARE_LOGGING_CATEGORY(lcDispatch) // drover.dispatch: jobs from intake to completion
Q_DECLARE_LOGGING_CATEGORY(lcObserve)  // drover.observe: /metrics, /health, logging itself

struct LogContext
{
    QString correlationId;
    QString pool;
    int replica = -1; // -1: none
};

// The calling thread's context.
LogContext currentLogContext();

// Sets the calling thread's context for its lifetime; the previous one returns after.
class ScopedLogContext
{
public:
    explicit ScopedLogContext(LogContext context);
    ~ScopedLogContext();
    ScopedLogContext(const ScopedLogContext &) = delete;
    ScopedLogContext &operator=(const ScopedLogContext &) = delete;

private:
    LogContext m_previous;
};

// Bearer tokens, provider keys (sk-...), 64-hex-digit tokens and key=value secrets become
// "[redacted]".
QString redactSecrets(const QString &text);

// One JSON line (with the trailing newline) for a message; `nowMs` is ms since the epoch.
QByteArray formatJsonLogLine(QtMsgType type, const char *category, const QString &message,
                             const LogContext &context, qint64 nowMs);

struct JsonLogOptions
{
    QString path;                       // the current file, e.g. <data dir>/logs/drover.jsonl
    qint64 maxBytes = 10 * 1024 * 1024; // rotate when the next line would pass this
    int keepFiles = 5;                  // drover.jsonl.1 .. .N; the oldest is deleted
    int maxQueuedLines = 10000;         // beyond this, lines are dropped and counted
    bool alsoStderr = true;             // keep the plain Qt output on the console too
};

// Installs the JSON handler (qInstallMessageHandler) for the whole process. Returns false with
// `error` when the file cannot be opened; the previous handler then stays.
bool installJsonLog(const JsonLogOptions &options, QString *error = nullptr);
// Writes everything queued so far and returns when it is on disk (tests, shutdown).
void flushJsonLog();
// Restores the previous handler, writes what is queued and stops the writer thread.
void uninstallJsonLog();

} // namespace drover
