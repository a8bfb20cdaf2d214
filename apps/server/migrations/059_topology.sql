-- Topology (features/topology): what each router says it sees next to it — neighbour discovery (MNDP, CDP, LLDP:
-- /ip/neighbor) and wireless registrations — kept as observations, and the edges they imply, recomputed for the
-- devices of each ingest batch (never per request). No subnet guessing: an edge exists only where a router saw the
-- other end.

-- One row per (observer, source, local port, remote key): refreshed by each collection of the observer; a row the
-- latest collection no longer has keeps its last sighting and gets gone_at (the link went down).
create table topology_observations (
  tenant_id uuid not null references tenants (id) on delete cascade,
  device_id uuid not null references devices (id) on delete cascade,
  -- 'neighbor' (/ip/neighbor) or 'wireless' (a registration table).
  source text not null check (source in ('neighbor', 'wireless')),
  local_interface text not null,
  -- The remote's MAC (upper case), or 'id:<identity>' / 'ip:<address>' for a neighbour that gave no MAC.
  remote_key text not null check (length(remote_key) between 1 and 300),
  remote_mac text,
  remote_identity text,
  remote_address text,
  remote_interface text,
  remote_platform text,
  remote_board text,
  remote_version text,
  protocols text[] not null,
  -- The managed device the remote is (by MAC, then address, then identity), null when TOD does not manage it.
  remote_device_id uuid references devices (id) on delete set null,
  first_seen timestamptz not null,
  last_seen timestamptz not null,
  gone_at timestamptz,
  primary key (device_id, source, local_interface, remote_key)
);
create index topology_observations_remote_idx on topology_observations (remote_device_id)
  where remote_device_id is not null;
create index topology_observations_tenant_idx on topology_observations (tenant_id);
create index topology_observations_gone_idx on topology_observations (gone_at) where gone_at is not null;

-- The graph: one row per pair of nodes (a managed device's id, or 'mac:…' for an unmanaged neighbour), a < b.
create table topology_edges (
  tenant_id uuid not null references tenants (id) on delete cascade,
  id text not null,
  node_a text not null,
  node_b text not null,
  device_a uuid references devices (id) on delete cascade,
  device_b uuid references devices (id) on delete cascade,
  -- [{protocol, source_interface, target_interface, last_seen, gone_at}] oriented a → b.
  evidence jsonb not null,
  up boolean not null,
  last_seen timestamptz not null,
  down_since timestamptz,
  -- For an unmanaged end: what its neighbours say about it (identity, address, platform, board, version, mac).
  unmanaged jsonb,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, id),
  unique (tenant_id, node_a, node_b)
);
create index topology_edges_device_a_idx on topology_edges (device_a);
create index topology_edges_device_b_idx on topology_edges (device_b);

-- Devices an organisation names as its core: "upstream of X" is the path from the nearest of them.
create table topology_roots (
  tenant_id uuid not null references tenants (id) on delete cascade,
  device_id uuid primary key references devices (id) on delete cascade,
  created_at timestamptz not null default now()
);
create index topology_roots_tenant_idx on topology_roots (tenant_id);

-- Matching a neighbour's MAC to the managed device that owns the port.
create index device_interfaces_mac_idx on device_interfaces (tenant_id, mac_address) where mac_address is not null;
create index devices_tenant_identity_idx on devices (tenant_id, identity) where identity is not null;

do $$
declare t text;
begin
  foreach t in array array['topology_observations', 'topology_edges', 'topology_roots'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy tenant_isolation on %I using (tenant_id = (select current_tenant_id())) with check (tenant_id = (select current_tenant_id()))', t);
  end loop;
end $$;
-- Requests read the graph; only ingest (system) writes observations and edges. Roots are set by operators.
revoke insert, update, delete on topology_observations, topology_edges from app;
