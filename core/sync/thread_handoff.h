// Makes Drover's cross-thread hand-offs visible to ThreadSanitizer.
//
// Values cross threads through Qt's event queues (queued calls and signals). Debian's Qt is
// not built with TSan, and its QMutex/QWaitCondition synchronise with futexes that TSan cannot
// see, so a value built in one thread and read in the thread the event reaches looks like a
// data race although Qt's queue orders the two. At each hand-off Drover states the ordering
// the queue provides: handOffRelease(token) in the sending thread before posting,
// handOffAcquire(token) in the receiving thread before touching what was sent. Both compile
// to nothing outside TSan builds. They never create an ordering that does not exist: the
// acquire side runs only after the queue delivered the event.
#pragma once

#if defined(__SANITIZE_THREAD__)
#define DROVER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define DROVER_TSAN 1
#endif
#endif

#ifdef DROVER_TSAN
extern "C" void AnnotateHappensBefore(const char *file, int line, const volatile void *address);
extern "C" void AnnotateHappensAfter(const char *file, int line, const volatile void *address);
#endif

namespace drover {

inline void handOffRelease([[maybe_unused]] const volatile void *token)
{
#ifdef DROVER_TSAN
    AnnotateHappensBefore(__FILE__, __LINE__, token);
#endif
}

inline void handOffAcquire([[maybe_unused]] const volatile void *token)
{
#ifdef DROVER_TSAN
    AnnotateHappensAfter(__FILE__, __LINE__, token);
#endif
}

} // namespace drover
