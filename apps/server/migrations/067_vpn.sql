-- WireGuard onboarding (features/vpn): a hub per organisation — its own WireGuard interface on the hub host, so its
-- own key pair, listen port and address block — and a peer per device with a /32 in that block. Private keys and
-- preshared keys are envelope-encrypted with the organisation's key; only public keys are stored in the clear.

create table vpn_hubs (
  tenant_id uuid primary key references tenants (id) on delete cascade,
  -- The hub's place in WIREGUARD_NETWORK and WIREGUARD_LISTEN_PORTS; unique across organisations (the interface,
  -- port and block below are derived from it when the hub is made, and kept if those settings change later).
  slot int not null check (slot >= 0),
  interface text not null check (interface ~ '^[a-z0-9]{1,15}$'),
  listen_port int not null check (listen_port between 1 and 65535),
  network cidr not null check (family(network) = 4),
  -- TOD's address in the block (its first host): the only address a peer may reach.
  hub_address inet not null check (hub_address << network),
  public_key text not null check (length(public_key) = 44),
  private_key_enc bytea not null,
  -- Settings an admin changes: the public host routers dial (else WIREGUARD_ENDPOINT), their keepalive, and the
  -- name of the WireGuard interface on the routers.
  endpoint_host text check (length(endpoint_host) between 1 and 253),
  keepalive_seconds int not null default 25 check (keepalive_seconds between 0 and 3600),
  router_interface text not null default 'tod-wg' check (length(router_interface) between 1 and 63),
  -- What the hub host last did with this organisation's configuration (written by the worker, system role).
  applied_at timestamptz,
  apply_error text,
  status_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint vpn_hubs_slot_key unique (slot),
  constraint vpn_hubs_interface_key unique (interface),
  constraint vpn_hubs_port_key unique (listen_port),
  constraint vpn_hubs_network_key unique (network)
);
create trigger vpn_hubs_touch before update of endpoint_host, keepalive_seconds, router_interface on vpn_hubs
  for each row execute function touch_updated_at();

alter table vpn_hubs enable row level security;
alter table vpn_hubs force row level security;
create policy tenant_isolation on vpn_hubs using (tenant_id = (select current_tenant_id()))
  with check (tenant_id = (select current_tenant_id()));

create table vpn_peers (
  id uuid primary key,
  tenant_id uuid not null references vpn_hubs (tenant_id) on delete cascade,
  -- A device has at most one peer; deleting the device deletes it (the hub's file follows within minutes).
  device_id uuid not null references devices (id) on delete cascade,
  address inet not null check (family(address) = 4 and masklen(address) = 32),
  public_key text not null check (length(public_key) = 44),
  private_key_enc bytea not null,
  preshared_key_enc bytea,
  -- From the hub's last `wg show … dump` (null: never seen, or no status available).
  last_handshake_at timestamptz,
  rx_bytes bigint,
  tx_bytes bigint,
  endpoint text,
  status_at timestamptz,
  created_at timestamptz not null default now(),
  constraint vpn_peers_device_key unique (device_id),
  constraint vpn_peers_address_key unique (address),
  constraint vpn_peers_public_key_key unique (tenant_id, public_key)
);
create index vpn_peers_tenant_idx on vpn_peers (tenant_id, address);

alter table vpn_peers enable row level security;
alter table vpn_peers force row level security;
create policy tenant_isolation on vpn_peers using (tenant_id = (select current_tenant_id()))
  with check (tenant_id = (select current_tenant_id()));
