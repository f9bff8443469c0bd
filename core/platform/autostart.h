// Start Drover at login, the way each desktop expects it: an XDG autostart entry
// ($XDG_CONFIG_HOME/autostart/drover.desktop) on Linux, the per-user Run key
// (HKCU\Software\Microsoft\Windows\CurrentVersion\Run, value "Drover") on Windows. Both start
// the executable that is running now (QCoreApplication::applicationFilePath()), so call these
// only after the QCoreApplication exists.
#pragma once

#include <QString>

namespace drover::autostart {

// True when an entry that starts Drover at login exists (whatever executable it names).
bool isEnabled();

// Creates or removes the entry. Removing an absent entry succeeds. On failure returns false
// and, when `error` is given, says what failed and where (the file or the registry key).
bool setEnabled(bool enabled, QString *error);

// Where the entry lives: the .desktop file's path or the registry key and value name.
QString location();

} // namespace drover::autostart
