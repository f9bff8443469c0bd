<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>DroverConfig</name>
    <message>
        <source>unknown key &apos;%1&apos; in %2 (expected one of: %3)</source>
        <translation>unbekannter Schlüssel &apos;%1&apos; in %2 (erwartet: %3)</translation>
    </message>
    <message>
        <source>%1 must be a mapping</source>
        <translation>%1 muss eine Zuordnung (mapping) sein</translation>
    </message>
    <message>
        <source>missing required key &apos;%1&apos;</source>
        <translation>Pflichtschlüssel &apos;%1&apos; fehlt</translation>
    </message>
    <message>
        <source>&apos;%1&apos; must be a string</source>
        <translation>&apos;%1&apos; muss eine Zeichenkette sein</translation>
    </message>
    <message>
        <source>&apos;%1&apos; must not be empty</source>
        <translation>&apos;%1&apos; darf nicht leer sein</translation>
    </message>
    <message>
        <source>&apos;%1&apos; must be a number, got &apos;%2&apos;</source>
        <translation>&apos;%1&apos; muss eine Zahl sein, ist aber &apos;%2&apos;</translation>
    </message>
    <message>
        <source>&apos;%1&apos; must be between %2 and %3, got %4</source>
        <translation>&apos;%1&apos; muss zwischen %2 und %3 liegen, ist aber %4</translation>
    </message>
    <message>
        <source>&apos;%1&apos; must be a whole number, got &apos;%2&apos;</source>
        <translation>&apos;%1&apos; muss eine ganze Zahl sein, ist aber &apos;%2&apos;</translation>
    </message>
    <message>
        <source>&apos;%1&apos; must be true or false, got &apos;%2&apos;</source>
        <translation>&apos;%1&apos; muss true oder false sein, ist aber &apos;%2&apos;</translation>
    </message>
    <message>
        <source>&apos;%1&apos; must be a duration such as 500ms, 30s, 2m, 1h or 7d, got &apos;%2&apos;</source>
        <translation>&apos;%1&apos; muss eine Dauer wie 500ms, 30s, 2m, 1h oder 7d sein, ist aber &apos;%2&apos;</translation>
    </message>
    <message>
        <source>&apos;%1&apos; must be a list of strings</source>
        <translation>&apos;%1&apos; muss eine Liste von Zeichenketten sein</translation>
    </message>
    <message>
        <source>items of &apos;%1&apos; must be strings</source>
        <translation>Einträge von &apos;%1&apos; müssen Zeichenketten sein</translation>
    </message>
    <message>
        <source>&apos;%1&apos; must be a list</source>
        <translation>&apos;%1&apos; muss eine Liste sein</translation>
    </message>
    <message>
        <source>&apos;policy&apos; must be always, on-failure or never, got &apos;%1&apos;</source>
        <translation>&apos;policy&apos; muss always, on-failure oder never sein, ist aber &apos;%1&apos;</translation>
    </message>
    <message>
        <source>env values must be strings</source>
        <translation>Werte in env müssen Zeichenketten sein</translation>
    </message>
    <message>
        <source>&apos;min&apos; (%1) is greater than &apos;max&apos; (%2)</source>
        <translation>&apos;min&apos; (%1) ist größer als &apos;max&apos; (%2)</translation>
    </message>
    <message>
        <source>&apos;initial&apos; (%1) must be between min (%2) and max (%3)</source>
        <translation>&apos;initial&apos; (%1) muss zwischen min (%2) und max (%3) liegen</translation>
    </message>
    <message>
        <source>unknown tier &apos;%1&apos;</source>
        <translation>unbekannte Stufe &apos;%1&apos;</translation>
    </message>
    <message>
        <source>duplicate pool name &apos;%1&apos;</source>
        <translation>doppelter Pool-Name &apos;%1&apos;</translation>
    </message>
    <message>
        <source>(unnamed pool at line %1)</source>
        <translation>(unbenannter Pool in Zeile %1)</translation>
    </message>
    <message>
        <source>&apos;op&apos; must be one of &gt;, &lt;, &gt;=, &lt;=, got &apos;%1&apos;</source>
        <translation>&apos;op&apos; muss &gt;, &lt;, &gt;= oder &lt;= sein, ist aber &apos;%1&apos;</translation>
    </message>
    <message>
        <source>&apos;change&apos; must be a non-zero number of replicas</source>
        <translation>&apos;change&apos; muss eine von null verschiedene Anzahl Replikate sein</translation>
    </message>
    <message>
        <source>&apos;severity&apos; must be one of %1, got &apos;%2&apos;</source>
        <translation>&apos;severity&apos; muss eines von %1 sein, ist aber &apos;%2&apos;</translation>
    </message>
    <message>
        <source>not valid YAML: %1</source>
        <translation>kein gültiges YAML: %1</translation>
    </message>
    <message>
        <source>the file is empty</source>
        <translation>die Datei ist leer</translation>
    </message>
    <message>
        <source>this Drover reads configuration version 1, the file says %1</source>
        <translation>dieses Drover liest Konfigurationsversion 1, die Datei nennt %1</translation>
    </message>
    <message>
        <source>cannot read the configuration: %1</source>
        <translation>die Konfiguration kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>the configuration file does not exist</source>
        <translation>die Konfigurationsdatei existiert nicht</translation>
    </message>
    <message>
        <source>cannot read the configuration file: %1</source>
        <translation>die Konfigurationsdatei kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>the built-in default configuration is missing</source>
        <translation>die eingebaute Standardkonfiguration fehlt</translation>
    </message>
    <message>
        <source>cannot create the folder %1</source>
        <translation>der Ordner %1 kann nicht angelegt werden</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>&apos;mode&apos; must be http, tcp or process, got &apos;%1&apos;</source>
        <translation>&apos;mode&apos; muss http, tcp oder process sein, ist aber &apos;%1&apos;</translation>
    </message>
    <message>
        <source>&apos;retier&apos; must be live or restart, got &apos;%1&apos;</source>
        <translation>&apos;retier&apos; muss live oder restart sein, ist aber &apos;%1&apos;</translation>
    </message>
