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
</context>
</TS>
