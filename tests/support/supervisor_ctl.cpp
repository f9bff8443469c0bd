// drover-supervisor-ctl SOCKET COMMAND...: sends one command to drover-supervisor-host's
// --control socket and exits when the host replied (exit 1 on a refusal or no answer).
#include <QCoreApplication>
#include <QLocalSocket>
#include <QTextStream>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 3) {
        QTextStream(stderr) << "usage: drover-supervisor-ctl SOCKET COMMAND...\n";
        return 2;
    }
    QLocalSocket socket;
    socket.connectToServer(args[1]);
    if (!socket.waitForConnected(5000)) {
        QTextStream(stderr) << socket.errorString() << '\n';
        return 1;
    }
    socket.write(args.mid(2).join(QLatin1Char(' ')).toUtf8() + '\n');
    socket.flush();
    while (!socket.canReadLine()) {
        if (!socket.waitForReadyRead(30000)) {
            QTextStream(stderr) << "no reply\n";
            return 1;
        }
    }
    const QByteArray reply = socket.readLine().trimmed();
    QTextStream(stdout) << reply << '\n';
    return reply.startsWith("refused") ? 1 : 0;
}
