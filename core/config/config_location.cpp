#include "config_location.h"

#include "config_text.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

namespace drover {

QString defaultConfigPath()
{
    // GenericConfigLocation + "Drover" rather than AppConfigLocation, which would nest the
    // organisation and application names (~/.config/Drover/Drover).
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation)
           + QStringLiteral("/Drover/drover.yaml");
}

QString dataDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
           + QStringLiteral("/Drover");
}

QByteArray builtinDefaultConfig()
{
    QFile file(QStringLiteral(":/drover/drover.yaml"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

ConfigPathResult ensureUserConfig(const QString &path)
{
    ConfigPathResult result;
    result.path = path;
    if (QFileInfo::exists(path))
        return result;
    const QByteArray contents = builtinDefaultConfig();
    if (contents.isEmpty()) {
        result.error = DroverConfig::tr("the built-in default configuration is missing");
        return result;
    }
    if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
        result.error = DroverConfig::tr("cannot create the folder %1")
                           .arg(QFileInfo(path).absolutePath());
        return result;
    }
    // QSaveFile: a crash mid-write never leaves a half-written config behind.
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly) || out.write(contents) != contents.size() || !out.commit()) {
        result.error = DroverConfig::tr("cannot write %1: %2")
                           .arg(path, out.errorString());
        return result;
    }
    result.createdFromDefault = true;
    return result;
}

} // namespace drover
