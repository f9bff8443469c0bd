#include "secret_store.h"

#include <qt6keychain/keychain.h>

namespace drover {

SecretStore::SecretStore(QString service, QObject *parent)
    : QObject(parent), m_service(std::move(service))
{
}

void SecretStore::write(const QString &name, const QString &value, Done done)
{
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(name);
    job->setTextData(value);
    connect(job, &QKeychain::Job::finished, this, [done](QKeychain::Job *j) {
        done(j->error() == QKeychain::NoError, j->errorString());
    });
    job->start();
}

void SecretStore::read(const QString &name, Read done)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(name);
    connect(job, &QKeychain::Job::finished, this, [done](QKeychain::Job *j) {
        auto *readJob = static_cast<QKeychain::ReadPasswordJob *>(j);
        const bool ok = j->error() == QKeychain::NoError;
        done(ok, ok ? readJob->textData() : QString(), ok ? QString() : j->errorString());
    });
    job->start();
}

void SecretStore::state(const QString &name, StateDone done)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(name);
    connect(job, &QKeychain::Job::finished, this, [done](QKeychain::Job *j) {
        switch (j->error()) {
        case QKeychain::NoError:
            done(static_cast<QKeychain::ReadPasswordJob *>(j)->textData().isEmpty() ? State::NotSet : State::Set,
                 QString());
            return;
        case QKeychain::EntryNotFound:
            done(State::NotSet, QString());
            return;
        default:
            done(State::Unavailable, j->errorString());
        }
    });
    job->start();
}

void SecretStore::remove(const QString &name, Done done)
{
    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(name);
    connect(job, &QKeychain::Job::finished, this, [done](QKeychain::Job *j) {
        done(j->error() == QKeychain::NoError, j->errorString());
    });
    job->start();
}

} // namespace drover
