// One secret in the settings: its state in the OS keychain ("set" / "not set", never the value),
// a password field to replace it and a button to clear it. Every keychain call is an
// asynchronous QtKeychain job through SecretStore: the UI thread never waits on the keychain.
// When no keychain service answers, the field says so and refuses to save: Drover has no
// plaintext fallback (DESIGN.md, "Security").
#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;

namespace drover {
class SecretStore;
}

namespace drover::ui {

class SecretField : public QWidget
{
    Q_OBJECT
public:
    enum class State { Checking, Set, NotSet, Unavailable, Saving };

    SecretField(SecretStore *store, QString name, const QString &label, QWidget *parent = nullptr);

    void refresh();
    State state() const { return m_state; }
    QString name() const { return m_name; }
    QLabel *stateLabel() const { return m_stateLabel; }
    QLabel *errorLabel() const { return m_error; }
    QLineEdit *edit() const { return m_edit; }
    QPushButton *saveButton() const { return m_save; }
    QPushButton *clearButton() const { return m_clear; }

signals:
    void stateChanged(drover::ui::SecretField::State state);

private:
    void setState(State state, const QString &error = QString());
    void save();
    void clear();

    SecretStore *m_store;
    QString m_name;
    State m_state = State::Checking;
    QLabel *m_stateLabel;
    QLineEdit *m_edit;
    QPushButton *m_save;
    QPushButton *m_clear;
    QLabel *m_error;
};

} // namespace drover::ui
