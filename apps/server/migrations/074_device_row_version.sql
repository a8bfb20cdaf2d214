-- A device's row version (its xmin) stands for everything its JSON shows, so an api process can keep each device's
-- JSON and rebuild it only when the row changed (devices.json-cache.ts). The JSON also shows the device's tags and
-- groups, which live in their own tables: a change there writes a new version of the device row (its values
-- unchanged). One statement per change of links, however many devices it touches.
create function devices_touch_linked() returns trigger language plpgsql as $$
begin
  if tg_op in ('INSERT', 'UPDATE') then
    update devices d set updated_at = d.updated_at where d.id in (select n.device_id from new_links n);
  end if;
  if tg_op in ('DELETE', 'UPDATE') then
    update devices d set updated_at = d.updated_at where d.id in (select o.device_id from old_links o);
  end if;
  return null;
end $$;

do $$
declare
  t text;
begin
  foreach t in array array['device_tag_links', 'device_group_members'] loop
    execute format('create trigger %1$s_touch_insert after insert on %1$I referencing new table as new_links '
                   'for each statement execute function devices_touch_linked()', t);
    execute format('create trigger %1$s_touch_update after update on %1$I referencing new table as new_links '
                   'old table as old_links for each statement execute function devices_touch_linked()', t);
    execute format('create trigger %1$s_touch_delete after delete on %1$I referencing old table as old_links '
                   'for each statement execute function devices_touch_linked()', t);
  end loop;
end $$;
