// QtKeychain runs every job of a process through one executor object that lives in the thread
// that first used it; jobs started from other threads race with it (a use after free was seen
// when the engine thread and a test's main thread both used the keychain). So Drover runs every
// keychain job in one dedicated thread, whoever asks: the UI, the engine, the gateway.
#pragma once

#include <functional>

class QObject;

namespace drover::keychain {

// Runs `work` in the keychain thread (started on first use, stopped when the application's
// QCoreApplication goes away). `work` receives the thread's parent object for the jobs it
// creates.
void post(std::function<void(QObject *jobParent)> work);

} // namespace drover::keychain
