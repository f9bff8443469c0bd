#include "http_connection.h"

#include "http_server.h"
#include "socket_write.h"

#include <QTcpSocket>

#include <exception>

namespace drover {

namespace {

// While a handler works, at most this much stays buffered in the socket; beyond it Qt stops
// reading and TCP pushes back on a client that pipelines without waiting.
constexpr qint64 kReadBufferBytes = 64 * 1024;
// A client that does not read its responses stops getting new ones once this much is queued.
constexpr qint64 kMaxPendingOutputBytes = 1024 * 1024;
// A streaming client that lets this much pile up is not reading: it is cut off rather than
// letting the server buffer an unbounded stream for it.
constexpr qint64 kMaxPendingStreamBytes = 8 * 1024 * 1024;

} // namespace

HttpExchange::~HttpExchange()
{
    if (streaming && connection) {
        // Nobody will finish this stream: a truncated response must not look complete.
        connection->abortStream(serial);
        return;
    }
    if (!answered && connection) {
        connection->finishExchange(
            serial, HttpResponse::error(500, "the handler did not answer the request"));
    }
}

HttpConnection::HttpConnection(QTcpSocket *socket, HttpServer *server)
    : QObject(server), m_socket(socket), m_server(server), m_parser(server->options().limits),
      m_idleTimer(this, [this] { onIdleTimeout(); }), m_serverGuard(server)
{
    m_socket->setParent(this);
    m_socket->setReadBufferSize(kReadBufferBytes);
    // Answers are written whole and meant to be seen at once (and a stream's head and first
    // chunk are separate small writes): Nagle's delay would only add latency here.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::bytesWritten, this, [this] {
        if (!m_busy && !m_closing && m_socket->bytesToWrite() < kMaxPendingOutputBytes)
            scheduleResume();
    });
    // stateChanged covers every way out: an orderly close, a reset, and our own abort().
    connect(m_socket, &QTcpSocket::stateChanged, this, [this](QAbstractSocket::SocketState s) {
        if (s != QAbstractSocket::UnconnectedState)
            return;
        m_idleTimer.stop();
        m_closing = true;
        rechargeRequestBytes(); // what the parser held is gone with the client
        if (auto exchange = m_currentExchange.lock()) {
            // The handler may still be working (an upstream call, a stream): tell it once.
            if (exchange->onDisconnected && (!exchange->answered || exchange->streaming)) {
                auto callback = std::move(exchange->onDisconnected);
                exchange->onDisconnected = nullptr;
                callback();
            }
        }
        if (!m_finishedEmitted) {
            m_finishedEmitted = true;
            emit finished(this);
        }
    });
    m_idleTimer.start(m_server->options().idleTimeoutMs);
    // Bytes may have arrived before the readyRead connection existed.
    if (m_socket->bytesAvailable() > 0)
        scheduleResume();
}

HttpConnection::~HttpConnection()
{
    if (m_serverGuard)
        m_serverGuard->rechargeRequestBytes(m_chargedBytes, 0);
}

bool HttpConnection::rechargeRequestBytes()
{
    const qint64 parserBytes =
        m_closing ? 0 : qMax<qint64>(m_parser.bufferedBytes(), m_parser.announcedBodyBytes());
    const qint64 want = m_handledBodyBytes + parserBytes;
    if (want == m_chargedBytes || !m_serverGuard)
        return true;
    if (m_server->rechargeRequestBytes(m_chargedBytes, want)) {
        m_chargedBytes = want;
        return true;
    }
    if (m_busy)
        return true; // never happens (nothing is read while busy); an answer is owed first
    // Over the server's budget: refused before the body is read, and the bytes let go.
    m_parser = HttpRequestParser(m_server->options().limits);
    m_server->rechargeRequestBytes(m_chargedBytes, m_handledBodyBytes);
    m_chargedBytes = m_handledBodyBytes;
    writeResponse(serializeHttpResponse(m_server->overloadedResponse(), false), true);
    return false;
}

void HttpConnection::releaseHandledBody()
{
    if (m_handledBodyBytes == 0)
        return;
    m_handledBodyBytes = 0;
    rechargeRequestBytes(); // only shrinks
}

bool HttpConnection::isConnected() const
{
    return !m_closing && m_socket->state() == QAbstractSocket::ConnectedState;
}

void HttpConnection::scheduleResume()
{
    if (m_resumeQueued)
        return;
    m_resumeQueued = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_resumeQueued = false;
            onReadyRead();
        },
        Qt::QueuedConnection);
}

