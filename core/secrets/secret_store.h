// Secrets live only in the OS keychain (Secret Service on Linux, Credential Manager on
// Windows) through QtKeychain. There is deliberately no plaintext fallback: when no keychain
// is available the operation fails with a message the UI shows.
#pragma once

#include <QObject>
#include <QString>

#include <functional>
#include <memory>

namespace drover {

class SecretStore : public QObject
{
    Q_OBJECT
public:
    explicit SecretStore(QString service = QStringLiteral("Drover"), QObject *parent = nullptr);
    ~SecretStore() override;

    // Callbacks run in the thread that owns this object, from its event loop; never after the
    // object is destroyed. The keychain work itself runs in Drover's one keychain thread
    // (keychain_thread.h), so any thread may own a SecretStore.
    using Done = std::function<void(bool ok, const QString &error)>;
    using Read = std::function<void(bool ok, const QString &value, const QString &error)>;

    void write(const QString &name, const QString &value, Done done);
    void read(const QString &name, Read done);
    void remove(const QString &name, Done done);

    // Whether a secret exists, without handing its value out (a settings screen shows "set" or
    // "not set", never the secret). Unavailable: no keychain service answered; `error` says why.
    enum class State { Set, NotSet, Unavailable };
    using StateDone = std::function<void(State state, const QString &error)>;
    void state(const QString &name, StateDone done);
    // The value with the same three-way answer: Set (value given), NotSet, Unavailable (error).
    using LookupDone = std::function<void(State state, const QString &value, const QString &error)>;
    void lookup(const QString &name, LookupDone done);

    QString service() const { return m_service; }

    struct Mailbox;

private:
    QString m_service;
    std::shared_ptr<Mailbox> m_mailbox;
};

} // namespace drover
