// resources/grafana/drover-dashboard.json: valid JSON in Grafana's shape, every query names
// only series Drover exports (checked against the real /metrics rendering of a full snapshot),
// and every query is valid PromQL (promtool parses them as recording rules).
#include "core/metrics/prometheus_text.h"
#include "core/observe/snapshot_metrics.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace drover;

namespace {

const QString kDashboard = QStringLiteral(DROVER_SOURCE_DIR "/resources/grafana/drover-dashboard.json");

// A snapshot with something in every family, so every name the renderer can emit shows up.
Snapshot fullSnapshot()
{
    Snapshot s;
    s.sequence = 3;
    s.ticks = 3;
    s.publishedAtMs = 1'700'000'000'000;
    s.tickIntervalMs = 1000;
    s.cpuValid = true;
    s.memoryTotalBytes = 100;
    s.memoryUsedBytes = 50;
    PoolStatus p;
    p.name = QStringLiteral("mail");
    p.tier = QStringLiteral("basic");
    ReplicaStatus r;
    r.pid = 1;
    r.cpuValid = true;
    r.metricsValid = true;
    p.replicas = {r};
    s.pools = {p};
    ScalingRecord d;
    d.pool = p.name;
    d.decision.atMs = s.publishedAtMs;
    d.decision.driver = QStringLiteral("none");
    s.scalingDecisions = {d};
    BottleneckView b;
    b.signature = QStringLiteral("queue_backlog");
    s.bottlenecks = {b};
    return s;
}

QJsonObject loadDashboard()
{
    QFile f(kDashboard);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot open %s", qPrintable(kDashboard));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("%s is not valid JSON at offset %d: %s", qPrintable(kDashboard), error.offset,
               qPrintable(error.errorString()));
    return doc.object();
}

// Every (panel title, expr) of the dashboard, rows' nested panels included.
QList<QPair<QString, QString>> expressions(const QJsonArray &panels)
{
    QList<QPair<QString, QString>> out;
    for (const QJsonValue &v : panels) {
        const QJsonObject panel = v.toObject();
        out += expressions(panel.value(QStringLiteral("panels")).toArray());
        for (const QJsonValue &t : panel.value(QStringLiteral("targets")).toArray())
            out.append({panel.value(QStringLiteral("title")).toString(),
                        t.toObject().value(QStringLiteral("expr")).toString()});
    }
    return out;
}

// Grafana's variables replaced by what Prometheus would see.
QString concrete(QString expr)
{
    return expr.replace(QLatin1String("$__rate_interval"), QLatin1String("1m"))
        .replace(QLatin1String("$__range"), QLatin1String("1h"))
        .replace(QLatin1String("$pool"), QLatin1String(".*"))
        .replace(QLatin1String("$job"), QLatin1String(".*"));
}

} // namespace

class TestObserveDashboard : public QObject
{
    Q_OBJECT
private slots:
    void hasGrafanaShape()
    {
        const QJsonObject d = loadDashboard();
        QVERIFY(!d.value(QStringLiteral("title")).toString().isEmpty());
        QVERIFY(!d.value(QStringLiteral("uid")).toString().isEmpty());
        QVERIFY(d.value(QStringLiteral("schemaVersion")).toInt() > 0);
        const QJsonArray panels = d.value(QStringLiteral("panels")).toArray();
        QVERIFY(panels.size() >= 10);
        QSet<int> ids;
        for (const QJsonValue &v : panels) {
            const QJsonObject p = v.toObject();
            const int id = p.value(QStringLiteral("id")).toInt();
            QVERIFY2(!ids.contains(id), qPrintable(QStringLiteral("duplicate panel id %1").arg(id)));
            ids.insert(id);
            QVERIFY(p.value(QStringLiteral("gridPos")).isObject());
            if (p.value(QStringLiteral("type")).toString() != QLatin1String("row"))
                QVERIFY2(!p.value(QStringLiteral("targets")).toArray().isEmpty(),
                         qPrintable(p.value(QStringLiteral("title")).toString()));
        }
    }

    void queriesNameOnlyExportedSeries()
    {
        SnapshotCounters counters;
        const Snapshot s = fullSnapshot();
        counters.apply(s);
        MetricsInput in;
        in.snapshot = &s;
        in.counters = &counters;
        in.nowMs = s.publishedAtMs;
        const PrometheusParseResult page = parsePrometheusText(renderMetrics(in));
        QVERIFY(page.ok());
        QSet<QString> exported;
        for (const PrometheusSample &sample : page.samples)
            exported.insert(sample.name);
        for (const PrometheusFamily &f : page.families)
            exported.insert(f.name);

        static const QRegularExpression metric(QStringLiteral("\\bdrover_[a-zA-Z0-9_]+"));
        QSet<QString> used;
        const auto exprs = expressions(loadDashboard().value(QStringLiteral("panels")).toArray());
        QVERIFY(!exprs.isEmpty());
        for (const auto &[title, expr] : exprs) {
            QVERIFY2(!expr.trimmed().isEmpty(), qPrintable(title));
            bool any = false;
            for (const QRegularExpressionMatch &m : metric.globalMatch(expr)) {
                any = true;
                used.insert(m.captured());
                QVERIFY2(exported.contains(m.captured()),
                         qPrintable(QStringLiteral("panel '%1' queries %2, which Drover does not export")
                                        .arg(title, m.captured())));
            }
            // The only foreign series allowed is Prometheus' own scrape health.
            QVERIFY2(any || expr.startsWith(QLatin1String("up{")), qPrintable(title + QStringLiteral(": ") + expr));
        }
        // The series the issue names are all on the dashboard.
        for (const char *name : {"drover_replicas", "drover_queue_depth", "drover_gpt_tokens_total",
                                 "drover_scaling_decisions_total", "drover_alerts_firing",
                                 "drover_engine_tick_seconds_bucket", "drover_pool_desired_replicas",
                                 "drover_replica_cpu_percent", "drover_replica_memory_bytes"})
            QVERIFY2(used.contains(QLatin1String(name)), name);
    }

    void queriesAreValidPromQL()
    {
        const QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
        if (promtool.isEmpty())
            QFAIL("'promtool' is not on PATH: install the Debian package 'prometheus' (scripts/packages.txt)");
        QTemporaryDir dir;
        const QString rules = dir.filePath(QStringLiteral("dashboard_rules.yml"));
        QFile f(rules);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QByteArray yaml = "groups:\n  - name: drover_dashboard\n    rules:\n";
        int i = 0;
        for (const auto &[title, expr] : expressions(loadDashboard().value(QStringLiteral("panels")).toArray())) {
            // JSON strings are valid YAML double-quoted scalars.
            const QByteArray quoted = QJsonDocument(QJsonArray{concrete(expr)}).toJson(QJsonDocument::Compact);
            yaml += "      - record: dashboard:query_" + QByteArray::number(i++) + "\n        expr: " +
                    quoted.mid(1, quoted.size() - 2) + "\n";
        }
        f.write(yaml);
        f.close();
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(promtool, {QStringLiteral("check"), QStringLiteral("rules"), rules});
        QVERIFY(p.waitForFinished(60000));
        const QByteArray out = p.readAll();
        QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0, (out + "\n" + yaml).constData());
    }
};

QTEST_GUILESS_MAIN(TestObserveDashboard)
#include "tst_observe_dashboard.moc"
