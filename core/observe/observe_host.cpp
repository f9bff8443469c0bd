#include "observe_host.h"

#include "observe_server.h"

namespace drover {

ObserveHost::ObserveHost(ObserveOptions options, QObject *parent)
    : QObject(parent), m_options(options)
{
    qRegisterMetaType<drover::Snapshot>();
    qRegisterMetaType<drover::HealthStatus>();
    m_thread.setObjectName(QStringLiteral("drover-observe"));
}

ObserveHost::~ObserveHost()
{
    stop();
}

void ObserveHost::start()
{
    if (m_server)
        return;
    m_server = new ObserveServer(m_options);
    m_server->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_server, &QObject::deleteLater);
    m_thread.start();
    QMetaObject::invokeMethod(
        m_server,
        [this, server = m_server] {
            QString error;
            const bool ok = server->listen(&error);
            const quint16 port = ok ? server->port() : 0;
            m_port.store(port);
            // Signals leave from the host's thread, like every other signal it emits.
            QMetaObject::invokeMethod(
                this, [this, ok, port, error] { ok ? emit listening(port) : emit failed(error); },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

void ObserveHost::stop()
{
    if (!m_server)
        return;
    QMetaObject::invokeMethod(m_server, [server = m_server] { server->close(); },
                              Qt::QueuedConnection);
    m_thread.quit();
    m_thread.wait();
    m_server = nullptr; // deleted by deleteLater when the thread finished
    m_port.store(0);
}

void ObserveHost::applySnapshot(const Snapshot &snapshot)
{
    if (m_server)
        QMetaObject::invokeMethod(m_server, [server = m_server, snapshot] { server->apply(snapshot); },
                                  Qt::QueuedConnection);
}

void ObserveHost::setEngineStopped(bool stopped)
{
    if (m_server)
        QMetaObject::invokeMethod(m_server, [server = m_server, stopped] { server->setEngineStopped(stopped); },
                                  Qt::QueuedConnection);
}

void ObserveHost::reportComponent(const QString &name, HealthStatus status, const QString &detail)
{
    if (m_server)
        QMetaObject::invokeMethod(
            m_server, [server = m_server, c = ComponentHealth{name, status, detail}] { server->report(c); },
            Qt::QueuedConnection);
}

} // namespace drover
