<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>DroverAlerts</name>
    <message>
        <source>expected a series name</source>
        <translation>Seriennamen erwartet</translation>
    </message>
    <message>
        <source>expected a label name</source>
        <translation>Labelnamen erwartet</translation>
    </message>
    <message>
        <source>expected one of =, !=, =~, !~</source>
        <translation>einer von =, !=, =~, !~ erwartet</translation>
    </message>
    <message>
        <source>expected a double-quoted value</source>
        <translation>Wert in doppelten Anführungszeichen erwartet</translation>
    </message>
    <message>
        <source>unterminated quoted value</source>
        <translation>nicht abgeschlossener Wert in Anführungszeichen</translation>
    </message>
    <message>
        <source>expected &apos;,&apos; or &apos;%1&apos;</source>
        <translation>&apos;,&apos; oder &apos;%1&apos; erwartet</translation>
    </message>
    <message>
        <source>the end</source>
        <translation>das Ende</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a valid label name</source>
        <translation>&apos;%1&apos; ist kein gültiger Labelname</translation>
    </message>
    <message>
        <source>invalid regular expression &apos;%1&apos;: %2</source>
        <translation>ungültiger regulärer Ausdruck &apos;%1&apos;: %2</translation>
    </message>
    <message>
        <source>unexpected text after the selector</source>
        <translation>unerwarteter Text nach dem Selektor</translation>
    </message>
    <message>
        <source>unexpected text after &apos;}&apos;</source>
        <translation>unerwarteter Text nach &apos;}&apos;</translation>
    </message>
    <message>
        <source>unknown placeholder %1 (use {{value}}, {{value|bytes}}, {{threshold}}, {{pool}} or {{labels.NAME}})</source>
        <translation>unbekannter Platzhalter %1 (verwenden Sie {{value}}, {{value|bytes}}, {{threshold}}, {{pool}} oder {{labels.NAME}})</translation>
    </message>
    <message>
        <source>&apos;{{&apos; without a closing &apos;}}&apos;</source>
        <translation>&apos;{{&apos; ohne schließendes &apos;}}&apos;</translation>
    </message>
    <message>
        <source>the rule has no name</source>
        <translation>die Regel hat keinen Namen</translation>
    </message>
    <message>
        <source>another rule named &apos;%1&apos; has the same severity and labels</source>
        <translation>eine andere Regel namens &apos;%1&apos; hat denselben Schweregrad und dieselben Labels</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a valid series name</source>
        <translation>&apos;%1&apos; ist kein gültiger Serienname</translation>
    </message>
    <message>
        <source>unknown series &apos;%1&apos;</source>
        <translation>unbekannte Serie &apos;%1&apos;</translation>
    </message>
    <message>
        <source>the threshold must be a number</source>
        <translation>der Schwellwert muss eine Zahl sein</translation>
    </message>
    <message>
        <source>&apos;for&apos; must not be negative</source>
        <translation>&apos;for&apos; darf nicht negativ sein</translation>
    </message>
    <message>
        <source>&apos;keep_firing_for&apos; must not be negative</source>
        <translation>&apos;keep_firing_for&apos; darf nicht negativ sein</translation>
    </message>
    <message>
        <source>&apos;severity&apos; must be one of info, warning, high, critical, got &apos;%1&apos;</source>
        <translation>&apos;severity&apos; muss info, warning, high oder critical sein, ist aber &apos;%1&apos;</translation>
    </message>
    <message>
        <source>label &apos;%1&apos; is set by the rule itself</source>
        <translation>Label &apos;%1&apos; setzt die Regel selbst</translation>
    </message>
    <message>
        <source>&apos;op&apos; must be one of &gt;, &lt;, &gt;=, &lt;=, got &apos;%1&apos;</source>
        <translation>&apos;op&apos; muss &gt;, &lt;, &gt;= oder &lt;= sein, ist aber &apos;%1&apos;</translation>
    </message>
    <message>
        <source>Job error rate at {{value}} % (above {{threshold}} %)</source>
        <translation>Fehlerquote der Jobs bei {{value}} % (über {{threshold}} %)</translation>
    </message>
    <message>
        <source>{{value}} jobs waiting (more than {{threshold}})</source>
        <translation>{{value}} Jobs warten (mehr als {{threshold}})</translation>
    </message>
    <message>
        <source>Memory use at {{value}} % (above {{threshold}} %)</source>
        <translation>Speichernutzung bei {{value}} % (über {{threshold}} %)</translation>
    </message>
    <message>
        <source>CPU at {{value}} % for 2 minutes (above {{threshold}} %)</source>
        <translation>CPU seit 2 Minuten bei {{value}} % (über {{threshold}} %)</translation>
    </message>
    <message>
        <source>Only {{value|bytes}} of disk space left</source>
        <translation>Nur noch {{value|bytes}} Speicherplatz frei</translation>
    </message>
    <message>
        <source>Pool {{pool}} has no ready replica</source>
        <translation>Pool {{pool}} hat kein bereites Replikat</translation>
    </message>
    <message>
        <source>The GPT provider answered insufficient_quota: GPT calls fail until credit is added or the provider key is changed</source>
        <translation>Der GPT-Anbieter meldete insufficient_quota: GPT-Aufrufe schlagen fehl, bis Guthaben aufgeladen oder der Anbieterschlüssel geändert wird</translation>
    </message>
