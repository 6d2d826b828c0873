-- The state store as the last release before versioned migrations (commit 1840441) wrote it: every table
-- of that release, with rows from a short session (help, status, a destroy awaiting confirmation, a lock,
-- two events, an alert). Dumped with the sqlite3 shell's .dump; tests load it to check that such a
-- database is adopted in place with nothing lost.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    environment TEXT NOT NULL,
    verb TEXT NOT NULL,
    arguments TEXT NOT NULL,
    requester_id TEXT NOT NULL,
    requester_name TEXT NOT NULL,
    platform TEXT NOT NULL,
    channel TEXT NOT NULL,
    status TEXT NOT NULL,
    steps TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    started_at INTEGER NULL,
    ended_at INTEGER NULL,
    fencing_token INTEGER NULL,
    result TEXT NULL,
    output_tail TEXT NOT NULL DEFAULT '[]', approved_by TEXT NULL);
INSERT INTO runs VALUES(1,'prod','destroy','{}','webchat:alice','alice','webchat','ops','awaiting-confirmation','[{"Name":"Stop web1","State":0,"Detail":null,"StartedAt":null,"EndedAt":null},{"Name":"Stop web2","State":0,"Detail":null,"StartedAt":null,"EndedAt":null},{"Name":"Remove working directories","State":0,"Detail":null,"StartedAt":null,"EndedAt":null},{"Name":"Update the load balancer","State":0,"Detail":null,"StartedAt":null,"EndedAt":null}]',1796590573364,NULL,NULL,NULL,NULL,'[]',NULL);
CREATE TABLE leases (
    environment TEXT PRIMARY KEY,
    run_id INTEGER NOT NULL,
    holder_name TEXT NOT NULL,
    verb TEXT NOT NULL,
    token INTEGER NOT NULL,
    acquired_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL);
CREATE TABLE fencing (environment TEXT PRIMARY KEY, last_token INTEGER NOT NULL);
CREATE TABLE environment_locks (
    environment TEXT PRIMARY KEY,
    holder_id TEXT NOT NULL,
    holder_name TEXT NOT NULL,
    reason TEXT NULL,
    acquired_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL);
INSERT INTO environment_locks VALUES('test','webchat:bob','bob','deploying',1796590573521,1796619373521);
CREATE TABLE run_observed (run_id INTEGER PRIMARY KEY, observed_at INTEGER NOT NULL);
CREATE TABLE decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    verb TEXT NOT NULL,
    environment TEXT NOT NULL,
    requester_id TEXT NOT NULL,
    requester_name TEXT NOT NULL,
    approver_role TEXT NULL,
    preview TEXT NOT NULL,
    status TEXT NOT NULL,
    answered_by TEXT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    platform TEXT NOT NULL,
    channel TEXT NOT NULL);
INSERT INTO decisions VALUES(1,1,'confirm','destroy','prod','webchat:alice','alice','ops','Will stop web1 (stopped), web2 (stopped) and delete their working directories. This cannot be undone.','pending',NULL,1796590573482,1796590873482,'webchat','ops');
CREATE TABLE clarifications (conversation TEXT PRIMARY KEY, text TEXT NOT NULL, expires_at INTEGER NOT NULL);
CREATE TABLE command_offers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    reply_key TEXT NOT NULL,
    platform TEXT NOT NULL,
    channel TEXT NOT NULL,
    principal_id TEXT NOT NULL,
    principal_name TEXT NOT NULL,
    text TEXT NOT NULL,
    question TEXT NULL,
    message TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    used INTEGER NOT NULL);
CREATE TABLE audit (
    seq INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor_id TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    environment TEXT NULL,
    run_id INTEGER NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL);
INSERT INTO audit VALUES(1,1796590573401,'webchat:alice','alice','requested','prod',1,'destroy : Will stop web1 (stopped), web2 (stopped) and delete their working directories. This cannot be undone.','0000000000000000000000000000000000000000000000000000000000000000','7b1d4fd6f239fccfa4fd3146960fbc331388a512d83c318308c8c3d7d4c71d81');
INSERT INTO audit VALUES(2,1796590573562,'webchat:bob','bob','locked','test',NULL,'deploying','7b1d4fd6f239fccfa4fd3146960fbc331388a512d83c318308c8c3d7d4c71d81','05e609af78a253bebc7afa1df51d3772449dd6d055152efde60f9ea1625e21dc');
CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), count INTEGER NOT NULL, hash TEXT NOT NULL);
INSERT INTO audit_head VALUES(1,2,'05e609af78a253bebc7afa1df51d3772449dd6d055152efde60f9ea1625e21dc');
CREATE TABLE webchat_messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    channel TEXT NOT NULL,
    user TEXT NOT NULL,
    text TEXT NOT NULL,
    buttons TEXT NOT NULL,
    context TEXT NOT NULL,
    image BLOB NULL,
    image_alt TEXT NULL,
    thread_of INTEGER NULL,
    version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL, visible_to TEXT NULL);
