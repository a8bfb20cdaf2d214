-- Deleting an organisation deletes its devices by cascade, and the tallies' delete trigger (migration 070) then
-- appended deltas for an organisation that no longer exists: a foreign-key violation that made deleting any
-- organisation with devices fail. An organisation that is gone keeps no tallies (its rows go with it).

create or replace function device_tallies_deleted() returns trigger language plpgsql as $$
begin
  insert into device_tallies (tenant_id, dim, val, n)
  select r.tenant_id, k.dim, k.val, -count(*)
    from old_rows r cross join lateral device_tally_keys(r.status, r.disabled, r.version, r.model, r.latest_version) k
   where exists (select 1 from tenants t where t.id = r.tenant_id)
   group by 1, 2, 3;
  return null;
end $$;
