// The agent's structured output: one compact JSON object per line, flushed at once so a
// supervisor reading the pipe sees each event as it happens.
#pragma once

#include <QJsonObject>

namespace drover::agent {

void printEvent(const QJsonObject &event);      // stdout
void printErrorEvent(const QString &message);   // stderr: {"event":"error","message":...}

} // namespace drover::agent
