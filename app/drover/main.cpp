// The console: wires the engine (core) to the window (ui). Everything testable lives there.
#include "core/config/config.h"
#include "core/config/config_location.h"
#include "core/engine/engine.h"
#include "core/observe/json_log.h"
#include "core/observe/observe_host.h"
#include "core/platform/autostart.h"
#include "core/platform/single_instance.h"
#include "ui/console_wiring.h"
#include "ui/main_window.h"
#include "ui/theme.h"
#include "ui/translations.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QScopeGuard>
#include <QSystemTrayIcon>
#include <QTabWidget>
#include <QTextStream>
#include <QTimer>

#include <cstdio>
#include <memory>

namespace {

void printIssues(const drover::ConfigLoadResult &result)
{
    QTextStream err(stderr);
    for (const drover::ConfigIssue &issue : result.issues)
        err << issue.toString() << '\n';
    if (!result.refusedPools.isEmpty())
        err << QCoreApplication::translate("main", "refused pools: %1")
                   .arg(result.refusedPools.join(QStringLiteral(", ")))
            << '\n';
}

// A tab's command-line name: its view class without namespace and "View", lower case
// (Dashboard -> dashboard, PoolsView -> pools, BottlenecksView -> bottlenecks).
QString viewName(const QWidget *view)
{
    QString name = QString::fromLatin1(view->metaObject()->className()).section(QLatin1String("::"), -1);
    if (name.endsWith(QLatin1String("View")))
        name.chop(4);
    return name.toLower();
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Drover"));
    QApplication::setOrganizationName(QStringLiteral("Drover"));
    QApplication::setApplicationVersion(QStringLiteral(DROVER_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("drover"));

    // --lang must take effect before the parser renders --help, so peek at it first.
    QString language;
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args.at(i) == QLatin1String("--lang") && i + 1 < args.size())
            language = args.at(i + 1);
        else if (args.at(i).startsWith(QLatin1String("--lang=")))
            language = args.at(i).mid(7);
    }
    // Without --lang, the language chosen in the settings (empty: the system's).
    const drover::ui::UiSettings uiSettings = drover::ui::UiSettings::load();
    if (language.isEmpty())
        language = uiSettings.language;
    drover::ui::installTranslations(app, language);
    drover::ui::applyTheme(uiSettings.theme);

    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "main", "Drover: operations console for a fleet of local AI agent processes."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption configOption(
        QStringLiteral("config"),
        QCoreApplication::translate("main", "Read the configuration from <path> instead of %1.")
            .arg(drover::defaultConfigPath()),
        QStringLiteral("path"));
    const QCommandLineOption checkOption(
        QStringLiteral("check-config"),
        QCoreApplication::translate("main", "Check the configuration, print its problems and "
                                            "exit (status 1 when it has errors)."));
    const QCommandLineOption quitAfterOption(
        QStringLiteral("quit-after"),
        QCoreApplication::translate("main", "Quit after <ms> milliseconds (for tests and "
                                            "screenshots)."),
        QStringLiteral("ms"));
    const QCommandLineOption langOption(
        QStringLiteral("lang"),
        QCoreApplication::translate("main", "User interface language, e.g. de (default: the "
                                            "system's)."),
        QStringLiteral("language"));
    const QCommandLineOption autostartOption(
        QStringLiteral("autostart"),
        QCoreApplication::translate("main", "Start Drover at login (on) or not (off), then exit."),
        QStringLiteral("on|off"));
    parser.addOptions({configOption, checkOption, quitAfterOption, langOption});
    parser.addOption(autostartOption);
    const QCommandLineOption quitOption(
        QStringLiteral("quit"),
        QCoreApplication::translate("main", "Ask the running Drover to quit (it stops its agents) "
                                            "and wait until it has."));
    parser.addOption(quitOption);
    const QCommandLineOption viewOption(
        QStringLiteral("view"),
        QCoreApplication::translate("main", "Open on the tab <name>: dashboard, pools, alerts, "
                                            "bottlenecks, events, ... (for screenshots)."),
        QStringLiteral("name"));
    parser.addOption(viewOption);
    parser.process(app);

    if (parser.isSet(autostartOption)) {
        const QString value = parser.value(autostartOption);
        if (value != QLatin1String("on") && value != QLatin1String("off")) {
            QTextStream(stderr) << QCoreApplication::translate("main", "--autostart needs on or off, got '%1'")
                                       .arg(value)
                                << '\n';
            return 2;
        }
        QString error;
        if (!drover::autostart::setEnabled(value == QLatin1String("on"), &error)) {
            QTextStream(stderr) << error << '\n';
            return 1;
        }
        QTextStream(stdout) << (value == QLatin1String("on")
                                    ? QCoreApplication::translate("main", "Drover starts at login (%1).")
                                    : QCoreApplication::translate("main", "Drover no longer starts at login (%1)."))
                                   .arg(drover::autostart::location())
                            << '\n';
        return 0;
    }