</context>
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
    <message>
        <source>&apos;select&apos; must be max, min or disabled, got &apos;%1&apos;</source>
        <translation>&apos;select&apos; muss max, min oder disabled sein, ist aber &apos;%1&apos;</translation>
    </message>
    <message>
        <source>&apos;type&apos; must be pods or percent, got &apos;%1&apos;</source>
        <translation>&apos;type&apos; muss pods oder percent sein, ist aber &apos;%1&apos;</translation>
    </message>
    <message>
        <source>&apos;period&apos; must be between 1s and 30m</source>
        <translation>&apos;period&apos; muss zwischen 1s und 30m liegen</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a cron expression (minute hour day month weekday): %2</source>
        <translation>&apos;%1&apos; ist kein Cron-Ausdruck (Minute Stunde Tag Monat Wochentag): %2</translation>
    </message>
    <message>
        <source>unknown time zone &apos;%1&apos; (an IANA id such as Europe/Berlin)</source>
        <translation>unbekannte Zeitzone &apos;%1&apos; (eine IANA-Kennung wie Europe/Berlin)</translation>
    </message>
    <message>
        <source>&apos;activation_metric&apos; must be queue_depth (the only metric observable at zero replicas), got &apos;%1&apos;</source>
        <translation>&apos;activation_metric&apos; muss queue_depth sein (die einzige bei null Replikaten messbare Metrik), ist aber &apos;%1&apos;</translation>
    </message>
    <message>
        <source>unknown autoscale metric &apos;%1&apos; (expected one of: %2)</source>
        <translation>unbekannte Skalierungsmetrik &apos;%1&apos; (erwartet: %2)</translation>
    </message>
    <message>
        <source>unknown policy &apos;%1&apos; (not in &apos;policies&apos;)</source>
        <translation>unbekannte Richtlinie &apos;%1&apos; (nicht in &apos;policies&apos;)</translation>
    </message>
    <message>
        <source>schedule &apos;min&apos; (%1) is greater than the pool&apos;s max (%2)</source>
        <translation>&apos;min&apos; des Zeitplans (%1) ist größer als das Maximum des Pools (%2)</translation>
    </message>
    <message>
        <source>&apos;scale_to_zero&apos; needs replicas.min 0 (it is %1)</source>
        <translation>&apos;scale_to_zero&apos; braucht replicas.min 0 (es ist %1)</translation>
    </message>
    <message>
        <source>fallback &apos;replicas&apos; (%1) must be between min (%2) and max (%3)</source>
        <translation>&apos;replicas&apos; des Rückfalls (%1) muss zwischen min (%2) und max (%3) liegen</translation>
    </message>
    <message>
        <source>alert &apos;%1&apos;: %2</source>
        <translation>Alarm &apos;%1&apos;: %2</translation>
    </message>
    <message>
        <source>&apos;%1&apos; must be a string such as &apos;severity=&quot;critical&quot;, pool=&quot;mail&quot;&apos;</source>
        <translation>&apos;%1&apos; muss eine Zeichenkette wie &apos;severity=&quot;critical&quot;, pool=&quot;mail&quot;&apos; sein</translation>
    </message>
    <message>
        <source>&apos;%1&apos;: %2</source>
        <translation>&apos;%1&apos;: %2</translation>
    </message>
    <message>
        <source>unknown receiver &apos;%1&apos; (not in &apos;notifications.receivers&apos;)</source>
        <translation>unbekannter Empfänger &apos;%1&apos; (nicht in &apos;notifications.receivers&apos;)</translation>
    </message>
    <message>
        <source>&apos;%1&apos; must be longer than 0</source>
        <translation>&apos;%1&apos; muss länger als 0 sein</translation>
    </message>
    <message>
        <source>&apos;%1&apos; must be a date and time such as 2026-12-24T18:00:00Z, got &apos;%2&apos;</source>
        <translation>&apos;%1&apos; muss Datum und Uhrzeit wie 2026-12-24T18:00:00Z sein, ist aber &apos;%2&apos;</translation>
    </message>
    <message>
        <source>duplicate receiver name &apos;%1&apos;</source>
        <translation>doppelter Empfängername &apos;%1&apos;</translation>
    </message>
    <message>
        <source>&apos;webhook&apos; needs &apos;url_secret&apos;: the keychain entry holding the URL</source>
        <translation>&apos;webhook&apos; braucht &apos;url_secret&apos;: den Schlüsselbund-Eintrag mit der URL</translation>
    </message>
    <message>
        <source>&apos;url_secret&apos; names a keychain entry, not the URL itself; store the URL in the OS keychain and name the entry here</source>
        <translation>&apos;url_secret&apos; nennt einen Schlüsselbund-Eintrag, nicht die URL selbst; legen Sie die URL im Schlüsselbund des Systems ab und nennen Sie hier den Eintrag</translation>
    </message>
    <message>
        <source>receiver &apos;%1&apos; has no channel (tray, banner, log or webhook)</source>
        <translation>Empfänger &apos;%1&apos; hat keinen Kanal (tray, banner, log oder webhook)</translation>
    </message>
    <message>
        <source>duplicate route name &apos;%1&apos;</source>
        <translation>doppelter Routenname &apos;%1&apos;</translation>
    </message>
    <message>
        <source>a silence needs at least one matcher</source>
        <translation>eine Stummschaltung braucht mindestens einen Matcher</translation>
    </message>
    <message>
        <source>&apos;ends&apos; must be after &apos;starts&apos;</source>
        <translation>&apos;ends&apos; muss nach &apos;starts&apos; liegen</translation>
    </message>
    <message>
        <source>silence refused: %1</source>
        <translation>Stummschaltung abgelehnt: %1</translation>
    </message>
    <message>
        <source>&apos;upstream&apos; must be &quot;simulated&quot; or an http(s) base URL such as https://api.openai.com/v1, got &apos;%1&apos;</source>
        <translation>&apos;upstream&apos; muss &quot;simulated&quot; oder eine http(s)-Basis-URL wie https://api.openai.com/v1 sein, nicht &apos;%1&apos;</translation>
    </message>
    <message>
        <source>&apos;upstream&apos; must not carry credentials; store the provider key in the keychain as &apos;%1&apos;</source>
        <translation>&apos;upstream&apos; darf keine Zugangsdaten enthalten; den Anbieterschlüssel im Schlüsselbund als &apos;%1&apos; ablegen</translation>
    </message>
    <message>
        <source>unknown tier &apos;%1&apos; in &apos;gateway.budgets&apos; (tiers: %2)</source>
        <translation>unbekannte Stufe &apos;%1&apos; in &apos;gateway.budgets&apos; (Stufen: %2)</translation>
    </message>
    <message>
        <source>missing required key &apos;every&apos; (a duration such as 5m, or monthly)</source>
        <translation>Pflichtschlüssel &apos;every&apos; fehlt (eine Dauer wie 5m, oder monthly)</translation>
    </message>
    <message>
        <source>&apos;every&apos; must be at least 1s, got &apos;%1&apos;</source>
        <translation>&apos;every&apos; muss mindestens 1s sein, nicht &apos;%1&apos;</translation>
    </message>
    <message>
        <source>&apos;%1&apos; must be run_once or skip, got &apos;%2&apos;</source>
        <translation>&apos;%1&apos; muss run_once oder skip sein, nicht &apos;%2&apos;</translation>
    </message>
    <message>
        <source>loop &apos;%1&apos; targets unknown pool &apos;%2&apos;</source>
        <translation>Schleife &apos;%1&apos; zielt auf den unbekannten Pool &apos;%2&apos;</translation>
    </message>
    <message>
        <source>&apos;priority&apos; must be high, medium or low, got &apos;%1&apos;</source>
        <translation>&apos;priority&apos; muss high, medium oder low sein, nicht &apos;%1&apos;</translation>
    </message>
    <message>
        <source>payload field &apos;%1&apos; must be a number, true/false or text</source>
        <translation>Nutzdatenfeld &apos;%1&apos; muss eine Zahl, true/false oder Text sein</translation>
    </message>
    <message>
        <source>a loop named &apos;%1&apos; is already defined</source>
        <translation>eine Schleife namens &apos;%1&apos; ist bereits definiert</translation>
    </message>
    <message>
        <source>&apos;request_timeout&apos; must be at least 100ms</source>
        <translation>&apos;request_timeout&apos; muss mindestens 100ms sein</translation>
    </message>
    <message>
        <source>unknown pool &apos;%1&apos; in &apos;dispatch.pools&apos;</source>
        <translation>unbekannter Pool &apos;%1&apos; in &apos;dispatch.pools&apos;</translation>
    </message>
    <message>
        <source>&apos;balancer&apos; must be one of least_connections, round_robin, weighted_round_robin, consistent_hash, least_response_time, resource_based, got &apos;%1&apos;</source>
        <translation>&apos;balancer&apos; muss least_connections, round_robin, weighted_round_robin, consistent_hash, least_response_time oder resource_based sein, nicht &apos;%1&apos;</translation>
    </message>
</context>
<context>
    <name>DroverNotifications</name>
    <message>
        <source>[resolved] %1: %2 (resolved after %3)</source>
        <translation>[behoben] %1: %2 (behoben nach %3)</translation>
    </message>
    <message>
        <source>[%1] %2: %3 (for %4)</source>
        <translation>[%1] %2: %3 (seit %4)</translation>
    </message>
    <message>
        <source>, acknowledged</source>
        <translation>, bestätigt</translation>
    </message>
    <message>
        <source>a silence needs at least one matcher</source>
        <translation>eine Stummschaltung braucht mindestens einen Matcher</translation>
    </message>
    <message>
        <source>at least one matcher must not match the empty value, or the silence would mute nearly every alert</source>
        <translation>mindestens ein Matcher darf den leeren Wert nicht treffen, sonst schaltete die Stummschaltung fast jeden Alarm stumm</translation>
    </message>
    <message>
        <source>a silence must end after it starts</source>
        <translation>eine Stummschaltung muss nach ihrem Beginn enden</translation>
    </message>
    <message>
        <source>a silence needs its author</source>
        <translation>eine Stummschaltung braucht ihren Urheber</translation>
    </message>
    <message>
        <source>(unnamed)</source>
        <translation>(unbenannt)</translation>
    </message>
    <message>
        <source>a route has no name</source>
        <translation>eine Route hat keinen Namen</translation>
    </message>
    <message>
        <source>route &apos;%1&apos; is defined twice</source>
        <translation>Route &apos;%1&apos; ist doppelt definiert</translation>
    </message>
    <message>
        <source>route &apos;%1&apos; has no channel</source>
        <translation>Route &apos;%1&apos; hat keinen Kanal</translation>
    </message>
    <message>
        <source>route &apos;%1&apos;: &apos;group_wait&apos; must not be negative</source>
        <translation>Route &apos;%1&apos;: &apos;group_wait&apos; darf nicht negativ sein</translation>
    </message>
    <message>
        <source>route &apos;%1&apos;: &apos;group_interval&apos; must be positive</source>
        <translation>Route &apos;%1&apos;: &apos;group_interval&apos; muss positiv sein</translation>
    </message>
    <message>
        <source>route &apos;%1&apos;: &apos;repeat_interval&apos; must be positive</source>
        <translation>Route &apos;%1&apos;: &apos;repeat_interval&apos; muss positiv sein</translation>
    </message>
    <message>
        <source>route &apos;%1&apos;: %2</source>
        <translation>Route &apos;%1&apos;: %2</translation>
    </message>
    <message>
        <source>inhibit rule %1 needs source and target matchers</source>
        <translation>Unterdrückungsregel %1 braucht Quell- und Ziel-Matcher</translation>
    </message>
    <message>
        <source>inhibit rule %1: %2</source>
        <translation>Unterdrückungsregel %1: %2</translation>
    </message>
    <message>
        <source>[RESOLVED] %1</source>
        <translation>[BEHOBEN] %1</translation>
    </message>
    <message>
        <source>[FIRING:%1] %2</source>
        <translation>[AUSGELÖST:%1] %2</translation>
    </message>
    <message numerus="yes">
        <source>... and %n more</source>
        <translation>
            <numerusform>... und %n weiterer</numerusform>
            <numerusform>... und %n weitere</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DroverReload</name>
    <message>
        <source>refused, the last good configuration keeps running: %1</source>
        <translation>abgelehnt, die letzte gültige Konfiguration läuft weiter: %1</translation>
    </message>
    <message>
        <source>added pools %1</source>
        <translation>Pools %1 hinzugefügt</translation>
    </message>
    <message>
        <source>removed pools %1</source>
        <translation>Pools %1 entfernt</translation>
    </message>
    <message>
        <source>pool %1 changed (%2)</source>
        <translation>Pool %1 geändert (%2)</translation>
    </message>
    <message>
        <source>: rolling restart</source>
        <translation>: rollierender Neustart</translation>
    </message>
    <message>
        <source>: applies to replicas started from now on (restart the pool to apply it to all)</source>
        <translation>: gilt für ab jetzt gestartete Replikate (den Pool neu starten, um es auf alle anzuwenden)</translation>
    </message>
    <message>
        <source>updated %1</source>
        <translation>%1 aktualisiert</translation>
    </message>
    <message>
        <source>pools %1 keep their last good settings (errors in the file)</source>
        <translation>Pools %1 behalten ihre letzten gültigen Einstellungen (Fehler in der Datei)</translation>
    </message>
    <message>
        <source>%1 keep their previous good version (errors in the file)</source>
        <translation>%1 behalten ihre vorherige gültige Fassung (Fehler in der Datei)</translation>
    </message>
    <message>
        <source>%1 changed but take effect at the next start</source>
        <translation>%1 geändert, wirksam erst beim nächsten Start</translation>
    </message>
    <message>
        <source>no changes</source>
        <translation>keine Änderungen</translation>
    </message>
    <message>
        <source>the file cannot be used</source>
        <translation>die Datei ist nicht verwendbar</translation>
    </message>
    <message>
        <source>&apos;%1&apos; has errors: its previous good version stays in use</source>
        <translation>&apos;%1&apos; enthält Fehler: die vorherige gültige Fassung bleibt in Gebrauch</translation>
    </message>
    <message>
        <source>&apos;storage&apos; has errors: its previous good version stays in use</source>
        <translation>&apos;storage&apos; enthält Fehler: die vorherige gültige Fassung bleibt in Gebrauch</translation>
    </message>
    <message>
        <source>&apos;storage.path&apos; changed: the store moves at the next start of Drover</source>
        <translation>&apos;storage.path&apos; geändert: der Speicher zieht beim nächsten Start von Drover um</translation>
    </message>
    <message>
        <source>&apos;%1&apos; changed: listener ports and these settings take effect at the next start of Drover</source>
        <translation>&apos;%1&apos; geändert: Ports und diese Einstellungen werden beim nächsten Start von Drover wirksam</translation>
    </message>
    <message>
        <source>pool &apos;%1&apos;: tier &apos;%2&apos; is not in use (the tiers section has errors); %3</source>
        <translation>Pool &apos;%1&apos;: Stufe &apos;%2&apos; ist nicht in Gebrauch (der Abschnitt tiers enthält Fehler); %3</translation>
    </message>
    <message>
        <source>the pool keeps its last good settings</source>
        <translation>der Pool behält seine letzten gültigen Einstellungen</translation>
    </message>
    <message>
        <source>the pool is not started</source>
        <translation>der Pool wird nicht gestartet</translation>
    </message>
    <message>
        <source>pool &apos;%1&apos; has errors: it keeps running on its last good settings</source>
        <translation>Pool &apos;%1&apos; enthält Fehler: er läuft mit seinen letzten gültigen Einstellungen weiter</translation>
    </message>
