// Misbehaviour on request, for the supervisor's integration tests: crashing, flooding stdout,
// leaving a child process behind.
#pragma once

#include <QObject>
#include <QTimer>

#include <atomic>
#include <memory>

namespace drover::agent {

class Chaos : public QObject
{
    Q_OBJECT
public:
    explicit Chaos(QObject *parent = nullptr);
    ~Chaos() override;

    // Exits the process with code 3 after `ms`, without any cleanup, like a crash would.
    void crashAfter(qint64 ms);
    // Writes about `bytesPerSecond` to stdout, in lines, for as long as the agent runs. On a
    // thread of its own: when the reader falls behind, the writes block there, and the agent
    // keeps answering health checks, so a supervisor test sees a flood, not a hang.
    void spamStdout(qint64 bytesPerSecond);
    // Starts `sleep 1000` in our process group, detached from our stdio: it survives our
    // exit and dies only when the whole group is killed. Returns its pid, or -1.
    qint64 forkChild();

private:
    QTimer m_crashTimer;
    // Shared with the spam thread, which is detached: a thread blocked on a pipe nobody reads
    // could never be joined, and must not keep the agent from exiting.
    std::shared_ptr<std::atomic<bool>> m_stopSpam;
};

} // namespace drover::agent
