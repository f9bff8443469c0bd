#pragma once

#include <QString>

namespace drover {

// Where the console reads drover.yaml when no --config is given: the user's config folder
// (~/.config/Drover on Linux, %LOCALAPPDATA%\Drover on Windows).
QString defaultConfigPath();

// Where Drover keeps its data (store, replica logs): ~/.local/share/Drover on Linux,
// %LOCALAPPDATA%\Drover on Windows.
QString dataDir();

struct ConfigPathResult
{
    QString path;
    bool createdFromDefault = false; // first run: the built-in default was copied there
    QString error;                   // non-empty when the default could not be written
};

// Returns the user's config path, copying the built-in default configuration there when the
// file does not exist yet. An existing file is never overwritten.
ConfigPathResult ensureUserConfig(const QString &path = defaultConfigPath());

// The built-in default drover.yaml as shipped in the resources.
QByteArray builtinDefaultConfig();

} // namespace drover
