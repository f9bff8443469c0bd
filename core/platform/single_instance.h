// One Drover per user profile. Two consoles on the same data folder would share one store and
// start every pool twice, so a second launch hands its command line to the running console
// (which raises its window, or quits on --quit) and exits.
//
// The guard is a lock the OS drops when the process dies, even by SIGKILL: a QLockFile in the
// runtime folder on Linux (a stale lock of a dead process is taken over), a named mutex on
// Windows. The mailbox is a QLocalServer (a socket in the runtime folder, a named pipe on
// Windows). Both are named after the data folder, so a test or a second profile with its own
// HOME runs its own Drover.
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

class QLocalServer;

namespace drover {

class InstanceLock; // the platform's guard (single_instance_lock_*.cpp)

class SingleInstance : public QObject
{
    Q_OBJECT
public:
    enum class Role {
        Primary,   // this process is the one Drover of the profile
        Secondary, // another process is; hand over with sendToPrimary()
        Failed,    // neither could be established (`error` says why); run unguarded
    };

    // `scope`: what one instance owns, normally dataDir().
    explicit SingleInstance(const QString &scope, QObject *parent = nullptr);
    ~SingleInstance() override;

    // Takes the guard and, when it is ours, opens the mailbox.
    Role claim(QString *error);

    // The primary answers every handed-over command line with what it did (a line of text
    // that the second launch prints). Called on the primary's thread.
    using Handler = std::function<QString(const QStringList &arguments)>;
    void setHandler(Handler handler) { m_handler = std::move(handler); }

    // Secondary: delivers `arguments` and returns the primary's answer. The primary may be
    // between taking the guard and listening, so this retries until `timeoutMs`.
    bool sendToPrimary(const QStringList &arguments, int timeoutMs, QString *reply, QString *error);

    // Secondary: waits until the primary has exited (its guard is free), for --quit.
    bool waitForPrimaryToExit(int timeoutMs);

    QString serverName() const { return m_serverName; }

private:
    void serve();

    QString m_key;
    QString m_serverName;
    std::unique_ptr<InstanceLock> m_lock;
    QLocalServer *m_server = nullptr;
    Handler m_handler;
};

// The platform guard.
class InstanceLock
{
public:
    explicit InstanceLock(const QString &key);
    ~InstanceLock();
    InstanceLock(const InstanceLock &) = delete;
    InstanceLock &operator=(const InstanceLock &) = delete;

    enum class Result { Acquired, HeldByAnother, Error };
    Result tryLock(QString *error);
    void unlock();

    // Where a local socket for `key` lives (Linux: a path in the runtime folder; Windows: a
    // pipe name).
    static QString serverNameFor(const QString &key);
    // Lets the primary bring its window to the front when a second launch asks (Windows
    // forbids a background process to take the foreground unless the foreground one allows).
    static void allowPrimaryToTakeForeground();

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace drover
