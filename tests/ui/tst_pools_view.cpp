// The Pools view driving a real engine with a real drover-agent pool (offscreen): the
// operator's scale reaches the OS and the table follows; a tier change asks first and applies;
// a replica's log arrives; a refused command is shown.
#include "core/engine/engine.h"
#include "ui/main_window.h"
#include "ui/pools_model.h"
#include "ui/pools_view.h"

#include <QComboBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>

using namespace drover;
using namespace drover::ui;

namespace {

struct Console
{
    QTemporaryDir dir;
    MainWindow window{MainWindowOptions{}};
    std::unique_ptr<EngineHost> engine;
    Snapshot last;

    explicit Console(const QByteArray &yaml, const QString &storePath = QString())
    {
        QFile f(dir.filePath(QStringLiteral("drover.yaml")));
        f.open(QIODevice::WriteOnly);
        f.write(QByteArray(yaml).replace("AGENT", DROVER_AGENT_EXE));
        f.close();
        EngineOptions options;
        options.tickIntervalMs = 200;
        options.logDir = dir.filePath(QStringLiteral("logs"));
        options.storePath = storePath.isEmpty() ? dir.filePath(QStringLiteral("drover.sqlite")) : storePath;
        engine = std::make_unique<EngineHost>(loadConfigFile(f.fileName()), options);
        // Exactly the wiring of app/drover/main.cpp.
        QObject::connect(engine.get(), &EngineHost::snapshotPublished, &window, &MainWindow::applySnapshot);
        QObject::connect(engine.get(), &EngineHost::snapshotPublished, engine.get(),
                         [this](const Snapshot &s) { last = s; });
        QObject::connect(engine.get(), &EngineHost::replicaLog, &window, &MainWindow::showReplicaLog);
        QObject::connect(engine.get(), &EngineHost::commandRefused, &window, &MainWindow::showCommandRefused);
        QObject::connect(&window, &MainWindow::scaleRequested, engine.get(),
                         [this](const QString &p, int n) { engine->scalePool(p, n, QStringLiteral("test")); });
        QObject::connect(&window, &MainWindow::tierRequested, engine.get(),
                         [this](const QString &p, const QString &t) { engine->setPoolTier(p, t, QStringLiteral("test")); });
        QObject::connect(&window, &MainWindow::logRequested, engine.get(), &EngineHost::requestReplicaLog);
        engine->start();
        window.show();
    }

    const PoolStatus *pool() const { return window.poolsView()->model()->pool(QStringLiteral("p")); }
};

const QByteArray kPool = "version: 1\npools:\n  - name: p\n    command: AGENT\n"
                         "    replicas: { min: 1, max: 4, initial: 1 }\n    tier: free\n"
                         "    stop_timeout: 5s\n    health: { interval: 300ms }\n";

} // namespace

class TestPoolsView : public QObject
{
    Q_OBJECT
private slots:
    void scalingFromTheViewReachesTheFleet()
    {
        Console c(kPool);
        PoolsView *view = c.window.poolsView();
        QTRY_VERIFY_WITH_TIMEOUT(c.pool() && c.pool()->ready == 1, 30000);
        view->select(QStringLiteral("p"));
        QCOMPARE(view->replicaSpin()->maximum(), 4); // beyond max cannot be asked for
        view->replicaSpin()->setValue(3);
        QTest::mouseClick(view->scaleButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(c.pool()->ready == 3, 30000);
        const QModelIndex poolRow = view->model()->index(0, 0);
        QCOMPARE(view->model()->rowCount(poolRow), 3);
        QVERIFY(view->model()->index(0, PoolsModel::Replicas).data().toString().startsWith(QLatin1String("3 / 3")));
        QCOMPARE(view->tree()->currentIndex().data(PoolsModel::PoolNameRole).toString(), QStringLiteral("p"));

        view->replicaSpin()->setValue(1);
        QTest::mouseClick(view->scaleButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(view->model()->rowCount(view->model()->index(0, 0)) == 1, 30000);
        c.engine->stop();
    }

    void tierChangeAsksFirstAndApplies()
    {
        Console c(kPool);
        PoolsView *view = c.window.poolsView();
        QTRY_VERIFY_WITH_TIMEOUT(c.pool() && c.pool()->ready == 1, 30000);
        view->select(QStringLiteral("p"));
        QString asked;
        bool answer = false;
        view->setConfirm([&](const QString &, const QString &text) { asked = text; return answer; });
        view->tierCombo()->setCurrentText(QStringLiteral("premium"));
        QTest::mouseClick(view->tierButton(), Qt::LeftButton);
        QVERIFY(asked.contains(QLatin1String("from tier free to premium")));
        QVERIFY(asked.contains(QLatin1String("without a restart")));
        QTest::qWait(600); // declined: give a wrongly sent command time to show up
        QCOMPARE(c.pool()->tier, QStringLiteral("free"));

        answer = true;
        QTest::mouseClick(view->tierButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(c.pool()->tier, QStringLiteral("premium"), 10000);
        QCOMPARE(c.pool()->ready, 1);
        c.engine->stop();
    }

    void replicaLogArrivesForTheSelectedReplica()
    {
        Console c(kPool);
        PoolsView *view = c.window.poolsView();
        QTRY_VERIFY_WITH_TIMEOUT(c.pool() && c.pool()->ready == 1, 30000);
        view->select(QStringLiteral("p"), 0);
        QTRY_VERIFY_WITH_TIMEOUT(view->logView()->toPlainText().contains(QLatin1String("\"event\":\"listening\"")),
                                 10000);
        c.engine->stop();
    }

    void operatorScaleSurvivesARestart()
    {
        QTemporaryDir storeDir;
        const QString store = storeDir.filePath(QStringLiteral("drover.sqlite"));
        {
            Console c(kPool, store);
            QTRY_VERIFY_WITH_TIMEOUT(c.pool() && c.pool()->ready == 1, 30000);
            c.window.poolsView()->select(QStringLiteral("p"));
            c.window.poolsView()->replicaSpin()->setValue(2);
            QTest::mouseClick(c.window.poolsView()->scaleButton(), Qt::LeftButton);
            QTRY_VERIFY_WITH_TIMEOUT(c.pool()->ready == 2, 30000);
            c.engine->stop(); // Drover quits; its agents stop with it
        }
        Console again(kPool, store); // the configuration still says initial: 1
        QTRY_VERIFY_WITH_TIMEOUT(again.pool() && again.pool()->ready == 2, 30000);
        QCOMPARE(again.pool()->desired, 2);
        again.engine->stop();
    }

    void refusedCommandIsShown()
    {
        Console c(kPool);
        QTRY_VERIFY_WITH_TIMEOUT(c.pool() && c.pool()->ready == 1, 30000);
        emit c.window.scaleRequested(QStringLiteral("gone"), 2); // e.g. a pool removed by a reload
        QTRY_VERIFY_WITH_TIMEOUT(c.window.statusBar()->currentMessage().contains(QLatin1String("no pool named 'gone'")),
                                 10000);
        QCOMPARE(c.pool()->ready, 1);
        c.engine->stop();
    }
};

QTEST_MAIN(TestPoolsView)
#include "tst_pools_view.moc"
