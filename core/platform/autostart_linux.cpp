// XDG autostart (https://specifications.freedesktop.org/autostart-spec/): a desktop entry in
// $XDG_CONFIG_HOME/autostart, started by the session at login. GNOME, KDE, Xfce and LXQt
// honour it.
#include "autostart.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace drover::autostart {
namespace {

QString configHome()
{
    // The spec: $XDG_CONFIG_HOME when set and absolute, else $HOME/.config. (QStandardPaths
    // would ignore a relative value the same way but adds test-mode paths we do not want.)
    const QString xdg = qEnvironmentVariable("XDG_CONFIG_HOME");
    if (!xdg.isEmpty() && QDir::isAbsolutePath(xdg))
        return xdg;
    return QDir::homePath() + QStringLiteral("/.config");
}

// The Exec key's quoting rules: the whole path in double quotes, with ", `, $ and \ escaped
// by a backslash; then the desktop-entry string escaping doubles every backslash again, and
// a literal % is written %% (field codes).
QString execValue(const QString &program)
{
    QString quoted;
    for (const QChar c : program) {
        if (c == u'"' || c == u'`' || c == u'$' || c == u'\\')
            quoted += u'\\';
        quoted += c;
    }
    quoted = u'"' + quoted + u'"';
    quoted.replace(u'\\', QStringLiteral("\\\\"));
    quoted.replace(u'%', QStringLiteral("%%"));
    return quoted;
}

} // namespace

QString location()
{
    return configHome() + QStringLiteral("/autostart/drover.desktop");
}

bool isEnabled()
{
    QFile file(location());
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return false;
    // A user may switch the entry off in the desktop's settings instead of deleting it: those
    // tools write Hidden=true (the spec) or X-GNOME-Autostart-enabled=false.
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        if (line == "Hidden=true" || line == "X-GNOME-Autostart-enabled=false")
            return false;
    }
    return true;
}

bool setEnabled(bool enabled, QString *error)
{
    const QString path = location();
    if (!enabled) {
        if (!QFileInfo::exists(path) || QFile::remove(path))
            return true;
        if (error)
            *error = QCoreApplication::translate("autostart", "cannot remove %1").arg(path);
        return false;
    }

    const QString dir = QFileInfo(path).absolutePath();
    if (!QDir().mkpath(dir)) {
        if (error)
            *error = QCoreApplication::translate("autostart", "cannot create the folder %1").arg(dir);
        return false;
    }
    QString entry = QStringLiteral("[Desktop Entry]\n"
                                   "Type=Application\n"
                                   "Name=Drover\n"
                                   "Comment=Operations console for local AI agent fleets\n"
                                   "Icon=drover\n"
                                   "Terminal=false\n"
                                   "X-GNOME-Autostart-enabled=true\n");
    entry += QStringLiteral("Exec=") + execValue(QCoreApplication::applicationFilePath()) + u'\n';

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text) || file.write(entry.toUtf8()) < 0
        || !file.commit()) {
        if (error)
            *error = QCoreApplication::translate("autostart", "cannot write %1: %2")
                         .arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace drover::autostart
