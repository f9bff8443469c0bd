// A real Drover (the drover executable, offscreen) on a private profile with a pool of real
// drover-agent replicas and its own store, for the crash-safety tests: start it, SIGKILL it,
// start it again on the same store, and look at the agents and the database from outside.
#pragma once

#include "console_run.h"

#include <QtSql>
#include <QtTest>

#include <csignal>
#include <memory>

namespace crash {

// Agents of this profile carry a marker in their environment, so the test finds them (and any
// orphan) in /proc without trusting Drover's own bookkeeping.
inline QList<qint64> agentsWithMarker(const QByteArray &marker)
{
    QList<qint64> pids;
    const QByteArray needle = QByteArrayLiteral("DROVER_CRASH_MARKER=") + marker;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool isPid = false;
        const qint64 pid = entry.toLongLong(&isPid);
        if (!isPid)
            continue;
        QFile environ(QStringLiteral("/proc/%1/environ").arg(entry));
        // A zombie's environment reads empty: it is dead, only not yet reaped.
        if (!environ.open(QIODevice::ReadOnly))
            continue;
        const QList<QByteArray> vars = environ.readAll().split('\0');
        if (vars.contains(needle))
            pids << pid;
    }
    return pids;
}

struct Profile
{
    QTemporaryDir home;
    QByteArray marker = QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
    QString storeDir() const { return home.path() + QStringLiteral("/store"); }
    QString storePath() const { return storeDir() + QStringLiteral("/drover.sqlite"); }
    QString config() const { return home.path() + QStringLiteral("/drover.yaml"); }
    QString runtimeDir() const { return home.path() + QStringLiteral("/run"); }

    bool prepare(int initialReplicas)
    {
        if (!home.isValid() || !QDir().mkpath(storeDir()) || !QDir().mkpath(runtimeDir()))
            return false;
        QFile::setPermissions(runtimeDir(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        QFile f(config());
        const QByteArray yaml = "version: 1\n"
                                "pools:\n"
                                "  - name: crash\n"
                                "    command: drover-agent\n"
                                "    tier: basic\n"
                                "    replicas: { min: 1, max: 6, initial: "
                                + QByteArray::number(initialReplicas) + " }\n"
                                "    env: { DROVER_CRASH_MARKER: \"" + marker + "\" }\n"
                                "gateway: { enabled: false }\n"
                                "observe: { enabled: false }\n"
                                "storage:\n"
                                "  path: \"" + storeDir().toUtf8() + "\"\n";
        return f.open(QIODevice::WriteOnly) && f.write(yaml) == yaml.size();
    }

    std::unique_ptr<QProcess> drover(const QStringList &args = {}) const
    {
        auto p = std::make_unique<QProcess>();
        p->setProcessEnvironment(drover::test::consoleEnvironment(home.path(), runtimeDir()));
        p->setProgram(QStringLiteral(DROVER_EXE));
        p->setArguments(QStringList{QStringLiteral("--config"), config()} + args);
        p->setProcessChannelMode(QProcess::MergedChannels);
        return p;
    }
};

// A connection of the test's own to the store (WAL: reading never blocks Drover's writer).
class StoreReader
{
public:
    explicit StoreReader(const QString &path)
        : m_name(QStringLiteral("crash-reader-%1").arg(QUuid::createUuid().toString()))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        db.open();
    }
    ~StoreReader() { QSqlDatabase::removeDatabase(m_name); }

    QVariant scalar(const QString &sql, const QVariantList &binds = {}) const
    {
        QSqlQuery q(QSqlDatabase::database(m_name, false));
        q.prepare(sql);
        for (const QVariant &b : binds)
            q.addBindValue(b);
        if (!q.exec() || !q.next())
            return {};
        return q.value(0);
    }

    // The newest committed raw sample (ms since the epoch), or -1.
    qint64 newestSample(qint64 notAfterMs = std::numeric_limits<qint64>::max()) const
    {
        const QVariant v = scalar(QStringLiteral("SELECT max(t) FROM samples_raw WHERE t <= ?"), {notAfterMs});
        return v.isNull() ? -1 : v.toLongLong();
    }

private:
    QString m_name;
};

inline void killHard(QProcess &p)
{
    ::kill(pid_t(p.processId()), SIGKILL);
    p.waitForFinished(30000);
}

} // namespace crash