INSERT INTO webchat_messages VALUES(1,'ops','alice','help','[]','[]',NULL,NULL,NULL,1,1796590572840,1796590572840,NULL);
INSERT INTO webchat_messages VALUES(2,'ops','alice','/env status dev','[]','[]',NULL,NULL,NULL,1,1796590573034,1796590573034,NULL);
INSERT INTO webchat_messages VALUES(3,'ops','bot',replace('Here is what you can ask me:\n• `/env list` — Show every environment and its state.\n• `/env status <env>` — Show nodes, health, version, the current run and lock.\n• `/env up <env>` — Start every node and wait until it is healthy.\n• `/env provision <env> [version=…]` — Deploy a version and restart the nodes with it.\n• `/env halt <env>` — Stop every node, keeping their files.\n• `/env destroy <env>` — Stop every node and remove its working directory.\n• `/env balance <env> [node=weight …]` — Set load-balancer weights per node; no weights means even.\n• `/env sorry <env> on|off [message=…]` — Serve the sorry page instead of the nodes, or stop serving it.\n• `/env history <env>` — Show recent runs: who, what, when and the result.\n• `/env lock <env> [reason]` — Hold an environment for yourself: others'' runs are refused until you unlock it.\n• `/env unlock <env>` — Release your lock (ops can break someone else''s).\n• `/env cancel <env>` — Cancel the run in progress.\n• `/pulse` — Post every KPI''s pulse to the pulse channels now.\n• `/alert list` — Show open alerts.\n• `/alert ack <id>` — Acknowledge an alert: every copy of its message says who, and escalation stops.\n• `/alert resolve <id>` — Resolve an alert.\n• `/alert mute <matcher> <duration>` — Silence matching alerts for a while, visibly in the alert channels.\nYou can also just say it: `bring up test`, `@bot halt dev`, `put prod in sorry mode`. `help <verb>` shows examples.','\n',char(10)),'[]','[]',NULL,NULL,NULL,1,1796590573091,1796590573091,'alice');
INSERT INTO webchat_messages VALUES(4,'ops','bot',replace('*dev* is unknown (Local provider)\n• web1: stopped\n• web2: stopped\nLoad balancer (front not running):','\n',char(10)),'[]','[]',NULL,NULL,NULL,1,1796590573217,1796590573217,NULL);
INSERT INTO webchat_messages VALUES(5,'ops','alice','/env destroy prod','[]','[]',NULL,NULL,NULL,1,1796590573290,1796590573290,NULL);
INSERT INTO webchat_messages VALUES(6,'ops','bob','/env lock test deploying','[]','[]',NULL,NULL,NULL,1,1796590573507,1796590573507,NULL);
INSERT INTO webchat_messages VALUES(7,'ops','bot',replace('❓ *alice*, confirm destroying prod?\nWill stop web1 (stopped), web2 (stopped) and delete their working directories. This cannot be undone.\nPress Confirm or type `prod` within 5 minutes.','\n',char(10)),'[{"ActionId":"confirm:1","Label":"Confirm","Style":"danger"},{"ActionId":"cancel:1","Label":"Cancel","Style":"default"}]','["run 1 \u00B7 only alice can confirm"]',NULL,NULL,NULL,1,1796590573588,1796590573588,NULL);
INSERT INTO webchat_messages VALUES(8,'ops','bot','🔒 *test* is yours for 8 hours: deploying. Others'' runs are refused until you `/env unlock test`.','[]','[]',NULL,NULL,NULL,1,1796590573597,1796590573597,NULL);
INSERT INTO webchat_messages VALUES(9,'alerts','bot','🔴 *[CRITICAL] Disk almost full* — firing','[{"ActionId":"alert-ack:1","Label":"Acknowledge","Style":"primary"},{"ActionId":"alert-resolve:1","Label":"Resolve","Style":"default"},{"ActionId":"alert-mute:1","Label":"Mute","Style":"default"}]','["#1 \u00B7 started \u003Ctime:1796590573|2026-12-06 20:56 UTC\u003E \u00B7 webhook","Labels: env=prod"]',NULL,NULL,NULL,1,1796590573751,1796590573751,NULL);
CREATE TABLE webchat_delivery_keys (
    delivery_key TEXT PRIMARY KEY,
    seq INTEGER NOT NULL UNIQUE);
