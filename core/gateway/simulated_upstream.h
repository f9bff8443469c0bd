// The built-in offline upstream (internal to core/gateway): an in-process loopback HTTP server
// that speaks the OpenAI protocol well enough for the demo and for tests without a provider:
// /v1/chat/completions (plain and streamed, with plausible usage), /v1/responses (plain),
// /v1/embeddings, /v1/models, and a configurable rate limit answered with real 429s.
#pragma once

#include "gateway.h"

#include <QObject>
#include <QUrl>

namespace drover {

class HttpServer;

class SimulatedUpstream : public QObject
{
    Q_OBJECT
public:
    explicit SimulatedUpstream(SimulatedUpstreamOptions options, QObject *parent = nullptr);
    ~SimulatedUpstream() override;

    bool listen();
    quint16 port() const;
    QUrl baseUrl() const; // http://127.0.0.1:<port>/v1
    void close();

private:
    // Answers 429 and returns true when the simulated provider is over its rate limit.
    bool limited(qint64 estimatedTokens, HttpResponder &responder);

    SimulatedUpstreamOptions m_options;
    HttpServer *m_server;
    TokenBucket m_requests;
    TokenBucket m_tokens;
    quint64 m_ids = 0;
};

} // namespace drover
