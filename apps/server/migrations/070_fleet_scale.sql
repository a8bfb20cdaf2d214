-- The device list and the fleet summary at 10,000 devices per organisation.
--  - Keyset pages: one index per sort key of the device list, (tenant_id, key, id). A key never is null (nulls fold
--    to the lowest value), so `(key, id) > (…)` walks the same index forwards or backwards.
--  - device_tallies: how many devices per status, version, model and "update available", maintained by triggers as
--    devices change, so neither the list's total nor the dashboard counts scan the devices. Triggers only append
--    deltas (+n / -n): no row is ever updated, so concurrent ingest batches never wait on one another or deadlock.
--    The worker compacts them (features/fleet, every 10 s); a reader sums what is there.

create index devices_page_name_idx on devices (tenant_id, lower(name), id);
create index devices_page_host_idx on devices (tenant_id, lower(host), id);
create index devices_page_status_idx on devices (tenant_id, status, id);
create index devices_page_model_idx on devices (tenant_id, coalesce(model, ''), id);
create index devices_page_version_idx on devices (tenant_id, coalesce(version, ''), id);
create index devices_page_cpu_idx on devices (tenant_id, coalesce(cpu_load, -1), id);
create index devices_page_uptime_idx on devices (tenant_id, coalesce(uptime_seconds, -1), id);
create index devices_page_seen_idx on devices (tenant_id, coalesce(last_seen_at, '-infinity'), id);
create index devices_page_created_idx on devices (tenant_id, created_at, id);
-- Superseded by the (tenant_id, key, id) indexes above.
drop index devices_tenant_name_idx;
drop index devices_tenant_status_idx;

-- The dashboard's top lists, read through an index instead of a sort of every device.
create index devices_top_memory_idx on devices
  (tenant_id, ((100.0 * (memory_total - memory_free) / nullif(memory_total, 0))::float8))
  where not disabled and memory_total > 0;
create index devices_top_disk_idx on devices
  (tenant_id, ((100.0 * (disk_total - disk_free) / nullif(disk_total, 0))::float8))
  where not disabled and disk_total > 0;
create index devices_offline_since_idx on devices (tenant_id, status_since) where status = 'offline' and not disabled;

create table device_tallies (
  tenant_id uuid not null references tenants (id) on delete cascade,
  -- status: the device's status, disabled or not (the list's total for a status filter);
  -- live: its status, or 'disabled' for a disabled device (the dashboard's counts);
  -- version, model: the value or 'unknown'; update: 'available'.
  dim text not null,
  val text not null,
  n integer not null
);
create index device_tallies_tenant_idx on device_tallies (tenant_id, dim, val);

alter table device_tallies enable row level security;
alter table device_tallies force row level security;
create policy tenant_isolation on device_tallies using (tenant_id = (select current_tenant_id()))
  with check (tenant_id = (select current_tenant_id()));

-- The tallies one device counts in.
create function device_tally_keys(status text, disabled boolean, version text, model text, latest text)
returns table (dim text, val text) language sql immutable as $$
  select 'status', status
  union all select 'live', case when disabled then 'disabled' else status end
  union all select 'version', coalesce(version, 'unknown')
  union all select 'model', coalesce(model, 'unknown')
  union all select 'update', 'available' where latest is not null and version is not null and latest <> version
$$;

create function device_tallies_inserted() returns trigger language plpgsql as $$
begin
  insert into device_tallies (tenant_id, dim, val, n)
  select r.tenant_id, k.dim, k.val, count(*)
    from new_rows r cross join lateral device_tally_keys(r.status, r.disabled, r.version, r.model, r.latest_version) k
   group by 1, 2, 3;
  return null;
end $$;

create function device_tallies_deleted() returns trigger language plpgsql as $$
begin
  insert into device_tallies (tenant_id, dim, val, n)
  select r.tenant_id, k.dim, k.val, -count(*)
    from old_rows r cross join lateral device_tally_keys(r.status, r.disabled, r.version, r.model, r.latest_version) k
   group by 1, 2, 3;
  return null;
end $$;

create function device_tallies_updated() returns trigger language plpgsql as $$
begin
  insert into device_tallies (tenant_id, dim, val, n)
  select new.tenant_id, dim, val, sum(n)::int from (
    select k.dim, k.val, -1 as n from device_tally_keys(old.status, old.disabled, old.version, old.model, old.latest_version) k
    union all
    select k.dim, k.val, 1 from device_tally_keys(new.status, new.disabled, new.version, new.model, new.latest_version) k
  ) x group by dim, val having sum(n) <> 0;
  return null;
end $$;

create trigger devices_tallies_insert after insert on devices
  referencing new table as new_rows for each statement execute function device_tallies_inserted();
create trigger devices_tallies_delete after delete on devices
  referencing old table as old_rows for each statement execute function device_tallies_deleted();
-- Row-level with a WHEN: a poll that changes none of these (nearly all of them) runs no trigger at all.
create trigger devices_tallies_update after update of status, disabled, version, model, latest_version on devices
  for each row when (
    (old.status, old.disabled, old.version, old.model, old.latest_version)
      is distinct from (new.status, new.disabled, new.version, new.model, new.latest_version))
  execute function device_tallies_updated();

insert into device_tallies (tenant_id, dim, val, n)
select d.tenant_id, k.dim, k.val, count(*)
  from devices d cross join lateral device_tally_keys(d.status, d.disabled, d.version, d.model, d.latest_version) k
 group by 1, 2, 3;
