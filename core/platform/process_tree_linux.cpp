// Linux process trees: a process group per replica, PR_SET_PDEATHSIG so agents die with
// Drover, and tier limits through cgroup v2 where a writable delegated cgroup exists, else
// RLIMIT_DATA (memory) with the CPU quota watched, not enforced.
#include "process_tree.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

namespace drover {
namespace {

bool writeFile(const QString &path, const QByteArray &data, QString *error = nullptr)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Unbuffered)) {
        if (error)
            *error = f.errorString();
        return false;
    }
    if (f.write(data) != data.size()) {
        if (error)
            *error = f.errorString();
        return false;
    }
    return true;
}

QString findCgroupRoot()
{
    // The unified (v2) hierarchy's mount point, then our own cgroup inside it.
    QFile mountinfo(QStringLiteral("/proc/self/mountinfo"));
    if (!mountinfo.open(QIODevice::ReadOnly))
        return {};
    QString mount;
    for (const QByteArray &line : mountinfo.readAll().split('\n')) {
        const int dash = line.indexOf(" - ");
        if (dash < 0 || !line.mid(dash + 3).startsWith("cgroup2 "))
            continue;
        const QList<QByteArray> fields = line.left(dash).split(' ');
        if (fields.size() > 4)
            mount = QString::fromUtf8(fields[4]);
    }
    if (mount.isEmpty())
        return {};
    QFile self(QStringLiteral("/proc/self/cgroup"));
    if (!self.open(QIODevice::ReadOnly))
        return {};
    QString own;
    for (const QByteArray &line : self.readAll().split('\n')) {
        if (line.startsWith("0::"))
            own = QString::fromUtf8(line.mid(3)).trimmed();
    }
    const QString base = QDir::cleanPath(mount + QLatin1Char('/') + own);
    QFile controllers(base + QStringLiteral("/cgroup.controllers"));
    if (!controllers.open(QIODevice::ReadOnly))
        return {};
    const QByteArray available = controllers.readAll();
    if (!available.contains("cpu") || !available.contains("memory"))
        return {};
    // Agents go in a child "drover-agents"; enabling controllers for it requires writing our
    // own subtree_control, which the kernel refuses when this cgroup holds processes and is
    // not the root ("no internal processes"). Then there is no usable delegation.
    const QString agents = base + QStringLiteral("/drover-agents");
    if (!QDir().mkpath(agents))
        return {};
    if (!writeFile(base + QStringLiteral("/cgroup.subtree_control"), "+cpu +memory")
        || !writeFile(agents + QStringLiteral("/cgroup.subtree_control"), "+cpu +memory"))
        return {};
    return agents;
}

class LinuxProcessTree final : public ProcessTree
{
public:
    explicit LinuxProcessTree(const QString &name)
    {
        const QString root = delegatedCgroupRoot();
        if (!root.isEmpty()) {
            static const QRegularExpression unsafe(QStringLiteral("[^A-Za-z0-9_.-]"));
            m_cgroup = root + QLatin1Char('/') + QString(name).replace(unsafe, QStringLiteral("_"));
        }
    }

    ~LinuxProcessTree() override
    {
        if (!m_cgroup.isEmpty())
            QDir().rmdir(m_cgroup); // fails while processes remain, which is what we want
    }

    void prepare(QProcess &process, const ResourceLimits &limits) override
    {
        m_limits = limits;
        std::string procsFile;
        if (!m_cgroup.isEmpty() && QDir().mkpath(m_cgroup)) {
            m_current = writeCgroupLimits(limits);
            if (m_current.applied)
                procsFile = (m_cgroup + QStringLiteral("/cgroup.procs")).toStdString();
        }
        if (procsFile.empty()) {
            m_cgroup.clear();
            m_current = describe(limits);
        }
        const pid_t parent = getpid();
        const rlim_t dataLimit = limits.memoryBytes > 0 && m_cgroup.isEmpty()
                                     ? rlim_t(limits.memoryBytes)
                                     : RLIM_INFINITY;
        // Runs in the child between fork and exec: async-signal-safe calls only.
        process.setChildProcessModifier([parent, procsFile, dataLimit] {
            setpgid(0, 0); // own group: a stop reaches the agent's children too
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (getppid() != parent) // Drover died before prctl took effect
                _exit(127);
            if (!procsFile.empty()) {
                const int fd = open(procsFile.c_str(), O_WRONLY | O_CLOEXEC);
                if (fd >= 0) {
                    (void)!write(fd, "0", 1); // "0" moves the writing process itself
                    close(fd);
                }
            }
            if (dataLimit != RLIM_INFINITY) {
                // Soft limit only: raising a hard limit later needs CAP_SYS_RESOURCE, and
                // re-tiering up must work for an unprivileged Drover.
                const struct rlimit rl = {dataLimit, RLIM_INFINITY};
                setrlimit(RLIMIT_DATA, &rl);
            }
            // Agents must not inherit Drover's blocked or ignored signals.
            sigset_t none;
            sigemptyset(&none);
            sigprocmask(SIG_SETMASK, &none, nullptr);
            signal(SIGTERM, SIG_DFL);
            signal(SIGPIPE, SIG_DFL);
        });
    }

