-- Leases on a device (features/device-access), held by one holder at a time across every TOD process:
--  - 'change': one change operation at a time per device. A long operation (safe apply) renews it while it runs and
--    takes it again under the same holder after a restart; a holder that died lets it expire.
--  - 'session:<n>': the extra API/SSH sessions a device may have beside the poller's own (RouterOS limits logins).
-- A lease is free when absent or expired; taking one is a single upsert that only succeeds on a free row or one
-- the same holder already has.
create table device_leases (
  tenant_id uuid not null references tenants (id) on delete cascade,
  device_id uuid not null references devices (id) on delete cascade,
  name text not null check (name = 'change' or name ~ '^session:[0-9]{1,3}$'),
  holder text not null check (length(holder) between 1 and 200),
  purpose text not null check (purpose ~ '^[a-z][a-z0-9_.-]{0,63}$'),
  acquired_at timestamptz not null default now(),
  expires_at timestamptz not null,
  primary key (device_id, name)
);
create index device_leases_tenant_idx on device_leases (tenant_id);

alter table device_leases enable row level security;
alter table device_leases force row level security;
create policy tenant_isolation on device_leases
  using (tenant_id = (select current_tenant_id())) with check (tenant_id = (select current_tenant_id()));
