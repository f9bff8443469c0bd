#include "status_icon.h"

#include <QIconEngine>
#include <QPainter>
#include <QPixmap>
#include <QSvgRenderer>

namespace drover::ui {

QColor severityColor(const QString &severity)
{
    if (severity == QLatin1String("critical"))
        return QColor(0xc6, 0x28, 0x28);
    if (severity == QLatin1String("high"))
        return QColor(0xef, 0x6c, 0x00);
    if (severity == QLatin1String("warning"))
        return QColor(0xf9, 0xa8, 0x25);
    if (severity == QLatin1String("info"))
        return QColor(0x19, 0x76, 0xd2);
    return QColor(0x2e, 0x7d, 0x32); // all clear
}

namespace {

class StatusIconEngine final : public QIconEngine
{
public:
    explicit StatusIconEngine(QString severity) : m_severity(std::move(severity)) {}

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State) override
    {
        QSvgRenderer svg(QStringLiteral(":/drover/icons/drover.svg"));
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing);
        if (mode == QIcon::Disabled)
            painter->setOpacity(0.5);
        svg.render(painter, QRectF(rect));
        // The status dot: bottom right, a third of the icon, with a white ring so it reads on
        // the dark application square and on any taskbar colour.
        const qreal d = rect.width() * 0.42;
        const QRectF dot(rect.right() + 1 - d, rect.bottom() + 1 - d, d, d);
        painter->setPen(QPen(Qt::white, qMax<qreal>(1.0, rect.width() / 16.0)));
        painter->setBrush(severityColor(m_severity));
        painter->drawEllipse(dot.adjusted(0.5, 0.5, -0.5, -0.5));
        painter->restore();
    }

    // `size` is in device pixels: QIcon asks for the logical size times the screen's scale and
    // sets the pixmap's device pixel ratio itself, so drawing at `size` is sharp at any scale.
    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        QPixmap pm(size);
        pm.fill(Qt::transparent);
        QPainter p(&pm);
        paint(&p, QRect(QPoint(0, 0), size), mode, state);
        return pm;
    }

    QIconEngine *clone() const override { return new StatusIconEngine(m_severity); }
    QString key() const override { return QStringLiteral("drover-status"); }

private:
    QString m_severity;
};

} // namespace

QIcon statusIcon(const QString &severity)
{
    return QIcon(new StatusIconEngine(severity));
}

} // namespace drover::ui