    // One Drover per profile: a second launch hands its command line to the running one
    // (which raises its window, or quits on --quit) and ends here.
    drover::SingleInstance instance(drover::dataDir());
    if (!parser.isSet(checkOption)) {
        QString instanceError;
        const drover::SingleInstance::Role role = instance.claim(&instanceError);
        if (role == drover::SingleInstance::Role::Secondary) {
            QString answer;
            if (!instance.sendToPrimary(app.arguments().mid(1), 15000, &answer, &instanceError)) {
                QTextStream(stderr) << instanceError << '\n';
                return 1;
            }
            QTextStream(stdout) << QCoreApplication::translate("main", "Drover is already running: %1")
                                       .arg(answer)
                                << '\n';
            if (parser.isSet(quitOption)) {
                // Long enough for the agents' whole stop sequence (stop_timeout is seconds).
                if (!instance.waitForPrimaryToExit(120000)) {
                    QTextStream(stderr) << QCoreApplication::translate("main", "Drover did not quit within 120 s")
                                        << '\n';
                    return 1;
                }
                QTextStream(stdout) << QCoreApplication::translate("main", "Drover has quit.") << '\n';
            }
            return 0;
        }
        if (role == drover::SingleInstance::Role::Failed || !instanceError.isEmpty())
            QTextStream(stderr) << QCoreApplication::translate("main", "single instance: %1")
                                       .arg(instanceError)
                                << '\n';
        if (parser.isSet(quitOption)) {
            QTextStream(stdout) << QCoreApplication::translate("main", "Drover is not running.") << '\n';
            return 0;
        }
    }

    QString configPath = parser.value(configOption);
    if (configPath.isEmpty()) {
        const drover::ConfigPathResult ensured = drover::ensureUserConfig();
        if (!ensured.error.isEmpty())
            QTextStream(stderr) << ensured.error << '\n';
        configPath = ensured.path;
    }
    const drover::ConfigLoadResult config = drover::loadConfigFile(configPath);
    printIssues(config);
    if (parser.isSet(checkOption)) {
        if (!config.hasErrors())
            QTextStream(stdout) << QCoreApplication::translate("main", "%1: OK, %n pool(s)", nullptr,
                                                               int(config.config.pools.size()))
                                       .arg(QFileInfo(configPath).absoluteFilePath())
                                << '\n';
        return config.hasErrors() ? 1 : 0;
    }

    // Structured JSON logs (core/observe) in the data folder, rotated; the console keeps Qt's
    // plain output too.
    drover::JsonLogOptions logOptions;
    logOptions.path = drover::dataDir() + QStringLiteral("/logs/drover.jsonl");
    QString logError;
    if (!drover::installJsonLog(logOptions, &logError))
        QTextStream(stderr) << logError << '\n';
    const auto closeLog = qScopeGuard([] { drover::uninstallJsonLog(); });

    int quitAfterMs = 0;
    if (parser.isSet(quitAfterOption)) {
        bool ok = false;
        quitAfterMs = parser.value(quitAfterOption).toInt(&ok);
        if (!ok || quitAfterMs <= 0) {
            QTextStream(stderr) << QCoreApplication::translate(
                                       "main", "--quit-after needs a positive number of "
                                               "milliseconds, got '%1'")
                                       .arg(parser.value(quitAfterOption))
                                << '\n';
            return 2;
        }
    }

    drover::ui::MainWindowOptions windowOptions;
    windowOptions.trayAvailable = QSystemTrayIcon::isSystemTrayAvailable();
    for (const drover::ReceiverSpec &receiver : config.config.notifications.receivers)
        for (const drover::ReceiverSpec::Channel &channel : receiver.channels)
            if (!channel.urlSecret.isEmpty())
                windowOptions.webhookSecrets << channel.urlSecret;
    drover::ui::MainWindow window(windowOptions);

