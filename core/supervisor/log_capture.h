// A replica's stdout/stderr: a bounded in-memory ring of recent lines for the UI and a
// size-capped rotating file on disk. Neither grows without bound, whatever the agent writes.
#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QStringList>
#include <QVector>

namespace drover {

struct LogLimits
{
    qint64 ringBytes = 256 * 1024;         // in memory, per replica
    qint64 fileBytes = 8 * 1024 * 1024;    // per file before rotating
    int keepFiles = 3;                     // drover.log, .1, .2
    qint64 maxBytesPerSecond = 1024 * 1024; // beyond this the excess is counted, not kept
    int maxLineBytes = 16 * 1024;          // a line without newline is cut here
};

class LogRing
{
public:
    explicit LogRing(qint64 capacityBytes) : m_capacity(capacityBytes) {}
    void append(const QString &line);
    QStringList lines() const;
    qint64 bytes() const { return m_bytes; }
    qint64 dropped() const { return m_dropped; }

private:
    QVector<QString> m_lines;
    int m_head = 0; // index of the oldest line once the vector is used as a ring
    qint64 m_bytes = 0;
    qint64 m_capacity;
    qint64 m_dropped = 0;
};

class RotatingLogFile
{
public:
    RotatingLogFile(QString path, qint64 maxBytes, int keepFiles);
    bool write(const QByteArray &data);
    void flush();
    QString path() const { return m_path; }
    QString error() const { return m_error; }

private:
    bool openIfNeeded();
    void rotate();

    QString m_path;
    qint64 m_maxBytes;
    int m_keep;
    QFile m_file;
    QString m_error;
};

// Splits a byte stream into lines, rate-limits it, and feeds the ring and the file.
class LogCapture
{
public:
    LogCapture(const QString &filePath, LogLimits limits = {});

    // `stream` is "out" or "err"; nowMs drives the rate limit.
    void feed(const char *stream, const QByteArray &data, qint64 nowMs);
    void flushPartial(); // at exit: keep a last line that had no newline

    QStringList recentLines() const { return m_ring.lines(); }
    qint64 throttledBytes() const { return m_throttled; }
    const LogLimits &limits() const { return m_limits; }
    QString fileError() const { return m_file.error(); }
    QString filePath() const { return m_file.path(); }

private:
    void emitLine(const char *stream, const QByteArray &line);

    LogLimits m_limits;
    LogRing m_ring;
    RotatingLogFile m_file;
    QByteArray m_partial[2];
    qint64 m_windowStartMs = 0;
    qint64 m_windowBytes = 0;
    qint64 m_throttled = 0;
    qint64 m_throttledReported = 0;
    QByteArray m_stamp;
};

} // namespace drover
