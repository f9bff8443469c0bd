// Reads, writes and removes keychain entries from a process of its own. Tests whose engine
// uses the keychain in its thread need this: QtKeychain runs all jobs of a process through one
// executor that lives in the thread that used it first, and jobs from a second thread race it
// (a finished job is disconnected after its thread deleted it).
//   drover-secret-tool <service> set <name> <value> | get <name> | remove <name>
// get prints the value; the exit code is 0 on success.
#include "core/secrets/secret_store.h"

#include <QCoreApplication>
#include <QTimer>

#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments().mid(1);
    if (args.size() < 3 || (args[1] == QLatin1String("set") && args.size() < 4)) {
        std::fprintf(stderr, "usage: drover-secret-tool <service> set <name> <value> | get <name> | remove <name>\n");
        return 2;
    }
    drover::SecretStore store(args[0]);
    int code = 1;
    const auto done = [&code](bool ok, const QString &error) {
        if (!ok)
            std::fprintf(stderr, "%s\n", qPrintable(error));
        code = ok ? 0 : 1;
        QCoreApplication::quit();
    };
    if (args[1] == QLatin1String("set")) {
        store.write(args[2], args[3], done);
    } else if (args[1] == QLatin1String("get")) {
        store.read(args[2], [&code](bool ok, const QString &value, const QString &error) {
            if (ok)
                std::printf("%s", qPrintable(value));
            else
                std::fprintf(stderr, "%s\n", qPrintable(error));
            code = ok ? 0 : 1;
            QCoreApplication::quit();
        });
    } else if (args[1] == QLatin1String("remove")) {
        store.remove(args[2], done);
    } else {
        std::fprintf(stderr, "unknown command %s\n", qPrintable(args[1]));
        return 2;
    }
    QTimer::singleShot(20000, &app, [] { QCoreApplication::exit(3); });
    const int loop = app.exec();
    return loop == 3 ? 3 : code;
}