    void attach(qint64 pid) override { m_pid = pid_t(pid); }

    LimitsResult applyLimits(const ResourceLimits &limits) override
    {
        m_limits = limits;
        if (!m_cgroup.isEmpty()) {
            m_current = writeCgroupLimits(limits);
            return m_current;
        }
        LimitsResult r = describe(limits);
        if (m_pid > 0 && limits.memoryBytes > 0) {
            struct rlimit rl = {rlim_t(limits.memoryBytes), RLIM_INFINITY};
            struct rlimit current;
            if (prlimit(m_pid, RLIMIT_DATA, nullptr, &current) == 0)
                rl.rlim_max = current.rlim_max; // keep whatever hard limit it has
            rl.rlim_cur = std::min<rlim_t>(rl.rlim_cur, rl.rlim_max);
            if (prlimit(m_pid, RLIMIT_DATA, &rl, nullptr) != 0) {
                r.applied = false;
                r.detail = QStringLiteral("prlimit(RLIMIT_DATA) failed: %1")
                               .arg(QString::fromLocal8Bit(strerror(errno)));
            }
        } else if (m_pid > 0) {
            struct rlimit current;
            if (prlimit(m_pid, RLIMIT_DATA, nullptr, &current) == 0) {
                current.rlim_cur = current.rlim_max;
                prlimit(m_pid, RLIMIT_DATA, &current, nullptr);
            }
        }
        m_current = r;
        return r;
    }

    LimitsResult currentLimits() const override { return m_current; }

    bool terminate() override
    {
        return m_pid > 0 && ::kill(-m_pid, SIGTERM) == 0;
    }

    void kill() override
    {
        if (m_pid > 0)
            ::kill(-m_pid, SIGKILL);
        if (!m_cgroup.isEmpty())
            writeFile(m_cgroup + QStringLiteral("/cgroup.kill"), "1"); // Linux 5.14+
    }

private:
    LimitsResult writeCgroupLimits(const ResourceLimits &limits)
    {
        LimitsResult r;
        r.enforcement = LimitEnforcement::CgroupV2;
        const qint64 period = 100000;
        const QByteArray cpu = limits.cpuCores > 0
                                   ? QByteArray::number(qint64(limits.cpuCores * period)) + ' '
                                         + QByteArray::number(period)
                                   : QByteArray("max ") + QByteArray::number(period);
        const QByteArray memory =
            limits.memoryBytes > 0 ? QByteArray::number(limits.memoryBytes) : QByteArray("max");
        QString error;
        r.applied = writeFile(m_cgroup + QStringLiteral("/cpu.max"), cpu, &error)
                    && writeFile(m_cgroup + QStringLiteral("/memory.max"), memory, &error);
        r.detail = r.applied ? QStringLiteral("cpu.max=%1 memory.max=%2")
                                   .arg(QString::fromLatin1(cpu), QString::fromLatin1(memory))
                             : QStringLiteral("cgroup write failed: %1").arg(error);
        return r;
    }

    static LimitsResult describe(const ResourceLimits &limits)
    {
        LimitsResult r;
        r.enforcement = LimitEnforcement::Rlimit;
        r.applied = true;
        r.detail = QStringLiteral("RLIMIT_DATA soft limit %1, CPU %2 cores watched (not "
                                  "enforced: no delegated cgroup v2)")
                       .arg(limits.memoryBytes > 0 ? QString::number(limits.memoryBytes)
                                                   : QStringLiteral("unlimited"))
                       .arg(limits.cpuCores);
        return r;
    }

    pid_t m_pid = 0;
    QString m_cgroup;
    ResourceLimits m_limits;
    LimitsResult m_current;
};

} // namespace

QString delegatedCgroupRoot()
{
    static const QString root = findCgroupRoot();
    return root;
}

std::unique_ptr<ProcessTree> createProcessTree(const QString &name)
{
    return std::make_unique<LinuxProcessTree>(name);
}

} // namespace drover
