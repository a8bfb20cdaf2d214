-- Site alerts (features/alerts): rules over a site's or a sector's devices as a whole (offline share, average client
-- signal, clients dropped), evaluated by a worker schedule. Their alerts belong to the site or the sector rather than
-- to a device: an alert event has exactly one owner.

alter table alert_events alter column device_id drop not null;
alter table alert_events add column site_id uuid references sites (id) on delete cascade;
alter table alert_events add column sector_id uuid references sectors (id) on delete cascade;
alter table alert_events add constraint alert_events_one_owner check (num_nonnulls(device_id, site_id, sector_id) = 1);
create index alert_events_site_idx on alert_events (site_id, started_at desc) where site_id is not null;
create index alert_events_sector_idx on alert_events (sector_id, started_at desc) where sector_id is not null;

-- Evaluation state of a site rule, one row per (rule, site or sector) that has breached or has an open alert; the
-- same columns as alert_states (state.ts), which stays keyed by device for ingest's hot path.
create table alert_site_states (
  tenant_id uuid not null references tenants (id) on delete cascade,
  rule_id uuid not null references alert_rules (id) on delete cascade,
  site_id uuid references sites (id) on delete cascade,
  sector_id uuid references sectors (id) on delete cascade,
  breach_count integer not null default 0,
  clear_count integer not null default 0,
  first_breach_at timestamptz,
  last_at timestamptz not null,
  last_value double precision,
  active boolean not null default false,
  alert_id uuid references alert_events (id) on delete set null,
  transitions timestamptz[] not null default '{}',
  flapping boolean not null default false,
  check (num_nonnulls(site_id, sector_id) = 1)
);
create unique index alert_site_states_key on alert_site_states (rule_id, coalesce(site_id, sector_id));
create index alert_site_states_site_idx on alert_site_states (site_id) where site_id is not null;
create index alert_site_states_sector_idx on alert_site_states (sector_id) where sector_id is not null;
create index alert_site_states_alert_idx on alert_site_states (alert_id) where alert_id is not null;

alter table alert_site_states enable row level security;
alter table alert_site_states force row level security;
create policy tenant_isolation on alert_site_states using (tenant_id = (select current_tenant_id()))
  with check (tenant_id = (select current_tenant_id()));
