-- Sectors (features/sites): an access point's coverage within a site — which way it points (azimuth), how wide its
-- beam is, its frequency and the AP device — and the devices served by it. A device in a sector is always in the
-- sector's site: the database keeps that true rather than every writer of devices.site_id.

create table sectors (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  site_id uuid not null references sites (id) on delete cascade,
  name text not null check (length(name) between 1 and 200),
  -- Degrees clockwise from true north.
  azimuth int not null check (azimuth between 0 and 359),
  -- Beamwidth in degrees (360: omnidirectional).
  width int not null check (width between 1 and 360),
  -- Centre frequency in MHz; null when not known or not fixed.
  frequency int check (frequency between 1 and 100000),
  -- The AP serving the sector; a device of the same site (the service checks it; the trigger below keeps it so).
  ap_device_id uuid references devices (id) on delete set null,
  notes text not null default '' check (length(notes) <= 2000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- The target of devices' (sector_id, site_id) reference.
  constraint sectors_id_site_key unique (id, site_id)
);
create unique index sectors_name_key on sectors (site_id, lower(name));
create index sectors_tenant_idx on sectors (tenant_id);
create index sectors_ap_idx on sectors (ap_device_id) where ap_device_id is not null;
create trigger sectors_touch before update on sectors for each row execute function touch_updated_at();

alter table sectors enable row level security;
alter table sectors force row level security;
create policy tenant_isolation on sectors using (tenant_id = (select current_tenant_id()))
  with check (tenant_id = (select current_tenant_id()));

-- A device's sector must be one of its site's: (sector_id, site_id) references the sector's (id, site_id), and a
-- device with a sector has a site (a reference with a null column is not checked). Deleting a sector clears only
-- sector_id; deleting a site deletes its sectors, which clears the sector of their devices.
alter table devices add column sector_id uuid;
alter table devices add constraint devices_sector_fk foreign key (sector_id, site_id)
  references sectors (id, site_id) on delete set null (sector_id);
alter table devices add constraint devices_sector_needs_site check (sector_id is null or site_id is not null);
create index devices_sector_idx on devices (sector_id) where sector_id is not null;

-- Moving a device to another site (or out of every site) leaves its sector, in the same statement, whoever moves it
-- (a device edit, a bulk action, a site assignment). A statement that sets both keeps the sector it names.
create function devices_site_clears_sector() returns trigger language plpgsql as $$
begin
  new.sector_id := null;
  return new;
end $$;
create trigger devices_site_clears_sector before update of site_id on devices for each row
  when (old.site_id is distinct from new.site_id and new.sector_id is not null
        and old.sector_id is not distinct from new.sector_id)
  execute function devices_site_clears_sector();

-- An AP that leaves its site no longer serves that site's sectors.
create function devices_site_releases_ap() returns trigger language plpgsql as $$
begin
  update sectors set ap_device_id = null where ap_device_id = new.id and site_id is distinct from new.site_id;
  return null;
end $$;
create trigger devices_site_releases_ap after update of site_id on devices for each row
  when (old.site_id is distinct from new.site_id)
  execute function devices_site_releases_ap();