</context>
<context>
    <name>drover::ui::ConfigIssuesView</name>
    <message>
        <source>Severity</source>
        <translation>Schweregrad</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Ort</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
    <message>
        <source>Configuration issues</source>
        <translation>Konfigurationsprobleme</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <source>%1 could not be used. Drover runs with no pools until it is fixed.</source>
        <translation>%1 konnte nicht verwendet werden. Drover läuft ohne Pools, bis die Datei korrigiert ist.</translation>
    </message>
    <message numerus="yes">
        <source>%1: no problems, %n pool(s) configured.</source>
        <translation>
            <numerusform>%1: keine Probleme, %n Pool konfiguriert.</numerusform>
            <numerusform>%1: keine Probleme, %n Pools konfiguriert.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1: %n problem(s). Refused pools: %2. The other pools run.</source>
        <translation>
            <numerusform>%1: %n Problem. Abgelehnte Pools: %2. Die übrigen Pools laufen.</numerusform>
            <numerusform>%1: %n Probleme. Abgelehnte Pools: %2. Die übrigen Pools laufen.</numerusform>
        </translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
</context>
<context>
    <name>drover::ui::EventsModel</name>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Pool</source>
        <translation>Pool</translation>
    </message>
    <message>
        <source>Replica</source>
        <translation>Replikat</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Änderung</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
</context>
<context>
    <name>drover::ui::EventsView</name>
    <message>
        <source>Filter events (pool, kind, reason…)</source>
        <translation>Ereignisse filtern (Pool, Art, Grund…)</translation>
    </message>
    <message>
        <source>Event filter</source>
        <translation>Ereignisfilter</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Ereignisse</translation>
    </message>
