// The Configuration view during a reload, against a real engine and a drover-agent pool
// (offscreen): issues of a file edited while Drover runs appear live with file:line:column, the
// last reload's time and result show, and "Reload configuration" (button and F5 in the view)
// sends the engine's reloadConfig command through the console wiring.
#include "console_fixture.h"
#include "ui/config_issues_view.h"

#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTreeWidget>
#include <QtTest>

using namespace drover;
using namespace drover::ui;
using drover::ui::test::ConsoleFixture;

namespace {

const QByteArray kPool = "version: 1\npools:\n  - name: p\n    command: AGENT\n"
                         "    replicas: { min: 1, max: 2, initial: 1 }\n    tier: free\n"
                         "    stop_timeout: 5s\n    health: { interval: 300ms }\n";

void write(const QString &path, QByteArray text)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text.replace("AGENT", DROVER_AGENT_EXE));
}

QStringList locations(const QTreeWidget *tree)
{
    QStringList out;
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        out << tree->topLevelItem(i)->text(1);
    return out;
}

} // namespace

class TestConfigViewReload : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void issuesLiveAndReloadCommand()
    {
        ConsoleFixture c(kPool, DROVER_AGENT_EXE);
        ConfigIssuesView *view = c.window.configIssuesView();
        const QString path = c.dir.filePath(QStringLiteral("drover.yaml"));
        QTRY_VERIFY_WITH_TIMEOUT(c.last.sequence > 0, 15000);
        QCOMPARE(view->issueCount(), 0);
        QVERIFY(!view->reloadButton()->toolTip().isEmpty());
        QCOMPARE(view->reloadButton()->accessibleName(), QStringLiteral("Reload configuration"));

        // The file is broken while Drover runs: the view lists the new issue at once.
        write(path, QByteArray(kPool).replace("min: 1, max: 2", "min: 3, max: 2"));
        // The loader's error where it is, and the warning that the pool keeps its last good
        // settings.
        const QString minAboveMax = path + QStringLiteral(":5:15");
        QTRY_VERIFY_WITH_TIMEOUT(locations(view->tree()).contains(minAboveMax), 15000);
        QCOMPARE(view->issueCount(), 2);
        QCOMPARE(view->tree()->topLevelItem(0)->text(0), QStringLiteral("Error"));
        QCOMPARE(view->tree()->topLevelItem(1)->text(0), QStringLiteral("Warning"));
        QVERIFY2(view->lastReloadText().contains(QStringLiteral("after the file changed")),
                 qPrintable(view->lastReloadText()));
        QVERIFY(view->lastReloadText().contains(QStringLiteral("last good")));
        QVERIFY(
            view->summaryText().contains(QStringLiteral("Kept on their last good settings: p.")));

        // Another error, same count: the list is rebuilt (not kept because the count matches).
        write(path, QByteArray(kPool).replace("max: 2, initial: 1", "max: 2, initial: 9"));
        QTRY_VERIFY_WITH_TIMEOUT(!locations(view->tree()).contains(minAboveMax), 15000);
        QCOMPARE(view->issueCount(), 2);
        QVERIFY(view->tree()->topLevelItem(0)->text(2).contains(QStringLiteral("'initial' (9)")));

        // Fixed, then reloaded on request with the button: the engine counts one more reload,
        // triggered by the operator.
        write(path, kPool);
        QTRY_COMPARE_WITH_TIMEOUT(view->issueCount(), 0, 15000);
        const int before = c.last.config.reloads;
        QTest::mouseClick(view->reloadButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(c.last.config.reloads, before + 1, 15000);
        QCOMPARE(c.last.config.lastReloadTrigger, QStringLiteral("operator"));
        QTRY_VERIFY_WITH_TIMEOUT(view->lastReloadText().contains(QStringLiteral("on request")),
                                 15000);

        // F5 within the view does the same.
        auto *tabs = c.window.findChild<QTabWidget *>();
        QVERIFY(tabs);
        tabs->setCurrentWidget(view);
        c.window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&c.window));
        view->tree()->setFocus();
        QSignalSpy asked(view, &ConfigIssuesView::reloadRequested);
        QTest::keyClick(view->tree(), Qt::Key_F5);
        QCOMPARE(asked.size(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(c.last.config.reloads, before + 2, 15000);
        QVERIFY(c.refusals.isEmpty());
    }
};

QTEST_MAIN(TestConfigViewReload)
#include "tst_config_view_reload.moc"
