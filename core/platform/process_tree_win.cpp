// Windows process trees: every replica in its own Job Object (kill on close, CPU hard cap,
// process memory limit), placed there before its first instruction runs (started suspended,
// assigned, resumed), in its own process group with a windowless console so CTRL_BREAK can
// reach it. Built on the Qt-free layer in core/platform/win, which is tested under wine and on
// a Windows runner.
#include "process_tree.h"

#include "win/graceful_stop.h"
#include "win/job_object.h"
#include "win/process_launcher.h"

#include <QProcess>

#include <optional>

namespace drover {
namespace {

win::JobLimits jobLimitsOf(const ResourceLimits &limits)
{
    win::JobLimits j;
    j.cpuRate = limits.cpuCores > 0
                    ? win::cpuRateForCores(limits.cpuCores, win::logicalProcessorCount())
                    : 0;
    j.processMemoryBytes = limits.memoryBytes > 0 ? std::uint64_t(limits.memoryBytes) : 0;
    j.killOnJobClose = true; // Drover gone -> agents gone
    j.dieOnUnhandledException = true;
    return j;
}

QString describe(const win::Status &status)
{
    return QString::fromStdString(status.message());
}

class WinProcessTree final : public ProcessTree
{
public:
    explicit WinProcessTree(QString name) : m_name(std::move(name)) {}

    void prepare(QProcess &process, const ResourceLimits &limits) override
    {
        m_limits = limits;
        process.setCreateProcessArgumentsModifier([](QProcess::CreateProcessArguments *args) {
            // Suspended so no instruction runs outside the job; a process group of its own
            // and a console without a window so CTRL_BREAK reaches only this agent.
            args->flags |= CREATE_SUSPENDED | CREATE_NEW_PROCESS_GROUP | CREATE_NO_WINDOW;
        });
    }

    void attach(qint64 pid) override
    {
        m_pid = DWORD(pid);
        win::Result<win::JobObject> job = win::JobObject::create(jobLimitsOf(m_limits));
        if (!job) {
            m_current = {false, LimitEnforcement::None,
                         QStringLiteral("CreateJobObject failed: %1").arg(describe(job.status()))};
            // Without a job the agent would escape every limit and outlive Drover: refuse it.
            if (HANDLE h = OpenProcess(PROCESS_TERMINATE, FALSE, m_pid)) {
                TerminateProcess(h, 1);
                CloseHandle(h);
            }
            return;
        }
        m_job.emplace(std::move(job).value());
        const win::Status placed = win::assignSuspendedAndResume(*m_job, m_pid);
        if (!placed) {
            m_current = {false, LimitEnforcement::None,
                         QStringLiteral("cannot place the agent in its job: %1").arg(describe(placed))};
            return;
        }
        win::Result<win::StopEvent> event = win::StopEvent::forProcess(m_pid);
        if (event)
            m_stopEvent.emplace(std::move(event).value());
        m_current = describeApplied(m_limits);
    }

    LimitsResult applyLimits(const ResourceLimits &limits) override
    {
        m_limits = limits;
        if (!m_job) {
            m_current = {true, LimitEnforcement::None, QStringLiteral("applies at next start")};
            return m_current;
        }
        // Changing a running job's limits is the live re-tier Windows supports.
        const win::Status status = m_job->setLimits(jobLimitsOf(limits));
        m_current = status ? describeApplied(limits)
                           : LimitsResult{false, LimitEnforcement::JobObject,
                                          QStringLiteral("SetInformationJobObject failed: %1")
                                              .arg(describe(status))};
        return m_current;
    }

    LimitsResult currentLimits() const override { return m_current; }

    bool terminate() override
    {
        // No SIGTERM on Windows: the named stop event (agents may wait on it), then CTRL_BREAK
        // to the agent's process group.
        bool sent = false;
        if (m_stopEvent)
            sent = bool(m_stopEvent->signal());
        sent = bool(win::sendCtrlBreak(m_pid, win::CtrlBreakRoute::AttachToTargetConsole)) || sent;
        return sent;
    }

    void kill() override
    {
        if (m_job)
            m_job->terminate(1); // the whole tree, children included
    }

private:
    static LimitsResult describeApplied(const ResourceLimits &limits)
    {
        return {true, LimitEnforcement::JobObject,
                QStringLiteral("job object: CPU hard cap %1 cores, process memory limit %2 MB")
                    .arg(limits.cpuCores)
                    .arg(limits.memoryBytes / (1024 * 1024))};
    }

    QString m_name;
    DWORD m_pid = 0;
    ResourceLimits m_limits;
    std::optional<win::JobObject> m_job;
    std::optional<win::StopEvent> m_stopEvent;
    LimitsResult m_current;
};

} // namespace

QString delegatedCgroupRoot()
{
    return {};
}

std::unique_ptr<ProcessTree> createProcessTree(const QString &name)
{
    return std::make_unique<WinProcessTree>(name);
}

} // namespace drover
