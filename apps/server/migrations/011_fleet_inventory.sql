-- The fleet inventory: devices and how they are organised. A device's latest polled state lives on the device row
-- itself (written by ingest), so lists and summaries never scan the metrics tables.

create table sites (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  name text not null check (length(name) between 1 and 200),
  address text not null default '' check (length(address) <= 500),
  latitude double precision check (latitude between -90 and 90),
  longitude double precision check (longitude between -180 and 180),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index sites_name_key on sites (tenant_id, lower(name));

create table device_groups (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  name text not null check (length(name) between 1 and 200),
  description text not null default '' check (length(description) <= 2000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index device_groups_name_key on device_groups (tenant_id, lower(name));

create table device_tags (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  name text not null check (length(name) between 1 and 100),
  color text not null default '#64748b' check (color ~ '^#[0-9a-f]{6}$'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index device_tags_name_key on device_tags (tenant_id, lower(name));

-- Shared RouterOS credentials for many devices. The password is envelope-encrypted (per-tenant key, AAD bound
-- to this row) and never leaves the server.
create table credential_profiles (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  name text not null check (length(name) between 1 and 200),
  username text not null check (length(username) between 1 and 100),
  password_enc bytea not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index credential_profiles_name_key on credential_profiles (tenant_id, lower(name));

create table devices (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  name text not null check (length(name) between 1 and 200),
  host text not null check (length(host) between 1 and 253),
  port int not null default 8728 check (port between 1 and 65535),
  -- API-SSL port, tried first unless tls_mode is 'plain' (RouterOS default 8729).
  tls_port int not null default 8729 check (tls_port between 1 and 65535),
  tls_mode text not null default 'auto' check (tls_mode in ('auto', 'verify', 'insecure', 'plain')),
  username text check (length(username) between 1 and 100),
  password_enc bytea,
  credential_profile_id uuid references credential_profiles (id) on delete restrict,
  site_id uuid references sites (id) on delete set null,
  notes text not null default '' check (length(notes) <= 10000),
  latitude double precision check (latitude between -90 and 90),
  longitude double precision check (longitude between -180 and 180),
  disabled boolean not null default false,
  is_demo boolean not null default false,
  -- Bumped on every edit that changes how to reach the device: the poller reconnects when it sees a new value.
  config_version int not null default 1,
  tls_fingerprint text,
  -- Latest state, written by ingest.
  status text not null default 'unknown' check (status in ('online', 'offline', 'degraded', 'unknown')),
  status_reason text,
  status_since timestamptz not null default now(),
  last_seen_at timestamptz,
  last_polled_at timestamptz,
  transport text,
  identity text,
  model text,
  board_name text,
  serial_number text,
  architecture text,
  version text,
  firmware text,
  uptime_seconds bigint,
  booted_at timestamptz,
  cpu_load smallint,
  cpu_count smallint,
  memory_total bigint,
  memory_free bigint,
  disk_total bigint,
  disk_free bigint,
  temperature real,
  voltage real,
  last_config_change_at timestamptz,
  latest_version text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint devices_credentials check ((credential_profile_id is null) = (username is not null and password_enc is not null))
);
create unique index devices_endpoint_key on devices (tenant_id, lower(host), port);
create index devices_tenant_status_idx on devices (tenant_id, status);
create index devices_tenant_name_idx on devices (tenant_id, lower(name));
create index devices_profile_idx on devices (credential_profile_id);
create index devices_site_idx on devices (site_id);

create table device_group_members (
  tenant_id uuid not null references tenants (id) on delete cascade,
  group_id uuid not null references device_groups (id) on delete cascade,
  device_id uuid not null references devices (id) on delete cascade,
  primary key (group_id, device_id)
);
create index device_group_members_device_idx on device_group_members (device_id);

create table device_tag_links (
  tenant_id uuid not null references tenants (id) on delete cascade,
  tag_id uuid not null references device_tags (id) on delete cascade,
  device_id uuid not null references devices (id) on delete cascade,
  primary key (tag_id, device_id)
);
create index device_tag_links_device_idx on device_tag_links (device_id);

-- Device events: status changes, reboots, out-of-band config changes, version changes…
create table events (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references tenants (id) on delete cascade,
  device_id uuid references devices (id) on delete cascade,
  type text not null check (type ~ '^[a-z][a-z0-9_.]{1,63}$'),
  severity text not null default 'info' check (severity in ('info', 'warning', 'critical')),
  message text not null,
  details jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create index events_tenant_time_idx on events (tenant_id, created_at desc);
create index events_device_time_idx on events (device_id, created_at desc);

do $$
declare t text;
begin
  foreach t in array array['sites', 'device_groups', 'device_tags', 'credential_profiles', 'devices',
                           'device_group_members', 'device_tag_links', 'events'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy tenant_isolation on %I using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id())', t);
  end loop;
  -- devices: not here; ingest writes their latest state every poll, so the repo stamps updated_at on edits itself.
  foreach t in array array['sites', 'device_groups', 'device_tags', 'credential_profiles'] loop
    execute format('create trigger %I before update on %I for each row execute function touch_updated_at()', t || '_touch', t);
  end loop;
end $$;