</context>
<context>
    <name>SingleInstance</name>
    <message>
        <source>cannot listen on %1: %2</source>
        <translation>kann nicht auf %1 lauschen: %2</translation>
    </message>
    <message>
        <source>Drover is running but does not answer on %1: %2</source>
        <translation>Drover läuft, antwortet aber nicht auf %1: %2</translation>
    </message>
    <message>
        <source>cannot create the lock file %1</source>
        <translation>kann die Sperrdatei %1 nicht anlegen</translation>
    </message>
    <message>
        <source>cannot create the mutex %1 (error %2)</source>
        <translation>kann den Mutex %1 nicht anlegen (Fehler %2)</translation>
    </message>
</context>
<context>
    <name>autostart</name>
    <message>
        <source>cannot remove %1</source>
        <translation>kann %1 nicht entfernen</translation>
    </message>
    <message>
        <source>cannot create the folder %1</source>
        <translation>kann den Ordner %1 nicht anlegen</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>kann %1 nicht schreiben: %2</translation>
    </message>
    <message>
        <source>cannot write the registry value %1</source>
        <translation>kann den Registrierungswert %1 nicht schreiben</translation>
    </message>
</context>
<context>
    <name>drover::ui::AlertsModel</name>
    <message>
        <source>%1 (%2 s ago)</source>
        <translation>%1 (vor %2 s)</translation>
    </message>
    <message>
        <source>%1 (%2 min ago)</source>
        <translation>%1 (vor %2 min)</translation>
    </message>
    <message>
        <source>%1 (%2 h ago)</source>
        <translation>%1 (vor %2 h)</translation>
    </message>
    <message>
        <source>firing</source>
        <translation>ausgelöst</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>anstehend</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>behoben</translation>
    </message>
    <message>
        <source>, acknowledged</source>
        <translation>, bestätigt</translation>
    </message>
    <message>
        <source>, silenced</source>
        <translation>, stummgeschaltet</translation>
    </message>
    <message>
        <source>, inhibited</source>
        <translation>, unterdrückt</translation>
    </message>
    <message>
        <source>info</source>
        <translation>Info</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <source>high</source>
        <translation>hoch</translation>
    </message>
    <message>
        <source>critical</source>
        <translation>kritisch</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Schweregrad</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>Alarm</translation>
    </message>
    <message>
        <source>Pool</source>
        <translation>Pool</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>Seit</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Zusammenfassung</translation>
    </message>
</context>
<context>
    <name>drover::ui::AlertsView</name>
    <message>
        <source>&amp;Acknowledge</source>
        <translation>&amp;Bestätigen</translation>
    </message>
    <message>
        <source>&amp;Silence</source>
        <translation>&amp;Stummschalten</translation>
    </message>
    <message>
        <source>Open &amp;pool</source>
        <translation>&amp;Pool öffnen</translation>
    </message>
    <message>
        <source>&amp;End silence</source>
        <translation>Stummschaltung &amp;beenden</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>Alarme</translation>
    </message>
    <message>
        <source>Firing and pending alerts, most urgent first, then the recently resolved</source>
        <translation>Ausgelöste und anstehende Alarme, die dringendsten zuerst, danach die kürzlich behobenen</translation>
    </message>
    <message>
        <source>Alert summary</source>
        <translation>Alarmübersicht</translation>
    </message>
    <message>
        <source>Acknowledge the selected alert: it stays listed but is not repeated (Ctrl+K)</source>
        <translation>Den gewählten Alarm bestätigen: Er bleibt gelistet, wird aber nicht wiederholt (Strg+K)</translation>
    </message>
    <message>
        <source>Acknowledge alert</source>
        <translation>Alarm bestätigen</translation>
    </message>
    <message>
        <source>15 minutes</source>
        <translation>15 Minuten</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>1 Stunde</translation>
    </message>
    <message>
        <source>4 hours</source>
        <translation>4 Stunden</translation>
    </message>
    <message>
        <source>24 hours</source>
        <translation>24 Stunden</translation>
    </message>
    <message>
        <source>7 days</source>
        <translation>7 Tage</translation>
    </message>
    <message>
        <source>Silence duration</source>
        <translation>Dauer der Stummschaltung</translation>
    </message>
    <message>
        <source>How long the silence mutes the selected alert</source>
        <translation>Wie lange die Stummschaltung den gewählten Alarm stumm hält</translation>
    </message>
    <message>
        <source>Mute notifications for the selected alert (its name and pool) for the chosen time</source>
        <translation>Benachrichtigungen für den gewählten Alarm (Name und Pool) für die gewählte Zeit stummschalten</translation>
    </message>
    <message>
        <source>Silence alert</source>
        <translation>Alarm stummschalten</translation>
    </message>
    <message>
        <source>Show the alert&apos;s pool in the Pools view</source>
        <translation>Den Pool des Alarms in der Pool-Ansicht zeigen</translation>
    </message>
    <message>
        <source>Open the alert&apos;s pool</source>
        <translation>Pool des Alarms öffnen</translation>
    </message>
    <message>
        <source>Silence</source>
        <translation>Stummschaltung</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>Bis</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>Kommentar</translation>
    </message>
    <message>
        <source>Active silences</source>
        <translation>Aktive Stummschaltungen</translation>
    </message>
    <message>
        <source>Silences in force; select one to end it early</source>
        <translation>Geltende Stummschaltungen; eine auswählen, um sie vorzeitig zu beenden</translation>
    </message>
    <message>
        <source>End the selected silence now</source>
        <translation>Die gewählte Stummschaltung jetzt beenden</translation>
    </message>
    <message>
        <source>End silence</source>
        <translation>Stummschaltung beenden</translation>
    </message>
    <message>
        <source>for</source>
        <translation>für</translation>
    </message>
    <message>
        <source>Silences</source>
        <translation>Stummschaltungen</translation>
    </message>
    <message>
        <source>silenced from the Alerts panel</source>
        <translation>in der Alarmansicht stummgeschaltet</translation>
    </message>
    <message>
        <source>No active alerts</source>
        <translation>Keine aktiven Alarme</translation>
    </message>
    <message>
        <source>%1 firing, %2 pending</source>
        <translation>%1 ausgelöst, %2 anstehend</translation>
    </message>
