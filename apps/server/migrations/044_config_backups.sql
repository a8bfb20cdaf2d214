-- Configuration backups (features/config-backups).
--  - config_contents: each distinct normalised export of a device, once (keyed by its SHA-256), gzip'd and
--    envelope-encrypted; a version points at one.
--  - config_versions: the device's history. A new row only when the normalised export differs from the latest one
--    (or for a named checkpoint); otherwise the latest row's unchanged_until grows. Each row keeps the raw export and
--    the binary backup of the capture that created it (encrypted).
--  - config_jobs: durable capture jobs, claimed with SKIP LOCKED under a lease, retried with backoff.
--  - config_device_state: per device, the latest outcome and when its schedule fires next.
--  - config_settings / config_device_schedules: the organisation's schedule, retention and git remote; overrides.

create table config_contents (
  tenant_id uuid not null references tenants (id) on delete cascade,
  device_id uuid not null references devices (id) on delete cascade,
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  normalized bytea not null,
  size integer not null check (size >= 0),
  stored_size integer not null check (stored_size >= 0),
  created_at timestamptz not null default now(),
  primary key (device_id, sha256)
);
create index config_contents_tenant_idx on config_contents (tenant_id);

create table config_versions (
  id uuid primary key,
  tenant_id uuid not null references tenants (id) on delete cascade,
  device_id uuid not null,
  sha256 text not null,
  created_at timestamptz not null default now(),
  unchanged_until timestamptz not null default now(),
  trigger text not null check (trigger in ('schedule', 'manual', 'checkpoint', 'config_change', 'pre_change')),
  checkpoint_name text check (checkpoint_name is null or length(checkpoint_name) between 1 and 120),
  changed_by text,
  change_log jsonb,
  changes integer,
  size integer not null,
  raw_export bytea not null,
  raw_size integer not null,
  binary_backup bytea,
  binary_size integer,
  -- RouterOS before 6.43 encrypts every backup: the password TOD gave it (encrypted like the rest).
  binary_password bytea,
  method text not null check (method in ('ssh', 'api')),
  routeros_version text,
  secrets_included boolean not null,
  job_id uuid,
  actor_label text,
  -- The git mirror's commit of this version ('' when the mirror already had this content), null until mirrored.
  git_sha text,
  foreign key (device_id, sha256) references config_contents (device_id, sha256) on delete cascade
);
create index config_versions_device_idx on config_versions (device_id, created_at desc, id desc);
create index config_versions_sha_idx on config_versions (device_id, sha256);
create index config_versions_tenant_idx on config_versions (tenant_id);
create index config_versions_unmirrored_idx on config_versions (tenant_id, created_at) where git_sha is null;

create table config_jobs (
  id uuid primary key,
  tenant_id uuid not null references tenants (id) on delete cascade,
  device_id uuid not null references devices (id) on delete cascade,
  trigger text not null check (trigger in ('schedule', 'manual', 'checkpoint', 'config_change', 'pre_change')),
  checkpoint_name text,
  status text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed')),
  attempts integer not null default 0,
  max_attempts integer not null default 3,
  run_after timestamptz not null default now(),
  claimed_by text,
  claimed_until timestamptz,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  actor jsonb,
  changed_by text,
  change_log jsonb,
  version_id uuid,
  sha256 text,
  unchanged boolean,
  method text,
  note text,
  error_code text,
  error_detail text
);
create index config_jobs_due_idx on config_jobs (run_after) where status = 'queued';
create index config_jobs_lease_idx on config_jobs (claimed_until) where status = 'running';
create index config_jobs_device_idx on config_jobs (device_id, created_at desc);
create index config_jobs_tenant_idx on config_jobs (tenant_id);
-- At most one waiting scheduled or change-triggered job per device: later triggers join it.
create unique index config_jobs_one_waiting on config_jobs (device_id)
  where status = 'queued' and trigger in ('schedule', 'config_change');

create table config_device_state (
  device_id uuid primary key references devices (id) on delete cascade,
  tenant_id uuid not null references tenants (id) on delete cascade,
  next_run_at timestamptz,
  schedule_key text,
  latest_version_id uuid,
  last_success_at timestamptz,
  last_failure_at timestamptz,
  last_error_code text,
  last_error_detail text,
  last_method text,
  method_note text,
  git_path text,
  updated_at timestamptz not null default now()
);
create index config_device_state_due_idx on config_device_state (next_run_at);
create index config_device_state_tenant_idx on config_device_state (tenant_id);

create table config_settings (
  tenant_id uuid primary key references tenants (id) on delete cascade,
  cron text not null default '0 2 * * *',
  timezone text not null default 'UTC',
  enabled boolean not null default true,
  retention_versions integer check (retention_versions is null or retention_versions >= 1),
  retention_days integer check (retention_days is null or retention_days >= 1),
  git_remote_url bytea,
  git_remote_branch text not null default 'main',
  git_ssh_key bytea,
  git_known_hosts text,
  git_pushed_sha text,
  git_push_error text,
  git_pushed_at timestamptz,
  updated_at timestamptz not null default now()
);

create table config_device_schedules (
  device_id uuid primary key references devices (id) on delete cascade,
  tenant_id uuid not null references tenants (id) on delete cascade,
  cron text not null,
  timezone text not null,
  enabled boolean not null,
  updated_at timestamptz not null default now()
);
create index config_device_schedules_tenant_idx on config_device_schedules (tenant_id);

do $$
declare t text;
begin
  foreach t in array array['config_contents', 'config_versions', 'config_jobs', 'config_device_state',
                           'config_settings', 'config_device_schedules'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy tenant_isolation on %I using (tenant_id = (select current_tenant_id()))
                    with check (tenant_id = (select current_tenant_id()))', t);
  end loop;
end $$;