INSERT INTO webchat_delivery_keys VALUES('reply:webchat:m1-0a21592feff40f99adf905fe',3);
INSERT INTO webchat_delivery_keys VALUES('reply:webchat:m2-fab71ef5fd89e747e4280766',4);
INSERT INTO webchat_delivery_keys VALUES('run:1',7);
INSERT INTO webchat_delivery_keys VALUES('reply:webchat:m6-74a4651c328c9e998e5c1350',8);
INSERT INTO webchat_delivery_keys VALUES('alert:disk-1:fired-1:webchat:alerts',9);
CREATE TABLE webchat_id_key (id INTEGER PRIMARY KEY CHECK (id = 1), key BLOB NOT NULL);
INSERT INTO webchat_id_key VALUES(1,X'75ad2ec708646e469f24291e6793e356310c4aeb6e83b211aadc52a02865dfc3');
CREATE TABLE chat_outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    platform TEXT NOT NULL,
    channel TEXT NOT NULL,
    message TEXT NOT NULL,
    thread_of_key TEXT NULL,
    digest_noun TEXT NULL,
    is_digest INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    queued_at INTEGER NOT NULL,
    due_at INTEGER NOT NULL,
    lease_until INTEGER NULL,
    claim_token TEXT NULL,
    attempted_at INTEGER NULL,
    message_id TEXT NULL,
    digested_into TEXT NULL,
    error TEXT NULL,
    sent_at INTEGER NULL);