</context>
<context>
    <name>drover::ui::BottlenecksModel</name>
    <message>
        <source>(host)</source>
        <translation>(Rechner)</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Schweregrad</translation>
    </message>
    <message>
        <source>Finding</source>
        <translation>Befund</translation>
    </message>
    <message>
        <source>Pool</source>
        <translation>Pool</translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation>Konfidenz</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>Seit</translation>
    </message>
</context>
<context>
    <name>drover::ui::BottlenecksView</name>
    <message>
        <source>A&amp;pply</source>
        <translation>&amp;Anwenden</translation>
    </message>
    <message>
        <source>Apply &amp;automatically</source>
        <translation>&amp;Automatisch anwenden</translation>
    </message>
    <message>
        <source>Bottleneck findings</source>
        <translation>Engpass-Befunde</translation>
    </message>
    <message>
        <source>What limits the fleet now, most severe first, with the detector&apos;s confidence</source>
        <translation>Was die Flotte gerade begrenzt, das Schwerste zuerst, mit der Konfidenz des Detektors</translation>
    </message>
    <message>
        <source>Finding summary</source>
        <translation>Befundübersicht</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>Belege</translation>
    </message>
    <message>
        <source>The measurements that drove the finding</source>
        <translation>Die Messwerte, die zum Befund führten</translation>
    </message>
    <message>
        <source>Remediation</source>
        <translation>Abhilfe</translation>
    </message>
    <message>
        <source>Apply remediation</source>
        <translation>Abhilfe anwenden</translation>
    </message>
    <message>
        <source>Let the engine carry out the remediation for this finding now</source>
        <translation>Die Engine die Abhilfe für diesen Befund jetzt ausführen lassen</translation>
    </message>
    <message>
        <source>Apply this remediation automatically</source>
        <translation>Diese Abhilfe automatisch anwenden</translation>
    </message>
    <message>
        <source>The engine applies this kind of remediation by itself whenever it finds it</source>
        <translation>Die Engine wendet diese Art Abhilfe selbst an, sobald sie den Befund feststellt</translation>
    </message>
    <message>
        <source>Evidence:</source>
        <translation>Belege:</translation>
    </message>
    <message>
        <source>Select a finding to see its evidence and remedy.</source>
        <translation>Einen Befund auswählen, um Belege und Abhilfe zu sehen.</translation>
    </message>
    <message>
        <source>No bottleneck found: nothing limits the fleet now.</source>
        <translation>Kein Engpass gefunden: Nichts begrenzt die Flotte gerade.</translation>
    </message>
    <message>
        <source>Remedy: none suggested</source>
        <translation>Abhilfe: keine vorgeschlagen</translation>
    </message>
    <message>
        <source>Remedy: %1</source>
        <translation>Abhilfe: %1</translation>
    </message>
</context>
<context>
    <name>drover::ui::CapacityModel</name>
    <message>
        <source>Now</source>
        <translation>Jetzt</translation>
    </message>
    <message numerus="yes">
        <source>In %n month(s)</source>
        <translation>
            <numerusform>In %n Monat</numerusform>
            <numerusform>In %n Monaten</numerusform>
        </translation>
    </message>
    <message>
        <source>Replicas the pools with enough history need, summed</source>
        <translation>Replikate, die die Pools mit genug Verlauf brauchen, aufsummiert</translation>
    </message>
    <message>
        <source>Machines of the configured type, filled to 80 % of cores and memory</source>
        <translation>Maschinen des konfigurierten Typs, zu 80 % von Kernen und Speicher gefüllt</translation>
    </message>
    <message>
        <source>GPT tokens per day × 30.44 at the configured prices</source>
        <translation>GPT-Tokens pro Tag × 30,44 zu den konfigurierten Preisen</translation>
    </message>
    <message>
        <source>Machines × the configured monthly machine price</source>
        <translation>Maschinen × der konfigurierte monatliche Maschinenpreis</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <source>Jobs/day</source>
        <translation>Aufträge/Tag</translation>
    </message>
    <message>
        <source>Tokens/day</source>
        <translation>Tokens/Tag</translation>
    </message>
    <message>
        <source>Replicas</source>
        <translation>Replikate</translation>
    </message>
    <message>
        <source>CPU cores</source>
        <translation>CPU-Kerne</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>Speicher</translation>
    </message>
    <message>
        <source>Machines</source>
        <translation>Maschinen</translation>
    </message>
    <message>
        <source>Tokens/month</source>
        <translation>Tokens/Monat</translation>
    </message>
    <message>
        <source>Machines/month</source>
        <translation>Maschinen/Monat</translation>
    </message>
    <message>
        <source>Total/month</source>
        <translation>Gesamt/Monat</translation>
    </message>
</context>
<context>
    <name>drover::ui::CapacityView</name>
    <message>
        <source>&amp;Refresh plan</source>
        <translation>Plan aktualisiere&amp;n</translation>
    </message>
    <message>
        <source>Capacity plan state</source>
        <translation>Stand des Kapazitätsplans</translation>
    </message>
    <message>
        <source>When the engine made the plan from the stored history</source>
        <translation>Wann die Engine den Plan aus dem gespeicherten Verlauf erstellt hat</translation>
    </message>
    <message>
        <source>Capacity verdict</source>
        <translation>Kapazitätsurteil</translation>
    </message>
    <message>
        <source>The plan&apos;s verdict in one line</source>
        <translation>Das Urteil des Plans in einer Zeile</translation>
    </message>
    <message>
        <source>Refresh capacity plan</source>
        <translation>Kapazitätsplan aktualisieren</translation>
    </message>
    <message>
        <source>Ask the engine for a new plan from the stored history now (%1); it makes one every minute anyway</source>
        <translation>Die Engine jetzt um einen neuen Plan aus dem gespeicherten Verlauf bitten (%1); sie erstellt ohnehin jede Minute einen</translation>
    </message>
    <message>
        <source>Replicas</source>
        <translation>Replikate</translation>
    </message>
    <message>
        <source>CPU cores</source>
        <translation>CPU-Kerne</translation>
    </message>
    <message>
        <source>Memory (GiB)</source>
        <translation>Speicher (GiB)</translation>
    </message>
    <message>
        <source>What the fleet needs</source>
        <translation>Was die Flotte braucht</translation>
    </message>
    <message>
        <source>Months from now</source>
        <translation>Monate ab heute</translation>
    </message>
    <message>
        <source>Capacity projection chart</source>
        <translation>Diagramm der Kapazitätsprognose</translation>
    </message>
    <message>
        <source>Replicas, CPU cores and memory the fleet needs now and at 1, 3, 6 and 12 months</source>
        <translation>Replikate, CPU-Kerne und Speicher, die die Flotte jetzt und in 1, 3, 6 und 12 Monaten braucht</translation>
    </message>
    <message>
        <source>Capacity projections</source>
        <translation>Kapazitätsprognosen</translation>
    </message>
    <message>
        <source>The fleet&apos;s needs and monthly cost now and at each horizon (pools with too little history are left out)</source>
        <translation>Bedarf und monatliche Kosten der Flotte jetzt und zu jedem Zeitpunkt (Pools mit zu wenig Verlauf fehlen)</translation>
    </message>
    <message>
        <source>Pool</source>
        <translation>Pool</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>Stufe</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>Jobs trend</source>
        <translation>Auftragstrend</translation>
    </message>
    <message>
        <source>Tokens trend</source>
        <translation>Tokentrend</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Hinweis</translation>
    </message>
    <message>
        <source>Pool trends</source>
        <translation>Pool-Trends</translation>
    </message>
    <message>
        <source>Each pool&apos;s growth trend and how much history it has</source>
        <translation>Der Wachstumstrend jedes Pools und wie viel Verlauf er hat</translation>
    </message>
    <message>
        <source>Recommendations</source>
        <translation>Empfehlungen</translation>
    </message>
    <message>
        <source>What to change, in plain words</source>
        <translation>Was zu ändern ist, in klaren Worten</translation>
    </message>
    <message>
        <source>P&amp;ools</source>
        <translation>P&amp;ools</translation>
    </message>
    <message>
        <source> – asked for a new plan…</source>
        <translation> – neuer Plan angefordert…</translation>
    </message>
    <message>
        <source>No capacity plan yet: the engine makes one from the stored history within a minute of starting.</source>
        <translation>Noch kein Kapazitätsplan: die Engine erstellt ihn binnen einer Minute nach dem Start aus dem gespeicherten Verlauf.</translation>
    </message>
    <message>
        <source>Not enough history yet (as of %1).</source>
        <translation>Noch nicht genug Verlauf (Stand %1).</translation>
    </message>
    <message>
        <source>Plan as of %1, from the history up to %2.</source>
        <translation>Plan vom %1, aus dem Verlauf bis %2.</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n Tag</numerusform>
            <numerusform>%n Tage</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 replica(s) in %n month(s)</source>
        <translation>
            <numerusform>%1 Replikat(e) in %n Monat</numerusform>
            <numerusform>%1 Replikat(e) in %n Monaten</numerusform>
        </translation>
    </message>
    <message>
        <source> (above its max of %1)</source>
        <translation> (über seinem Maximum von %1)</translation>
    </message>
    <message>
        <source>Pro&amp;jections</source>
        <translation>P&amp;rognosen</translation>
    </message>
    <message>
        <source>Recommendatio&amp;ns</source>
        <translation>Empfeh&amp;lungen</translation>
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
    <message>
        <source>&amp;Reload configuration</source>
        <translation>Konfiguration &amp;neu laden</translation>
    </message>
    <message>
        <source>Read the configuration file again and apply what is valid (F5). A pool with errors keeps its last good settings; listener ports and the store path change at the next start.</source>
        <translation>Die Konfigurationsdatei erneut lesen und anwenden, was gültig ist (F5). Ein Pool mit Fehlern behält seine letzten gültigen Einstellungen; Ports und der Speicherpfad ändern sich beim nächsten Start.</translation>
    </message>
    <message>
        <source>Reload configuration</source>
        <translation>Konfiguration neu laden</translation>
    </message>
    <message>
        <source>Last configuration reload</source>
        <translation>Letztes Neuladen der Konfiguration</translation>
    </message>
    <message>
        <source>Not reloaded since Drover started. Saving the file reloads it.</source>
        <translation>Seit dem Start von Drover nicht neu geladen. Speichern der Datei lädt sie neu.</translation>
    </message>
    <message>
        <source>on request</source>
        <translation>auf Anforderung</translation>
    </message>
    <message>
        <source>after the file changed</source>
        <translation>nach Änderung der Datei</translation>
    </message>
    <message>
        <source>Last reload at %1 (%2): %3</source>
        <translation>Letztes Neuladen um %1 (%2): %3</translation>
    </message>
    <message>
        <source>Last reload at %1 (%2) was refused: %3</source>
        <translation>Letztes Neuladen um %1 (%2) wurde abgelehnt: %3</translation>
    </message>
    <message>
        <source>Kept on their last good settings: %1.</source>
        <translation>Auf ihren letzten gültigen Einstellungen belassen: %1.</translation>
    </message>
