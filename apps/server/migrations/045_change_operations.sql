-- Safe changes (features/changes): every change TOD makes to a router is an operation, a durable state machine.
--  pending → backing_up → arming → applying → verifying → awaiting_confirmation → confirmed,
--  or → reverting → reverted, or failed (with a reason). A worker runs it under a lease; a process that dies leaves
--  the lease to lapse and another (or the same after a restart) resumes it from the device's actual state.
--  The commands may carry secrets (a restored password): sealed with the tenant's key; `commands_display` is the
--  redacted copy the API shows.

create table change_operations (
  id uuid primary key,
  tenant_id uuid not null references tenants (id) on delete cascade,
  device_id uuid not null references devices (id) on delete cascade,
  kind text not null check (kind ~ '^[a-z_]{2,40}$'),
  mode text not null check (mode in ('safe', 'test', 'standard')),
  status text not null check (status in ('pending', 'backing_up', 'arming', 'applying', 'verifying',
    'awaiting_confirmation', 'confirmed', 'reverting', 'reverted', 'failed')),
  -- How the device undoes the change by itself: RouterOS safe mode on TOD's session, a scheduler watchdog, or none.
  strategy text check (strategy in ('safe_mode', 'watchdog', 'none')),
  summary text not null default '',
  request jsonb not null,
  commands_sealed bytea,
  commands_display jsonb not null default '[]',
  command_count integer not null default 0,
  applied_count integer not null default 0,
  confirm_within_seconds integer check (confirm_within_seconds between 10 and 3600),
  deadline timestamptz,
  device_deadline timestamptz,
  pre_version_id uuid,
  pre_sha256 text,
  post_sha256 text,
  target_sha256 text,
  revert_reason text,
  reverted_verified boolean,
  confirm_requested boolean not null default false,
  revert_requested boolean not null default false,
  steps jsonb not null default '[]',
  error_code text,
  error_detail text,
  -- A router's refusal: which command (0-based) and, when the router named it, which property.
  error_command_index integer,
  error_property text,
  actor jsonb,
  round_trips integer not null default 0,
  attempts integer not null default 0,
  claimed_by text,
  claimed_until timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  finished_at timestamptz
);
create index change_operations_tenant_idx on change_operations (tenant_id, created_at desc);
create index change_operations_device_idx on change_operations (device_id, created_at desc);
-- One unfinished operation per device: the second one is refused (409 with the running one's id).
create unique index change_operations_one_open on change_operations (device_id)
  where status not in ('confirmed', 'reverted', 'failed');
create index change_operations_open_idx on change_operations (claimed_until)
  where status not in ('confirmed', 'reverted', 'failed');

alter table change_operations enable row level security;
alter table change_operations force row level security;
create policy tenant_isolation on change_operations using (tenant_id = (select current_tenant_id()))
  with check (tenant_id = (select current_tenant_id()));

-- Backups taken by the engine after a change or a revert (to prove what the device has) say so.
alter table config_versions drop constraint config_versions_trigger_check;
alter table config_versions add constraint config_versions_trigger_check
  check (trigger in ('schedule', 'manual', 'checkpoint', 'config_change', 'pre_change', 'post_change'));
alter table config_jobs drop constraint config_jobs_trigger_check;
alter table config_jobs add constraint config_jobs_trigger_check
  check (trigger in ('schedule', 'manual', 'checkpoint', 'config_change', 'pre_change', 'post_change'));
