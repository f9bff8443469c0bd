// Proves the ThreadSanitizer step is not blind: run with the step's TSAN_OPTIONS
// (ignore_noninstrumented_modules=1, which hides what happens inside Qt), a real race must still
// be reported, and a hand-off through CallQueue must not be.
//
//   tsan_canary plain            two std::threads write one int: a race, must be reported
//   tsan_canary call-queue-race  a write after posting races with the posted call: reported
//   tsan_canary call-queue-order a write before posting is ordered by the queue: no report
#include "core/sync/call_queue.h"

#include <QCoreApplication>
#include <QThread>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <thread>

namespace {

int g_shared = 0;

int plainRace()
{
    std::thread a([] { g_shared = 1; });
    std::thread b([] { g_shared = 2; });
    a.join();
    b.join();
    return 0;
}

int callQueue(bool race)
{
    int argc = 1;
    char name[] = "tsan_canary";
    char *argv[] = {name, nullptr};
    QCoreApplication app(argc, argv);
    QThread worker;
    auto *queue = new drover::CallQueue;
    queue->moveToThread(&worker);
    QObject::connect(&worker, &QThread::finished, queue, &QObject::deleteLater);
    worker.start();

    if (race) {
        // Relaxed atomics (no ordering for TSan) make the interleaving fixed: the call has been
        // taken from the queue before this thread writes, and writes after it: the two writes
        // are unordered whatever the timing.
        std::atomic<bool> running{false};
        std::atomic<bool> written{false};
        queue->post([&running, &written] {
            running.store(true, std::memory_order_relaxed);
            while (!written.load(std::memory_order_relaxed))
                std::this_thread::yield();
            g_shared += 1;
        });
        while (!running.load(std::memory_order_relaxed))
            std::this_thread::yield();
        g_shared = 5;
        written.store(true, std::memory_order_relaxed);
        queue->postAndWait([] {});
    } else {
        g_shared = 1; // before the post: the queue orders it before the call
        queue->post([] { g_shared += 1; });
        queue->postAndWait([] {});
    }
    std::printf("value %d\n", g_shared); // after postAndWait: ordered

    worker.quit();
    worker.wait();
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    if (std::strcmp(mode, "plain") == 0)
        return plainRace();
    if (std::strcmp(mode, "call-queue-race") == 0)
        return callQueue(true);
    if (std::strcmp(mode, "call-queue-order") == 0)
        return callQueue(false);
    std::fprintf(stderr, "usage: tsan_canary plain|call-queue-race|call-queue-order\n");
    return 2;
}