</context>
<context>
    <name>drover::ui::MainWindow</name>
    <message>
        <source>Drover</source>
        <translation>Drover</translation>
    </message>
    <message>
        <source>&amp;Dashboard</source>
        <translation>&amp;Übersicht</translation>
    </message>
    <message>
        <source>&amp;Configuration</source>
        <translation>&amp;Konfiguration</translation>
    </message>
    <message>
        <source>Views</source>
        <translation>Ansichten</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Busy share of all CPU cores over the last second</source>
        <translation>Auslastung aller CPU-Kerne in der letzten Sekunde</translation>
    </message>
    <message>
        <source>Memory in use (total minus available)</source>
        <translation>Belegter Speicher (gesamt minus verfügbar)</translation>
    </message>
    <message>
        <source>Whether the engine is publishing fresh data</source>
        <translation>Ob die Engine aktuelle Daten liefert</translation>
    </message>
    <message>
        <source>Engine: starting</source>
        <translation>Engine: startet</translation>
    </message>
    <message>
        <source>Open console</source>
        <translation>Konsole öffnen</translation>
    </message>
    <message>
        <source>CPU %1 %</source>
        <translation>CPU %1 %</translation>
    </message>
    <message>
        <source>CPU measuring…</source>
        <translation>CPU wird gemessen…</translation>
    </message>
    <message>
        <source>Memory %1 of %2</source>
        <translation>Speicher %1 von %2</translation>
    </message>
    <message>
        <source>Engine: live, updated %1</source>
        <translation>Engine: aktuell, Stand %1</translation>
    </message>
    <message>
        <source>Engine: STALE, no data for %1 s</source>
        <translation>Engine: VERALTET, seit %1 s keine Daten</translation>
    </message>
    <message>
        <source>&amp;Configuration (%1)</source>
        <translation>&amp;Konfiguration (%1)</translation>
    </message>
    <message>
        <source>Configuration problems</source>
        <translation>Konfigurationsprobleme</translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s) in %1; see the Configuration tab.</source>
        <translation>
            <numerusform>%n Problem in %1; siehe Reiter Konfiguration.</numerusform>
            <numerusform>%n Probleme in %1; siehe Reiter Konfiguration.</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Pools</source>
        <translation>&amp;Pools</translation>
    </message>
    <message>
        <source>&amp;Events</source>
        <translation>&amp;Ereignisse</translation>
    </message>
    <message>
        <source>Ready replicas of all pools, and pools that need attention</source>
        <translation>Bereite Replikate aller Pools und Pools, die Aufmerksamkeit brauchen</translation>
    </message>
    <message>
        <source>Replicas %1/%2 ready, %3 pool(s) need attention</source>
        <translation>Replikate %1/%2 bereit, %3 Pool(s) brauchen Aufmerksamkeit</translation>
    </message>
    <message>
        <source>Replicas %1/%2 ready</source>
        <translation>Replikate %1/%2 bereit</translation>
    </message>
    <message>
        <source>Command refused</source>
        <translation>Befehl abgelehnt</translation>
    </message>
    <message>
        <source>Refused: %1</source>
        <translation>Abgelehnt: %1</translation>
    </message>
</context>
<context>
    <name>drover::ui::NotificationBanner</name>
    <message>
        <source>Dismiss</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Dismiss notification</source>
        <translation>Benachrichtigung schließen</translation>
    </message>
    <message>
        <source>Notification</source>
        <translation>Benachrichtigung</translation>
    </message>
</context>
<context>
    <name>drover::ui::Notifier</name>
    <message>
        <source>Drover</source>
        <translation>Drover</translation>
    </message>
</context>
<context>
    <name>drover::ui::PoolsModel</name>
    <message>
        <source>%1 (rolling restart)</source>
        <translation>%1 (rollierender Neustart)</translation>
    </message>
    <message>
        <source>%1 / %2  (%3–%4)</source>
        <translation>%1 / %2  (%3–%4)</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>Over the tier&apos;s CPU quota</source>
        <translation>Über dem CPU-Kontingent der Stufe</translation>
    </message>
    <message>
        <source>replica %1</source>
        <translation>Replikat %1</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>k. A.</translation>
    </message>
    <message>
        <source>pid %1, port %2</source>
        <translation>PID %1, Port %2</translation>
    </message>
    <message>
        <source>Pool / replica</source>
        <translation>Pool / Replikat</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>Stufe</translation>
    </message>
    <message>
        <source>Ready / desired (min–max)</source>
        <translation>Bereit / Soll (Min–Max)</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>Speicher</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Warteschlange</translation>
    </message>
    <message>
        <source>Restarts</source>
        <translation>Neustarts</translation>
    </message>
    <message>
        <source>Uptime</source>
        <translation>Laufzeit</translation>
    </message>
    <message>
        <source>Process</source>
        <translation>Prozess</translation>
    </message>
    <message>
        <source>Limits</source>
        <translation>Grenzen</translation>
    </message>
