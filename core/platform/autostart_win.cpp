// Windows: the per-user Run key, which Explorer reads at every login (no admin rights needed;
// Task Manager's Startup tab lists and can disable it). The NSIS installer's optional "start
// at login" component writes the same value.
#include "autostart.h"

#include <QCoreApplication>
#include <QDir>
#include <QSettings>

namespace drover::autostart {
namespace {

const char *const kRunKey = "HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run";

QString valueName()
{
    return QStringLiteral("Drover");
}

} // namespace

QString location()
{
    return QString::fromLatin1(kRunKey) + u'\\' + valueName();
}

bool isEnabled()
{
    QSettings key(QString::fromLatin1(kRunKey), QSettings::NativeFormat);
    return !key.value(valueName()).toString().isEmpty();
}

bool setEnabled(bool enabled, QString *error)
{
    QSettings key(QString::fromLatin1(kRunKey), QSettings::NativeFormat);
    if (enabled) {
        // Quoted: the path usually contains spaces (C:\Program Files\Drover\drover.exe).
        key.setValue(valueName(), QStringLiteral("\"%1\"").arg(
                                      QDir::toNativeSeparators(QCoreApplication::applicationFilePath())));
    } else {
        key.remove(valueName());
    }
    key.sync();
    if (key.status() != QSettings::NoError) {
        if (error)
            *error = QCoreApplication::translate("autostart", "cannot write the registry value %1")
                         .arg(location());
        return false;
    }
    return true;
}

} // namespace drover::autostart