</context>
<context>
    <name>drover::ui::Dashboard</name>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>%</source>
        <translation>%</translation>
    </message>
    <message>
        <source>Memory (machine; pools: share of their tier&apos;s limit)</source>
        <translation>Speicher (Maschine; Pools: Anteil am Limit ihrer Stufe)</translation>
    </message>
    <message>
        <source>Queue depth</source>
        <translation>Warteschlangenlänge</translation>
    </message>
    <message>
        <source>jobs</source>
        <translation>Aufträge</translation>
    </message>
    <message>
        <source>GPT tokens per second</source>
        <translation>GPT-Tokens pro Sekunde</translation>
    </message>
    <message>
        <source>tokens/s</source>
        <translation>Tokens/s</translation>
    </message>
    <message>
        <source>Last 5 minutes</source>
        <translation>Letzte 5 Minuten</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>Letzte Stunde</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Letzte 24 Stunden</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <source>Time range</source>
        <translation>Zeitraum</translation>
    </message>
    <message>
        <source>How far back the charts reach: 5 minutes live from the engine, longer ranges from the store (Alt+R)</source>
        <translation>Wie weit die Diagramme zurückreichen: 5 Minuten live von der Engine, längere Zeiträume aus dem Speicher (Alt+Z)</translation>
    </message>
    <message>
        <source>&amp;Range:</source>
        <translation>&amp;Zeitraum:</translation>
    </message>
    <message>
        <source>Data source</source>
        <translation>Datenquelle</translation>
    </message>
    <message>
        <source>Where the charts&apos; data comes from and at which resolution</source>
        <translation>Woher die Daten der Diagramme stammen und in welcher Auflösung</translation>
    </message>
    <message>
        <source>CPU chart</source>
        <translation>CPU-Diagramm</translation>
    </message>
    <message>
        <source>Busy share of the machine&apos;s cores, and of each pool&apos;s tier cores</source>
        <translation>Ausgelasteter Anteil der Kerne der Maschine und der Stufen-Kerne jedes Pools</translation>
    </message>
    <message>
        <source>Memory chart</source>
        <translation>Speicherdiagramm</translation>
    </message>
    <message>
        <source>Memory in use on the machine, and each pool&apos;s share of its tier&apos;s memory</source>
        <translation>Belegter Speicher der Maschine und der Anteil jedes Pools am Speicher seiner Stufe</translation>
    </message>
    <message>
        <source>Queue depth chart</source>
        <translation>Diagramm der Warteschlangenlänge</translation>
    </message>
    <message>
        <source>Jobs waiting in each pool&apos;s agents</source>
        <translation>In den Agenten jedes Pools wartende Aufträge</translation>
    </message>
    <message>
        <source>GPT token rate chart</source>
        <translation>Diagramm der GPT-Tokenrate</translation>
    </message>
    <message>
        <source>Prompt and completion tokens per second, per pool and in total; the dashed line is the tier budget (today&apos;s, on the longer ranges)</source>
        <translation>Prompt- und Completion-Tokens pro Sekunde, je Pool und insgesamt; die gestrichelte Linie ist das Budget der Stufe (bei längeren Zeiträumen das heutige)</translation>
    </message>
    <message>
        <source>Live from the engine, 1 s resolution</source>
        <translation>Live von der Engine, Auflösung 1 s</translation>
    </message>
    <message>
        <source>Machine</source>
        <translation>Maschine</translation>
    </message>
    <message>
        <source>%1 prompt</source>
        <translation>%1 Prompt</translation>
    </message>
    <message>
        <source>%1 completion</source>
        <translation>%1 Completion</translation>
    </message>
    <message>
        <source>Total prompt</source>
        <translation>Prompt gesamt</translation>
    </message>
    <message>
        <source>Total completion</source>
        <translation>Completion gesamt</translation>
    </message>
    <message>
        <source>Tier budget</source>
        <translation>Budget der Stufe</translation>
    </message>
    <message>
        <source>not applied: %1</source>
        <translation>nicht angewendet: %1</translation>
    </message>
    <message>
        <source>No store: only the last 5 minutes are kept</source>
        <translation>Kein Speicher: nur die letzten 5 Minuten werden behalten</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>Live</translation>
    </message>
    <message>
        <source>Loading from the store…</source>
        <translation>Wird aus dem Speicher geladen…</translation>
    </message>
    <message>
        <source>History unavailable: %1</source>
        <translation>Verlauf nicht verfügbar: %1</translation>
    </message>
    <message>
        <source>From the store, %1 resolution</source>
        <translation>Aus dem Speicher, Auflösung %1</translation>
    </message>
</context>
<context>
    <name>drover::ui::DashboardChart</name>
    <message>
        <source>Scaling</source>
        <translation>Skalierung</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>Alarme</translation>
    </message>
    <message numerus="yes">
        <source>%n other line(s): lowest to highest</source>
        <translation>
            <numerusform>%n weitere Linie: niedrigste bis höchste</numerusform>
            <numerusform>%n weitere Linien: niedrigste bis höchste</numerusform>
        </translation>
    </message>
    <message>
        <source>no data</source>
        <translation>keine Daten</translation>
    </message>
    <message numerus="yes">
        <source>… and %n more line(s)</source>
        <translation>
            <numerusform>… und %n weitere Linie</numerusform>
            <numerusform>… und %n weitere Linien</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>drover::ui::DeadLetterModel</name>
    <message>
        <source>Job %1 of pool %2
Reason: %3
Last error: %4
Attempts: %5</source>
        <translation>Auftrag %1 des Pools %2
