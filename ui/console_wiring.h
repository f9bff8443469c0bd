// Routes the console's operator commands to the engine (alerts, autoscaling modes, bottleneck
// remediation, dead-letter requeue, capacity plan refresh, quitting).
// main.cpp and the GUI tests share it, so the tests drive exactly the product's wiring.
#pragma once

#include <QString>

namespace drover {
class EngineHost;
}

namespace drover::ui {

class MainWindow;

void connectOperatorCommands(MainWindow *window, EngineHost *engine, const QString &byOperator);

} // namespace drover::ui
