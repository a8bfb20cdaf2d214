-- Firmware (features/firmware): what each router runs — RouterOS version, packages, architecture, update channel,
-- RouterBOARD firmware — and the latest version its channel offers, read by a check that runs once per
-- FIRMWARE_CHECK_INTERVAL_HOURS across all workers (or on request). A check is claimed under a lease, so two workers
-- never check the same router twice for the same round, and a worker that died lets another take it over.

create table firmware_devices (
  device_id uuid primary key references devices (id) on delete cascade,
  tenant_id uuid not null references tenants (id) on delete cascade,
  -- From the last successful read.
  installed_version text,
  architecture text,
  board_name text,
  channel text,
  -- [{name, version, disabled}] as /system/package prints them.
  packages jsonb,
  routerboard boolean,
  current_firmware text,
  upgrade_firmware text,
  -- From the last check-for-updates that answered a version (kept when a later one fails, e.g. without internet).
  latest_version text,
  -- The router's own words after the last check ("New version is available", "ERROR: could not resolve dns name").
  update_status text,
  checked_at timestamptz,
  -- The last attempt that could not read the router (device-access code and TOD's sentence).
  check_error_code text,
  check_error text,
  check_failed_at timestamptz,
  -- A check is due (the schedule or a request set it); claimed by one worker until claimed_until.
  check_due_at timestamptz,
  check_claimed_by text,
  check_claimed_until timestamptz,
  updated_at timestamptz not null default now()
);
create index firmware_devices_tenant_idx on firmware_devices (tenant_id);
create index firmware_devices_due_idx on firmware_devices (check_due_at) where check_due_at is not null;
create trigger firmware_devices_touch before update on firmware_devices for each row execute function touch_updated_at();

alter table firmware_devices enable row level security;
alter table firmware_devices force row level security;
create policy tenant_isolation on firmware_devices using (tenant_id = (select current_tenant_id()))
  with check (tenant_id = (select current_tenant_id()));