Grund: %3
Letzter Fehler: %4
Versuche: %5</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keiner</translation>
    </message>
    <message>
        <source>high</source>
        <translation>hoch</translation>
    </message>
    <message>
        <source>medium</source>
        <translation>mittel</translation>
    </message>
    <message>
        <source>low</source>
        <translation>niedrig</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>Auftrag</translation>
    </message>
    <message>
        <source>Pool</source>
        <translation>Pool</translation>
    </message>
    <message>
        <source>Loop</source>
        <translation>Schleife</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Priorität</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Versuche</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>Letzter Fehler</translation>
    </message>
    <message>
        <source>Queued at</source>
        <translation>Eingereiht um</translation>
    </message>
    <message>
        <source>Given up at</source>
        <translation>Aufgegeben um</translation>
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
    <message>
        <source>E&amp;xport CSV…</source>
        <translation>Als CSV e&amp;xportieren…</translation>
    </message>
    <message>
        <source>Show only events containing this text in any column</source>
        <translation>Nur Ereignisse zeigen, die diesen Text in einer Spalte enthalten</translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation>Alle Arten</translation>
    </message>
    <message>
        <source>Event kind filter</source>
        <translation>Filter nach Ereignisart</translation>
    </message>
    <message>
        <source>Show only events of this kind</source>
        <translation>Nur Ereignisse dieser Art zeigen</translation>
    </message>
    <message>
        <source>All pools</source>
        <translation>Alle Pools</translation>
    </message>
    <message>
        <source>Event pool filter</source>
        <translation>Filter nach Pool</translation>
    </message>
    <message>
        <source>Show only events of this pool</source>
        <translation>Nur Ereignisse dieses Pools zeigen</translation>
    </message>
    <message>
        <source>Export events as CSV</source>
        <translation>Ereignisse als CSV exportieren</translation>
    </message>
    <message>
        <source>Save the events shown (with the filters applied) as a CSV file</source>
        <translation>Die angezeigten Ereignisse (gefiltert) als CSV-Datei speichern</translation>
    </message>
    <message>
        <source>What happened and why, newest first</source>
        <translation>Was geschah und warum, das Neueste zuerst</translation>
    </message>
    <message>
        <source>Export events</source>
        <translation>Ereignisse exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
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
    <message>
        <source>&amp;Alerts</source>
        <translation>&amp;Alarme</translation>
    </message>
    <message>
        <source>&amp;Bottlenecks</source>
        <translation>&amp;Engpässe</translation>
    </message>
    <message>
        <source>Switch views with Ctrl+1 … Ctrl+9 or Ctrl+Tab</source>
        <translation>Ansichten wechseln mit Strg+1 … Strg+9 oder Strg+Tab</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <source>Secrets, notifications, theme, language, start at login</source>
        <translation>Geheimnisse, Benachrichtigungen, Farbschema, Sprache, Start bei Anmeldung</translation>
    </message>
    <message>
        <source>Quit Drover; asks whether to stop the agents</source>
        <translation>Drover beenden; fragt, ob die Agenten gestoppt werden sollen</translation>
    </message>
    <message>
        <source>Quit Drover</source>
        <translation>Drover beenden</translation>
    </message>
    <message>
        <source>Stop the agents too?</source>
        <translation>Auch die Agenten stoppen?</translation>
    </message>
    <message>
        <source>Agents run only while Drover runs: quitting stops them. Keep Drover in the tray to leave them running.</source>
        <translation>Agenten laufen nur, solange Drover läuft: Beenden stoppt sie. Lassen Sie Drover im Infobereich, damit sie weiterlaufen.</translation>
    </message>
    <message>
        <source>Agents run only while Drover runs: quitting stops them.</source>
        <translation>Agenten laufen nur, solange Drover läuft: Beenden stoppt sie.</translation>
    </message>
    <message>
        <source>&amp;Stop agents and quit</source>
        <translation>Agenten &amp;stoppen und beenden</translation>
    </message>
    <message>
        <source>&amp;Keep running in the tray</source>
        <translation>Im Infobereich &amp;weiterlaufen</translation>
    </message>
    <message>
        <source>&amp;Pause all autoscaling</source>
        <translation>Alle automatische Skalierung &amp;anhalten</translation>
    </message>
    <message>
        <source>Stop the autoscaler deciding for every pool; uncheck to resume</source>
        <translation>Der Autoskalierer entscheidet für keinen Pool mehr; Haken entfernen zum Fortsetzen</translation>
    </message>
    <message>
        <source>F&amp;leet</source>
        <translation>&amp;Flotte</translation>
    </message>
    <message>
        <source>Drover keeps running</source>
        <translation>Drover läuft weiter</translation>
    </message>
    <message>
        <source>The agents are still supervised. Open the console from the tray icon; use Quit in its menu to stop.</source>
        <translation>Die Agenten werden weiter überwacht. Öffnen Sie die Konsole über das Symbol im Infobereich; Beenden in dessen Menü stoppt alles.</translation>
    </message>
    <message>
        <source>&amp;Bottlenecks (%1)</source>
        <translation>&amp;Engpässe (%1)</translation>
    </message>
    <message>
        <source>&amp;Alerts (%1)</source>
        <translation>&amp;Alarme (%1)</translation>
    </message>
    <message>
        <source>&amp;Work</source>
        <translation>A&amp;ufträge</translation>
    </message>
    <message>
        <source>Capacit&amp;y</source>
        <translation>Kapazi&amp;tät</translation>
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
        <source>Drover: no alerts firing</source>
        <translation>Drover: keine Alarme ausgelöst</translation>
    </message>
    <message numerus="yes">
        <source>Drover: %n alert(s) firing, all acknowledged or silenced</source>
        <translation>
            <numerusform>Drover: %n Alarm ausgelöst, bestätigt oder stummgeschaltet</numerusform>
            <numerusform>Drover: %n Alarme ausgelöst, alle bestätigt oder stummgeschaltet</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Drover: %n alert(s) firing, worst %1; %2 need attention</source>
        <translation>
            <numerusform>Drover: %n Alarm ausgelöst, schwerster %1; %2 brauchen Aufmerksamkeit</numerusform>
            <numerusform>Drover: %n Alarme ausgelöst, schwerster %1; %2 brauchen Aufmerksamkeit</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n new alert notification(s)</source>
        <translation>
            <numerusform>%n neue Alarmbenachrichtigung</numerusform>
            <numerusform>%n neue Alarmbenachrichtigungen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 and %n more; see the Alerts tab.</source>
        <translation>
            <numerusform>%1 und %n weitere; siehe Reiter Alarme.</numerusform>
            <numerusform>%1 und %n weitere; siehe Reiter Alarme.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>drover::ui::PoolWorkModel</name>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>geschlossen</translation>
    </message>
    <message>
        <source>open</source>
        <translation>offen</translation>
    </message>
    <message>
        <source>half-open</source>
        <translation>halb offen</translation>
    </message>
    <message>
        <source>no replicas</source>
        <translation>keine Replikate</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>Replica %1: breaker %2, %3 consecutive failure(s), load %4 of %5, %6 delivered, %7 failed</source>
        <translation>Replikat %1: Schutzschalter %2, %3 Fehlschläge in Folge, Last %4 von %5, %6 zugestellt, %7 fehlgeschlagen</translation>
    </message>
    <message>
        <source>, trial at %1</source>
        <translation>, Probeversuch um %1</translation>
    </message>
    <message>
        <source> (not taking work now)</source>
        <translation> (nimmt gerade keine Arbeit an)</translation>
    </message>
    <message>
        <source>No replicas</source>
        <translation>Keine Replikate</translation>
    </message>
    <message>
        <source>Jobs waiting in Drover&apos;s queue for a replica</source>
        <translation>Aufträge in Drovers Warteschlange, die auf ein Replikat warten</translation>
    </message>
    <message>
        <source>Deliveries (POST /jobs) out now</source>
        <translation>Gerade laufende Zustellungen (POST /jobs)</translation>
    </message>
    <message>
        <source>Drover&apos;s queue plus what the agents report waiting</source>
        <translation>Drovers Warteschlange plus das, was die Agenten als wartend melden</translation>
    </message>
    <message>
        <source>How long the oldest waiting job has waited</source>
        <translation>Wie lange der älteste wartende Auftrag schon wartet</translation>
    </message>
    <message>
        <source>95th percentile of the wait from queued to accepted by an agent</source>
        <translation>95. Perzentil der Wartezeit vom Einreihen bis zur Annahme durch einen Agenten</translation>
    </message>
    <message>
        <source>95th percentile of the POST /jobs round trip</source>
        <translation>95. Perzentil der Umlaufzeit von POST /jobs</translation>
    </message>
    <message>
        <source>Jobs given up on; requeue them below</source>
        <translation>Aufgegebene Aufträge; unten erneut einreihen</translation>
    </message>
    <message numerus="yes">
        <source>GPT tokens per second through the gateway; %n request(s) refused by the tier budget</source>
        <translation>
            <numerusform>GPT-Tokens pro Sekunde über das Gateway; %n Anfrage vom Budget der Stufe abgelehnt</numerusform>
            <numerusform>GPT-Tokens pro Sekunde über das Gateway; %n Anfragen vom Budget der Stufe abgelehnt</numerusform>
        </translation>
    </message>
    <message>
        <source>GPT tokens per second through the gateway</source>
        <translation>GPT-Tokens pro Sekunde über das Gateway</translation>
    </message>
    <message>
        <source>429 answers from the GPT provider to this pool&apos;s requests (retries included). The provider asked this pool to wait until %1.</source>
        <translation>429-Antworten des GPT-Anbieters auf Anfragen dieses Pools (Wiederholungen eingeschlossen). Der Anbieter hat diesen Pool gebeten, bis %1 zu warten.</translation>
    </message>
    <message>
        <source>429 answers from the GPT provider to this pool&apos;s requests (retries included)</source>
        <translation>429-Antworten des GPT-Anbieters auf Anfragen dieses Pools (Wiederholungen eingeschlossen)</translation>
    </message>
    <message>
        <source>%1, waiting</source>
        <translation>%1, wartet</translation>
    </message>
    <message>
        <source>Provider 429s</source>
        <translation>429 vom Anbieter</translation>
    </message>
    <message>
        <source>Pool</source>
        <translation>Pool</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Wartend</translation>
    </message>
    <message>
        <source>In flight</source>
        <translation>In Zustellung</translation>
    </message>
    <message>
        <source>Queue depth</source>
        <translation>Warteschlangenlänge</translation>
    </message>
    <message>
        <source>Oldest wait</source>
        <translation>Längste Wartezeit</translation>
    </message>
    <message>
        <source>Wait p95</source>
        <translation>Wartezeit p95</translation>
    </message>
    <message>
        <source>Dispatch p95</source>
        <translation>Zustellung p95</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Zugestellt</translation>
    </message>
    <message>
        <source>Dead letters</source>
        <translation>Unzustellbare</translation>
    </message>
    <message>
        <source>Tokens/s</source>
        <translation>Tokens/s</translation>
    </message>
    <message>
        <source>Circuit breakers</source>
        <translation>Schutzschalter</translation>
    </message>
    <message>
        <source>Balancer</source>
        <translation>Lastverteiler</translation>
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
    <message>
        <source>P&amp;ause autoscaling</source>
        <translation>Automatische Skalierung &amp;anhalten</translation>
    </message>
    <message>
        <source>&amp;Hand back to the autoscaler</source>
        <translation>An den Autoskalierer &amp;zurückgeben</translation>
    </message>
    <message>
        <source>How many replicas the selected pool should run (a manual scale; Ctrl++ and Ctrl+- scale by one)</source>
        <translation>Wie viele Replikate der gewählte Pool betreiben soll (manuelle Skalierung; Strg++ und Strg+- skalieren um eins)</translation>
    </message>
    <message>
        <source>Scale the selected pool to this many replicas (Ctrl+Enter)</source>
        <translation>Den gewählten Pool auf so viele Replikate skalieren (Strg+Eingabe)</translation>
    </message>
    <message>
        <source>Scale pool</source>
        <translation>Pool skalieren</translation>
    </message>
    <message>
        <source>Restart pool</source>
        <translation>Pool neu starten</translation>
    </message>
    <message>
        <source>Restart replica</source>
        <translation>Replikat neu starten</translation>
    </message>
    <message>
        <source>Stop replica</source>
        <translation>Replikat stoppen</translation>
    </message>
    <message>
        <source>Rolling restart: each replica is replaced once its successor is ready (Ctrl+R)</source>
        <translation>Rollierender Neustart: Jedes Replikat wird ersetzt, sobald sein Nachfolger bereit ist (Strg+R)</translation>
    </message>
    <message>
        <source>Autoscaling mode</source>
        <translation>Skalierungsmodus</translation>
    </message>
    <message>
        <source>Who decides the selected pool&apos;s size: the autoscaler, the operator (manual), nobody (paused)</source>
        <translation>Wer über die Größe des gewählten Pools entscheidet: der Autoskalierer, der Operator (manuell), niemand (angehalten)</translation>
    </message>
    <message>
        <source>Pause or resume autoscaling</source>
        <translation>Automatische Skalierung anhalten oder fortsetzen</translation>
    </message>
    <message>
        <source>Stop the autoscaler deciding for the selected pool, or let it decide again</source>
        <translation>Den Autoskalierer für den gewählten Pool anhalten oder wieder entscheiden lassen</translation>
    </message>
    <message>
        <source>Hand back to the autoscaler</source>
        <translation>An den Autoskalierer zurückgeben</translation>
    </message>
    <message>
        <source>The pool runs your manual count; hand its size back to the autoscaler</source>
        <translation>Der Pool läuft mit Ihrer manuellen Anzahl; geben Sie seine Größe an den Autoskalierer zurück</translation>
    </message>
    <message>
        <source>Show only the log lines containing this text (Ctrl+F)</source>
        <translation>Nur Logzeilen mit diesem Text zeigen (Strg+F)</translation>
    </message>
    <message>
        <source>The selected replica&apos;s captured output; it follows the tail unless you scroll up</source>
        <translation>Die aufgezeichnete Ausgabe des gewählten Replikats; folgt dem Ende, solange Sie nicht nach oben scrollen</translation>
    </message>
    <message>
        <source>Autoscaling: not reported</source>
        <translation>Automatische Skalierung: nicht gemeldet</translation>
    </message>
    <message>
        <source>Autoscaling: on, the autoscaler decides between %1 and %2 replicas</source>
        <translation>Automatische Skalierung: an, der Autoskalierer entscheidet zwischen %1 und %2 Replikaten</translation>
    </message>
    <message>
        <source>Autoscaling: overridden, the pool holds your manual count of %1</source>
        <translation>Automatische Skalierung: übersteuert, der Pool hält Ihre manuelle Anzahl von %1</translation>
    </message>
    <message>
        <source>Autoscaling: paused, the count stays until you resume</source>
        <translation>Automatische Skalierung: angehalten, die Anzahl bleibt, bis Sie fortsetzen</translation>
    </message>
    <message>
        <source>Autoscaling: off in the configuration</source>
        <translation>Automatische Skalierung: in der Konfiguration ausgeschaltet</translation>
    </message>
    <message>
        <source>Res&amp;ume autoscaling</source>
        <translation>Automatische Skalierung &amp;fortsetzen</translation>
    </message>
