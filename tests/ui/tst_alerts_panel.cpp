// The Alerts panel and the tray state against a real engine running a drover-agent pool
// (offscreen): rules fire into the panel, the icon takes the worst unacknowledged severity,
// acknowledging and silencing from the panel reach the engine and come back in the panel and
// the icon, "open pool" selects the pool; the engine's notifications are delivered once each,
// and a burst becomes one summary.
#include "console_fixture.h"
#include "ui/alerts_model.h"
#include "ui/alerts_view.h"
#include "ui/bottlenecks_view.h"
#include "ui/notification_banner.h"
#include "ui/notifier.h"
#include "ui/pools_model.h"
#include "ui/pools_view.h"
#include "ui/status_icon.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTreeView>
#include <QTreeWidget>
#include <QtTest>

using namespace drover;
using namespace drover::ui;
using drover::ui::test::ConsoleFixture;

namespace {

const QByteArray kFleet =
    "version: 1\n"
    "pools:\n"
    "  - name: p\n    command: AGENT\n"
    "    replicas: { min: 1, max: 3, initial: 1 }\n    tier: free\n"
    "    stop_timeout: 5s\n    health: { interval: 300ms }\n"
    "alerts:\n"
    "  - { name: PoolUp, series: pool_ready_replicas, op: '>=', threshold: 1, for: 0s, "
    "severity: critical, summary: '{{value}} replica(s) ready' }\n"
    "  - { name: HostMemory, series: system_memory_percent, op: '>', threshold: 0, for: 0s, "
    "severity: warning, summary: 'memory in use' }\n";

QString fingerprintOf(const AlertsModel *model, const QString &name)
{
    for (int r = 0; r < model->rowCount(); ++r)
        if (model->index(r, AlertsModel::Name).data().toString() == name)
            return model->index(r, 0).data(AlertsModel::FingerprintRole).toString();
    return {};
}

bool acknowledged(const AlertsModel *model, const QString &name)
{
    const AlertView *a = model->alert(fingerprintOf(model, name));
    return a && a->acknowledged;
}

NotificationView note(quint64 id, const QString &channel, const QString &title)
{
    NotificationView n;
    n.id = id;
    n.channel = channel;
    n.title = title;
    n.body = QStringLiteral("body of ") + title;
    return n;
}

} // namespace

