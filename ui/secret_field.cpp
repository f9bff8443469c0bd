#include "secret_field.h"

#include "core/secrets/secret_store.h"

#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>

namespace drover::ui {

SecretField::SecretField(SecretStore *store, QString name, const QString &label, QWidget *parent)
    : QWidget(parent),
      m_store(store),
      m_name(std::move(name)),
      m_stateLabel(new QLabel(this)),
      m_edit(new QLineEdit(this)),
      m_save(new QPushButton(tr("Save to keychain"), this)),
      m_clear(new QPushButton(tr("Clear"), this)),
      m_error(new QLabel(this))
{
    m_edit->setEchoMode(QLineEdit::Password);
    m_edit->setPlaceholderText(tr("Type a new value to replace it"));
    m_edit->setAccessibleName(label);
    m_edit->setToolTip(tr("The value goes to the OS keychain entry '%1' and is never shown again").arg(m_name));
    m_save->setAccessibleName(tr("Save %1").arg(label));
    m_save->setToolTip(tr("Store the typed value in the OS keychain, replacing the current one"));
    m_clear->setAccessibleName(tr("Clear %1").arg(label));
    m_clear->setToolTip(tr("Delete the entry from the OS keychain"));
    m_stateLabel->setAccessibleName(tr("%1 state").arg(label));
    m_stateLabel->setTextFormat(Qt::PlainText);
    m_error->setTextFormat(Qt::PlainText);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c0392b;"));
    m_error->hide();

    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    auto *title = new QLabel(label, this);
    title->setBuddy(m_edit);
    grid->addWidget(title, 0, 0);
    grid->addWidget(m_stateLabel, 0, 1);
    grid->addWidget(m_edit, 1, 0, 1, 2);
    grid->addWidget(m_save, 1, 2);
    grid->addWidget(m_clear, 1, 3);
    grid->addWidget(m_error, 2, 0, 1, 4);
    grid->setColumnStretch(1, 1);

    connect(m_save, &QPushButton::clicked, this, &SecretField::save);
    connect(m_edit, &QLineEdit::returnPressed, this, &SecretField::save);
    connect(m_edit, &QLineEdit::textChanged, this, [this] { setState(m_state); });
    connect(m_clear, &QPushButton::clicked, this, &SecretField::clear);
    refresh();
}

void SecretField::refresh()
{
    setState(State::Checking);
    // The store may outlive this widget (it belongs to the dialog or the application): guard
    // the callback so a late answer never touches a deleted field.
    QPointer<SecretField> self(this);
    m_store->state(m_name, [self](SecretStore::State state, const QString &error) {
        if (!self)
            return;
        switch (state) {
        case SecretStore::State::Set: self->setState(State::Set); break;
        case SecretStore::State::NotSet: self->setState(State::NotSet); break;
        case SecretStore::State::Unavailable: self->setState(State::Unavailable, error); break;
        }
    });
}

void SecretField::save()
{
    const QString value = m_edit->text();
    if (value.isEmpty() || m_state == State::Unavailable || m_state == State::Saving)
        return;
    setState(State::Saving);
    QPointer<SecretField> self(this);
    m_store->write(m_name, value, [self](bool ok, const QString &error) {
        if (!self)
            return;
        if (ok) {
            self->m_edit->clear(); // the value leaves the UI as soon as the keychain has it
            self->setState(State::Set);
        } else {
            self->setState(State::Unavailable, error);
        }
    });
}

void SecretField::clear()
{
    if (m_state != State::Set)
        return;
    setState(State::Saving);
    QPointer<SecretField> self(this);
    m_store->remove(m_name, [self](bool ok, const QString &error) {
        if (!self)
            return;
        self->setState(ok ? State::NotSet : State::Unavailable, error);
    });
}

void SecretField::setState(State state, const QString &error)
{
    m_state = state;
    switch (state) {
    case State::Checking: m_stateLabel->setText(tr("checking the keychain\u2026")); break;
    case State::Saving: m_stateLabel->setText(tr("talking to the keychain\u2026")); break;
    case State::Set: m_stateLabel->setText(tr("set")); break;
    case State::NotSet: m_stateLabel->setText(tr("not set")); break;
    case State::Unavailable: m_stateLabel->setText(tr("keychain unavailable")); break;
    }
    const bool idle = state == State::Set || state == State::NotSet;
    m_edit->setEnabled(state != State::Unavailable);
    m_save->setEnabled(idle && !m_edit->text().isEmpty());
    m_clear->setEnabled(state == State::Set);
    if (state == State::Unavailable) {
        m_error->setText(tr("No OS keychain is available (%1). The secret was not saved: Drover keeps "
                            "secrets only in the keychain, never in a file. Start the desktop's "
                            "keyring (Secret Service) or Windows Credential Manager and try again.")
                             .arg(error.isEmpty() ? tr("no answer") : error));
        m_error->show();
    } else if (idle) {
        m_error->hide();
    }
    emit stateChanged(state);
}

} // namespace drover::ui
