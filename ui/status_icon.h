// The tray and window icon with a status dot whose colour is the worst firing severity. The
// picture is the SVG application icon rendered at whatever size and device pixel ratio the
// platform asks for (a 150 % Windows display asks for 24 px tray icons at scale 1.5), so it
// is sharp everywhere; nothing is a pre-rendered bitmap.
#pragma once

#include <QColor>
#include <QIcon>
#include <QString>

namespace drover::ui {

// "" or "ok": nothing firing; otherwise info, warning, high, critical.
QColor severityColor(const QString &severity);
QIcon statusIcon(const QString &severity);

} // namespace drover::ui