class TestAlertsPanel : public QObject
{
    Q_OBJECT
private slots:
    void operatorActsOnFiringAlertsFromThePanel()
    {
        ConsoleFixture c(kFleet, DROVER_AGENT_EXE);
        AlertsView *view = c.window.alertsView();
        Notifier *notifier = c.window.notifier();
        QSignalSpy notified(notifier, &Notifier::notified);

        QTRY_VERIFY_WITH_TIMEOUT(!fingerprintOf(view->model(), QStringLiteral("PoolUp")).isEmpty()
                                     && !fingerprintOf(view->model(), QStringLiteral("HostMemory")).isEmpty(),
                                 30000);
        QTRY_COMPARE_WITH_TIMEOUT(notifier->severity(), QStringLiteral("critical"), 10000);
        const QString poolUp = fingerprintOf(view->model(), QStringLiteral("PoolUp"));
        const int row = view->model()->rowOf(poolUp);
        QCOMPARE(view->model()->index(row, AlertsModel::Pool).data().toString(), QStringLiteral("p"));
        QCOMPARE(view->model()->index(row, AlertsModel::Summary).data().toString(),
                 QStringLiteral("1 replica(s) ready"));
        QVERIFY(view->model()->index(row, AlertsModel::State).data().toString().startsWith(QLatin1String("firing")));
        QVERIFY(c.window.tabs()->tabText(c.window.tabs()->indexOf(view)).contains(QLatin1String("(2)")));

        // Acknowledge the critical one from the panel: the engine records it, the panel shows
        // it, and the icon drops to the worst alert still needing the operator.
        QVERIFY(view->select(poolUp));
        QVERIFY(view->acknowledgeButton()->isEnabled());
        QTest::mouseClick(view->acknowledgeButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(acknowledged(view->model(), QStringLiteral("PoolUp")), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(notifier->severity(), QStringLiteral("warning"), 10000);
        QVERIFY(notifier->statusText().contains(QLatin1String("1 need attention")));
        QVERIFY(!view->acknowledgeButton()->isEnabled()); // the selection survived the refresh
        QCOMPARE(view->selectedFingerprint(), poolUp);

        // Silence the other one for 15 minutes: nothing needs the operator any more.
        QVERIFY(view->select(fingerprintOf(view->model(), QStringLiteral("HostMemory"))));
        view->silenceDuration()->setCurrentIndex(0);
        QTest::mouseClick(view->silenceButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(view->silencesList()->topLevelItemCount(), 1, 10000);
        QCOMPARE(view->silencesList()->topLevelItem(0)->text(0), QStringLiteral("alertname=\"HostMemory\""));
        QCOMPARE(c.last.silences.size(), 1);
        const qint64 length = c.last.silences.first().endsAtMs - c.last.silences.first().startsAtMs;
        QCOMPARE(length, 15 * 60 * 1000LL);
        QTRY_COMPARE_WITH_TIMEOUT(notifier->severity(), QString(), 10000);
        QVERIFY(notifier->statusText().contains(QLatin1String("all acknowledged or silenced")));

        // End the silence early: the warning colours the icon again.
        view->silencesList()->setCurrentItem(view->silencesList()->topLevelItem(0));
        QTest::mouseClick(view->expireSilenceButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(view->silencesList()->topLevelItemCount(), 0, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(notifier->severity(), QStringLiteral("warning"), 10000);

        // Open the related pool.
        QVERIFY(view->select(poolUp));
        QTest::mouseClick(view->openPoolButton(), Qt::LeftButton);
        QCOMPARE(c.window.tabs()->currentWidget(), c.window.poolsView());
        QCOMPARE(c.window.poolsView()->tree()->currentIndex().data(PoolsModel::PoolNameRole).toString(),
                 QStringLiteral("p"));

        // The built-in policy tells the tray (here: the banner) about the critical group after
        // its group_wait; each notification is delivered once although every snapshot repeats it.
        QTRY_VERIFY_WITH_TIMEOUT(notifier->lastDeliveredId() > 0, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(!c.window.banner()->text().isEmpty(), 5000);
        const int shown = int(notified.size());
        const quint64 delivered = notifier->lastDeliveredId();
        const quint64 sequence = c.window.lastSequence();
        QTRY_VERIFY_WITH_TIMEOUT(c.window.lastSequence() >= sequence + 4, 10000);
        if (notifier->lastDeliveredId() == delivered) // nothing new decided meanwhile
            QCOMPARE(int(notified.size()), shown);
        QVERIFY(c.refusals.isEmpty());
    }

    void eachNotificationIsDeliveredOnceAndABurstIsSummarised()
    {
        NotificationBanner banner;
        Notifier notifier(&banner, false);
        QSignalSpy notified(&notifier, &Notifier::notified);
        QVector<NotificationView> list{note(1, QStringLiteral("tray"), QStringLiteral("A")),
                                       note(2, QStringLiteral("webhook"), QStringLiteral("hook")),
                                       note(3, QStringLiteral("banner"), QStringLiteral("B"))};
        QCOMPARE(notifier.deliver(list), 2);
        QCOMPARE(notifier.deliver(list), 0); // the next snapshot repeats them
        QCOMPARE(notified.size(), 2);
        QCOMPARE(banner.text(), QStringLiteral("B: body of B"));

        for (quint64 id = 4; id < 14; ++id)
            list.append(note(id, QStringLiteral("tray"), QStringLiteral("N%1").arg(id)));
        QCOMPARE(notifier.deliver(list), 1);
        QCOMPARE(notified.size(), 3);
        QVERIFY(notified.last().at(0).toString().startsWith(QLatin1String("10 new alert notification")));
        QVERIFY(notified.last().at(1).toString().startsWith(QLatin1String("N4; N5; N6 and 7 more")));

        // The operator turned resolved notices off: a resolution is not shown.
        notifier.setPreferences({true, false});
        NotificationView resolved = note(20, QStringLiteral("tray"), QStringLiteral("R"));
        resolved.resolved = true;
        QCOMPARE(notifier.deliver({resolved}), 0);
        QCOMPARE(notifier.lastDeliveredId(), quint64(20));
    }

    void iconColourFollowsTheWorstSeverityAndIsSharpAtAnyScale()
    {
        NotificationBanner banner;
        Notifier notifier(&banner, false);
        AlertView warning;
        warning.fingerprint = QStringLiteral("w");
        warning.state = QStringLiteral("firing");
        warning.severity = QStringLiteral("warning");
        AlertView high = warning;
        high.fingerprint = QStringLiteral("h");
        high.severity = QStringLiteral("high");
        AlertView pendingCritical = warning;
        pendingCritical.fingerprint = QStringLiteral("c");
        pendingCritical.state = QStringLiteral("pending");
        pendingCritical.severity = QStringLiteral("critical");
        notifier.setAlerts({warning, high, pendingCritical});
        QCOMPARE(notifier.severity(), QStringLiteral("high")); // pending does not count

        // 24 px at 150 %: a 36 px bitmap whose status dot has the severity's colour.
        const QPixmap pm = notifier.icon().pixmap(QSize(24, 24), 1.5);
        QCOMPARE(pm.devicePixelRatio(), 1.5);
        QCOMPARE(pm.size(), QSize(36, 36));
        const QImage image = pm.toImage();
        const QColor dot = image.pixelColor(int(36 * 0.79), int(36 * 0.79));
        QCOMPARE(dot.rgb(), severityColor(QStringLiteral("high")).rgb());

        high.acknowledged = true;
        notifier.setAlerts({warning, high});
        QCOMPARE(notifier.severity(), QStringLiteral("warning"));
        const QImage after = notifier.icon().pixmap(QSize(24, 24), 1.5).toImage();
        QCOMPARE(after.pixelColor(int(36 * 0.79), int(36 * 0.79)).rgb(),
                 severityColor(QStringLiteral("warning")).rgb());
    }

    void bottlenecksPanelShowsFindingsAndSendsItsCommands()
    {
        BottlenecksView view;
        view.show();
        Snapshot snapshot;
        BottleneckView queue;
        queue.signature = QStringLiteral("queue_backlog");
        queue.title = QStringLiteral("Queue backlog");
        queue.severity = QStringLiteral("high");
        queue.pool = QStringLiteral("mail");
        queue.confidence = 0.82;
        queue.summary = QStringLiteral("140 jobs waiting and growing");
        queue.evidence = {QStringLiteral("queue_depth{pool=\"mail\"} 140, +3/s")};
        queue.remediationKind = QStringLiteral("scale_out");
        queue.remediation = QStringLiteral("scale mail out to 4 replicas");
        BottleneckView disk = queue;
        disk.signature = QStringLiteral("disk_pressure");
        disk.title = QStringLiteral("Disk filling");
        disk.pool.clear();
        disk.confidence = 0.4;
        disk.remediationKind = QStringLiteral("notify_only");
        snapshot.bottlenecks = {queue, disk};
        snapshot.autoRemediation = {QStringLiteral("queue_backlog")};
        view.setAutoRemediation(snapshot.autoRemediation);
        view.setSnapshot(snapshot);

        QCOMPARE(view.model()->rowCount(), 2);
        QCOMPARE(view.model()->index(0, BottlenecksModel::Confidence).data().toString(), QStringLiteral("82 %"));
        QCOMPARE(view.model()->index(0, BottlenecksModel::Confidence).data(BottlenecksModel::ConfidenceRole).toDouble(), 0.82);
        QCOMPARE(view.model()->index(1, BottlenecksModel::Pool).data().toString(), QStringLiteral("(host)"));
        QVERIFY(!view.applyButton()->isEnabled()); // nothing selected

        QSignalSpy apply(&view, &BottlenecksView::applyRemediationRequested);
        QSignalSpy automatic(&view, &BottlenecksView::autoRemediationRequested);
        QVERIFY(view.select(QStringLiteral("queue_backlog"), QStringLiteral("mail")));
        QCOMPARE(view.details()->text(), QStringLiteral("140 jobs waiting and growing"));
        QCOMPARE(view.evidence()->count(), 1);
        QVERIFY(view.remediation()->text().contains(QLatin1String("scale mail out to 4 replicas")));
        QVERIFY(view.autoCheck()->isChecked()); // the engine said so
        QTest::mouseClick(view.applyButton(), Qt::LeftButton);
        QCOMPARE(apply.size(), 1);
        QCOMPARE(apply.first().at(0).toString(), QStringLiteral("queue_backlog"));
        QCOMPARE(apply.first().at(1).toString(), QStringLiteral("mail"));
        view.autoCheck()->click();
        QCOMPARE(automatic.size(), 1);
        QCOMPARE(automatic.first().at(1).toBool(), false);

        // A refreshed snapshot keeps the selection; a notify-only finding offers no action.
        view.setSnapshot(snapshot);
        QCOMPARE(view.details()->text(), QStringLiteral("140 jobs waiting and growing"));
        QVERIFY(view.select(QStringLiteral("disk_pressure"), QString()));
        QVERIFY(!view.applyButton()->isEnabled());
        QVERIFY(!view.autoCheck()->isEnabled());

        // The painted confidence bar: the delegate renders without a style complaint.
        view.table()->viewport()->grab();
    }
};

QTEST_MAIN(TestAlertsPanel)
#include "tst_alerts_panel.moc"
