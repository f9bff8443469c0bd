#include "secret_store.h"

#include "keychain_thread.h"

#include "core/sync/call_queue.h"

#include <memory>
#include <mutex>

#include <qt6keychain/keychain.h>

namespace drover {

// Where a result travels back: the store's call queue while the store lives. The keychain
// thread posts under the mutex, the destructor clears `calls` under it, so nothing is posted to
// a dead object (and the queue, a child of the store, drops what was already posted).
struct SecretStore::Mailbox
{
    std::mutex mutex;
    CallQueue *calls = nullptr;

    void deliver(std::function<void()> call)
    {
        std::lock_guard<std::mutex> lock(mutex);
        if (calls)
            calls->post(std::move(call));
    }
};

namespace {

template <typename JobType>
JobType *makeJob(const QString &service, const QString &name, QObject *parent)
{
    auto *job = new JobType(service, parent);
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never a plaintext file
    job->setKey(name);
    return job;
}

} // namespace

SecretStore::SecretStore(QString service, QObject *parent)
    : QObject(parent), m_service(std::move(service)), m_mailbox(std::make_shared<Mailbox>())
{
    m_mailbox->calls = new CallQueue(this);
}

SecretStore::~SecretStore()
{
    std::lock_guard<std::mutex> lock(m_mailbox->mutex);
    m_mailbox->calls = nullptr;
}

void SecretStore::write(const QString &name, const QString &value, Done done)
{
    keychain::post([service = m_service, name, value, mailbox = m_mailbox, done](QObject *parent) {
        auto *job = makeJob<QKeychain::WritePasswordJob>(service, name, parent);
        job->setTextData(value);
        QObject::connect(job, &QKeychain::Job::finished, parent, [mailbox, done](QKeychain::Job *j) {
            const bool ok = j->error() == QKeychain::NoError;
            mailbox->deliver([done, ok, error = j->errorString()] { done(ok, error); });
        });
        job->start();
    });
}

void SecretStore::read(const QString &name, Read done)
{
    keychain::post([service = m_service, name, mailbox = m_mailbox, done](QObject *parent) {
        auto *job = makeJob<QKeychain::ReadPasswordJob>(service, name, parent);
        QObject::connect(job, &QKeychain::Job::finished, parent, [mailbox, done](QKeychain::Job *j) {
            const bool ok = j->error() == QKeychain::NoError;
            const QString value = ok ? static_cast<QKeychain::ReadPasswordJob *>(j)->textData() : QString();
            const QString error = ok ? QString() : j->errorString();
            mailbox->deliver([done, ok, value, error] { done(ok, value, error); });
        });
        job->start();
    });
}

void SecretStore::lookup(const QString &name, LookupDone done)
{
    keychain::post([service = m_service, name, mailbox = m_mailbox, done](QObject *parent) {
        auto *job = makeJob<QKeychain::ReadPasswordJob>(service, name, parent);
        QObject::connect(job, &QKeychain::Job::finished, parent, [mailbox, done](QKeychain::Job *j) {
            State state = State::Unavailable;
            QString value;
            QString error;
            switch (j->error()) {
            case QKeychain::NoError:
                value = static_cast<QKeychain::ReadPasswordJob *>(j)->textData();
                state = value.isEmpty() ? State::NotSet : State::Set;
                break;
            case QKeychain::EntryNotFound:
                state = State::NotSet;
                break;
            default:
                error = j->errorString();
            }
            mailbox->deliver([done, state, value, error] { done(state, value, error); });
        });
        job->start();
    });
}

void SecretStore::state(const QString &name, StateDone done)
{
    // The value stays in this thread's lambda and is dropped here; callers see only the state.
    lookup(name, [done](State state, const QString &, const QString &error) { done(state, error); });
}

void SecretStore::remove(const QString &name, Done done)
{
    keychain::post([service = m_service, name, mailbox = m_mailbox, done](QObject *parent) {
        auto *job = makeJob<QKeychain::DeletePasswordJob>(service, name, parent);
        QObject::connect(job, &QKeychain::Job::finished, parent, [mailbox, done](QKeychain::Job *j) {
            const bool ok = j->error() == QKeychain::NoError;
            mailbox->deliver([done, ok, error = j->errorString()] { done(ok, error); });
        });
        job->start();
    });
}

} // namespace drover
