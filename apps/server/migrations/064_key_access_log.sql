-- The key-access log (issue 16, the Transparency page): every use of a tenant's data key for a secret — an encrypt,
-- a decrypt, an unwrap by the key provider, a new key, a rotation or rewrap — with who or what (a user, an API key,
-- the poller, a worker, the CLI), which key (provider and data key version), which object (the ciphertext's context,
-- e.g. `device:<id>:password`) and why (purpose). Written by platform/kms/access-log.ts with the system role: uses
-- are counted in memory per period (KEY_ACCESS_PERIOD_SECONDS, a minute by default) and upserted in batches, so a
-- row is one period of identical uses with their count. No foreign key to tenants: a batch written after a tenant
-- was deleted must not fail for the others; the retention schedule (KEY_ACCESS_RETENTION_DAYS) removes old periods.
create table key_access_log (
  id bigint generated always as identity primary key,
  tenant_id uuid not null,
  period_start timestamptz not null,
  op text not null check (op in ('encrypt', 'decrypt', 'unwrap', 'generate', 'rotate', 'rewrap')),
  actor_kind text not null check (actor_kind in ('user', 'api_key', 'poller', 'worker', 'system')),
  actor_id text,
  actor_label text not null check (length(actor_label) <= 200),
  provider text not null check (length(provider) <= 40),
  key_version int not null check (key_version >= 0),
  object text not null check (length(object) <= 200),
  purpose text not null check (length(purpose) <= 60),
  count int not null check (count > 0),
  first_at timestamptz not null,
  last_at timestamptz not null,
  constraint key_access_log_period_key unique nulls not distinct
    (tenant_id, period_start, op, actor_kind, actor_id, actor_label, provider, key_version, object, purpose)
);
-- Pages newest first; the unique constraint's (tenant_id, period_start, …) serves time ranges; retention scans by
-- period across tenants.
create index key_access_log_tenant_id on key_access_log (tenant_id, id desc);
create index key_access_log_period on key_access_log (period_start);

alter table key_access_log enable row level security;
alter table key_access_log force row level security;
create policy tenant_isolation on key_access_log using (tenant_id = (select current_tenant_id()))
  with check (tenant_id = (select current_tenant_id()));
-- Requests only read the log; the system role writes and prunes it.
revoke insert, update, delete on key_access_log from app;
