// CSV for the Events view's export (RFC 4180 quoting; cells a spreadsheet would run as a
// formula are prefixed with an apostrophe, so an agent's log text cannot become one).
#pragma once

#include <QString>
#include <QStringList>

namespace drover::ui {

QString csvField(const QString &value);
QString csvLine(const QStringList &fields);

} // namespace drover::ui
