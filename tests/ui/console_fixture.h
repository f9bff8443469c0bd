// A console window wired to a real engine over a drover.yaml written to a temporary folder, as
// app/drover/main.cpp wires it (the operator commands through ui::connectOperatorCommands).
// `AGENT` in the YAML becomes the drover-agent executable.
#pragma once

#include "core/engine/engine.h"
#include "ui/console_wiring.h"
#include "ui/main_window.h"

#include <QFile>
#include <QTemporaryDir>

#include <memory>

namespace drover::ui::test {

struct ConsoleFixture
{
    QTemporaryDir dir;
    MainWindow window{MainWindowOptions{}};
    std::unique_ptr<EngineHost> engine;
    Snapshot last;
    QStringList refusals;

    explicit ConsoleFixture(const QByteArray &yaml, const QByteArray &agent = QByteArray())
    {
        QFile f(dir.filePath(QStringLiteral("drover.yaml")));
        f.open(QIODevice::WriteOnly);
        f.write(QByteArray(yaml).replace("AGENT", agent));
        f.close();
        EngineOptions options;
        options.tickIntervalMs = 200;
        options.logDir = dir.filePath(QStringLiteral("logs"));
        options.storePath = dir.filePath(QStringLiteral("drover.sqlite"));
        engine = std::make_unique<EngineHost>(loadConfigFile(f.fileName()), options);
        QObject::connect(engine.get(), &EngineHost::snapshotPublished, &window, &MainWindow::applySnapshot);
        QObject::connect(engine.get(), &EngineHost::snapshotPublished, engine.get(),
                         [this](const Snapshot &s) { last = s; });
        QObject::connect(engine.get(), &EngineHost::commandRefused, &window, &MainWindow::showCommandRefused);
        QObject::connect(engine.get(), &EngineHost::commandRefused, engine.get(),
                         [this](const QString &m) { refusals << m; });
        QObject::connect(&window, &MainWindow::scaleRequested, engine.get(),
                         [this](const QString &p, int n) { engine->scalePool(p, n, QStringLiteral("test")); });
        connectOperatorCommands(&window, engine.get(), QStringLiteral("test"));
        engine->start();
        window.show();
    }

    ~ConsoleFixture()
    {
        if (engine)
            engine->stop();
    }

    const PoolAutoscaling *autoscaling(const QString &pool) const
    {
        for (const PoolAutoscaling &a : last.autoscaling)
            if (a.pool == pool)
                return &a;
        return nullptr;
    }
};

} // namespace drover::ui::test
