// Turns SIGTERM/SIGINT (Linux) and CTRL_BREAK/CTRL_C/close (Windows console) into a Qt signal
// in the main thread.
//
// POSIX signal handlers may only call async-signal-safe functions, so the handler writes the
// signal number into a socketpair (the self-pipe trick) and a QSocketNotifier in the main
// thread reads it. Windows runs console control handlers on a thread of their own, from which
// a queued call is safe.
#pragma once

#include <QObject>

class QSocketNotifier;

namespace drover::agent {

class ShutdownSignals : public QObject
{
    Q_OBJECT
public:
    // One instance per process: it owns the process-wide handlers.
    explicit ShutdownSignals(QObject *parent = nullptr);
    ~ShutdownSignals() override;

    bool isValid() const { return m_valid; }

signals:
    // "SIGTERM", "SIGINT", "CTRL_BREAK", ...
    void received(const QString &signalName);

private:
    void onReadable();

    bool m_valid = false;
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace drover::agent
