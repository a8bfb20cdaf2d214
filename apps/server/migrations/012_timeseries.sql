-- Time series: device health and interface traffic, range-partitioned by day on `time` (or `bucket` for rollups).
-- Partitions are made ahead and dropped for retention by worker schedules (platform/timeseries/partitions.ts),
-- using the owner, which also revokes every direct grant on a partition: `app` reaches rows only through the
-- parent, where row-level security applies (a partition has no policy of its own).

create table metrics_health (
  tenant_id uuid not null,
  device_id uuid not null,
  time timestamptz not null,
  cpu_load smallint,
  memory_free bigint,
  memory_total bigint,
  disk_free bigint,
  disk_total bigint,
  temperature real,
  voltage real,
  uptime_seconds bigint
) partition by range (time);
-- Unique so a redelivered poll result (at-least-once bus) is written once (insert … on conflict do nothing).
create unique index metrics_health_device_time on metrics_health (device_id, time);
create index metrics_health_time on metrics_health using brin (time);

create table metrics_interface (
  tenant_id uuid not null,
  device_id uuid not null,
  time timestamptz not null,
  interface text not null,
  rx_bps double precision,
  tx_bps double precision,
  rx_pps real,
  tx_pps real,
  running boolean
) partition by range (time);
create unique index metrics_interface_device_time on metrics_interface (device_id, interface, time);
create index metrics_interface_time on metrics_interface using brin (time);

-- Rollups: one row per device (and interface) per bucket; recomputing a bucket replaces it (idempotent).
create table metrics_health_5m (
  tenant_id uuid not null,
  device_id uuid not null,
  bucket timestamptz not null,
  samples int not null,
  cpu_avg real,
  cpu_max smallint,
  memory_free_min bigint,
  memory_total bigint,
  disk_free_min bigint,
  disk_total bigint,
  temperature_avg real,
  temperature_max real,
  voltage_avg real,
  uptime_max bigint,
  primary key (device_id, bucket)
) partition by range (bucket);
create table metrics_health_1h (like metrics_health_5m including all) partition by range (bucket);

create table metrics_interface_5m (
  tenant_id uuid not null,
  device_id uuid not null,
  interface text not null,
  bucket timestamptz not null,
  samples int not null,
  rx_bps_avg double precision,
  rx_bps_max double precision,
  tx_bps_avg double precision,
  tx_bps_max double precision,
  rx_pps_avg real,
  tx_pps_avg real,
  running_ratio real,
  primary key (device_id, interface, bucket)
) partition by range (bucket);
create table metrics_interface_1h (like metrics_interface_5m including all) partition by range (bucket);

-- How far each rollup has been computed: a worker outage resumes from here, so no bucket is skipped.
create table timeseries_watermarks (
  name text primary key,
  done_until timestamptz not null
);
revoke all on timeseries_watermarks from app;

-- The latest state of each interface, for the device page (counters as numeric: 64-bit unsigned).
create table device_interfaces (
  tenant_id uuid not null references tenants (id) on delete cascade,
  device_id uuid not null references devices (id) on delete cascade,
  name text not null,
  type text,
  mac_address text,
  running boolean,
  disabled boolean,
  rx_bytes numeric(20),
  tx_bytes numeric(20),
  rx_packets numeric(20),
  tx_packets numeric(20),
  rx_bps double precision,
  tx_bps double precision,
  rx_pps real,
  tx_pps real,
  updated_at timestamptz not null,
  primary key (device_id, name)
);

-- Less frequently collected facts (identity, routerboard, neighbours, wireless registrations, DHCP leases, package
-- update): one JSON document per device and kind, replaced on each collection.
create table device_facts (
  tenant_id uuid not null references tenants (id) on delete cascade,
  device_id uuid not null references devices (id) on delete cascade,
  kind text not null check (kind ~ '^[a-z][a-z0-9_]{1,40}$'),
  data jsonb not null,
  collected_at timestamptz not null,
  primary key (device_id, kind)
);

do $$
declare t text;
begin
  foreach t in array array['metrics_health', 'metrics_interface', 'metrics_health_5m', 'metrics_health_1h',
                           'metrics_interface_5m', 'metrics_interface_1h', 'device_interfaces', 'device_facts'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy tenant_isolation on %I using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id())', t);
  end loop;
end $$;
-- Requests read metrics; only ingest (system) writes them.
revoke insert, update, delete on metrics_health, metrics_interface, metrics_health_5m, metrics_health_1h,
  metrics_interface_5m, metrics_interface_1h, device_interfaces, device_facts from app;