</context>
<context>
    <name>drover::ui::PoolsView</name>
    <message>
        <source>&amp;Scale</source>
        <translation>&amp;Skalieren</translation>
    </message>
    <message>
        <source>Change &amp;tier…</source>
        <translation>S&amp;tufe ändern…</translation>
    </message>
    <message>
        <source>&amp;Restart pool</source>
        <translation>Pool &amp;neu starten</translation>
    </message>
    <message>
        <source>Restart re&amp;plica</source>
        <translation>Re&amp;plikat neu starten</translation>
    </message>
    <message>
        <source>St&amp;op replica</source>
        <translation>Replikat st&amp;oppen</translation>
    </message>
    <message>
        <source>Pools and replicas</source>
        <translation>Pools und Replikate</translation>
    </message>
    <message>
        <source>Every pool and its replicas; select one to control it</source>
        <translation>Alle Pools und ihre Replikate; zum Steuern eines auswählen</translation>
    </message>
    <message>
        <source>Desired replicas</source>
        <translation>Gewünschte Replikate</translation>
    </message>
    <message>
        <source>How many replicas the selected pool should run (a manual scale)</source>
        <translation>Wie viele Replikate der gewählte Pool ausführen soll (manuelle Skalierung)</translation>
    </message>
    <message>
        <source>Scale the selected pool to this many replicas</source>
        <translation>Den gewählten Pool auf so viele Replikate skalieren</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>Stufe</translation>
    </message>
    <message>
        <source>Resource tier for the selected pool</source>
        <translation>Ressourcenstufe des gewählten Pools</translation>
    </message>
    <message>
        <source>Move the selected pool to the chosen tier (asks first)</source>
        <translation>Den gewählten Pool in die gewählte Stufe verschieben (mit Rückfrage)</translation>
    </message>
    <message>
        <source>Rolling restart: each replica is replaced once its successor is ready</source>
        <translation>Rollierender Neustart: jedes Replikat wird ersetzt, sobald sein Nachfolger bereit ist</translation>
    </message>
    <message>
        <source>Stop the selected replica gracefully and start it again</source>
        <translation>Das gewählte Replikat geordnet stoppen und neu starten</translation>
    </message>
    <message>
        <source>Stop the selected replica; the pool&apos;s desired count drops by one</source>
        <translation>Das gewählte Replikat stoppen; die Sollzahl des Pools sinkt um eins</translation>
    </message>
    <message>
        <source>Filter the log…</source>
        <translation>Protokoll filtern…</translation>
    </message>
    <message>
        <source>Log filter</source>
        <translation>Protokollfilter</translation>
    </message>
    <message>
        <source>Replica log</source>
        <translation>Replikatprotokoll</translation>
    </message>
    <message>
        <source>Replicas:</source>
        <translation>Replikate:</translation>
    </message>
    <message>
        <source>Loading the log of %1 replica %2…</source>
        <translation>Protokoll von %1 Replikat %2 wird geladen…</translation>
    </message>
    <message>
        <source>Select a replica to see its output.</source>
        <translation>Ein Replikat auswählen, um seine Ausgabe zu sehen.</translation>
    </message>
    <message>
        <source>%1: %2 of %3 ready, tier %4</source>
        <translation>%1: %2 von %3 bereit, Stufe %4</translation>
    </message>
    <message>
        <source>A rolling restart is running; change the tier when it is done</source>
        <translation>Ein rollierender Neustart läuft; die Stufe danach ändern</translation>
    </message>
    <message>
        <source>Select a pool</source>
        <translation>Einen Pool auswählen</translation>
    </message>
    <message>
        <source>No pools configured</source>
        <translation>Keine Pools konfiguriert</translation>
    </message>
    <message numerus="yes">
        <source>The new CPU and memory limits are applied to the %n running replica(s) without a restart, where the operating system allows it; otherwise the replicas are restarted one at a time.</source>
        <translation>
            <numerusform>Die neuen CPU- und Speichergrenzen werden auf das laufende Replikat ohne Neustart angewendet, wo das Betriebssystem es erlaubt; sonst werden die Replikate nacheinander neu gestartet.</numerusform>
            <numerusform>Die neuen CPU- und Speichergrenzen werden auf die %n laufenden Replikate ohne Neustart angewendet, wo das Betriebssystem es erlaubt; sonst werden die Replikate nacheinander neu gestartet.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The %n replica(s) are restarted one at a time (rolling restart); the pool keeps its ready replicas while each is replaced.</source>
        <translation>
            <numerusform>Das Replikat wird neu gestartet (rollierender Neustart); der Pool behält seine bereiten Replikate, während es ersetzt wird.</numerusform>
            <numerusform>Die %n Replikate werden nacheinander neu gestartet (rollierender Neustart); der Pool behält seine bereiten Replikate, während jedes ersetzt wird.</numerusform>
        </translation>
    </message>
    <message>
        <source>Change tier</source>
        <translation>Stufe ändern</translation>
    </message>
    <message>
        <source>Move pool %1 from tier %2 to %3?