</context>
<context>
    <name>drover::ui::SecretField</name>
    <message>
        <source>Save to keychain</source>
        <translation>Im Schlüsselbund speichern</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Type a new value to replace it</source>
        <translation>Neuen Wert eingeben, um ihn zu ersetzen</translation>
    </message>
    <message>
        <source>The value goes to the OS keychain entry &apos;%1&apos; and is never shown again</source>
        <translation>Der Wert kommt in den Schlüsselbund-Eintrag &apos;%1&apos; und wird nie wieder angezeigt</translation>
    </message>
    <message>
        <source>Save %1</source>
        <translation>%1 speichern</translation>
    </message>
    <message>
        <source>Store the typed value in the OS keychain, replacing the current one</source>
        <translation>Den eingegebenen Wert im Schlüsselbund des Systems speichern und den bisherigen ersetzen</translation>
    </message>
    <message>
        <source>Clear %1</source>
        <translation>%1 löschen</translation>
    </message>
    <message>
        <source>Delete the entry from the OS keychain</source>
        <translation>Den Eintrag aus dem Schlüsselbund des Systems löschen</translation>
    </message>
    <message>
        <source>%1 state</source>
        <translation>Zustand von %1</translation>
    </message>
    <message>
        <source>checking the keychain…</source>
        <translation>Schlüsselbund wird geprüft…</translation>
    </message>
    <message>
        <source>talking to the keychain…</source>
        <translation>Schlüsselbund wird angesprochen…</translation>
    </message>
    <message>
        <source>set</source>
        <translation>gesetzt</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>nicht gesetzt</translation>
    </message>
    <message>
        <source>keychain unavailable</source>
        <translation>Schlüsselbund nicht verfügbar</translation>
    </message>
    <message>
        <source>No OS keychain is available (%1). The secret was not saved: Drover keeps secrets only in the keychain, never in a file. Start the desktop&apos;s keyring (Secret Service) or Windows Credential Manager and try again.</source>
        <translation>Kein Schlüsselbund des Systems verfügbar (%1). Das Geheimnis wurde nicht gespeichert: Drover bewahrt Geheimnisse nur im Schlüsselbund auf, nie in einer Datei. Starten Sie den Schlüsselbund des Desktops (Secret Service) oder die Windows-Anmeldeinformationsverwaltung und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>no answer</source>
        <translation>keine Antwort</translation>
    </message>
