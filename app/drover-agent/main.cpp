// drover-agent: Drover's reference agent. Wires options, signals and the Agent; everything
// with behaviour lives in the classes next to this file and in core/http.
#include "agent.h"
#include "agent_options.h"
#include "event_log.h"

#include <QCoreApplication>
#include <QProcessEnvironment>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("drover-agent"));
    QCoreApplication::setApplicationVersion(QStringLiteral(DROVER_VERSION));

    const drover::agent::AgentOptionsResult parsed = drover::agent::parseAgentOptions(
        QCoreApplication::arguments(), QProcessEnvironment::systemEnvironment());
    if (parsed.exitNow)
        return 0;
    if (!parsed.error.isEmpty()) {
        drover::agent::printErrorEvent(parsed.error);
        return 2;
    }
    if (parsed.options.exitImmediately)
        return *parsed.options.exitImmediately;

    drover::agent::Agent agent(parsed.options);
    QObject::connect(&agent, &drover::agent::Agent::finished, &app, &QCoreApplication::exit);
    QString error;
    if (!agent.start(&error)) {
        drover::agent::printErrorEvent(error);
        return 1;
    }
    const int code = app.exec();
    // The "stopped" line should reach the supervisor, but a stdout nobody reads must not turn
    // a clean stop into a hang.
    drover::agent::flushEvents(2000);
    return code;
}
