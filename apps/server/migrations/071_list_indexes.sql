-- Every list of the product at MSP scale (issue 18): an index per list, sort and filter, ending with the list's
-- tie-breaker, so a keyset page reads `limit` index entries however deep it is. Each one was checked with EXPLAIN
-- under the `app` role with an organisation set (row-level security on): there PostgreSQL uses an index only for
-- leakproof operators (`=`, `<`, row comparisons on built-in types), so every one pages on such a comparison.

-- Events, newest first by id: the organisation's, a device's, of a type, of a severity. The list finds a page's ids
-- first (events.repo); each index also holds the other filtered columns, so every combination of filters is an
-- index-only walk. Without them PostgreSQL walked the primary key backwards through every organisation's events
-- (it cannot know how many of the newest are the caller's): 200,000 rows for a page of an organisation whose events
-- were older than the others'.
create index events_page_idx on events (tenant_id, id) include (created_at, type, severity);
create index events_page_device_idx on events (device_id, id) include (tenant_id, created_at, type, severity);
create index events_page_type_idx on events (tenant_id, type, id) include (created_at, severity);
create index events_page_severity_idx on events (tenant_id, severity, id) include (created_at);

-- Alert events of a device or a rule, newest first with the id as tie-breaker (the cursor is (started_at, id)).
create index alert_events_page_device_idx on alert_events (device_id, started_at, id) where device_id is not null;
create index alert_events_page_rule_idx on alert_events (rule_id, started_at, id) where rule_id is not null;
drop index alert_events_device_idx;
drop index alert_events_rule_idx;

-- Log lines of a severity (a list of them is `= any`), newest first.
create index device_logs_severity_time on device_logs (tenant_id, severity, time, id);
-- 047's trigram index is never used: ILIKE is not leakproof, so under row-level security PostgreSQL filters with it
-- after the tenant's rows are found and never searches the index (checked with EXPLAIN as `app`). It only cost every
-- log line written.
drop index if exists device_logs_message_trgm;

-- Change operations, newest first by (created_at, id): a rollout's wave makes many in one transaction, which share
-- a created_at. The organisation's, a device's, by status, by kind.
create index change_operations_page_idx on change_operations (tenant_id, created_at, id);
create index change_operations_page_device_idx on change_operations (device_id, created_at, id);
create index change_operations_page_status_idx on change_operations (tenant_id, status, created_at, id);
create index change_operations_page_kind_idx on change_operations (tenant_id, kind, created_at, id);
drop index change_operations_tenant_idx;
drop index change_operations_device_idx;

-- Rollouts and a device's remote sessions, newest first by (created_at, id).
create index rollouts_page_idx on rollouts (tenant_id, created_at, id);
drop index rollouts_tenant_idx;
create index remote_sessions_page_idx on remote_sessions (tenant_id, device_id, created_at, id);
drop index remote_sessions_device_idx;

-- Reports of a schedule, newest first (the organisation's are reports_tenant_idx).
create index reports_page_schedule_idx on reports (schedule_id, created_at, id) where schedule_id is not null;

-- The audit log of an action or a person, newest first by seq.
create index audit_logs_page_action_idx on audit_logs (tenant_id, action, seq);
create index audit_logs_page_actor_idx on audit_logs (tenant_id, actor_id, seq) where actor_id is not null;

-- The audit chain's trigger (065) found the previous entry with `tenant_id is not distinct from …`, which no index
-- serves: every append read the whole audit table (every organisation's), under the per-organisation lock. The same
-- function, with that lookup split so it walks audit_logs_seq_key (tenant_id, seq) backwards and stops at one row.
create or replace function audit_logs_chain() returns trigger language plpgsql as $$
declare
  last_seq bigint;
  last_hash bytea;
begin
  -- Serialise appends per tenant so the chain has no forks.
  perform pg_advisory_xact_lock(7243002, hashtext(coalesce(new.tenant_id::text, 'global')));
  if new.tenant_id is null then
    select a.seq, a.hash into last_seq, last_hash from audit_logs a
     where a.tenant_id is null order by a.seq desc limit 1;
  else
    select a.seq, a.hash into last_seq, last_hash from audit_logs a
     where a.tenant_id = new.tenant_id order by a.seq desc limit 1;
  end if;
  new.seq := coalesce(last_seq, 0) + 1;
  new.prev_hash := coalesce(last_hash, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea);
  new.created_at := clock_timestamp();
  new.hash_version := 2;
  new.anonymised_at := null;
  new.entry_id := coalesce(new.entry_id, gen_random_uuid());
  if new.details_sealed is not null then
    new.details := null;
  else
    new.details := coalesce(new.details, '{}'::jsonb);
  end if;
  new.details_digest := audit_details_digest(new.details, new.details_sealed);
  -- 244 random bits (two version-4 UUIDs): far beyond guessing, from PostgreSQL's strong random source.
  new.personal_nonce := uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid());
  new.personal_commit := audit_personal_commit(new.personal_nonce, new.actor_id, new.actor_label, new.ip);
  new.hash := audit_row_hash_v2(new.prev_hash, new.tenant_id, new.seq, new.entry_id, new.actor_type,
    new.personal_commit, new.action, new.target_type, new.target_id, new.details_digest, new.request_id,
    new.created_at);
  return new;
end $$;
