<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>DroverAlerts</name>
    <message>
        <source>expected a series name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected a label name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected one of =, !=, =~, !~</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected a double-quoted value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unterminated quoted value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected &apos;,&apos; or &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a valid label name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>invalid regular expression &apos;%1&apos;: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unexpected text after the selector</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unexpected text after &apos;}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown placeholder %1 (use {{value}}, {{value|bytes}}, {{threshold}}, {{pool}} or {{labels.NAME}})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;{{&apos; without a closing &apos;}}&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the rule has no name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>another rule named &apos;%1&apos; has the same severity and labels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a valid series name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown series &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the threshold must be a number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;for&apos; must not be negative</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;keep_firing_for&apos; must not be negative</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;severity&apos; must be one of info, warning, high, critical, got &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>label &apos;%1&apos; is set by the rule itself</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;op&apos; must be one of &gt;, &lt;, &gt;=, &lt;=, got &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Job error rate at {{value}} % (above {{threshold}} %)</source>
        <translation>任务错误率为 {{value}}%（高于 {{threshold}}%）</translation>
    </message>
    <message>
        <source>{{value}} jobs waiting (more than {{threshold}})</source>
        <translation>{{value}} 个任务在等待（多于 {{threshold}}）</translation>
    </message>
    <message>
        <source>Memory use at {{value}} % (above {{threshold}} %)</source>
        <translation>内存使用率为 {{value}}%（高于 {{threshold}}%）</translation>
    </message>
    <message>
        <source>CPU at {{value}} % for 2 minutes (above {{threshold}} %)</source>
        <translation>CPU 持续 2 分钟为 {{value}}%（高于 {{threshold}}%）</translation>
    </message>
    <message>
        <source>Only {{value|bytes}} of disk space left</source>
        <translation>磁盘空间仅剩 {{value|bytes}}</translation>
    </message>
    <message>
        <source>Pool {{pool}} has no ready replica</source>
        <translation>池 {{pool}} 没有就绪的副本</translation>
    </message>
    <message>
        <source>The GPT provider answered insufficient_quota: GPT calls fail until credit is added or the provider key is changed</source>
        <translation>GPT 提供商返回 insufficient_quota：在充值或更换提供商密钥之前，GPT 调用都会失败</translation>
    </message>
