#include "event_log.h"

#include <QJsonDocument>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <thread>

#ifndef Q_OS_WIN
#include <cerrno>
#include <unistd.h>
#endif

namespace drover::agent {

namespace {

// More than this waiting means nobody reads stdout at all; later lines are dropped rather
// than growing without bound.
constexpr qsizetype kMaxQueuedBytes = 4 * 1024 * 1024;


// Created once and never destroyed: the writer thread is detached (it may be blocked on a
// pipe nobody reads, which no exit path should wait for) and must never see freed state.
struct Writer
{
    std::mutex mutex;
    std::condition_variable wake;
    std::condition_variable idle;
    std::deque<QByteArray> lines;
    qsizetype queuedBytes = 0;
    bool writing = false;

    Writer()
    {
        std::thread([this] {
            std::unique_lock<std::mutex> lock(mutex);
            for (;;) {
                wake.wait(lock, [this] { return !lines.empty(); });
                QByteArray line = std::move(lines.front());
                lines.pop_front();
                queuedBytes -= line.size();
                writing = true;
                lock.unlock();
                writeStdout(line);
                lock.lock();
                writing = false;
                if (lines.empty())
                    idle.notify_all();
            }
        }).detach();
    }

    void post(QByteArray line)
    {
        {
            std::lock_guard<std::mutex> lock(mutex);
            if (queuedBytes + line.size() > kMaxQueuedBytes)
                return;
            queuedBytes += line.size();
            lines.push_back(std::move(line));
        }
        wake.notify_one();
    }

    bool flush(int timeoutMs)
    {
        std::unique_lock<std::mutex> lock(mutex);
        return idle.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                             [this] { return lines.empty() && !writing; });
    }
};

Writer &writer()
{
    static Writer *instance = new Writer;
    return *instance;
}

QByteArray toLine(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

} // namespace

void printEvent(const QJsonObject &event)
{
    writer().post(toLine(event));
}

void printErrorEvent(const QString &message)
{
    QJsonObject o;
    o.insert(QStringLiteral("event"), QStringLiteral("error"));
    o.insert(QStringLiteral("message"), message);
    const QByteArray line = toLine(o);
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    std::fflush(stderr);
}

bool flushEvents(int timeoutMs)
{
    return writer().flush(timeoutMs);
}

void writeStdout(const QByteArray &bytes)
{
#ifdef Q_OS_WIN
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
#else
    // write(2), not stdio: lines below PIPE_BUF reach a pipe whole even while another thread
    // writes too, and no thread ever holds stdio's lock, which exit() takes to flush stdout.
    qsizetype done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(STDOUT_FILENO, bytes.constData() + done, size_t(bytes.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        done += n;
    }
#endif
}

} // namespace drover::agent