INSERT INTO chat_outbox VALUES(1,'reply:webchat:m1-0a21592feff40f99adf905fe','webchat','ops','{"text":"Here is what you can ask me:\n\u2022 \u0060/env list\u0060 \u2014 Show every environment and its state.\n\u2022 \u0060/env status \u003Cenv\u003E\u0060 \u2014 Show nodes, health, version, the current run and lock.\n\u2022 \u0060/env up \u003Cenv\u003E\u0060 \u2014 Start every node and wait until it is healthy.\n\u2022 \u0060/env provision \u003Cenv\u003E [version=\u2026]\u0060 \u2014 Deploy a version and restart the nodes with it.\n\u2022 \u0060/env halt \u003Cenv\u003E\u0060 \u2014 Stop every node, keeping their files.\n\u2022 \u0060/env destroy \u003Cenv\u003E\u0060 \u2014 Stop every node and remove its working directory.\n\u2022 \u0060/env balance \u003Cenv\u003E [node=weight \u2026]\u0060 \u2014 Set load-balancer weights per node; no weights means even.\n\u2022 \u0060/env sorry \u003Cenv\u003E on|off [message=\u2026]\u0060 \u2014 Serve the sorry page instead of the nodes, or stop serving it.\n\u2022 \u0060/env history \u003Cenv\u003E\u0060 \u2014 Show recent runs: who, what, when and the result.\n\u2022 \u0060/env lock \u003Cenv\u003E [reason]\u0060 \u2014 Hold an environment for yourself: others\u0027 runs are refused until you unlock it.\n\u2022 \u0060/env unlock \u003Cenv\u003E\u0060 \u2014 Release your lock (ops can break someone else\u0027s).\n\u2022 \u0060/env cancel \u003Cenv\u003E\u0060 \u2014 Cancel the run in progress.\n\u2022 \u0060/pulse\u0060 \u2014 Post every KPI\u0027s pulse to the pulse channels now.\n\u2022 \u0060/alert list\u0060 \u2014 Show open alerts.\n\u2022 \u0060/alert ack \u003Cid\u003E\u0060 \u2014 Acknowledge an alert: every copy of its message says who, and escalation stops.\n\u2022 \u0060/alert resolve \u003Cid\u003E\u0060 \u2014 Resolve an alert.\n\u2022 \u0060/alert mute \u003Cmatcher\u003E \u003Cduration\u003E\u0060 \u2014 Silence matching alerts for a while, visibly in the alert channels.\nYou can also just say it: \u0060bring up test\u0060, \u0060@bot halt dev\u0060, \u0060put prod in sorry mode\u0060. \u0060help \u003Cverb\u003E\u0060 shows examples.","buttons":[],"context":[],"image":null,"visibleTo":"alice"}',NULL,NULL,0,'sent',1,1796590572951,1796590572951,NULL,NULL,1796590573039,'m3-8802ecf5074c806c8af55c48',NULL,NULL,1796590573183);
INSERT INTO chat_outbox VALUES(2,'reply:webchat:m2-fab71ef5fd89e747e4280766','webchat','ops','{"text":"*dev* is unknown (Local provider)\n\u2022 web1: stopped\n\u2022 web2: stopped\nLoad balancer (front not running):","buttons":[],"context":[],"image":null,"visibleTo":null}',NULL,NULL,0,'sent',1,1796590573215,1796590573215,NULL,NULL,1796590573216,'m4-4857ba48d1ff43f2d3d5b7ae',NULL,NULL,1796590573217);
INSERT INTO chat_outbox VALUES(3,'run:1','webchat','ops','{"text":"\u2753 *alice*, confirm destroying prod?\nWill stop web1 (stopped), web2 (stopped) and delete their working directories. This cannot be undone.\nPress Confirm or type \u0060prod\u0060 within 5 minutes.","buttons":[{"actionId":"confirm:1","label":"Confirm","style":2},{"actionId":"cancel:1","label":"Cancel","style":0}],"context":["run 1 \u00B7 only alice can confirm"],"image":null,"visibleTo":null}',NULL,NULL,0,'sent',1,1796590573569,1796590573569,NULL,NULL,1796590573579,'m7-29b29ae1ba8fb61cd00f831e',NULL,NULL,1796590573589);
INSERT INTO chat_outbox VALUES(4,'reply:webchat:m6-74a4651c328c9e998e5c1350','webchat','ops','{"text":"\uD83D\uDD12 *test* is yours for 8 hours: deploying. Others\u0027 runs are refused until you \u0060/env unlock test\u0060.","buttons":[],"context":[],"image":null,"visibleTo":null}',NULL,NULL,0,'sent',1,1796590573574,1796590573574,NULL,NULL,1796590573596,'m8-bc4031fdb740eef9134aec53',NULL,NULL,1796590573597);
INSERT INTO chat_outbox VALUES(5,'alert:disk-1:fired-1:webchat:alerts','webchat','alerts','{"text":"\uD83D\uDD34 *[CRITICAL] Disk almost full* \u2014 firing","buttons":[{"actionId":"alert-ack:1","label":"Acknowledge","style":1},{"actionId":"alert-resolve:1","label":"Resolve","style":0},{"actionId":"alert-mute:1","label":"Mute","style":0}],"context":["#1 \u00B7 started \u003Ctime:1796590573|2026-12-06 20:56 UTC\u003E \u00B7 webhook","Labels: env=prod"],"image":null,"visibleTo":null}',NULL,'alert',0,'sent',1,1796590573745,1796590573745,NULL,NULL,1796590573750,'m9-102ece0749eaa8d8680f4ff3',NULL,NULL,1796590573753);
INSERT INTO chat_outbox VALUES(6,'audit-head:2:05e609af78a253bebc7afa1df51d3772449dd6d055152efde60f9ea1625e21dc','webchat','ops','{"text":"\uD83E\uDDFE Audit head: 2 records, newest hash \u006005e609af78a253bebc7afa1df51d3772449dd6d055152efde60f9ea1625e21dc\u0060. To check the trail against it later: \u0060audit verify --head 2:05e609af78a253bebc7afa1df51d3772449dd6d055152efde60f9ea1625e21dc\u0060.","buttons":[],"context":[],"image":null,"visibleTo":null}',NULL,NULL,0,'pending',0,1796590595180,1796590595180,NULL,NULL,NULL,NULL,NULL,NULL,NULL);
CREATE TABLE chat_outbox_edits (
    target_key TEXT PRIMARY KEY,
    platform TEXT NOT NULL,
    channel TEXT NOT NULL,
    message TEXT NOT NULL,
    version INTEGER NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    queued_at INTEGER NOT NULL,
    due_at INTEGER NOT NULL,
    lease_until INTEGER NULL,
    claim_token TEXT NULL,
    claimed_version INTEGER NULL,
    attempted_at INTEGER NULL,
    error TEXT NULL,
    updated_at INTEGER NOT NULL);
