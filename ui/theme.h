// Applies the console's theme. Dark and Light use the Fusion style with an explicit palette:
// Windows 10's native style ignores dark palettes (half the widgets stay white), Fusion paints
// every control from the palette, so the dark theme looks right there and on Linux alike.
#pragma once

#include "console_settings.h"

#include <QPalette>

namespace drover::ui {

QPalette darkPalette();
void applyTheme(Theme theme);

} // namespace drover::ui