void HttpConnection::onReadyRead()
{
    if (m_closing) {
        // Whatever a client sends after we decided to close is discarded, not parsed.
        m_socket->readAll();
        return;
    }
    if (m_busy)
        return; // left in the socket buffer (bounded) until the current answer is written
    const QByteArray data = m_socket->readAll();
    m_parser.feed(data);
    if (!rechargeRequestBytes())
        return;
    processBuffered();
    // The headers may have announced a body: refused now if it would not fit.
    rechargeRequestBytes();
}

void HttpConnection::processBuffered()
{
    m_inProcess = true;
    while (!m_busy && !m_closing) {
        if (m_socket->bytesToWrite() >= kMaxPendingOutputBytes)
            break; // resumed from bytesWritten
        const HttpRequestParser::Status status = m_parser.next();
        if (status == HttpRequestParser::Status::NeedMore) {
            // A body the server cannot hold is refused before "100 Continue" invites it.
            if (!rechargeRequestBytes())
                break;
            if (m_parser.expectsContinue() && !m_sentContinue) {
                m_sentContinue = true;
                writeToSocketNow(m_socket, "HTTP/1.1 100 Continue\r\n\r\n");
            }
            if (m_closeWhenIdle && !m_parser.hasPartialRequest())
                beginClose();
            break;
        }
        if (status == HttpRequestParser::Status::Error) {
            sendErrorAndClose(m_parser.error().status, m_parser.error().message);
            break;
        }
        dispatch(m_parser.takeRequest());
    }
    m_inProcess = false;
}

void HttpConnection::dispatch(HttpRequest request)
{
    m_busy = true;
    m_sentContinue = false;
    m_idleTimer.stop(); // the server's own slowness is not the client's fault
    m_currentIsHead = request.method == "HEAD";
    m_currentKeepAlive = request.keepAlive();
    m_currentVersionMinor = request.versionMinor;
    // The body moves from the parser to the handler: still held until the answer.
    m_handledBodyBytes = request.body.size();

    auto exchange = std::make_shared<HttpExchange>();
    exchange->connection = this;
    exchange->serial = ++m_serial;
    m_currentExchange = exchange;
    HttpResponder responder(exchange);
    exchange.reset(); // the responder (and the handler's copies) own it now
    try {
        m_server->dispatch(request, responder);
    } catch (const std::exception &e) {
        qWarning("drover http: handler for %s %s threw: %s", request.method.constData(),
                 request.path.constData(), e.what());
        responder.respond(HttpResponse::error(500, "the handler failed"));
    } catch (...) {
        qWarning("drover http: handler for %s %s threw", request.method.constData(),
                 request.path.constData());
        responder.respond(HttpResponse::error(500, "the handler failed"));
    }
}

void HttpConnection::finishExchange(quint64 serial, const HttpResponse &response)
{
    if (!m_busy || m_streaming || serial != m_serial)
        return;
    releaseHandledBody();
    m_busy = false;
    const bool close = m_closing || m_closeWhenIdle || !m_currentKeepAlive
                       || httpHeaderHasToken(response.header("connection"), "close");
    if (m_closing)
        return; // the client left while the handler worked
    writeResponse(serializeHttpResponse(response, !close, m_currentIsHead), close);
    exchangeDone(close);
}

void HttpConnection::exchangeDone(bool close)
{
    if (!close) {
        m_idleTimer.start(m_server->options().idleTimeoutMs);
        // Pipelined requests may be waiting, in the parser or left in the socket while busy
        // (no readyRead comes for those). Otherwise the next readyRead brings the next
        // request: no queued call, which would wake the event loop once per answer.
        if (!m_inProcess && (m_parser.bufferedBytes() > 0 || m_socket->bytesAvailable() > 0))
            scheduleResume();
    }
}

bool HttpConnection::beginStream(quint64 serial, const HttpResponse &head)
{
    if (!m_busy || m_streaming || serial != m_serial || m_closing)
        return false;
    m_streaming = true;
    m_streamChunked = m_currentVersionMinor >= 1;
    const bool keepAlive = m_streamChunked && m_currentKeepAlive && !m_closeWhenIdle
                           && !httpHeaderHasToken(head.header("connection"), "close");
    if (!keepAlive)
        m_currentKeepAlive = false;
    writeToSocketNow(m_socket, serializeHttpStreamHead(head, keepAlive, m_streamChunked));
    return true;
}

bool HttpConnection::writeStream(quint64 serial, QByteArrayView data)
{
    if (!m_streaming || serial != m_serial || m_closing)
        return false;
    if (data.isEmpty() || m_currentIsHead)
        return true; // an empty chunk would end the body
    if (m_socket->bytesToWrite() > kMaxPendingStreamBytes) {
        qWarning("drover http: streaming client does not read; closing its connection");
        m_socket->abort();
        return false;
    }
    if (m_streamChunked) {
        QByteArray frame;
        frame.reserve(data.size() + 16);
        frame += QByteArray::number(data.size(), 16);
        frame += "\r\n";
        frame += data;
        frame += "\r\n";
        // Written now rather than when the event loop next runs: a chunk is meant to be seen.
        writeToSocketNow(m_socket, frame);
    } else {
        writeToSocketNow(m_socket, data);
    }
    return true;
}