CREATE TABLE radiator_events (
    id INTEGER PRIMARY KEY,
    ts INTEGER NOT NULL,
    key TEXT NOT NULL,
    value REAL NOT NULL,
    tags TEXT NULL,
    message TEXT NULL);
INSERT INTO radiator_events VALUES(1,1796590580000,'orders',3.0,NULL,NULL);
INSERT INTO radiator_events VALUES(2,1796590580000,'orders',5.0,NULL,'batch');
CREATE TABLE radiator_rollups (
    key TEXT NOT NULL,
    minute INTEGER NOT NULL,
    count INTEGER NOT NULL,
    sum REAL NOT NULL,
    min REAL NOT NULL,
    max REAL NOT NULL,
    latest INTEGER NOT NULL,
    histogram BLOB NOT NULL,
    PRIMARY KEY (key, minute)) WITHOUT ROWID;
INSERT INTO radiator_rollups VALUES('orders',29943176,2,8.0,3.0,5.0,1796590580000,X'cd000100000000000000da000100000000000000');
CREATE TABLE radiator_event_ids (id TEXT PRIMARY KEY, ts INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO radiator_event_ids VALUES('e1',1796590580000);
CREATE TABLE radiator_cursors (name TEXT PRIMARY KEY, cursor TEXT NOT NULL);
CREATE TABLE radiator_deployments_posted (id TEXT PRIMARY KEY, posted_at INTEGER NOT NULL);
CREATE TABLE radiator_alerts (id INTEGER PRIMARY KEY AUTOINCREMENT, fingerprint TEXT NOT NULL UNIQUE, status TEXT NOT NULL, updated_at INTEGER NOT NULL, state TEXT NOT NULL);
INSERT INTO radiator_alerts VALUES(1,'disk-1','firing',1796590573655,'{"id":1,"fingerprint":"disk-1","title":"Disk almost full","severity":"critical","labels":{"env":"prod"},"description":null,"source":"webhook","status":"firing","generation":1,"startsAt":"2026-12-06T20:56:13.6550207+00:00","updatedAt":"2026-12-06T20:56:13.6550207+00:00","acknowledgedBy":null,"acknowledgedAt":null,"resolvedBy":null,"resolvedAt":null,"flips":[],"flapping":false,"deploymentNote":null,"mutedBy":null,"mutedUntil":null,"escalationStep":0,"nextEscalationAt":null,"history":[{"at":"2026-12-06T20:56:13.6550207+00:00","what":"fired","who":null}],"group":"","announced":1,"statusName":"firing"}');
CREATE TABLE radiator_alert_silences (id INTEGER PRIMARY KEY AUTOINCREMENT, matcher TEXT NOT NULL, created_by TEXT NOT NULL, until INTEGER NOT NULL, expired INTEGER NOT NULL DEFAULT 0);
CREATE TABLE radiator_alert_cursors (source TEXT PRIMARY KEY, cursor TEXT NOT NULL);
CREATE TABLE radiator_alert_deployments (environment TEXT PRIMARY KEY, finished_at INTEGER NOT NULL, what TEXT NOT NULL);
CREATE TABLE radiator_alert_rule_pending (rule TEXT PRIMARY KEY, since INTEGER NOT NULL, checked_at INTEGER NOT NULL);
CREATE TABLE radiator_alert_source_outages (source TEXT PRIMARY KEY, since INTEGER NOT NULL, noticed INTEGER NOT NULL DEFAULT 0);
CREATE TABLE inbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id TEXT NOT NULL UNIQUE,
    lane TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    summary TEXT NOT NULL,
    state TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    started_at INTEGER NULL,
    finished_at INTEGER NULL);
