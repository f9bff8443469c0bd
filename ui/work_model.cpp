#include "work_model.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QLocale>

namespace drover::ui {

namespace {

// -1 means "not measured yet" in the snapshot: a dash, never a made-up 0.
QString msText(double ms)
{
    if (ms < 0)
        return QStringLiteral("\u2013");
    if (ms < 1000)
        return PoolWorkModel::tr("%1 ms").arg(QLocale().toString(ms, 'f', 0));
    return PoolWorkModel::tr("%1 s").arg(QLocale().toString(ms / 1000.0, 'f', 1));
}

QString timeText(qint64 ms)
{
    return ms > 0 ? QLocale().toString(QDateTime::fromMSecsSinceEpoch(ms),
                                       QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                  : QString();
}

} // namespace

// ---- PoolWorkModel ------------------------------------------------------------------------

QString PoolWorkModel::breakerText(const QString &state)
{
    if (state == QLatin1String("closed"))
        return tr("closed");
    if (state == QLatin1String("open"))
        return tr("open");
    if (state == QLatin1String("half_open"))
        return tr("half-open");
    return state;
}

QString PoolWorkModel::breakerSummary(const PoolWorkView &p)
{
    if (p.replicas.isEmpty())
        return tr("no replicas");
    QMap<QString, int> counts;
    for (const ReplicaWorkView &r : p.replicas)
        counts[r.breaker] += 1;
    QStringList parts;
    // Trouble first: an open breaker is what the operator looks for.
    for (const QString &state :
         {QStringLiteral("open"), QStringLiteral("half_open"), QStringLiteral("closed")})
        if (counts.value(state))
            parts << tr("%1 %2").arg(counts.take(state)).arg(breakerText(state));
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        parts << tr("%1 %2").arg(it.value()).arg(breakerText(it.key()));
    return parts.join(QStringLiteral(", "));
}

QString PoolWorkModel::breakerDetails(const PoolWorkView &p)
{
    QStringList lines;
    for (const ReplicaWorkView &r : p.replicas) {
        QString line = tr("Replica %1: breaker %2, %3 consecutive failure(s), load %4 of %5, %6 "
                          "delivered, %7 failed")
                           .arg(r.replica)
                           .arg(breakerText(r.breaker))
                           .arg(r.consecutiveFailures)
                           .arg(QLocale().toString(r.load, 'f', 1))
                           .arg(r.capacity)
                           .arg(r.delivered)
                           .arg(r.failures);
        if (r.breaker == QLatin1String("open") && r.breakerRetryAtMs > 0)
            line += tr(", trial at %1")
                        .arg(QDateTime::fromMSecsSinceEpoch(r.breakerRetryAtMs)
                                 .toString(QStringLiteral("HH:mm:ss")));
        if (!r.eligible)
            line += tr(" (not taking work now)");
        lines << line;
    }
    return lines.isEmpty() ? tr("No replicas") : lines.join(QLatin1Char('\n'));
}

void PoolWorkModel::setWork(const QVector<PoolWorkView> &work)
{
    bool sameRows = work.size() == m_pools.size();
    for (int i = 0; sameRows && i < work.size(); ++i)
        sameRows = work[i].pool == m_pools[i].pool;
    if (sameRows) {
        // Refresh in place: selection, sort and scroll position stay.
        m_pools = work;
        if (!m_pools.isEmpty())
            emit dataChanged(index(0, 0), index(int(m_pools.size()) - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_pools = work;
    endResetModel();
}

const PoolWorkView *PoolWorkModel::pool(const QString &name) const
{
    for (const PoolWorkView &p : m_pools)
        if (p.pool == name)
            return &p;
    return nullptr;
}

int PoolWorkModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_pools.size());
}

int PoolWorkModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PoolWorkModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_pools.size())
        return {};
    const PoolWorkView &p = m_pools[index.row()];
    const QLocale locale;
    bool anyOpen = false;
    for (const ReplicaWorkView &r : p.replicas)
        anyOpen = anyOpen || r.breaker != QLatin1String("closed");
    switch (role) {
    case PoolRole:
        return p.pool;
    case SortRole:
        switch (index.column()) {
        case Pool:
            return p.pool;
        case Waiting:
            return p.waiting;
        case Delivering:
            return p.delivering;
        case QueueDepth:
            return p.queueDepth;
        case OldestWait:
            return p.oldestWaitMs;
        case WaitP95:
            return p.waitP95Ms;
        case DispatchP95:
            return p.dispatchLatencyP95Ms;
        case Delivered:
            return p.delivered;
        case DeadLetters:
            return p.deadLetters;
        case TokensPerSecond:
            return p.tokensPerSecond;
        case ProviderRejected:
            return p.providerRejected;
        case Breakers:
            return anyOpen ? 1 : 0;
        case Algorithm:
            return p.algorithm;
        }
        return {};
    case Qt::TextAlignmentRole:
        return index.column() == Pool || index.column() == Breakers || index.column() == Algorithm
                   ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                   : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        if ((index.column() == Breakers && anyOpen) ||
            (index.column() == DeadLetters && p.deadLetters > 0) ||
            (index.column() == ProviderRejected && p.providerThrottled()))
            return QBrush(QColor(0xc0, 0x39, 0x2b));
        return {};
    case Qt::ToolTipRole:
        switch (index.column()) {
        case Breakers:
            return breakerDetails(p);
        case Waiting:
            return tr("Jobs waiting in Drover's queue for a replica");
        case Delivering:
            return tr("Deliveries (POST /jobs) out now");
        case QueueDepth:
            return tr("Drover's queue plus what the agents report waiting");
        case OldestWait:
            return tr("How long the oldest waiting job has waited");
        case WaitP95:
            return tr("95th percentile of the wait from queued to accepted by an agent");
        case DispatchP95:
            return tr("95th percentile of the POST /jobs round trip");
        case DeadLetters:
            return tr("Jobs given up on; requeue them below");
        case TokensPerSecond:
            return p.rejected > 0 ? tr("GPT tokens per second through the gateway; %n request(s) "
                                       "refused by the tier budget",
                                       nullptr, int(p.rejected))
                                  : tr("GPT tokens per second through the gateway");
        case ProviderRejected:
            return p.providerThrottled()
                       ? tr("429 answers from the GPT provider to this pool's requests (retries "
                            "included). The provider asked this pool to wait until %1.")
                             .arg(locale.toString(
                                 QDateTime::fromMSecsSinceEpoch(p.providerThrottledUntilMs).time(),
                                 QLocale::LongFormat))
                       : tr("429 answers from the GPT provider to this pool's requests (retries "
                            "included)");
        default:
            break;
        }
        break;
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (index.column()) {
    case Pool:
        return p.pool;
    case Waiting:
        return p.waiting;
    case Delivering:
        return p.delivering;
    case QueueDepth:
        return locale.toString(p.queueDepth, 'f', 0);
    case OldestWait:
        return p.waiting > 0 ? msText(double(p.oldestWaitMs)) : QStringLiteral("\u2013");
    case WaitP95:
        return msText(p.waitP95Ms);
    case DispatchP95:
        return msText(p.dispatchLatencyP95Ms);
    case Delivered:
        return p.delivered;
    case DeadLetters:
        return p.deadLetters;
    case TokensPerSecond:
        return p.tokensPerSecond < 0 ? QStringLiteral("\u2013")
                                     : locale.toString(p.tokensPerSecond, 'f', 1);
    case ProviderRejected:
        return p.providerThrottled() ? tr("%1, waiting").arg(p.providerRejected)
                                   : QString::number(p.providerRejected);
    case Breakers:
        return breakerSummary(p);
    case Algorithm:
        return p.algorithm;
    }
    return {};
}

QVariant PoolWorkModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Pool:
        return tr("Pool");
    case Waiting:
        return tr("Waiting");
    case Delivering:
        return tr("In flight");
    case QueueDepth:
        return tr("Queue depth");
    case OldestWait:
        return tr("Oldest wait");
    case WaitP95:
        return tr("Wait p95");
    case DispatchP95:
        return tr("Dispatch p95");
    case Delivered:
        return tr("Delivered");
    case DeadLetters:
        return tr("Dead letters");
    case TokensPerSecond:
        return tr("Tokens/s");
    case ProviderRejected:
        return tr("Provider 429s");
    case Breakers:
        return tr("Circuit breakers");
    case Algorithm:
        return tr("Balancer");
    }
    return {};
}