</context>
<context>
    <name>DroverConfig</name>
    <message>
        <source>unknown key &apos;%1&apos; in %2 (expected one of: %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 must be a mapping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>missing required key &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; must be a string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; must not be empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; must be a number, got &apos;%2&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; must be between %2 and %3, got %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; must be a whole number, got &apos;%2&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; must be true or false, got &apos;%2&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; must be a duration such as 500ms, 30s, 2m, 1h or 7d, got &apos;%2&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; must be a list of strings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>items of &apos;%1&apos; must be strings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; must be a list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;mode&apos; must be http, tcp or process, got &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;policy&apos; must be always, on-failure or never, got &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;select&apos; must be max, min or disabled, got &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;type&apos; must be pods or percent, got &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;period&apos; must be between 1s and 30m</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a cron expression (minute hour day month weekday): %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown time zone &apos;%1&apos; (an IANA id such as Europe/Berlin)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;activation_metric&apos; must be queue_depth (the only metric observable at zero replicas), got &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown autoscale metric &apos;%1&apos; (expected one of: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown policy &apos;%1&apos; (not in &apos;policies&apos;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>schedule &apos;min&apos; (%1) is greater than the pool&apos;s max (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;scale_to_zero&apos; needs replicas.min 0 (it is %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fallback &apos;replicas&apos; (%1) must be between min (%2) and max (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>env values must be strings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;min&apos; (%1) is greater than &apos;max&apos; (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;initial&apos; (%1) must be between min (%2) and max (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown tier &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;retier&apos; must be live or restart, got &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>duplicate pool name &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(unnamed pool at line %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;op&apos; must be one of &gt;, &lt;, &gt;=, &lt;=, got &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;change&apos; must be a non-zero number of replicas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>alert &apos;%1&apos;: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;severity&apos; must be one of %1, got &apos;%2&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; must be a string such as &apos;severity=&quot;critical&quot;, pool=&quot;mail&quot;&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos;: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown receiver &apos;%1&apos; (not in &apos;notifications.receivers&apos;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; must be longer than 0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; must be a date and time such as 2026-12-24T18:00:00Z, got &apos;%2&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>duplicate receiver name &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;webhook&apos; needs &apos;url_secret&apos;: the keychain entry holding the URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;url_secret&apos; names a keychain entry, not the URL itself; store the URL in the OS keychain and name the entry here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>receiver &apos;%1&apos; has no channel (tray, banner, log or webhook)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>duplicate route name &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a silence needs at least one matcher</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;ends&apos; must be after &apos;starts&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>silence refused: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not valid YAML: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this Drover reads configuration version 1, the file says %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read the configuration: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the configuration file does not exist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read the configuration file: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the built-in default configuration is missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create the folder %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;upstream&apos; must be &quot;simulated&quot; or an http(s) base URL such as https://api.openai.com/v1, got &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;upstream&apos; must not carry credentials; store the provider key in the keychain as &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown tier &apos;%1&apos; in &apos;gateway.budgets&apos; (tiers: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>missing required key &apos;every&apos; (a duration such as 5m, or monthly)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;every&apos; must be at least 1s, got &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; must be run_once or skip, got &apos;%2&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>loop &apos;%1&apos; targets unknown pool &apos;%2&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;priority&apos; must be high, medium or low, got &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>payload field &apos;%1&apos; must be a number, true/false or text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a loop named &apos;%1&apos; is already defined</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;request_timeout&apos; must be at least 100ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown pool &apos;%1&apos; in &apos;dispatch.pools&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;balancer&apos; must be one of least_connections, round_robin, weighted_round_robin, consistent_hash, least_response_time, resource_based, got &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DroverNotifications</name>
    <message>
        <source>[resolved] %1: %2 (resolved after %3)</source>
        <translation>[已解决] %1：%2（%3 后解决）</translation>
    </message>
    <message>
        <source>[%1] %2: %3 (for %4)</source>
        <translation>[%1] %2：%3（持续 %4）</translation>
    </message>
    <message>
        <source>, acknowledged</source>
        <translation>，已确认</translation>
    </message>
    <message>
        <source>a silence needs at least one matcher</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at least one matcher must not match the empty value, or the silence would mute nearly every alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a silence must end after it starts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a silence needs its author</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(unnamed)</source>
        <translation>（未命名）</translation>
    </message>
    <message>
        <source>a route has no name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>route &apos;%1&apos; is defined twice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>route &apos;%1&apos; has no channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>route &apos;%1&apos;: &apos;group_wait&apos; must not be negative</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>route &apos;%1&apos;: &apos;group_interval&apos; must be positive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>route &apos;%1&apos;: &apos;repeat_interval&apos; must be positive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>route &apos;%1&apos;: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>inhibit rule %1 needs source and target matchers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>inhibit rule %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>[RESOLVED] %1</source>
        <translation>[已解决] %1</translation>
    </message>
    <message>
        <source>[FIRING:%1] %2</source>
        <translation>[触发中:%1] %2</translation>
    </message>
    <message numerus="yes">
        <source>... and %n more</source>
        <translation>
            <numerusform>... 以及另外 %n 条</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DroverReload</name>
    <message>
        <source>refused, the last good configuration keeps running: %1</source>
        <translation>已拒绝，上一次有效的配置继续运行：%1</translation>
    </message>
    <message>
        <source>added pools %1</source>
        <translation>已添加池 %1</translation>
    </message>
    <message>
        <source>removed pools %1</source>
        <translation>已移除池 %1</translation>
    </message>
    <message>
        <source>pool %1 changed (%2)</source>
        <translation>池 %1 已更改（%2）</translation>
    </message>
    <message>
        <source>: rolling restart</source>
        <translation>：滚动重启</translation>
    </message>
    <message>
        <source>: applies to replicas started from now on (restart the pool to apply it to all)</source>
        <translation>：适用于从现在起启动的副本（重启该池可应用到全部副本）</translation>
    </message>
    <message>
        <source>updated %1</source>
        <translation>已更新 %1</translation>
    </message>
    <message>
        <source>pools %1 keep their last good settings (errors in the file)</source>
        <translation>池 %1 保留其上一次有效的设置（文件中有错误）</translation>
    </message>
    <message>
        <source>%1 keep their previous good version (errors in the file)</source>
        <translation>%1 保留其上一个有效版本（文件中有错误）</translation>
    </message>
    <message>
        <source>%1 changed but take effect at the next start</source>
        <translation>%1 已更改，但在下次启动时生效</translation>
    </message>
    <message>
        <source>no changes</source>
        <translation>无更改</translation>
    </message>
    <message>
        <source>the file cannot be used</source>
        <translation>该文件无法使用</translation>
    </message>
    <message>
        <source>&apos;%1&apos; has errors: its previous good version stays in use</source>
        <translation>“%1”有错误：继续使用其上一个有效版本</translation>
    </message>
    <message>
        <source>&apos;storage&apos; has errors: its previous good version stays in use</source>
        <translation>“storage”有错误：继续使用其上一个有效版本</translation>
    </message>
    <message>
        <source>&apos;storage.path&apos; changed: the store moves at the next start of Drover</source>
        <translation>“storage.path”已更改：存储将在 Drover 下次启动时迁移</translation>
    </message>
    <message>
        <source>&apos;%1&apos; changed: listener ports and these settings take effect at the next start of Drover</source>
        <translation>“%1”已更改：监听端口及这些设置将在 Drover 下次启动时生效</translation>
    </message>
    <message>
        <source>pool &apos;%1&apos;: tier &apos;%2&apos; is not in use (the tiers section has errors); %3</source>
        <translation>池“%1”：等级“%2”未启用（tiers 部分有错误）；%3</translation>
    </message>
    <message>
        <source>the pool keeps its last good settings</source>
        <translation>该池保留其上一次有效的设置</translation>
    </message>
    <message>
        <source>the pool is not started</source>
        <translation>该池未启动</translation>
    </message>
    <message>
        <source>pool &apos;%1&apos; has errors: it keeps running on its last good settings</source>
        <translation>池“%1”有错误：它继续以上一次有效的设置运行</translation>
    </message>
</context>
<context>
    <name>SingleInstance</name>
    <message>
        <source>cannot listen on %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drover is running but does not answer on %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create the lock file %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create the mutex %1 (error %2)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>autostart</name>
    <message>
        <source>cannot remove %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create the folder %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write the registry value %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>drover::ui::AlertsModel</name>
    <message>
        <source>%1 (%2 s ago)</source>
        <translation>%1（%2 秒前）</translation>
    </message>
    <message>
        <source>%1 (%2 min ago)</source>
        <translation>%1（%2 分钟前）</translation>
    </message>
    <message>
        <source>%1 (%2 h ago)</source>
        <translation>%1（%2 小时前）</translation>
    </message>
    <message>
        <source>firing</source>
        <translation>触发中</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>待定</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>已解决</translation>
    </message>
    <message>
        <source>, acknowledged</source>
        <translation>，已确认</translation>
    </message>
    <message>
        <source>, silenced</source>
        <translation>，已静默</translation>
    </message>
    <message>
        <source>, inhibited</source>
        <translation>，已抑制</translation>
    </message>
    <message>
        <source>info</source>
        <translation>信息</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>high</source>
        <translation>高</translation>
    </message>
    <message>
        <source>critical</source>
        <translation>严重</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>告警</translation>
    </message>
    <message>
        <source>Pool</source>
        <translation>池</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>起始</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
</context>
<context>
    <name>drover::ui::AlertsView</name>
    <message>
        <source>&amp;Acknowledge</source>
        <translation>确认(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Silence</source>
        <translation>静默(&amp;S)</translation>
    </message>
    <message>
        <source>Open &amp;pool</source>
        <translation>打开池(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;End silence</source>
        <translation>结束静默(&amp;E)</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>告警</translation>
    </message>
    <message>
        <source>Firing and pending alerts, most urgent first, then the recently resolved</source>
        <translation>触发中和待定的告警，最紧急的在前，随后是最近解决的</translation>
    </message>
    <message>
        <source>Alert summary</source>
        <translation>告警摘要</translation>
    </message>
    <message>
        <source>Acknowledge the selected alert: it stays listed but is not repeated (Ctrl+K)</source>
        <translation>确认所选告警：它仍会列出，但不再重复通知 (Ctrl+K)</translation>
    </message>
    <message>
        <source>Acknowledge alert</source>
        <translation>确认告警</translation>
    </message>
    <message>
        <source>15 minutes</source>
        <translation>15 分钟</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>1 小时</translation>
    </message>
    <message>
        <source>4 hours</source>
        <translation>4 小时</translation>
    </message>
    <message>
        <source>24 hours</source>
        <translation>24 小时</translation>
    </message>
    <message>
        <source>7 days</source>
        <translation>7 天</translation>
    </message>
    <message>
        <source>Silence duration</source>
        <translation>静默时长</translation>
    </message>
    <message>
        <source>How long the silence mutes the selected alert</source>
        <translation>静默使所选告警保持静音的时长</translation>
    </message>
    <message>
        <source>Mute notifications for the selected alert (its name and pool) for the chosen time</source>
        <translation>在所选时间内静音所选告警（按名称和池）的通知</translation>
    </message>
    <message>
        <source>Silence alert</source>
        <translation>静默告警</translation>
    </message>
    <message>
        <source>Show the alert&apos;s pool in the Pools view</source>
        <translation>在“池”视图中显示该告警的池</translation>
    </message>
    <message>
        <source>Open the alert&apos;s pool</source>
        <translation>打开告警所属的池</translation>
    </message>
    <message>
        <source>Silence</source>
        <translation>静默</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>直到</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Active silences</source>
        <translation>生效中的静默</translation>
    </message>
    <message>
        <source>Silences in force; select one to end it early</source>
        <translation>正在生效的静默；选择一项可提前结束</translation>
    </message>
    <message>
        <source>End the selected silence now</source>
        <translation>立即结束所选静默</translation>
    </message>
    <message>
        <source>End silence</source>
        <translation>结束静默</translation>
    </message>
    <message>
        <source>for</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Silences</source>
        <translation>静默</translation>
    </message>
    <message>
        <source>silenced from the Alerts panel</source>
        <translation>从告警面板静默</translation>
    </message>
    <message>
        <source>No active alerts</source>
        <translation>没有活动告警</translation>
    </message>
    <message>
        <source>%1 firing, %2 pending</source>
        <translation>%1 个触发中，%2 个待定</translation>
    </message>
</context>
<context>
    <name>drover::ui::BottlenecksModel</name>
    <message>
        <source>(host)</source>
        <translation>（主机）</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>Finding</source>
        <translation>发现</translation>
    </message>
    <message>
        <source>Pool</source>
        <translation>池</translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation>置信度</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>起始</translation>
    </message>
</context>
<context>
    <name>drover::ui::BottlenecksView</name>
    <message>
        <source>A&amp;pply</source>
        <translation>应用(&amp;P)</translation>
    </message>
    <message>
        <source>Apply &amp;automatically</source>
        <translation>自动应用(&amp;A)</translation>
    </message>
    <message>
        <source>Bottleneck findings</source>
        <translation>瓶颈发现</translation>
    </message>
    <message>
        <source>What limits the fleet now, most severe first, with the detector&apos;s confidence</source>
        <translation>当前限制集群的因素，最严重的在前，附检测器的置信度</translation>
    </message>
    <message>
        <source>Finding summary</source>
        <translation>发现摘要</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>证据</translation>
    </message>
    <message>
        <source>The measurements that drove the finding</source>
        <translation>导致该发现的测量数据</translation>
    </message>
    <message>
        <source>Remediation</source>
        <translation>补救措施</translation>
    </message>
    <message>
        <source>Apply remediation</source>
        <translation>应用补救措施</translation>
    </message>
    <message>
        <source>Let the engine carry out the remediation for this finding now</source>
        <translation>让引擎立即执行此发现的补救措施</translation>
    </message>
    <message>
        <source>Apply this remediation automatically</source>
        <translation>自动应用此补救措施</translation>
    </message>
    <message>
        <source>The engine applies this kind of remediation by itself whenever it finds it</source>
        <translation>每当发现此类问题时，引擎会自行应用这种补救措施</translation>
    </message>
    <message>
        <source>Evidence:</source>
        <translation>证据：</translation>
    </message>
    <message>
        <source>Select a finding to see its evidence and remedy.</source>
        <translation>选择一个发现以查看其证据和补救措施。</translation>
    </message>
    <message>
        <source>No bottleneck found: nothing limits the fleet now.</source>
        <translation>未发现瓶颈：当前没有因素限制集群。</translation>
    </message>
    <message>
        <source>Remedy: none suggested</source>
        <translation>补救措施：无建议</translation>
    </message>
    <message>
        <source>Remedy: %1</source>
        <translation>补救措施：%1</translation>
    </message>
</context>
<context>
    <name>drover::ui::CapacityModel</name>
    <message>
        <source>Now</source>
        <translation>现在</translation>
    </message>
    <message numerus="yes">
        <source>In %n month(s)</source>
        <translation>
            <numerusform>%n 个月后</numerusform>
        </translation>
    </message>
    <message>
        <source>Replicas the pools with enough history need, summed</source>
        <translation>历史数据充足的各池所需副本数之和</translation>
    </message>
    <message>
        <source>Machines of the configured type, filled to 80 % of cores and memory</source>
        <translation>配置类型的机器数量，按核心和内存的 80% 填充</translation>
    </message>
    <message>
        <source>GPT tokens per day × 30.44 at the configured prices</source>
        <translation>每日 GPT 令牌数 × 30.44，按配置的价格计算</translation>
    </message>
    <message>
        <source>Machines × the configured monthly machine price</source>
        <translation>机器数 × 配置的每月机器价格</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间点</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Jobs/day</source>
        <translation>任务/天</translation>
    </message>
    <message>
        <source>Tokens/day</source>
        <translation>令牌/天</translation>
    </message>
    <message>
        <source>Replicas</source>
        <translation>副本</translation>
    </message>
    <message>
        <source>CPU cores</source>
        <translation>CPU 核心</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <source>Machines</source>
        <translation>机器</translation>
    </message>
    <message>
        <source>Tokens/month</source>
        <translation>令牌费用/月</translation>
    </message>
    <message>
        <source>Machines/month</source>
        <translation>机器费用/月</translation>
    </message>
    <message>
        <source>Total/month</source>
        <translation>合计/月</translation>
    </message>
</context>
<context>
    <name>drover::ui::CapacityView</name>
    <message>
        <source>&amp;Refresh plan</source>
        <translation>刷新计划(&amp;R)</translation>
    </message>
    <message>
        <source>Capacity plan state</source>
        <translation>容量计划状态</translation>
    </message>
    <message>
        <source>When the engine made the plan from the stored history</source>
        <translation>引擎根据存储的历史数据生成计划的时间</translation>
    </message>
    <message>
        <source>Capacity verdict</source>
        <translation>容量结论</translation>
    </message>
    <message>
        <source>The plan&apos;s verdict in one line</source>
        <translation>计划的一句话结论</translation>
    </message>
    <message>
        <source>Refresh capacity plan</source>
        <translation>刷新容量计划</translation>
    </message>
    <message>
        <source>Ask the engine for a new plan from the stored history now (%1); it makes one every minute anyway</source>
        <translation>立即请引擎根据存储的历史数据生成新计划 (%1)；引擎本身也每分钟生成一次</translation>
    </message>
    <message>
        <source>Replicas</source>
        <translation>副本</translation>
    </message>
    <message>
        <source>CPU cores</source>
        <translation>CPU 核心</translation>
    </message>
    <message>
        <source>Memory (GiB)</source>
        <translation>内存 (GiB)</translation>
    </message>
    <message>
        <source>What the fleet needs</source>
        <translation>集群所需资源</translation>
    </message>
    <message>
        <source>Months from now</source>
        <translation>距今月数</translation>
    </message>
    <message>
        <source>Capacity projection chart</source>
        <translation>容量预测图</translation>
    </message>
    <message>
        <source>Replicas, CPU cores and memory the fleet needs now and at 1, 3, 6 and 12 months</source>
        <translation>集群现在以及 1、3、6、12 个月后所需的副本、CPU 核心和内存</translation>
    </message>
    <message>
        <source>Capacity projections</source>
        <translation>容量预测</translation>
    </message>
    <message>
        <source>The fleet&apos;s needs and monthly cost now and at each horizon (pools with too little history are left out)</source>
        <translation>集群现在及各时间点的需求和每月成本（历史数据不足的池不计入）</translation>
    </message>
    <message>
        <source>Pool</source>
        <translation>池</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <source>Jobs trend</source>
        <translation>任务趋势</translation>
    </message>
    <message>
        <source>Tokens trend</source>
        <translation>令牌趋势</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Pool trends</source>
        <translation>池趋势</translation>
    </message>
    <message>
        <source>Each pool&apos;s growth trend and how much history it has</source>
        <translation>每个池的增长趋势及其历史数据量</translation>
    </message>
    <message>
        <source>Recommendations</source>
        <translation>建议</translation>
    </message>
    <message>
        <source>What to change, in plain words</source>
        <translation>需要调整的内容，以通俗语言说明</translation>
    </message>
    <message>
        <source>P&amp;ools</source>
        <translation>池(&amp;O)</translation>
    </message>
    <message>
        <source> – asked for a new plan…</source>
        <translation> – 已请求新计划…</translation>
    </message>
    <message>
        <source>No capacity plan yet: the engine makes one from the stored history within a minute of starting.</source>
        <translation>尚无容量计划：引擎启动后一分钟内会根据存储的历史数据生成。</translation>
    </message>
    <message>
        <source>Not enough history yet (as of %1).</source>
        <translation>历史数据尚不足（截至 %1）。</translation>
    </message>
    <message>
        <source>Plan as of %1, from the history up to %2.</source>
        <translation>计划生成于 %1，基于截至 %2 的历史数据。</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n 天</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 replica(s) in %n month(s)</source>
        <translation>
            <numerusform>%n 个月后需 %1 个副本</numerusform>
        </translation>
    </message>
    <message>
        <source> (above its max of %1)</source>
        <translation>（超过其上限 %1）</translation>
    </message>
    <message>
        <source>Pro&amp;jections</source>
        <translation>预测(&amp;J)</translation>
    </message>
    <message>
        <source>Recommendatio&amp;ns</source>
        <translation>建议(&amp;N)</translation>
    </message>
</context>
<context>
    <name>drover::ui::ConfigIssuesView</name>
    <message>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Configuration issues</source>
        <translation>配置问题</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>%1 could not be used. Drover runs with no pools until it is fixed.</source>
        <translation>%1 无法使用。在修复之前，Drover 将不运行任何池。</translation>
    </message>
    <message numerus="yes">
        <source>%1: no problems, %n pool(s) configured.</source>
        <translation>
            <numerusform>%1：没有问题，已配置 %n 个池。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1: %n problem(s). Refused pools: %2. The other pools run.</source>
        <translation>
            <numerusform>%1：%n 个问题。被拒绝的池：%2。其他池正常运行。</numerusform>
        </translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>&amp;Reload configuration</source>
        <translation>重新加载配置(&amp;R)</translation>
    </message>
    <message>
        <source>Read the configuration file again and apply what is valid (F5). A pool with errors keeps its last good settings; listener ports and the store path change at the next start.</source>
        <translation>重新读取配置文件并应用有效的部分 (F5)。有错误的池保留其上一次有效的设置；监听端口和存储路径在下次启动时生效。</translation>
    </message>
    <message>
        <source>Reload configuration</source>
        <translation>重新加载配置</translation>
    </message>
    <message>
        <source>Last configuration reload</source>
        <translation>上次配置重新加载</translation>
    </message>
    <message>
        <source>Not reloaded since Drover started. Saving the file reloads it.</source>
        <translation>自 Drover 启动以来未重新加载。保存文件即会重新加载。</translation>
    </message>
    <message>
        <source>on request</source>
        <translation>按请求</translation>
    </message>
    <message>
        <source>after the file changed</source>
        <translation>文件更改后</translation>
    </message>
    <message>
        <source>Last reload at %1 (%2): %3</source>
        <translation>上次重新加载于 %1（%2）：%3</translation>
    </message>
    <message>
        <source>Last reload at %1 (%2) was refused: %3</source>
        <translation>上次重新加载于 %1（%2）被拒绝：%3</translation>
    </message>
    <message>
        <source>Kept on their last good settings: %1.</source>
        <translation>保留上一次有效设置：%1。</translation>
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
        <translation>内存（机器；池：占其等级上限的比例）</translation>
    </message>
    <message>
        <source>Queue depth</source>
        <translation>队列深度</translation>
    </message>
    <message>
        <source>jobs</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>GPT tokens per second</source>
        <translation>每秒 GPT 令牌数</translation>
    </message>
    <message>
        <source>tokens/s</source>
        <translation>令牌/秒</translation>
    </message>
    <message>
        <source>Last 5 minutes</source>
        <translation>最近 5 分钟</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>最近 1 小时</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>最近 24 小时</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>最近 7 天</translation>
    </message>
    <message>
        <source>Time range</source>
        <translation>时间范围</translation>
    </message>
    <message>
        <source>How far back the charts reach: 5 minutes live from the engine, longer ranges from the store (Alt+R)</source>
        <translation>图表回溯的时间：5 分钟为引擎实时数据，更长范围来自存储 (Alt+R)</translation>
    </message>
    <message>
        <source>&amp;Range:</source>
        <translation>范围(&amp;R)：</translation>
    </message>
    <message>
        <source>Data source</source>
        <translation>数据来源</translation>
    </message>
    <message>
        <source>Where the charts&apos; data comes from and at which resolution</source>
        <translation>图表数据的来源及其分辨率</translation>
    </message>
    <message>
        <source>CPU chart</source>
        <translation>CPU 图表</translation>
    </message>
    <message>
        <source>Busy share of the machine&apos;s cores, and of each pool&apos;s tier cores</source>
        <translation>机器核心的繁忙比例，以及每个池等级核心的繁忙比例</translation>
    </message>
    <message>
        <source>Memory chart</source>
        <translation>内存图表</translation>
    </message>
    <message>
        <source>Memory in use on the machine, and each pool&apos;s share of its tier&apos;s memory</source>
        <translation>机器已用内存，以及每个池占其等级内存的比例</translation>
    </message>
    <message>
        <source>Queue depth chart</source>
        <translation>队列深度图表</translation>
    </message>
    <message>
        <source>Jobs waiting in each pool&apos;s agents</source>
        <translation>每个池的代理中等待的任务</translation>
    </message>
    <message>
        <source>GPT token rate chart</source>
        <translation>GPT 令牌速率图表</translation>
    </message>
    <message>
        <source>Prompt and completion tokens per second, per pool and in total; the dashed line is the tier budget (today&apos;s, on the longer ranges)</source>
        <translation>每秒提示和补全令牌数，按池及合计；虚线为等级预算（较长范围内为当天预算）</translation>
    </message>
    <message>
        <source>Live from the engine, 1 s resolution</source>
        <translation>引擎实时数据，1 秒分辨率</translation>
    </message>
    <message>
        <source>Machine</source>
        <translation>机器</translation>
    </message>
    <message>
        <source>%1 prompt</source>
        <translation>%1 提示</translation>
    </message>
    <message>
        <source>%1 completion</source>
        <translation>%1 补全</translation>
    </message>
    <message>
        <source>Total prompt</source>
        <translation>提示合计</translation>
    </message>
    <message>
        <source>Total completion</source>
        <translation>补全合计</translation>
    </message>
    <message>
        <source>Tier budget</source>
        <translation>等级预算</translation>
    </message>
    <message>
        <source>not applied: %1</source>
        <translation>未应用：%1</translation>
    </message>
    <message>
        <source>No store: only the last 5 minutes are kept</source>
        <translation>无存储：仅保留最近 5 分钟</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <source>Loading from the store…</source>
        <translation>正在从存储加载…</translation>
    </message>
    <message>
        <source>History unavailable: %1</source>
        <translation>历史数据不可用：%1</translation>
    </message>
    <message>
        <source>From the store, %1 resolution</source>
        <translation>来自存储，%1 分辨率</translation>
    </message>
</context>
<context>
    <name>drover::ui::DashboardChart</name>
    <message>
        <source>Scaling</source>
        <translation>扩缩容</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>告警</translation>
    </message>
    <message numerus="yes">
        <source>%n other line(s): lowest to highest</source>
        <translation>
            <numerusform>另外 %n 条曲线：从低到高</numerusform>
        </translation>
    </message>
    <message>
        <source>no data</source>
        <translation>无数据</translation>
    </message>
    <message numerus="yes">
        <source>… and %n more line(s)</source>
        <translation>
            <numerusform>… 以及另外 %n 条曲线</numerusform>
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
        <translation>池 %2 的任务 %1
原因：%3
最后错误：%4
尝试次数：%5</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>high</source>
        <translation>高</translation>
    </message>
    <message>
        <source>medium</source>
        <translation>中</translation>
    </message>
    <message>
        <source>low</source>
        <translation>低</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Pool</source>
        <translation>池</translation>
    </message>
    <message>
        <source>Loop</source>
        <translation>循环</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>尝试次数</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>最后错误</translation>
    </message>
    <message>
        <source>Queued at</source>
        <translation>入队时间</translation>
    </message>
    <message>
        <source>Given up at</source>
        <translation>放弃时间</translation>
    </message>
</context>
<context>
    <name>drover::ui::EventsModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Pool</source>
        <translation>池</translation>
    </message>
    <message>
        <source>Replica</source>
        <translation>副本</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>变化</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>drover::ui::EventsView</name>
    <message>
        <source>E&amp;xport CSV…</source>
        <translation>导出 CSV(&amp;X)…</translation>
    </message>
    <message>
        <source>Filter events (pool, kind, reason…)</source>
        <translation>筛选事件（池、类型、原因…）</translation>
    </message>
    <message>
        <source>Event filter</source>
        <translation>事件筛选</translation>
    </message>
    <message>
        <source>Show only events containing this text in any column</source>
        <translation>仅显示任一列包含此文本的事件</translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation>所有类型</translation>
    </message>
    <message>
        <source>Event kind filter</source>
        <translation>事件类型筛选</translation>
    </message>
    <message>
        <source>Show only events of this kind</source>
        <translation>仅显示此类型的事件</translation>
    </message>
    <message>
        <source>All pools</source>
        <translation>所有池</translation>
    </message>
    <message>
        <source>Event pool filter</source>
        <translation>事件池筛选</translation>
    </message>
    <message>
        <source>Show only events of this pool</source>
        <translation>仅显示此池的事件</translation>
    </message>
    <message>
        <source>Export events as CSV</source>
        <translation>将事件导出为 CSV</translation>
    </message>
    <message>
        <source>Save the events shown (with the filters applied) as a CSV file</source>
        <translation>将当前显示的事件（已应用筛选）保存为 CSV 文件</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>What happened and why, newest first</source>
        <translation>发生了什么以及原因，最新的在前</translation>
    </message>
    <message>
        <source>Export events</source>
        <translation>导出事件</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
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
        <translation>仪表板(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Pools</source>
        <translation>池(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Alerts</source>
        <translation>告警(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Bottlenecks</source>
        <translation>瓶颈(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Events</source>
        <translation>事件(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Configuration</source>
        <translation>配置(&amp;C)</translation>
    </message>
    <message>
        <source>Views</source>
        <translation>视图</translation>
    </message>
    <message>
        <source>Switch views with Ctrl+1 … Ctrl+9 or Ctrl+Tab</source>
        <translation>使用 Ctrl+1 … Ctrl+9 或 Ctrl+Tab 切换视图</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <source>Secrets, notifications, theme, language, start at login</source>
        <translation>密钥、通知、主题、语言、登录时启动</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Quit Drover; asks whether to stop the agents</source>
        <translation>退出 Drover；会询问是否停止代理</translation>
    </message>
    <message>
        <source>Busy share of all CPU cores over the last second</source>
        <translation>过去一秒所有 CPU 核心的繁忙比例</translation>
    </message>
    <message>
        <source>Memory in use (total minus available)</source>
        <translation>已用内存（总量减可用量）</translation>
    </message>
    <message>
        <source>Whether the engine is publishing fresh data</source>
        <translation>引擎是否在发布最新数据</translation>
    </message>
    <message>
        <source>Engine: starting</source>
        <translation>引擎：启动中</translation>
    </message>
    <message>
        <source>Ready replicas of all pools, and pools that need attention</source>
        <translation>所有池的就绪副本，以及需要关注的池</translation>
    </message>
    <message>
        <source>Quit Drover</source>
        <translation>退出 Drover</translation>
    </message>
    <message>
        <source>Stop the agents too?</source>
        <translation>同时停止代理吗？</translation>
    </message>
    <message>
        <source>Agents run only while Drover runs: quitting stops them. Keep Drover in the tray to leave them running.</source>
        <translation>代理仅在 Drover 运行时运行：退出会停止它们。让 Drover 留在托盘中即可让它们继续运行。</translation>
    </message>
    <message>
        <source>Agents run only while Drover runs: quitting stops them.</source>
        <translation>代理仅在 Drover 运行时运行：退出会停止它们。</translation>
    </message>
    <message>
        <source>&amp;Stop agents and quit</source>
        <translation>停止代理并退出(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Keep running in the tray</source>
        <translation>在托盘中继续运行(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;Pause all autoscaling</source>
        <translation>暂停所有自动伸缩(&amp;P)</translation>
    </message>
    <message>
        <source>Stop the autoscaler deciding for every pool; uncheck to resume</source>
        <translation>让自动伸缩器停止为所有池做决定；取消勾选即恢复</translation>
    </message>
    <message>
        <source>F&amp;leet</source>
        <translation>集群(&amp;L)</translation>
    </message>
    <message>
        <source>Open console</source>
        <translation>打开控制台</translation>
    </message>
    <message>
        <source>Drover keeps running</source>
        <translation>Drover 仍在运行</translation>
    </message>
    <message>
        <source>The agents are still supervised. Open the console from the tray icon; use Quit in its menu to stop.</source>
        <translation>代理仍在受监管。可从托盘图标打开控制台；使用其菜单中的“退出”来停止。</translation>
    </message>
    <message>
        <source>&amp;Bottlenecks (%1)</source>
        <translation>瓶颈(&amp;B) (%1)</translation>
    </message>
    <message>
        <source>&amp;Alerts (%1)</source>
        <translation>告警(&amp;A) (%1)</translation>
    </message>
    <message>
        <source>Replicas %1/%2 ready, %3 pool(s) need attention</source>
        <translation>副本 %1/%2 就绪，%3 个池需要关注</translation>
    </message>
    <message>
        <source>Replicas %1/%2 ready</source>
        <translation>副本 %1/%2 就绪</translation>
    </message>
    <message>
        <source>CPU %1 %</source>
        <translation>CPU %1 %</translation>
    </message>
    <message>
        <source>CPU measuring…</source>
        <translation>CPU 测量中…</translation>
    </message>
    <message>
        <source>Memory %1 of %2</source>
        <translation>内存 %1 / %2</translation>
    </message>
    <message>
        <source>Engine: live, updated %1</source>
        <translation>引擎：实时，更新于 %1</translation>
    </message>
    <message>
        <source>Command refused</source>
        <translation>命令被拒绝</translation>
    </message>
    <message>
        <source>Refused: %1</source>
        <translation>已拒绝：%1</translation>
    </message>
    <message>
        <source>Engine: STALE, no data for %1 s</source>
        <translation>引擎：数据过期，%1 秒无数据</translation>
    </message>
    <message>
        <source>&amp;Configuration (%1)</source>
        <translation>配置(&amp;C) (%1)</translation>
    </message>
    <message>
        <source>Configuration problems</source>
        <translation>配置问题</translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s) in %1; see the Configuration tab.</source>
        <translation>
            <numerusform>%1 中有 %n 个问题；请查看“配置”标签页。</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Work</source>
        <translation>工作(&amp;W)</translation>
    </message>
    <message>
        <source>Capacit&amp;y</source>
        <translation>容量(&amp;Y)</translation>
    </message>
</context>
<context>
    <name>drover::ui::NotificationBanner</name>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Dismiss notification</source>
        <translation>关闭通知</translation>
    </message>
    <message>
        <source>Notification</source>
        <translation>通知</translation>
    </message>
</context>
<context>
    <name>drover::ui::Notifier</name>
    <message>
        <source>Drover: no alerts firing</source>
        <translation>Drover：没有正在触发的告警</translation>
    </message>
    <message numerus="yes">
        <source>Drover: %n alert(s) firing, all acknowledged or silenced</source>
        <translation>
            <numerusform>Drover：%n 个告警正在触发，均已确认或静默</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Drover: %n alert(s) firing, worst %1; %2 need attention</source>
        <translation>
            <numerusform>Drover：%n 个告警正在触发，最严重为 %1；%2 个需要关注</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n new alert notification(s)</source>
        <translation>
            <numerusform>%n 条新告警通知</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 and %n more; see the Alerts tab.</source>
        <translation>
            <numerusform>%1 以及另外 %n 条；请查看“告警”标签页。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>drover::ui::PoolWorkModel</name>
    <message>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>闭合</translation>
    </message>
    <message>
        <source>open</source>
        <translation>断开</translation>
    </message>
    <message>
        <source>half-open</source>
        <translation>半开</translation>
    </message>
    <message>
        <source>no replicas</source>
        <translation>无副本</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 个%2</translation>
    </message>
    <message>
        <source>Replica %1: breaker %2, %3 consecutive failure(s), load %4 of %5, %6 delivered, %7 failed</source>
        <translation>副本 %1：熔断器%2，连续失败 %3 次，负载 %4/%5，已投递 %6，失败 %7</translation>
    </message>
    <message>
        <source>, trial at %1</source>
        <translation>，%1 试探</translation>
    </message>
    <message>
        <source> (not taking work now)</source>
        <translation>（当前不接收任务）</translation>
    </message>
    <message>
        <source>No replicas</source>
        <translation>无副本</translation>
    </message>
    <message>
        <source>Jobs waiting in Drover&apos;s queue for a replica</source>
        <translation>在 Drover 队列中等待副本的任务</translation>
    </message>
    <message>
        <source>Deliveries (POST /jobs) out now</source>
        <translation>正在进行的投递 (POST /jobs)</translation>
    </message>
    <message>
        <source>Drover&apos;s queue plus what the agents report waiting</source>
        <translation>Drover 队列加上代理报告的等待任务</translation>
    </message>
    <message>
        <source>How long the oldest waiting job has waited</source>
        <translation>最早的等待任务已等待的时间</translation>
    </message>
    <message>
        <source>95th percentile of the wait from queued to accepted by an agent</source>
        <translation>从入队到被代理接收的等待时间的第 95 百分位</translation>
    </message>
    <message>
        <source>95th percentile of the POST /jobs round trip</source>
        <translation>POST /jobs 往返时间的第 95 百分位</translation>
    </message>
    <message>
        <source>Jobs given up on; requeue them below</source>
        <translation>已放弃的任务；可在下方重新入队</translation>
    </message>
    <message numerus="yes">
        <source>GPT tokens per second through the gateway; %n request(s) refused by the tier budget</source>
        <translation>
            <numerusform>经网关的每秒 GPT 令牌数；%n 个请求因等级预算被拒绝</numerusform>
        </translation>
    </message>
    <message>
        <source>GPT tokens per second through the gateway</source>
        <translation>经网关的每秒 GPT 令牌数</translation>
    </message>
    <message>
        <source>429 answers from the GPT provider to this pool&apos;s requests (retries included). The provider asked this pool to wait until %1.</source>
        <translation>GPT 提供方对此池请求返回的 429 响应（含重试）。提供方要求此池等待至 %1。</translation>
    </message>
    <message>
        <source>429 answers from the GPT provider to this pool&apos;s requests (retries included)</source>
        <translation>GPT 提供方对此池请求返回的 429 响应（含重试）</translation>
    </message>
    <message>
        <source>%1, waiting</source>
        <translation>%1，等待中</translation>
    </message>
    <message>
        <source>Provider 429s</source>
        <translation>提供方 429</translation>
    </message>
    <message>
        <source>Pool</source>
        <translation>池</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>In flight</source>
        <translation>投递中</translation>
    </message>
    <message>
        <source>Queue depth</source>
        <translation>队列深度</translation>
    </message>
    <message>
        <source>Oldest wait</source>
        <translation>最长等待</translation>
    </message>
    <message>
        <source>Wait p95</source>
        <translation>等待 p95</translation>
    </message>
    <message>
        <source>Dispatch p95</source>
        <translation>投递 p95</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>已投递</translation>
    </message>
    <message>
        <source>Dead letters</source>
        <translation>死信</translation>
    </message>
    <message>
        <source>Tokens/s</source>
        <translation>令牌/秒</translation>
    </message>
    <message>
        <source>Circuit breakers</source>
        <translation>熔断器</translation>
    </message>
    <message>
        <source>Balancer</source>
        <translation>负载均衡</translation>
    </message>
</context>
<context>
    <name>drover::ui::PoolsModel</name>
    <message>
        <source>%1 (rolling restart)</source>
        <translation>%1（滚动重启）</translation>
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
        <translation>超出该等级的 CPU 配额</translation>
    </message>
    <message>
        <source>replica %1</source>
        <translation>副本 %1</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>无</translation>
    </message>
    <message>
        <source>pid %1, port %2</source>
        <translation>pid %1，端口 %2</translation>
    </message>
    <message>
        <source>Pool / replica</source>
        <translation>池 / 副本</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Ready / desired (min–max)</source>
        <translation>就绪 / 期望（最小–最大）</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>Restarts</source>
        <translation>重启次数</translation>
    </message>
    <message>
        <source>Uptime</source>
        <translation>运行时间</translation>
    </message>
    <message>
        <source>Process</source>
        <translation>进程</translation>
    </message>
    <message>
        <source>Limits</source>
        <translation>限制</translation>
    </message>
</context>
<context>
    <name>drover::ui::PoolsView</name>
    <message>
        <source>&amp;Scale</source>
        <translation>伸缩(&amp;S)</translation>
    </message>
    <message>
        <source>Change &amp;tier…</source>
        <translation>更改等级(&amp;T)…</translation>
    </message>
    <message>
        <source>&amp;Restart pool</source>
        <translation>重启池(&amp;R)</translation>
    </message>
    <message>
        <source>Restart re&amp;plica</source>
        <translation>重启副本(&amp;P)</translation>
    </message>
    <message>
        <source>St&amp;op replica</source>
        <translation>停止副本(&amp;O)</translation>
    </message>
    <message>
        <source>P&amp;ause autoscaling</source>
        <translation>暂停自动伸缩(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Hand back to the autoscaler</source>
        <translation>交还给自动伸缩器(&amp;H)</translation>
    </message>
    <message>
        <source>Pools and replicas</source>
        <translation>池与副本</translation>
    </message>
    <message>
        <source>Every pool and its replicas; select one to control it</source>
        <translation>所有池及其副本；选择一项进行控制</translation>
    </message>
    <message>
        <source>Desired replicas</source>
        <translation>期望副本数</translation>
    </message>
    <message>
        <source>How many replicas the selected pool should run (a manual scale; Ctrl++ and Ctrl+- scale by one)</source>
        <translation>所选池应运行的副本数（手动伸缩；Ctrl++ 和 Ctrl+- 每次增减一个）</translation>
    </message>
    <message>
        <source>Scale the selected pool to this many replicas (Ctrl+Enter)</source>
        <translation>将所选池伸缩到此副本数 (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Scale pool</source>
        <translation>伸缩池</translation>
    </message>
    <message>
        <source>Change tier</source>
        <translation>更改等级</translation>
    </message>
    <message>
        <source>Restart pool</source>
        <translation>重启池</translation>
    </message>
    <message>
        <source>Restart replica</source>
        <translation>重启副本</translation>
    </message>
    <message>
        <source>Stop replica</source>
        <translation>停止副本</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Resource tier for the selected pool</source>
        <translation>所选池的资源等级</translation>
    </message>
    <message>
        <source>Move the selected pool to the chosen tier (asks first)</source>
        <translation>将所选池移至选定等级（会先确认）</translation>
    </message>
    <message>
        <source>Rolling restart: each replica is replaced once its successor is ready (Ctrl+R)</source>
        <translation>滚动重启：每个副本在其继任者就绪后被替换 (Ctrl+R)</translation>
    </message>
    <message>
        <source>Stop the selected replica gracefully and start it again</source>
        <translation>优雅地停止所选副本并重新启动</translation>
    </message>
    <message>
        <source>Stop the selected replica; the pool&apos;s desired count drops by one</source>
        <translation>停止所选副本；池的期望数量减一</translation>
    </message>
    <message>
        <source>Autoscaling mode</source>
        <translation>自动伸缩模式</translation>
    </message>
    <message>
        <source>Who decides the selected pool&apos;s size: the autoscaler, the operator (manual), nobody (paused)</source>
        <translation>由谁决定所选池的规模：自动伸缩器、操作员（手动）或无人（已暂停）</translation>
    </message>
    <message>
        <source>Pause or resume autoscaling</source>
        <translation>暂停或恢复自动伸缩</translation>
    </message>
    <message>
        <source>Stop the autoscaler deciding for the selected pool, or let it decide again</source>
        <translation>让自动伸缩器停止为所选池做决定，或让它重新决定</translation>
    </message>
    <message>
        <source>Hand back to the autoscaler</source>
        <translation>交还给自动伸缩器</translation>
    </message>
    <message>
        <source>The pool runs your manual count; hand its size back to the autoscaler</source>
        <translation>该池按您的手动数量运行；将其规模交还给自动伸缩器</translation>
    </message>
    <message>
        <source>Filter the log…</source>
        <translation>筛选日志…</translation>
    </message>
    <message>
        <source>Log filter</source>
        <translation>日志筛选</translation>
    </message>
    <message>
        <source>Show only the log lines containing this text (Ctrl+F)</source>
        <translation>仅显示包含此文本的日志行 (Ctrl+F)</translation>
    </message>
    <message>
        <source>The selected replica&apos;s captured output; it follows the tail unless you scroll up</source>
        <translation>所选副本捕获的输出；除非向上滚动，否则会跟随最新内容</translation>
    </message>
    <message>
        <source>Replica log</source>
        <translation>副本日志</translation>
    </message>
    <message>
        <source>Replicas:</source>
        <translation>副本：</translation>
    </message>
    <message>
        <source>Loading the log of %1 replica %2…</source>
        <translation>正在加载 %1 副本 %2 的日志…</translation>
    </message>
    <message>
        <source>Select a replica to see its output.</source>
        <translation>选择一个副本以查看其输出。</translation>
    </message>
    <message>
        <source>%1: %2 of %3 ready, tier %4</source>
        <translation>%1：%3 个中 %2 个就绪，等级 %4</translation>
    </message>
    <message>
        <source>A rolling restart is running; change the tier when it is done</source>
        <translation>滚动重启正在进行；完成后再更改等级</translation>
    </message>
    <message>
        <source>Select a pool</source>
        <translation>选择一个池</translation>
    </message>
    <message>
        <source>No pools configured</source>
        <translation>未配置任何池</translation>
    </message>
    <message>
        <source>Autoscaling: not reported</source>
        <translation>自动伸缩：未报告</translation>
    </message>
    <message>
        <source>Autoscaling: on, the autoscaler decides between %1 and %2 replicas</source>
        <translation>自动伸缩：开启，自动伸缩器在 %1 到 %2 个副本之间决定</translation>
    </message>
    <message>
        <source>Autoscaling: overridden, the pool holds your manual count of %1</source>
        <translation>自动伸缩：已覆盖，池保持您手动设定的 %1 个</translation>
    </message>
    <message>
        <source>Autoscaling: paused, the count stays until you resume</source>
        <translation>自动伸缩：已暂停，数量保持不变直到您恢复</translation>
    </message>
    <message>
        <source>Autoscaling: off in the configuration</source>
        <translation>自动伸缩：配置中已关闭</translation>
    </message>
    <message>
        <source>Res&amp;ume autoscaling</source>
        <translation>恢复自动伸缩(&amp;U)</translation>
    </message>
    <message numerus="yes">
        <source>The new CPU and memory limits are applied to the %n running replica(s) without a restart, where the operating system allows it; otherwise the replicas are restarted one at a time.</source>
        <translation>
            <numerusform>在操作系统允许的情况下，新的 CPU 和内存限制将直接应用于 %n 个运行中的副本而无需重启；否则副本将逐个重启。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The %n replica(s) are restarted one at a time (rolling restart); the pool keeps its ready replicas while each is replaced.</source>
        <translation>
            <numerusform>%n 个副本将逐个重启（滚动重启）；替换期间池会保留其就绪副本。</numerusform>
        </translation>
    </message>
    <message>
        <source>Move pool %1 from tier %2 to %3?

%4</source>
        <translation>将池 %1 从等级 %2 移到 %3？

%4</translation>
    </message>
    <message>
        <source>No output from %1 replica %2 yet.</source>
        <translation>%1 副本 %2 尚无输出。</translation>
    </message>
</context>
<context>
    <name>drover::ui::SecretField</name>
    <message>
        <source>Save to keychain</source>
        <translation>保存到钥匙串</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Type a new value to replace it</source>
        <translation>输入新值以替换</translation>
    </message>
    <message>
        <source>The value goes to the OS keychain entry &apos;%1&apos; and is never shown again</source>
        <translation>该值将存入系统钥匙串条目 &apos;%1&apos;，且不会再次显示</translation>
    </message>
    <message>
        <source>Save %1</source>
        <translation>保存 %1</translation>
    </message>
    <message>
        <source>Store the typed value in the OS keychain, replacing the current one</source>
        <translation>将输入的值存入系统钥匙串，替换当前值</translation>
    </message>
    <message>
        <source>Clear %1</source>
        <translation>清除 %1</translation>
    </message>
    <message>
        <source>Delete the entry from the OS keychain</source>
        <translation>从系统钥匙串中删除该条目</translation>
    </message>
    <message>
        <source>%1 state</source>
        <translation>%1 状态</translation>
    </message>
    <message>
        <source>checking the keychain…</source>
        <translation>正在检查钥匙串…</translation>
    </message>
    <message>
        <source>talking to the keychain…</source>
        <translation>正在访问钥匙串…</translation>
    </message>
    <message>
        <source>set</source>
        <translation>已设置</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>未设置</translation>
    </message>
    <message>
        <source>keychain unavailable</source>
        <translation>钥匙串不可用</translation>
    </message>
    <message>
        <source>No OS keychain is available (%1). The secret was not saved: Drover keeps secrets only in the keychain, never in a file. Start the desktop&apos;s keyring (Secret Service) or Windows Credential Manager and try again.</source>
        <translation>没有可用的系统钥匙串（%1）。密钥未保存：Drover 只将密钥保存在钥匙串中，绝不写入文件。请启动桌面的密钥环（Secret Service）或 Windows 凭据管理器后重试。</translation>
    </message>
    <message>
        <source>no answer</source>
        <translation>无响应</translation>
    </message>
</context>
<context>
    <name>drover::ui::SettingsDialog</name>
    <message>
        <source>Provider API key</source>
        <translation>提供商 API 密钥</translation>
    </message>
    <message>
        <source>Webhook URL (%1)</source>
        <translation>Webhook URL（%1）</translation>
    </message>
    <message>
        <source>Show alert notifications</source>
        <translation>显示告警通知</translation>
    </message>
    <message>
        <source>Also when alerts resolve</source>
        <translation>告警解决时也通知</translation>
    </message>
    <message>
        <source>Start Drover when I log in</source>
        <translation>登录时启动 Drover</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Secrets (stored only in the OS keychain)</source>
        <translation>密钥（仅保存在系统钥匙串中）</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>通知</translation>
    </message>
    <message>
        <source>Tray toasts (or the in-window banner) when the engine&apos;s notification policy reports alerts</source>
        <translation>当引擎的通知策略报告告警时显示托盘通知（或窗口内横幅）</translation>
    </message>
    <message>
        <source>Also tell me when an alert group resolves</source>
        <translation>告警组解决时也通知我</translation>
    </message>
    <message>
        <source>Appearance and start</source>
        <translation>外观与启动</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Colours of the console; applied at once</source>
        <translation>控制台的配色；立即生效</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>系统语言</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Language of the console; applied when Drover starts next time</source>
        <translation>控制台的语言；下次启动 Drover 时生效</translation>
    </message>
    <message>
        <source>&amp;Theme:</source>
        <translation>主题(&amp;T)：</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <source>A new language is applied after a restart.</source>
        <translation>新语言将在重启后生效。</translation>
    </message>
    <message>
        <source>Adds Drover to the programs started at login (%1)</source>
        <translation>将 Drover 添加到登录时启动的程序（%1）</translation>
    </message>
    <message>
        <source>Start at login</source>
        <translation>登录时启动</translation>
    </message>
    <message>
        <source>Start at login could not be changed: %1</source>
        <translation>无法更改登录时启动：%1</translation>
    </message>
</context>
<context>
    <name>drover::ui::WorkView</name>
    <message>
        <source>Re&amp;queue</source>
        <translation>重新入队(&amp;Q)</translation>
    </message>
    <message>
        <source>Dispatcher state</source>
        <translation>分发器状态</translation>
    </message>
    <message>
        <source>Whether the dispatcher and its job intake endpoint are running</source>
        <translation>分发器及其任务接收端点是否在运行</translation>
    </message>
    <message>
        <source>Work per pool</source>
        <translation>各池工作情况</translation>
    </message>
    <message>
        <source>Each pool&apos;s queue, deliveries in flight, waits and circuit breakers; hover the breakers for each replica</source>
        <translation>每个池的队列、投递中任务、等待时间和熔断器；将鼠标悬停在熔断器上可查看每个副本</translation>
    </message>
    <message>
        <source>Dead letter summary</source>
        <translation>死信摘要</translation>
    </message>
    <message>
        <source>Dead letters</source>
        <translation>死信</translation>
    </message>
    <message>
        <source>Jobs the dispatcher gave up on, newest first; select one or more to requeue</source>
        <translation>分发器已放弃的任务，最新的在前；选择一个或多个以重新入队</translation>
    </message>
    <message>
        <source>Requeue dead letters</source>
        <translation>重新入队死信</translation>
    </message>
    <message>
        <source>Put the selected dead letters back in their pool&apos;s queue (Ctrl+Shift+R); several at once ask first</source>
        <translation>将所选死信放回其池的队列 (Ctrl+Shift+R)；一次多个时会先询问</translation>
    </message>
    <message>
        <source>Requeue result</source>
        <translation>重新入队结果</translation>
    </message>
    <message>
        <source>What became of the last requeue</source>
        <translation>上一次重新入队的结果</translation>
    </message>
    <message numerus="yes">
        <source>Put %n job(s) back in their pools&apos; queues? Each is delivered again, and fails again if its cause remains.</source>
        <translation>
            <numerusform>将 %n 个任务放回其池的队列？每个任务都会再次投递，若原因仍在则会再次失败。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Asked the engine to requeue %n job(s)…</source>
        <translation>
            <numerusform>已请求引擎重新入队 %n 个任务…</numerusform>
        </translation>
    </message>
    <message>
        <source>The engine refused to requeue: %1</source>
        <translation>引擎拒绝重新入队：%1</translation>
    </message>
    <message>
        <source>Work distribution is off (dispatch.enabled in drover.yaml).</source>
        <translation>工作分发已关闭（drover.yaml 中的 dispatch.enabled）。</translation>
    </message>
    <message>
        <source>The dispatcher is not running: %1</source>
        <translation>分发器未运行：%1</translation>
    </message>
    <message>
        <source>starting</source>
        <translation>正在启动</translation>
    </message>
    <message numerus="yes">
        <source>Dispatching to %n pool(s); jobs are taken at http://127.0.0.1:%1/v1/pools/&lt;pool&gt;/jobs</source>
        <translation>
            <numerusform>正在向 %n 个池分发；任务接收地址为 http://127.0.0.1:%1/v1/pools/&lt;pool&gt;/jobs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Dispatching to %n pool(s); the job intake is not listening: %1</source>
        <translation>
            <numerusform>正在向 %n 个池分发；任务接收端点未监听：%1</numerusform>
        </translation>
    </message>
    <message>
        <source>Requeued: the job(s) are back in their pools&apos; queues.</source>
        <translation>已重新入队：任务已回到其池的队列。</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>the newest %1 of %2</source>
        <translation>%2 个中最新的 %1 个</translation>
    </message>
    <message numerus="yes">
        <source>%n job(s)</source>
        <translation>
            <numerusform>%n 个任务</numerusform>
        </translation>
    </message>
    <message>
        <source>Re&amp;queue %1</source>
        <translation>重新入队 %1 个(&amp;Q)</translation>
    </message>
    <message>
        <source>Dead le&amp;tters</source>
        <translation>死信(&amp;T)</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>refused pools: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drover: operations console for a fleet of local AI agent processes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the configuration from &lt;path&gt; instead of %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the configuration, print its problems and exit (status 1 when it has errors).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit after &lt;ms&gt; milliseconds (for tests and screenshots).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User interface language, e.g. de (default: the system&apos;s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start Drover at login (on) or not (off), then exit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--autostart needs on or off, got &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drover starts at login (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drover no longer starts at login (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1: OK, %n pool(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>--quit-after needs a positive number of milliseconds, got &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>operator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask the running Drover to quit (it stops its agents) and wait until it has.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drover is already running: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drover did not quit within 120 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drover has quit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>single instance: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drover is not running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open on the tab &lt;name&gt;: dashboard, pools, alerts, bottlenecks, events, ... (for screenshots).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--view: no tab named &apos;%1&apos; (tabs: %2)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