</context>
<context>
    <name>drover::ui::SettingsDialog</name>
    <message>
        <source>Provider API key</source>
        <translation>API-Schlüssel des Anbieters</translation>
    </message>
    <message>
        <source>Webhook URL (%1)</source>
        <translation>Webhook-URL (%1)</translation>
    </message>
    <message>
        <source>Show alert notifications</source>
        <translation>Alarmbenachrichtigungen anzeigen</translation>
    </message>
    <message>
        <source>Also when alerts resolve</source>
        <translation>Auch wenn Alarme behoben sind</translation>
    </message>
    <message>
        <source>Start Drover when I log in</source>
        <translation>Drover bei der Anmeldung starten</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Secrets (stored only in the OS keychain)</source>
        <translation>Geheimnisse (nur im Schlüsselbund des Systems gespeichert)</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>Benachrichtigungen</translation>
    </message>
    <message>
        <source>Tray toasts (or the in-window banner) when the engine&apos;s notification policy reports alerts</source>
        <translation>Meldungen im Infobereich (oder das Banner im Fenster), wenn die Benachrichtigungsregeln der Engine Alarme melden</translation>
    </message>
    <message>
        <source>Also tell me when an alert group resolves</source>
        <translation>Auch melden, wenn eine Alarmgruppe behoben ist</translation>
    </message>
    <message>
        <source>Appearance and start</source>
        <translation>Darstellung und Start</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>Wie das System</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Farbschema</translation>
    </message>
    <message>
        <source>Colours of the console; applied at once</source>
        <translation>Farben der Konsole; sofort angewendet</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Systemsprache</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>Language of the console; applied when Drover starts next time</source>
        <translation>Sprache der Konsole; wirksam beim nächsten Start von Drover</translation>
    </message>
    <message>
        <source>&amp;Theme:</source>
        <translation>&amp;Farbschema:</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Sprache:</translation>
    </message>
    <message>
        <source>A new language is applied after a restart.</source>
        <translation>Eine neue Sprache gilt nach einem Neustart.</translation>
    </message>
    <message>
        <source>Adds Drover to the programs started at login (%1)</source>
        <translation>Nimmt Drover in die bei der Anmeldung gestarteten Programme auf (%1)</translation>
    </message>
    <message>
        <source>Start at login</source>
        <translation>Start bei Anmeldung</translation>
    </message>
    <message>
        <source>Start at login could not be changed: %1</source>
        <translation>Start bei Anmeldung konnte nicht geändert werden: %1</translation>
    </message>
</context>
<context>
    <name>drover::ui::WorkView</name>
    <message>
        <source>Re&amp;queue</source>
        <translation>Erneut ein&amp;reihen</translation>
    </message>
    <message>
        <source>Dispatcher state</source>
        <translation>Zustand des Verteilers</translation>
    </message>
    <message>
        <source>Whether the dispatcher and its job intake endpoint are running</source>
        <translation>Ob der Verteiler und sein Auftragseingang laufen</translation>
    </message>
    <message>
        <source>Work per pool</source>
        <translation>Arbeit je Pool</translation>
    </message>
    <message>
        <source>Each pool&apos;s queue, deliveries in flight, waits and circuit breakers; hover the breakers for each replica</source>
        <translation>Warteschlange, laufende Zustellungen, Wartezeiten und Schutzschalter jedes Pools; mit der Maus über den Schutzschaltern steht jedes Replikat</translation>
    </message>
    <message>
        <source>Dead letter summary</source>
        <translation>Übersicht der unzustellbaren Aufträge</translation>
    </message>
    <message>
        <source>Dead letters</source>
        <translation>Unzustellbare Aufträge</translation>
    </message>
    <message>
        <source>Jobs the dispatcher gave up on, newest first; select one or more to requeue</source>
        <translation>Aufträge, die der Verteiler aufgegeben hat, die neuesten zuerst; einen oder mehrere zum erneuten Einreihen auswählen</translation>
    </message>
    <message>
        <source>Requeue dead letters</source>
        <translation>Unzustellbare Aufträge erneut einreihen</translation>
    </message>
    <message>
        <source>Put the selected dead letters back in their pool&apos;s queue (Ctrl+Shift+R); several at once ask first</source>
        <translation>Die gewählten unzustellbaren Aufträge wieder in die Warteschlange ihres Pools stellen (Strg+Umschalt+R); bei mehreren wird erst nachgefragt</translation>
    </message>
    <message>
        <source>Requeue result</source>
        <translation>Ergebnis des erneuten Einreihens</translation>
    </message>
    <message>
        <source>What became of the last requeue</source>
        <translation>Was aus dem letzten erneuten Einreihen wurde</translation>
    </message>
    <message numerus="yes">
        <source>Put %n job(s) back in their pools&apos; queues? Each is delivered again, and fails again if its cause remains.</source>
        <translation>
            <numerusform>%n Auftrag wieder in die Warteschlange seines Pools stellen? Er wird erneut zugestellt und schlägt erneut fehl, wenn die Ursache bleibt.</numerusform>
            <numerusform>%n Aufträge wieder in die Warteschlangen ihrer Pools stellen? Jeder wird erneut zugestellt und schlägt erneut fehl, wenn die Ursache bleibt.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Asked the engine to requeue %n job(s)…</source>
        <translation>
            <numerusform>Die Engine wurde gebeten, %n Auftrag erneut einzureihen…</numerusform>
            <numerusform>Die Engine wurde gebeten, %n Aufträge erneut einzureihen…</numerusform>
        </translation>
    </message>
    <message>
        <source>The engine refused to requeue: %1</source>
        <translation>Die Engine hat das erneute Einreihen abgelehnt: %1</translation>
    </message>
    <message>
        <source>Work distribution is off (dispatch.enabled in drover.yaml).</source>
        <translation>Die Arbeitsverteilung ist aus (dispatch.enabled in drover.yaml).</translation>
    </message>
    <message>
        <source>The dispatcher is not running: %1</source>
        <translation>Der Verteiler läuft nicht: %1</translation>
    </message>
    <message>
        <source>starting</source>
        <translation>startet</translation>
    </message>
    <message numerus="yes">
        <source>Dispatching to %n pool(s); jobs are taken at http://127.0.0.1:%1/v1/pools/&lt;pool&gt;/jobs</source>
        <translation>
            <numerusform>Verteilt an %n Pool; Aufträge werden unter http://127.0.0.1:%1/v1/pools/&lt;pool&gt;/jobs angenommen</numerusform>
            <numerusform>Verteilt an %n Pools; Aufträge werden unter http://127.0.0.1:%1/v1/pools/&lt;pool&gt;/jobs angenommen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Dispatching to %n pool(s); the job intake is not listening: %1</source>
        <translation>
            <numerusform>Verteilt an %n Pool; der Auftragseingang lauscht nicht: %1</numerusform>
            <numerusform>Verteilt an %n Pools; der Auftragseingang lauscht nicht: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Requeued: the job(s) are back in their pools&apos; queues.</source>
        <translation>Erneut eingereiht: die Aufträge sind wieder in den Warteschlangen ihrer Pools.</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>the newest %1 of %2</source>
        <translation>die neuesten %1 von %2</translation>
    </message>
    <message numerus="yes">
        <source>%n job(s)</source>
        <translation>
            <numerusform>%n Auftrag</numerusform>
            <numerusform>%n Aufträge</numerusform>
        </translation>
    </message>
    <message>
        <source>Re&amp;queue %1</source>
        <translation>%1 erneut ein&amp;reihen</translation>
    </message>
    <message>
        <source>Dead le&amp;tters</source>
        <translation>Un&amp;zustellbare Aufträge</translation>
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
    <message>
        <source>Start Drover at login (on) or not (off), then exit.</source>
        <translation>Drover bei der Anmeldung starten (on) oder nicht (off), dann beenden.</translation>
    </message>
    <message>
        <source>--autostart needs on or off, got &apos;%1&apos;</source>
        <translation>--autostart braucht on oder off, erhalten: &apos;%1&apos;</translation>
    </message>
    <message>
        <source>Drover starts at login (%1).</source>
        <translation>Drover startet bei der Anmeldung (%1).</translation>
    </message>
    <message>
        <source>Drover no longer starts at login (%1).</source>
        <translation>Drover startet nicht mehr bei der Anmeldung (%1).</translation>
    </message>
    <message>
        <source>Ask the running Drover to quit (it stops its agents) and wait until it has.</source>
        <translation>Das laufende Drover zum Beenden auffordern (es stoppt seine Agenten) und warten, bis es beendet ist.</translation>
    </message>
    <message>
        <source>Drover is already running: %1</source>
        <translation>Drover läuft bereits: %1</translation>
    </message>
    <message>
        <source>Drover did not quit within 120 s</source>
        <translation>Drover hat sich nicht binnen 120 s beendet</translation>
    </message>
    <message>
        <source>Drover has quit.</source>
        <translation>Drover wurde beendet.</translation>
    </message>
    <message>
        <source>single instance: %1</source>
        <translation>einzelne Instanz: %1</translation>
    </message>
    <message>
        <source>Drover is not running.</source>
        <translation>Drover läuft nicht.</translation>
    </message>
    <message>
        <source>Open on the tab &lt;name&gt;: dashboard, pools, alerts, bottlenecks, events, ... (for screenshots).</source>
        <translation>Auf dem Reiter &lt;name&gt; öffnen: dashboard, pools, alerts, bottlenecks, events, ... (für Bildschirmfotos).</translation>
    </message>
    <message>
        <source>--view: no tab named &apos;%1&apos; (tabs: %2)</source>
        <translation>--view: kein Reiter namens &apos;%1&apos; (Reiter: %2)</translation>
    </message>
</context>
</TS>