    drover::EngineHost engine(config);
    // /metrics and /health for Prometheus (observe: in drover.yaml), fed the engine's snapshots.
    std::unique_ptr<drover::ObserveHost> observe;
    if (config.config.observe.enabled) {
        drover::ObserveOptions observeOptions;
        observeOptions.port = quint16(config.config.observe.port);
        observe = std::make_unique<drover::ObserveHost>(observeOptions);
        QObject::connect(observe.get(), &drover::ObserveHost::failed, [](const QString &error) {
            qCWarning(drover::lcObserve).noquote() << error;
        });
        QObject::connect(observe.get(), &drover::ObserveHost::listening, [](quint16 port) {
            qCInfo(drover::lcObserve).noquote()
                << QStringLiteral("metrics on http://127.0.0.1:%1/metrics").arg(port);
        });
        QObject::connect(&engine, &drover::EngineHost::snapshotPublished, observe.get(),
                         &drover::ObserveHost::applySnapshot);
        QObject::connect(&app, &QCoreApplication::aboutToQuit, observe.get(),
                         [&observe] { observe->setEngineStopped(true); });
        observe->start();
    }
    using drover::EngineHost;
    using drover::ui::MainWindow;
    QObject::connect(&engine, &EngineHost::snapshotPublished, &window, &MainWindow::applySnapshot);
    QObject::connect(&engine, &EngineHost::replicaLog, &window, &MainWindow::showReplicaLog);
    QObject::connect(&engine, &EngineHost::commandRefused, &window, &MainWindow::showCommandRefused);
    const QString byOperator = QCoreApplication::translate("main", "operator");
    QObject::connect(&window, &MainWindow::scaleRequested, &engine,
                     [&engine, byOperator](const QString &pool, int n) { engine.scalePool(pool, n, byOperator); });
    QObject::connect(&window, &MainWindow::restartPoolRequested, &engine,
                     [&engine, byOperator](const QString &pool) { engine.restartPool(pool, byOperator); });
    QObject::connect(&window, &MainWindow::tierRequested, &engine,
                     [&engine, byOperator](const QString &pool, const QString &tier) {
                         engine.setPoolTier(pool, tier, byOperator);
                     });
    QObject::connect(&window, &MainWindow::restartReplicaRequested, &engine,
                     [&engine, byOperator](const QString &pool, int i) { engine.restartReplica(pool, i, byOperator); });
    QObject::connect(&window, &MainWindow::stopReplicaRequested, &engine,
                     [&engine, byOperator](const QString &pool, int i) { engine.stopReplica(pool, i, byOperator); });
    QObject::connect(&window, &MainWindow::logRequested, &engine, &EngineHost::requestReplicaLog);
    drover::ui::connectOperatorCommands(&window, &engine, byOperator);
    // With a tray, the window closes to the tray; only Quit (which asks about the agents) ends.
    app.setQuitOnLastWindowClosed(!windowOptions.trayAvailable);
    window.restoreLayout();
    // --view selects a tab at start and, handed over by a second launch, in the running console
    // (tests/screenshots.sh captures each view of one running fleet that way).
    const auto selectView = [&window](const QString &name) -> QString {
        QTabWidget *tabs = window.tabs();
        QStringList names;
        for (int i = 0; i < tabs->count(); ++i)
            names << viewName(tabs->widget(i));
        const int index = int(names.indexOf(name.toLower()));
        if (index < 0)
            return QCoreApplication::translate("main", "--view: no tab named '%1' (tabs: %2)")
                .arg(name, names.join(QLatin1String(", ")));
        tabs->setCurrentIndex(index);
        return {};
    };
    if (parser.isSet(viewOption)) {
        // After restoreLayout, which selects the tab of the last session.
        const QString error = selectView(parser.value(viewOption));
        if (!error.isEmpty()) {
            QTextStream(stderr) << error << '\n';
            return 2;
        }
    }
    // Stop the engine thread while the event loop still exists.
    QObject::connect(&app, &QCoreApplication::aboutToQuit, &engine, &drover::EngineHost::stop);
    instance.setHandler([&window, &selectView](const QStringList &arguments) -> QString {
        if (arguments.contains(QStringLiteral("--quit"))) {
            // After the answer is on its way; quitting stops the engine and the agents.
            QTimer::singleShot(0, qApp, &QCoreApplication::quit);
            return QStringLiteral("quitting");
        }
        const int view = int(arguments.indexOf(QStringLiteral("--view")));
        if (view >= 0 && view + 1 < arguments.size()) {
            const QString error = selectView(arguments.at(view + 1));
            if (!error.isEmpty())
                return error;
        }
        window.setWindowState((window.windowState() & ~Qt::WindowMinimized) | Qt::WindowActive);
        window.show();
        window.raise();
        window.activateWindow();
        return window.isVisible() ? QStringLiteral("window raised") : QStringLiteral("window not shown");
    });
    engine.start();
    window.show();

    if (quitAfterMs > 0)
        QTimer::singleShot(quitAfterMs, &window, &MainWindow::quitNow);
    return app.exec();
}
