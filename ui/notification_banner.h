// An in-window notification strip: the fallback for desktops without a system tray.
#pragma once

#include <QFrame>

class QLabel;
class QToolButton;

namespace drover::ui {

class NotificationBanner : public QFrame
{
    Q_OBJECT
public:
    explicit NotificationBanner(QWidget *parent = nullptr);

    void showMessage(const QString &title, const QString &message);
    QString text() const;

private:
    QLabel *m_label;
    QToolButton *m_close;
};

} // namespace drover::ui
