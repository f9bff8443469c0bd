// The agent's structured output: one compact JSON object per line.
//
// stdout lines go through a writer thread: a supervisor that reads the pipe slowly (or a flood
// from --stdout-spam-bytes-per-sec filling it) must never stall the HTTP thread, or a graceful
// /shutdown would hang on its own log line.
#pragma once

#include <QJsonObject>

namespace drover::agent {

void printEvent(const QJsonObject &event);    // stdout, asynchronous, in order
void printErrorEvent(const QString &message); // stderr, synchronous: {"event":"error",...}
// Waits until the queued stdout lines are written, at most `timeoutMs`. False on timeout.
bool flushEvents(int timeoutMs);

// Writes all of `bytes` to stdout with write(2) (stdio on Windows); gives up when stdout is
// closed. Safe from any thread.
void writeStdout(const QByteArray &bytes);

} // namespace drover::agent