%4</source>
        <translation>Pool %1 von Stufe %2 nach %3 verschieben?

%4</translation>
    </message>
    <message>
        <source>No output from %1 replica %2 yet.</source>
        <translation>Noch keine Ausgabe von %1 Replikat %2.</translation>
    </message>
</context>
<context>
    <name>drover::ui::ResourceChart</name>
    <message>
        <source>Machine CPU and memory</source>
        <translation>CPU und Speicher des Rechners</translation>
    </message>
    <message>
        <source>CPU %</source>
        <translation>CPU %</translation>
    </message>
    <message>
        <source>Memory %</source>
        <translation>Speicher %</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Percent of machine</source>
        <translation>Prozent des Rechners</translation>
    </message>
    <message>
        <source>CPU and memory chart</source>
        <translation>Diagramm CPU und Speicher</translation>
    </message>
    <message>
        <source>Busy share of all CPU cores and memory in use, once a second</source>
        <translation>Auslastung aller CPU-Kerne und belegter Speicher, sekündlich</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>refused pools: %1</source>
        <translation>abgelehnte Pools: %1</translation>
    </message>
    <message>
        <source>Drover: operations console for a fleet of local AI agent processes.</source>
        <translation>Drover: Betriebskonsole für eine Flotte lokaler KI-Agentenprozesse.</translation>
    </message>
    <message>
        <source>Read the configuration from &lt;path&gt; instead of %1.</source>
        <translation>Konfiguration aus &lt;path&gt; statt aus %1 lesen.</translation>
    </message>
    <message>
        <source>Check the configuration, print its problems and exit (status 1 when it has errors).</source>
        <translation>Konfiguration prüfen, Probleme ausgeben und beenden (Status 1 bei Fehlern).</translation>
    </message>
    <message>
        <source>Quit after &lt;ms&gt; milliseconds (for tests and screenshots).</source>
        <translation>Nach &lt;ms&gt; Millisekunden beenden (für Tests und Bildschirmfotos).</translation>
    </message>
    <message>
        <source>User interface language, e.g. de (default: the system&apos;s).</source>
        <translation>Sprache der Oberfläche, z. B. de (Standard: die des Systems).</translation>
    </message>
    <message numerus="yes">
        <source>%1: OK, %n pool(s)</source>
        <translation>
            <numerusform>%1: OK, %n Pool</numerusform>
            <numerusform>%1: OK, %n Pools</numerusform>
        </translation>
    </message>
    <message>
        <source>--quit-after needs a positive number of milliseconds, got &apos;%1&apos;</source>
        <translation>--quit-after braucht eine positive Anzahl Millisekunden, erhalten: &apos;%1&apos;</translation>
    </message>
    <message>
        <source>operator</source>
        <translation>Bediener</translation>
    </message>
</context>
</TS>
