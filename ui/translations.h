#pragma once

#include <QString>

class QCoreApplication;

namespace drover::ui {

// Installs Drover's and Qt's own translations for `language` ("de", "de_DE"); an empty
// language means the system locale. Returns the language loaded for Drover, or an empty
// string when Drover has no translation for it (the UI stays in English).
QString installTranslations(QCoreApplication &app, const QString &language);

} // namespace drover::ui