void HttpConnection::endStream(quint64 serial)
{
    if (!m_streaming || serial != m_serial)
        return;
    releaseHandledBody();
    m_streaming = false;
    m_busy = false;
    if (m_closing)
        return;
    const bool close = m_closeWhenIdle || !m_currentKeepAlive || !m_streamChunked;
    if (m_streamChunked && !m_currentIsHead)
        writeToSocketNow(m_socket, "0\r\n\r\n");
    if (close)
        beginClose();
    exchangeDone(close);
}

void HttpConnection::abortStream(quint64 serial)
{
    if (serial != m_serial || !m_busy)
        return;
    releaseHandledBody();
    m_streaming = false;
    m_busy = false;
    m_closing = true;
    m_socket->abort();
}

qint64 HttpConnection::pendingOutputBytes() const
{
    return m_socket->bytesToWrite();
}

void HttpConnection::sendErrorAndClose(int status, const QByteArray &message)
{
    writeResponse(serializeHttpResponse(HttpResponse::error(status, message), false), true);
}

void HttpConnection::writeResponse(const QByteArray &bytes, bool close)
{
    // Sent now, not when the event loop next polls the socket: one poll round trip less per
    // answer on a busy loop (the gateway's added latency).
    writeToSocketNow(m_socket, bytes);
    if (close)
        beginClose();
}

void HttpConnection::beginClose()
{
    if (m_closing)
        return;
    m_closing = true;
    // A peer that never reads what is left would keep the socket forever; the timer aborts.
    m_idleTimer.start(m_server->options().idleTimeoutMs);
    m_socket->disconnectFromHost();
}

void HttpConnection::closeWhenIdle()
{
    m_closeWhenIdle = true;
    if (!m_busy && !m_parser.hasPartialRequest())
        beginClose();
}

void HttpConnection::onIdleTimeout()
{
    if (m_closing || m_socket->bytesToWrite() > 0) {
        m_socket->abort();
        return;
    }
    if (m_busy)
        return;
    if (m_parser.hasPartialRequest())
        sendErrorAndClose(408, "request not completed in time");
    else
        beginClose();
}

HttpResponder::HttpResponder(std::shared_ptr<HttpExchange> exchange)
    : m_exchange(std::move(exchange))
{
}

bool HttpResponder::beginStream(const HttpResponse &head)
{
    if (!m_exchange || m_exchange->answered)
        return false;
    m_exchange->answered = true;
    if (!m_exchange->connection || !m_exchange->connection->beginStream(m_exchange->serial, head))
        return false;
    m_exchange->streaming = true;
    return true;
}

bool HttpResponder::write(QByteArrayView data)
{
    if (!m_exchange || !m_exchange->streaming || !m_exchange->connection)
        return false;
    return m_exchange->connection->writeStream(m_exchange->serial, data);
}

void HttpResponder::end()
{
    if (!m_exchange || !m_exchange->streaming)
        return;
    m_exchange->streaming = false;
    if (m_exchange->connection)
        m_exchange->connection->endStream(m_exchange->serial);
}

void HttpResponder::abort()
{
    if (!m_exchange || !m_exchange->streaming)
        return;
    m_exchange->streaming = false;
    if (m_exchange->connection)
        m_exchange->connection->abortStream(m_exchange->serial);
}

bool HttpResponder::isStreaming() const
{
    return m_exchange && m_exchange->streaming;
}

void HttpResponder::onClientDisconnected(std::function<void()> callback)
{
    if (m_exchange)
        m_exchange->onDisconnected = std::move(callback);
}

qint64 HttpResponder::pendingOutputBytes() const
{
    return (m_exchange && m_exchange->connection) ? m_exchange->connection->pendingOutputBytes()
                                                  : 0;
}

void HttpResponder::respond(HttpResponse response)
{
    if (!m_exchange || m_exchange->answered)
        return;
    m_exchange->answered = true;
    if (m_exchange->connection)
        m_exchange->connection->finishExchange(m_exchange->serial, response);
}

bool HttpResponder::isAnswered() const
{
    return m_exchange && m_exchange->answered;
}

bool HttpResponder::isClientConnected() const
{
    return m_exchange && m_exchange->connection && m_exchange->connection->isConnected();
}

} // namespace drover
