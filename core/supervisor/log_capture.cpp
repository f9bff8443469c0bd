#include "log_capture.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>

namespace drover {

void LogRing::append(const QString &line)
{
    const qint64 size = line.size() * qint64(sizeof(QChar));
    if (size > m_capacity)
        return;
    m_lines.append(line);
    m_bytes += size;
    // Drop the oldest lines until the ring fits. Compact rarely so this stays O(1) amortised.
    while (m_bytes > m_capacity && m_head < m_lines.size()) {
        m_bytes -= m_lines[m_head].size() * qint64(sizeof(QChar));
        m_lines[m_head].clear();
        ++m_head;
        ++m_dropped;
    }
    if (m_head > 1024 && m_head * 2 > m_lines.size()) {
        m_lines.remove(0, m_head);
        m_head = 0;
    }
}

QStringList LogRing::lines() const
{
    QStringList out;
    out.reserve(m_lines.size() - m_head);
    for (int i = m_head; i < m_lines.size(); ++i)
        out.append(m_lines[i]);
    return out;
}

RotatingLogFile::RotatingLogFile(QString path, qint64 maxBytes, int keepFiles)
    : m_path(std::move(path)), m_maxBytes(maxBytes), m_keep(qMax(1, keepFiles))
{
}

bool RotatingLogFile::openIfNeeded()
{
    if (m_file.isOpen())
        return true;
    if (m_path.isEmpty())
        return false;
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    m_file.setFileName(m_path);
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Append)) {
        m_error = m_file.errorString();
        return false;
    }
    m_error.clear();
    return true;
}

void RotatingLogFile::rotate()
{
    m_file.close();
    // path.2 -> dropped, path.1 -> path.2, path -> path.1
    QFile::remove(m_path + QLatin1Char('.') + QString::number(m_keep - 1));
    for (int i = m_keep - 2; i >= 1; --i)
        QFile::rename(m_path + QLatin1Char('.') + QString::number(i),
                      m_path + QLatin1Char('.') + QString::number(i + 1));
    if (m_keep > 1)
        QFile::rename(m_path, m_path + QStringLiteral(".1"));
    else
        QFile::remove(m_path);
}

bool RotatingLogFile::write(const QByteArray &data)
{
    if (!openIfNeeded())
        return false;
    if (m_file.size() + data.size() > m_maxBytes && m_file.size() > 0) {
        rotate();
        if (!openIfNeeded())
            return false;
    }
    if (m_file.write(data) != data.size()) {
        m_error = m_file.errorString(); // disk full: keep running, the ring still has the lines
        m_file.close();
        return false;
    }
    return true;
}

void RotatingLogFile::flush()
{
    if (m_file.isOpen())
        m_file.flush();
}

LogCapture::LogCapture(const QString &filePath, LogLimits limits)
    : m_limits(limits),
      m_ring(limits.ringBytes),
      m_file(filePath, limits.fileBytes, limits.keepFiles)
{
}

void LogCapture::feed(const char *stream, const QByteArray &data, qint64 nowMs)
{
    // One timestamp per read: formatting a date per line was most of the cost of a chatty agent.
    m_stamp = QDateTime::fromMSecsSinceEpoch(nowMs).toString(Qt::ISODateWithMs).toUtf8();
    if (nowMs - m_windowStartMs >= 1000) {
        if (m_throttled > m_throttledReported) {
            emitLine("drover",
                     QByteArray("[drover] output over ")
                         + QByteArray::number(m_limits.maxBytesPerSecond)
                         + " bytes/s: " + QByteArray::number(m_throttled - m_throttledReported)
                         + " bytes dropped");
            m_throttledReported = m_throttled;
        }
        m_windowStartMs = nowMs;
        m_windowBytes = 0;
    }
    QByteArray chunk = data;
    const qint64 room = m_limits.maxBytesPerSecond - m_windowBytes;
    if (chunk.size() > room) {
        m_throttled += chunk.size() - qMax<qint64>(0, room);
        chunk.truncate(int(qMax<qint64>(0, room)));
    }
    m_windowBytes += chunk.size();

    QByteArray &partial = m_partial[stream[0] == 'e' ? 1 : 0];
    partial.append(chunk);
    int start = 0;
    for (;;) {
        const int nl = partial.indexOf('\n', start);
        if (nl < 0)
            break;
        emitLine(stream, partial.mid(start, nl - start));
        start = nl + 1;
    }
    partial.remove(0, start);
    while (partial.size() > m_limits.maxLineBytes) {
        emitLine(stream, partial.left(m_limits.maxLineBytes));
        partial.remove(0, m_limits.maxLineBytes);
    }
    m_file.flush(); // once per read, not per line
}

void LogCapture::flushPartial()
{
    if (m_stamp.isEmpty())
        m_stamp = QDateTime::currentDateTime().toString(Qt::ISODateWithMs).toUtf8();
    for (int i = 0; i < 2; ++i) {
        if (!m_partial[i].isEmpty())
            emitLine(i ? "err" : "out", m_partial[i]);
        m_partial[i].clear();
    }
    m_file.flush();
}

void LogCapture::emitLine(const char *stream, const QByteArray &line)
{
    QByteArray trimmed = line;
    if (trimmed.endsWith('\r'))
        trimmed.chop(1);
    const QByteArray stamped = m_stamp + ' ' + stream + ' ' + trimmed;
    m_file.write(stamped + '\n');
    m_ring.append(QString::fromUtf8(stamped));
}

} // namespace drover