// ---- DeadLetterModel -----------------------------------------------------------------------

void DeadLetterModel::setDeadLetters(const QVector<DeadLetterView> &letters)
{
    bool sameRows = letters.size() == m_letters.size();
    for (int i = 0; sameRows && i < letters.size(); ++i)
        sameRows = letters[i].id == m_letters[i].id && letters[i].deadMs == m_letters[i].deadMs;
    if (sameRows)
        return; // a dead letter does not change while it stays one
    beginResetModel();
    m_letters = letters;
    endResetModel();
}

const DeadLetterView *DeadLetterModel::letter(const QString &id) const
{
    const int row = rowOf(id);
    return row >= 0 ? &m_letters[row] : nullptr;
}

int DeadLetterModel::rowOf(const QString &id) const
{
    for (int i = 0; i < m_letters.size(); ++i)
        if (m_letters[i].id == id)
            return i;
    return -1;
}

int DeadLetterModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_letters.size());
}

int DeadLetterModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DeadLetterModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_letters.size())
        return {};
    const DeadLetterView &d = m_letters[index.row()];
    switch (role) {
    case IdRole:
        return d.id;
    case SortRole:
        switch (index.column()) {
        case Attempts:
            return d.attempts;
        case Enqueued:
            return d.enqueuedMs;
        case Dead:
            return d.deadMs;
        default:
            return data(index, Qt::DisplayRole);
        }
    case Qt::TextAlignmentRole:
        return index.column() == Attempts ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                          : QVariant();
    case Qt::ToolTipRole:
        return tr("Job %1 of pool %2\nReason: %3\nLast error: %4\nAttempts: %5")
            .arg(d.id, d.pool, d.reason, d.lastError.isEmpty() ? tr("none") : d.lastError)
            .arg(d.attempts);
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (index.column()) {
    case Id:
        return d.id;
    case Pool:
        return d.pool;
    case Loop:
        return d.loop;
    case Priority:
        return d.priority == QLatin1String("high")     ? tr("high")
               : d.priority == QLatin1String("medium") ? tr("medium")
               : d.priority == QLatin1String("low")    ? tr("low")
                                                       : d.priority;
    case Reason:
        return d.reason;
    case Attempts:
        return d.attempts;
    case LastError:
        return d.lastError;
    case Enqueued:
        return timeText(d.enqueuedMs);
    case Dead:
        return timeText(d.deadMs);
    }
    return {};
}

QVariant DeadLetterModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Id:
        return tr("Job");
    case Pool:
        return tr("Pool");
    case Loop:
        return tr("Loop");
    case Priority:
        return tr("Priority");
    case Reason:
        return tr("Reason");
    case Attempts:
        return tr("Attempts");
    case LastError:
        return tr("Last error");
    case Enqueued:
        return tr("Queued at");
    case Dead:
        return tr("Given up at");
    }
    return {};
}

} // namespace drover::ui
