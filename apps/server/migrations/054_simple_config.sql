-- Simple Config (features/simple-config): each person's choice of the Simple or Standard view of a device, kept on
-- the server so it follows them from browser to browser (the forms themselves are read from and applied to the
-- device; nothing of them is stored here). API keys are not people and keep no preference.

create table device_view_preferences (
  tenant_id uuid not null references tenants (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  device_id uuid not null references devices (id) on delete cascade,
  mode text not null check (mode in ('simple', 'standard')),
  updated_at timestamptz not null default now(),
  primary key (user_id, device_id)
);
create index device_view_preferences_device_idx on device_view_preferences (device_id);

alter table device_view_preferences enable row level security;
alter table device_view_preferences force row level security;
create policy tenant_isolation on device_view_preferences using (tenant_id = (select current_tenant_id()))
  with check (tenant_id = (select current_tenant_id()));