INSERT INTO inbox VALUES(1,'webchat:m1-0a21592feff40f99adf905fe','webchat:ops|webchat:alice','request','{"destination":{"platform":"webchat","channel":"ops"},"user":{"platform":"webchat","id":"alice","displayName":null,"key":"webchat:alice","name":"alice"},"text":"help","deliveryId":"webchat:m1-0a21592feff40f99adf905fe","messageId":"m1-0a21592feff40f99adf905fe","threadOf":null}','help','done',1796590572867,1796590572908,1796590573011);
INSERT INTO inbox VALUES(2,'webchat:m2-fab71ef5fd89e747e4280766','webchat:ops|webchat:alice','request','{"destination":{"platform":"webchat","channel":"ops"},"user":{"platform":"webchat","id":"alice","displayName":null,"key":"webchat:alice","name":"alice"},"text":"/env status dev","deliveryId":"webchat:m2-fab71ef5fd89e747e4280766","messageId":"m2-fab71ef5fd89e747e4280766","threadOf":null}','/env status dev','done',1796590573034,1796590573036,1796590573216);
INSERT INTO inbox VALUES(3,'webchat:m5-8c22c28935a326c225a6e27a','webchat:ops|webchat:alice','request','{"destination":{"platform":"webchat","channel":"ops"},"user":{"platform":"webchat","id":"alice","displayName":null,"key":"webchat:alice","name":"alice"},"text":"/env destroy prod","deliveryId":"webchat:m5-8c22c28935a326c225a6e27a","messageId":"m5-8c22c28935a326c225a6e27a","threadOf":null}','/env destroy prod','done',1796590573291,1796590573291,1796590573578);
INSERT INTO inbox VALUES(4,'webchat:m6-74a4651c328c9e998e5c1350','webchat:ops|webchat:bob','request','{"destination":{"platform":"webchat","channel":"ops"},"user":{"platform":"webchat","id":"bob","displayName":null,"key":"webchat:bob","name":"bob"},"text":"/env lock test deploying","deliveryId":"webchat:m6-74a4651c328c9e998e5c1350","messageId":"m6-74a4651c328c9e998e5c1350","threadOf":null}','/env lock test deploying','done',1796590573507,1796590573508,1796590573596);
CREATE TABLE drift_incidents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    environment TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    problems TEXT NOT NULL,
    destinations TEXT NOT NULL,
    resolved_at INTEGER NULL,
    resolution TEXT NULL);
CREATE TABLE storage_check (id INTEGER PRIMARY KEY, checks INTEGER NOT NULL);
INSERT INTO storage_check VALUES(1,1);
DELETE FROM sqlite_sequence;
INSERT INTO sqlite_sequence VALUES('webchat_messages',9);
INSERT INTO sqlite_sequence VALUES('inbox',4);
INSERT INTO sqlite_sequence VALUES('chat_outbox',6);
INSERT INTO sqlite_sequence VALUES('runs',1);
INSERT INTO sqlite_sequence VALUES('decisions',1);
INSERT INTO sqlite_sequence VALUES('radiator_alerts',1);
CREATE INDEX ix_runs_environment ON runs (environment, id DESC);
CREATE INDEX ix_runs_status ON runs (status);
CREATE INDEX ix_decisions_pending ON decisions (status, expires_at);
CREATE INDEX ix_command_offers_reply ON command_offers (reply_key);
CREATE INDEX ix_audit_environment ON audit (environment, seq);
CREATE INDEX ix_webchat_channel ON webchat_messages (channel, seq);
CREATE INDEX ix_webchat_thread ON webchat_messages (thread_of, seq);
CREATE INDEX ix_chat_outbox_destination ON chat_outbox (platform, channel, status, queued_at);
CREATE INDEX ix_chat_outbox_digested_into ON chat_outbox (digested_into);
CREATE INDEX ix_chat_outbox_live ON chat_outbox (platform, channel) WHERE status IN ('pending', 'claimed');
CREATE INDEX ix_chat_outbox_edits_destination ON chat_outbox_edits (platform, channel, status, queued_at);
CREATE INDEX ix_chat_outbox_edits_live ON chat_outbox_edits (platform, channel) WHERE status IN ('pending', 'claimed');
CREATE INDEX radiator_events_ts ON radiator_events (ts);
CREATE INDEX radiator_rollups_minute ON radiator_rollups (minute);
CREATE INDEX radiator_event_ids_ts ON radiator_event_ids (ts);
CREATE INDEX radiator_alerts_status ON radiator_alerts (status);
CREATE INDEX radiator_alerts_group_id ON radiator_alerts (json_extract(state, '$.group'), id) WHERE status <> 'resolved' AND json_extract(state, '$.announced') = json_extract(state, '$.generation');
CREATE INDEX radiator_alerts_group_status ON radiator_alerts (json_extract(state, '$.group'), status) WHERE status <> 'resolved' AND json_extract(state, '$.announced') = json_extract(state, '$.generation');
CREATE INDEX ix_inbox_state ON inbox (state, lane, seq);
CREATE INDEX ix_inbox_finished ON inbox (finished_at);
CREATE UNIQUE INDEX ux_drift_open ON drift_incidents (environment) WHERE resolved_at IS NULL;
COMMIT;
