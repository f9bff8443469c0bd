#include "console_wiring.h"

#include "config_issues_view.h"
#include "core/engine/engine.h"
#include "main_window.h"

#include <QCoreApplication>

namespace drover::ui {

void connectOperatorCommands(MainWindow *window, EngineHost *engine, const QString &byOperator)
{
    Q_UNUSED(byOperator) // the engine records who acted for scale commands; these carry no reason
    QObject::connect(window, &MainWindow::pauseAutoscalingRequested, engine, &EngineHost::pauseAutoscaling);
    QObject::connect(window, &MainWindow::resumeAutoscalingRequested, engine, &EngineHost::resumeAutoscaling);
    QObject::connect(window, &MainWindow::acknowledgeRequested, engine, &EngineHost::acknowledgeAlert);
    QObject::connect(window, &MainWindow::silenceRequested, engine,
                     [engine](const QString &matchers, qint64 durationMs, const QString &comment) {
                         engine->silence(matchers, durationMs, comment);
                     });
    QObject::connect(window, &MainWindow::expireSilenceRequested, engine, &EngineHost::expireSilence);
    QObject::connect(window, &MainWindow::applyRemediationRequested, engine, &EngineHost::applyRemediation);
    QObject::connect(window, &MainWindow::autoRemediationRequested, engine, &EngineHost::setAutoRemediation);
    QObject::connect(window, &MainWindow::requeueDeadLetterRequested, engine, &EngineHost::requeueDeadLetter);
    QObject::connect(window, &MainWindow::refreshCapacityPlanRequested, engine, &EngineHost::refreshCapacityPlan);
    QObject::connect(window->configIssuesView(), &ConfigIssuesView::reloadRequested, engine,
                     &EngineHost::reloadConfig);
    // "Stop agents and quit": the engine stops every replica (graceful stop, then the kill)
    // before the event loop ends.
    QObject::connect(window, &MainWindow::quitRequested, engine, [engine] {
        engine->stop();
        QCoreApplication::quit();
    });
}

} // namespace drover::ui
