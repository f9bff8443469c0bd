#include "alerts_model.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QLocale>

namespace drover::ui {

namespace {

QString sinceText(qint64 sinceMs, qint64 nowMs)
{
    if (sinceMs <= 0)
        return {};
    const qint64 s = qMax<qint64>(0, (nowMs - sinceMs) / 1000);
    const QString clock = QDateTime::fromMSecsSinceEpoch(sinceMs).toString(QStringLiteral("HH:mm:ss"));
    if (s < 60)
        return AlertsModel::tr("%1 (%2 s ago)").arg(clock).arg(s);
    if (s < 3600)
        return AlertsModel::tr("%1 (%2 min ago)").arg(clock).arg(s / 60);
    return AlertsModel::tr("%1 (%2 h ago)").arg(clock).arg(s / 3600);
}

QString stateText(const AlertView &a)
{
    QString text = a.state == QLatin1String("firing")    ? AlertsModel::tr("firing")
                   : a.state == QLatin1String("pending") ? AlertsModel::tr("pending")
                                                          : AlertsModel::tr("resolved");
    if (a.acknowledged)
        text += AlertsModel::tr(", acknowledged");
    if (!a.silencedBy.isEmpty())
        text += AlertsModel::tr(", silenced");
    if (!a.inhibitedBy.isEmpty())
        text += AlertsModel::tr(", inhibited");
    return text;
}

} // namespace

int AlertsModel::severityRank(const QString &severity)
{
    static const QStringList order{QStringLiteral("info"), QStringLiteral("warning"),
                                   QStringLiteral("high"), QStringLiteral("critical")};
    return int(order.indexOf(severity));
}

QString AlertsModel::severityText(const QString &severity)
{
    if (severity == QLatin1String("info"))
        return tr("info");
    if (severity == QLatin1String("warning"))
        return tr("warning");
    if (severity == QLatin1String("high"))
        return tr("high");
    if (severity == QLatin1String("critical"))
        return tr("critical");
    return severity;
}

void AlertsModel::setAlerts(const QVector<AlertView> &active, const QVector<AlertView> &resolved,
                            qint64 nowMs)
{
    QVector<AlertView> next = active;
    next += resolved;
    // Same rows (by fingerprint and state): refresh the cells in place so selection and scroll
    // position stay where the operator left them.
    bool sameRows = next.size() == m_alerts.size();
    for (int i = 0; sameRows && i < next.size(); ++i)
        sameRows = next[i].fingerprint == m_alerts[i].fingerprint && next[i].state == m_alerts[i].state;
    m_nowMs = nowMs;
    if (sameRows) {
        m_alerts = next;
        if (!m_alerts.isEmpty())
            emit dataChanged(index(0, 0), index(int(m_alerts.size()) - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_alerts = next;
    endResetModel();
}

const AlertView *AlertsModel::alert(const QString &fingerprint) const
{
    const int row = rowOf(fingerprint);
    return row >= 0 ? &m_alerts[row] : nullptr;
}

int AlertsModel::rowOf(const QString &fingerprint) const
{
    for (int i = 0; i < m_alerts.size(); ++i)
        if (m_alerts[i].fingerprint == fingerprint)
            return i;
    return -1;
}

int AlertsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_alerts.size());
}

int AlertsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AlertsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_alerts.size())
        return {};
    const AlertView &a = m_alerts[index.row()];
    switch (role) {
    case FingerprintRole: return a.fingerprint;
    case PoolRole: return a.labels.value(QStringLiteral("pool"));
    case StateRole: return a.state;
    case SeverityRole: return a.severity;
    case AcknowledgedRole: return a.acknowledged;
    case Qt::ForegroundRole:
        // Resolved and muted alerts recede; the ones that need the operator stand out.
        if (a.state == QLatin1String("resolved") || a.acknowledged || !a.silencedBy.isEmpty())
            return QBrush(QColor(0x80, 0x80, 0x80));
        return {};
    case Qt::ToolTipRole:
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (index.column()) {
    case Severity: return severityText(a.severity);
    case State: return stateText(a);
    case Name: return a.name;
    case Pool: return a.labels.value(QStringLiteral("pool"));
    case Since:
        return a.state == QLatin1String("resolved") ? sinceText(a.resolvedAtMs, m_nowMs)
                                                    : sinceText(a.activeSinceMs, m_nowMs);
    case Value: return QLocale().toString(a.value, 'g', 6);
    case Summary: return a.summary;
    }
    return {};
}

QVariant AlertsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Severity: return tr("Severity");
    case State: return tr("State");
    case Name: return tr("Alert");
    case Pool: return tr("Pool");
    case Since: return tr("Since");
    case Value: return tr("Value");
    case Summary: return tr("Summary");
    }
    return {};
}

} // namespace drover::ui
