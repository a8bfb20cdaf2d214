-- Rollouts (features/rollouts): one durable job that changes (or asks) many routers, in waves — a canary, then
-- batches — with a concurrency limit shared by every worker, a per-device deadline and a failure threshold that
-- pauses it. Each device is a row claimed under a lease, so a worker that dies lets another take its devices over
-- (a device whose change operation was already submitted is re-attached to it, never submitted twice).
--   rollouts: scheduled → running ⇄ paused → completed | cancelled
--   rollout_devices: pending → running → done | failed | reverted | skipped

create table rollouts (
  id uuid primary key,
  tenant_id uuid not null references tenants (id) on delete cascade,
  -- What each device step does: template, bulk_command, simple_config, firmware (registered by features).
  kind text not null check (kind ~ '^[a-z_]{2,40}$'),
  name text not null check (length(name) between 1 and 300),
  status text not null check (status in ('scheduled', 'running', 'paused', 'completed', 'cancelled')),
  -- Why it is paused: by hand, or the failure threshold.
  pause_reason text check (pause_reason in ('manual', 'failure_threshold')),
  -- {canary, batch_size, concurrency, max_failures, device_timeout_seconds, mode, backup_after}
  options jsonb not null,
  -- What the steps need that may be shown (a template's body, the commands); secrets go in payload_sealed.
  request jsonb not null default '{}',
  payload_sealed bytea,
  -- The template, firmware version… the rollout came from, for lists ("rollouts of this template").
  source_id uuid,
  wave_count integer not null check (wave_count >= 1),
  device_count integer not null check (device_count >= 1),
  scheduled_at timestamptz,
  actor jsonb,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  updated_at timestamptz not null default now()
);
create index rollouts_tenant_idx on rollouts (tenant_id, created_at desc);
create index rollouts_source_idx on rollouts (source_id, created_at desc) where source_id is not null;
-- What the claim loop scans: rollouts that may have work.
create index rollouts_active_idx on rollouts (scheduled_at) where status in ('scheduled', 'running');
create trigger rollouts_touch before update on rollouts for each row execute function touch_updated_at();

create table rollout_devices (
  rollout_id uuid not null references rollouts (id) on delete cascade,
  tenant_id uuid not null references tenants (id) on delete cascade,
  -- No foreign key: a device deleted mid-rollout keeps its line in the summary (its step fails).
  device_id uuid not null,
  device_name text not null,
  position integer not null,
  wave integer not null check (wave >= 0),
  status text not null default 'pending'
    check (status in ('pending', 'running', 'done', 'failed', 'reverted', 'skipped')),
  operation_id uuid,
  attempts integer not null default 0,
  error_code text,
  error_detail text,
  -- A step's result text (bulk commands), bounded by the step.
  output text,
  -- A kind's own progress across restarts (firmware: which phase it reached).
  state jsonb,
  claimed_by text,
  claimed_until timestamptz,
  deadline timestamptz,
  started_at timestamptz,
  finished_at timestamptz,
  primary key (rollout_id, device_id),
  unique (rollout_id, position)
);
create index rollout_devices_open_idx on rollout_devices (rollout_id, wave, position)
  where status in ('pending', 'running');
create index rollout_devices_device_idx on rollout_devices (device_id);

alter table rollouts enable row level security;
alter table rollouts force row level security;
create policy tenant_isolation on rollouts using (tenant_id = (select current_tenant_id()))
  with check (tenant_id = (select current_tenant_id()));
alter table rollout_devices enable row level security;
alter table rollout_devices force row level security;
create policy tenant_isolation on rollout_devices using (tenant_id = (select current_tenant_id()))
  with check (tenant_id = (select current_tenant_id()));
