#pragma once

#include <QCoreApplication>

// The translation context of configuration messages. It lives outside the drover namespace
// so that lupdate and the runtime agree on the context name ("DroverConfig").
class DroverConfig
{
    Q_DECLARE_TR_FUNCTIONS(DroverConfig)
};
