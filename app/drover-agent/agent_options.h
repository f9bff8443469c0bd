// The reference agent's settings: command line plus the DROVER_* / OPENAI_* environment that
// Drover sets for each replica (DESIGN.md, "The agent contract (v1)").
#pragma once

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace drover::agent {

struct AgentOptions
{
    // Identity, from the environment (informational; echoed in the listening line and metrics).
    QString pool;
    int replica = 0;
    QString tier;
    QString role;

    quint16 port = 0; // DROVER_PORT or --port; 0 picks a free one
    int workers = 2;
    int queueCapacity = 100;
    qint64 readyDelayMs = 0;
    int cpuMsDefault = 50;
    qint64 maxBodyBytes = 1024 * 1024;

    // GPT: only when OPENAI_BASE_URL is set. The key is never printed.
    QUrl gptBaseUrl;
    QByteArray gptApiKey;
    QString gptModel = QStringLiteral("gpt-4o-mini");
    int gptTimeoutMs = 30000;

    // Chaos switches for the supervisor's tests.
    std::optional<qint64> crashAfterMs;
    bool ignoreShutdown = false;
    qint64 stdoutSpamBytesPerSec = 0;
    bool forkChild = false;
    std::optional<int> exitImmediately;
};

struct AgentOptionsResult
{
    AgentOptions options;
    QString error;       // non-empty: a usage error, exit code 2
    bool exitNow = false; // --help or --version was handled
};

// Parses `arguments` (argv, program name first) and `env`. Never exits the process itself, so
// every bad value is reported the same way (a message and exit code 2).
AgentOptionsResult parseAgentOptions(const QStringList &arguments,
                                     const QProcessEnvironment &env);

} // namespace drover::agent
