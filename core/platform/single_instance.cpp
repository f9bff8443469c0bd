#include "single_instance.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocalServer>
#include <QLocalSocket>
#include <QThread>

namespace drover {
namespace {

// A command line is small; anything larger is not a second Drover.
constexpr qint64 kMaxMessageBytes = 64 * 1024;

QString keyFor(const QString &scope)
{
    QString path = QDir::cleanPath(QDir(scope).absolutePath());
#ifdef Q_OS_WIN
    path = path.toLower(); // one folder, however it is spelled
#endif
    const QByteArray hash = QCryptographicHash::hash(path.toUtf8(), QCryptographicHash::Sha256).toHex();
    return QStringLiteral("drover-") + QString::fromLatin1(hash.left(16));
}

} // namespace

SingleInstance::SingleInstance(const QString &scope, QObject *parent)
    : QObject(parent), m_key(keyFor(scope)), m_serverName(InstanceLock::serverNameFor(m_key)),
      m_lock(std::make_unique<InstanceLock>(m_key))
{
}

SingleInstance::~SingleInstance()
{
    if (m_server)
        m_server->close();
}

SingleInstance::Role SingleInstance::claim(QString *error)
{
    switch (m_lock->tryLock(error)) {
    case InstanceLock::Result::HeldByAnother:
        return Role::Secondary;
    case InstanceLock::Result::Error:
        return Role::Failed;
    case InstanceLock::Result::Acquired:
        break;
    }
    // We hold the guard, so a socket left by a killed predecessor is stale: remove it.
    QLocalServer::removeServer(m_serverName);
    m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    if (!m_server->listen(m_serverName)) {
        if (error)
            *error = QCoreApplication::translate("SingleInstance", "cannot listen on %1: %2")
                         .arg(m_serverName, m_server->errorString());
        // Still the one instance (we hold the guard); later launches cannot reach us and say so.
        return Role::Primary;
    }
    connect(m_server, &QLocalServer::newConnection, this, &SingleInstance::serve);
    return Role::Primary;
}

void SingleInstance::serve()
{
    while (QLocalSocket *socket = m_server->nextPendingConnection()) {
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QLocalSocket::readyRead, socket, [this, socket] {
            if (socket->bytesAvailable() > kMaxMessageBytes) {
                socket->abort();
                return;
            }
            if (!socket->canReadLine())
                return;
            const QJsonDocument doc = QJsonDocument::fromJson(socket->readLine());
            QStringList arguments;
            for (const QJsonValue &v : doc.array())
                arguments << v.toString();
            const QString answer = m_handler ? m_handler(arguments) : QString();
            socket->write(answer.toUtf8().replace('\n', ' ') + '\n');
            socket->flush();
        });
    }
}

bool SingleInstance::sendToPrimary(const QStringList &arguments, int timeoutMs, QString *reply,
                                   QString *error)
{
    InstanceLock::allowPrimaryToTakeForeground();
    const QByteArray message =
        QJsonDocument(QJsonArray::fromStringList(arguments)).toJson(QJsonDocument::Compact) + '\n';
    const QDeadlineTimer deadline(timeoutMs);
    QString lastError;
    do {
        QLocalSocket socket;
        socket.connectToServer(m_serverName);
        if (socket.waitForConnected(int(qBound(qint64(1), deadline.remainingTime(), qint64(2000))))) {
            socket.write(message);
            socket.flush();
            while (!socket.canReadLine() && !deadline.hasExpired()
                   && socket.state() == QLocalSocket::ConnectedState)
                socket.waitForReadyRead(int(qBound(qint64(1), deadline.remainingTime(), qint64(1000))));
            if (socket.canReadLine()) {
                if (reply)
                    *reply = QString::fromUtf8(socket.readLine()).trimmed();
                return true;
            }
            lastError = socket.errorString();
        } else {
            lastError = socket.errorString();
        }
        // The primary took the guard but is not listening yet: try again shortly.
        QThread::msleep(100);
    } while (!deadline.hasExpired());
    if (error)
        *error = QCoreApplication::translate("SingleInstance",
                                             "Drover is running but does not answer on %1: %2")
                     .arg(m_serverName, lastError);
    return false;
}

bool SingleInstance::waitForPrimaryToExit(int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    InstanceLock probe(m_key);
    for (;;) {
        if (probe.tryLock(nullptr) == InstanceLock::Result::Acquired) {
            probe.unlock();
            return true;
        }
        if (deadline.hasExpired())
            return false;
        QThread::msleep(100);
    }
}

} // namespace drover
