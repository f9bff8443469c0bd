// Helpers shared by the observe tests: a blocking-with-event-loop HTTP GET on loopback and the
// path of a required tool (a test that needs Prometheus fails when it is missing: it never
// skips).
#pragma once

#include <QByteArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QString>
#include <QUrl>

namespace drover::test {

struct HttpResult
{
    int status = 0; // 0: no HTTP answer (connection refused, timeout)
    QByteArray body;
    QByteArray contentType;
    QString error;
};

inline HttpResult httpGet(QNetworkAccessManager &nam, const QUrl &url, int timeoutMs = 15000)
{
    QNetworkRequest request(url);
    request.setTransferTimeout(timeoutMs);
    QNetworkReply *reply = nam.get(request);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(timeoutMs + 1000);
    HttpResult r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    r.contentType = reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
    if (reply->error() != QNetworkReply::NoError)
        r.error = reply->errorString();
    reply->deleteLater();
    return r;
}

// Where `program` is, or an empty string with `why` saying what to install.
inline QString requiredTool(const QString &program, QString *why)
{
    const QString path = QStandardPaths::findExecutable(program);
    if (path.isEmpty())
        *why = QStringLiteral("'%1' is not on PATH: install the Debian package 'prometheus' "
                              "(listed in scripts/packages.txt; scripts/test.sh installs it)")
                   .arg(program);
    return path;
}

} // namespace drover::test
