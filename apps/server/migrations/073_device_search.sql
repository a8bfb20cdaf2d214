-- Device search (name, host or identity containing the text) through a trigram index. Under row-level security
-- PostgreSQL never searches an index with ILIKE (it is not leakproof, so it may only run after the tenant's rows are
-- found): a search scanned every device of the organisation, 10 ms at 10,000. This function runs as the migration
-- owner (superuser or BYPASSRLS), so the index serves the match, and it returns only the ids of the organisation
-- the caller's transaction is in: the same condition as the policy, `current_tenant_id()`, which is null (no row)
-- outside one. The caller still reads the devices themselves under row-level security.
do $$
begin
  if exists (select 1 from pg_extension where extname = 'pg_trgm') then
    execute 'create index devices_search_trgm on devices using gin '
            '(name gin_trgm_ops, host gin_trgm_ops, identity gin_trgm_ops)';
  end if;
end $$;

-- `p_pattern` is an ILIKE pattern (the caller escapes %, _ and \).
create function device_search(p_pattern text) returns setof uuid
language sql stable security definer set search_path = pg_catalog, public as $$
  select d.id from public.devices d
   where d.tenant_id = public.current_tenant_id()
     and (d.name ilike p_pattern or d.host ilike p_pattern or d.identity ilike p_pattern)
$$;
revoke execute on function device_search(text) from public;
grant execute on function device_search(text) to app;
