-- Wireless (features/wireless): the registration tables and radios routers report (v6 `wireless`, v7 `wifi`,
-- CAPsMAN), kept as the latest state per client for links, unknown clients and wireless issues, and each
-- collection's figures per client as a time series (daily partitions, hourly rollup) for signal history and trends.

-- One row per (reporting router, radio, remote MAC). `role`: 'client' when the remote is a client of this router's
-- radio (this router is the AP), 'ap' when it is the AP this router (a station) is connected to. A remote the latest
-- collection no longer lists keeps its last figures, `gone_at` and the number of collections it missed.
create table wireless_registrations (
  tenant_id uuid not null references tenants (id) on delete cascade,
  device_id uuid not null references devices (id) on delete cascade,
  interface text not null,
  mac text not null check (mac ~ '^[0-9A-F]{2}(:[0-9A-F]{2}){5}$'),
  role text not null check (role in ('client', 'ap')),
  -- The managed device that owns the MAC (a CPE, or the AP), null for a client TOD does not manage.
  peer_device_id uuid references devices (id) on delete set null,
  ssid text,
  signal real,
  snr real,
  tx_ccq real,
  rx_ccq real,
  tx_rate text,
  rx_rate text,
  tx_rate_mbps real,
  rx_rate_mbps real,
  uptime_seconds bigint,
  last_ip text,
  radio_name text,
  routeros_version text,
  band text,
  first_seen timestamptz not null,
  last_seen timestamptz not null,
  gone_at timestamptz,
  missed int not null default 0,
  primary key (device_id, interface, mac)
);
create index wireless_registrations_tenant_idx on wireless_registrations (tenant_id, role);
create index wireless_registrations_peer_idx on wireless_registrations (peer_device_id) where peer_device_id is not null;
create index wireless_registrations_mac_idx on wireless_registrations (tenant_id, mac);

-- The radios of each router: settings and the last monitor snapshot.
create table wireless_radios (
  tenant_id uuid not null references tenants (id) on delete cascade,
  device_id uuid not null references devices (id) on delete cascade,
  name text not null,
  mode text,
  ssid text,
  frequency text,
  band text,
  channel_width text,
  mac text,
  running boolean,
  disabled boolean,
  noise_floor real,
  ccq real,
  clients int,
  tx_rate text,
  rx_rate text,
  status text,
  updated_at timestamptz not null,
  primary key (device_id, name)
);
create index wireless_radios_tenant_idx on wireless_radios (tenant_id);

create table wireless_signal (
  tenant_id uuid not null,
  device_id uuid not null,
  interface text not null,
  mac text not null,
  time timestamptz not null,
  signal real,
  snr real,
  tx_ccq real,
  rx_ccq real,
  tx_rate_mbps real,
  rx_rate_mbps real
) partition by range (time);
create unique index wireless_signal_key on wireless_signal (device_id, mac, interface, time);
create index wireless_signal_time on wireless_signal using brin (time);

create table wireless_signal_1h (
  tenant_id uuid not null,
  device_id uuid not null,
  interface text not null,
  mac text not null,
  bucket timestamptz not null,
  samples int not null,
  signal_avg real,
  signal_min real,
  signal_max real,
  snr_avg real,
  ccq_avg real,
  tx_rate_avg real,
  rx_rate_avg real,
  primary key (device_id, mac, interface, bucket)
) partition by range (bucket);

do $$
declare t text;
begin
  foreach t in array array['wireless_registrations', 'wireless_radios', 'wireless_signal', 'wireless_signal_1h'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy tenant_isolation on %I using (tenant_id = (select current_tenant_id())) with check (tenant_id = (select current_tenant_id()))', t);
  end loop;
end $$;
-- Requests read; only ingest and the rollup (system) write.
revoke insert, update, delete on wireless_registrations, wireless_radios, wireless_signal, wireless_signal_1h from app;
