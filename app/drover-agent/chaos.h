// Misbehaviour on request, for the supervisor's integration tests: crashing, flooding stdout,
// leaving a child process behind.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace drover::agent {

class Chaos : public QObject
{
    Q_OBJECT
public:
    explicit Chaos(QObject *parent = nullptr);

    // Exits the process with code 3 after `ms`, without any cleanup, like a crash would.
    void crashAfter(qint64 ms);
    // Writes about `bytesPerSecond` to stdout, in lines, for as long as the agent runs.
    void spamStdout(qint64 bytesPerSecond);
    // Starts `sleep 1000` in our process group, detached from our stdio: it survives our
    // exit and dies only when the whole group is killed. Returns its pid, or -1.
    qint64 forkChild();

private:
    void writeSpam();

    QTimer m_crashTimer;
    QTimer m_spamTimer;
    QElapsedTimer m_spamClock;
    qint64 m_spamRate = 0;
    qint64 m_spamWritten = 0;
    quint64 m_spamSeq = 0;
};

} // namespace drover::agent
