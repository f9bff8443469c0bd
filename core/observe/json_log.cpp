#include "json_log.h"

#include "core/supervisor/log_capture.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace drover {

Q_LOGGING_CATEGORY(lcScaling, "drover.scaling", QtInfoMsg)
Q_LOGGING_CATEGORY(lcDispatch, "drover.dispatch", QtInfoMsg)
Q_LOGGING_CATEGORY(lcObserve, "drover.observe", QtInfoMsg)

namespace {
thread_local LogContext t_context;
} // namespace

LogContext currentLogContext()
{
    return t_context;
}

ScopedLogContext::ScopedLogContext(LogContext context) : m_previous(t_context)
{
    t_context = std::move(context);
}

ScopedLogContext::~ScopedLogContext()
{
    t_context = std::move(m_previous);
}

QString redactSecrets(const QString &text)
{
    // Deliberately broad: a false positive costs a readable word, a miss leaks a credential.
    static const QRegularExpression bearer(QStringLiteral("(Bearer|Basic)\\s+[^\\s\"',;]+"),
                                           QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression keyValue(
        QStringLiteral("((?:api[_-]?key|token|password|passwd|secret|authorization)[\"']?\\s*[:=]\\s*[\"']?)"
                       "(?!\\[redacted\\])[^\\s\"',;&]+"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression providerKey(QStringLiteral("\\bsk-[A-Za-z0-9_\\-]{16,}"));
    static const QRegularExpression hexToken(QStringLiteral("\\b[0-9a-fA-F]{32,}\\b"));
    QString out = text;
    out.replace(bearer, QStringLiteral("\\1 [redacted]"));
    out.replace(keyValue, QStringLiteral("\\1[redacted]"));
    out.replace(providerKey, QStringLiteral("[redacted]"));
    out.replace(hexToken, QStringLiteral("[redacted]"));
    return out;
}

QByteArray formatJsonLogLine(QtMsgType type, const char *category, const QString &message,
                             const LogContext &context, qint64 nowMs)
{
    const char *level = "info";
    switch (type) {
    case QtDebugMsg:
        level = "debug";
        break;
    case QtInfoMsg:
        level = "info";
        break;
    case QtWarningMsg:
        level = "warning";
        break;
    case QtCriticalMsg:
        level = "critical";
        break;
    case QtFatalMsg:
        level = "fatal";
        break;
    }
    const auto orNull = [](const QString &s) { return s.isEmpty() ? QJsonValue() : QJsonValue(s); };
    QJsonObject o;
    o.insert(QStringLiteral("timestamp"),
             QDateTime::fromMSecsSinceEpoch(nowMs, Qt::UTC).toString(Qt::ISODateWithMs));
    o.insert(QStringLiteral("level"), QLatin1String(level));
    o.insert(QStringLiteral("logger"),
             category && *category ? QString::fromUtf8(category) : QStringLiteral("default"));
    o.insert(QStringLiteral("message"), redactSecrets(message));
    o.insert(QStringLiteral("correlation_id"), orNull(redactSecrets(context.correlationId)));
    o.insert(QStringLiteral("pool"), orNull(context.pool));
    o.insert(QStringLiteral("replica"), context.replica >= 0 ? QJsonValue(context.replica) : QJsonValue());
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
}

namespace {

// The process-wide sink: the handler queues lines, one writer thread writes them.
struct Sink
{
    std::mutex mutex;
    std::condition_variable wake;
    std::condition_variable drained;
    std::deque<QByteArray> queue;
    quint64 dropped = 0;
    quint64 queuedTotal = 0;  // lines ever queued
    quint64 writtenTotal = 0; // lines ever written (or dropped)
    bool stopping = false;
    std::thread writer;
    std::unique_ptr<RotatingLogFile> file;
    JsonLogOptions options;
    QtMessageHandler previous = nullptr;
};

Sink *g_sink = nullptr;
std::mutex g_installMutex;

void writerLoop(Sink *sink)
{
    std::unique_lock<std::mutex> lock(sink->mutex);
    for (;;) {
        sink->wake.wait(lock, [sink] { return sink->stopping || !sink->queue.empty(); });
        std::deque<QByteArray> batch;
        batch.swap(sink->queue);
        const quint64 dropped = std::exchange(sink->dropped, 0);
        lock.unlock();
        if (dropped) {
            const QString text = QStringLiteral("%1 log line(s) dropped: the writer fell behind").arg(dropped);
            sink->file->write(formatJsonLogLine(QtWarningMsg, "drover.observe", text, {},
                                                QDateTime::currentMSecsSinceEpoch()));
        }
        // A failed write (disk full) loses those lines; the handler never blocks on it.
        for (const QByteArray &line : batch)
            sink->file->write(line);
        sink->file->flush();
        lock.lock();
        sink->writtenTotal += batch.size();
        sink->drained.notify_all();
        if (sink->stopping && sink->queue.empty())
            return;
    }
}

void handler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    Sink *sink = g_sink;
    if (!sink)
        return;
    if (sink->options.alsoStderr && sink->previous)
        sink->previous(type, context, redactSecrets(message));
    const QByteArray line = formatJsonLogLine(type, context.category, message, t_context,
                                              QDateTime::currentMSecsSinceEpoch());
    {
        std::lock_guard<std::mutex> lock(sink->mutex);
        if (int(sink->queue.size()) >= sink->options.maxQueuedLines) {
            ++sink->dropped;
            return;
        }
        sink->queue.push_back(line);
        ++sink->queuedTotal;
    }
    sink->wake.notify_one();
    if (type == QtFatalMsg)
        flushJsonLog(); // Qt aborts after the handler returns: the line must be on disk first
}

} // namespace

bool installJsonLog(const JsonLogOptions &options, QString *error)
{
    std::lock_guard<std::mutex> guard(g_installMutex);
    if (g_sink)
        return true;
    auto sink = std::make_unique<Sink>();
    sink->options = options;
    // keepFiles old files besides the current one.
    sink->file = std::make_unique<RotatingLogFile>(options.path, options.maxBytes, options.keepFiles + 1);
    if (!sink->file->write(QByteArray())) { // opens (and creates the folder) now, not at the first line
        if (error)
            *error = QStringLiteral("cannot open the log file %1: %2").arg(options.path, sink->file->error());
        return false;
    }
    sink->writer = std::thread(writerLoop, sink.get());
    g_sink = sink.release();
    g_sink->previous = qInstallMessageHandler(handler);
    return true;
}

void flushJsonLog()
{
    Sink *sink = g_sink;
    if (!sink)
        return;
    std::unique_lock<std::mutex> lock(sink->mutex);
    const quint64 target = sink->queuedTotal;
    sink->wake.notify_one();
    sink->drained.wait(lock, [sink, target] { return sink->writtenTotal >= target; });
}

void uninstallJsonLog()
{
    std::lock_guard<std::mutex> guard(g_installMutex);
    Sink *sink = g_sink;
    if (!sink)
        return;
    qInstallMessageHandler(sink->previous);
    {
        std::lock_guard<std::mutex> lock(sink->mutex);
        sink->stopping = true;
    }
    sink->wake.notify_one();
    sink->writer.join();
    g_sink = nullptr;
    delete sink;
}

} // namespace drover
