-- Row-level security policies compare tenant_id with `(select current_tenant_id())` instead of a bare call: the
-- sub-select is planned as an InitPlan, evaluated once per statement, where a bare call was evaluated per row (a
-- 10,000-device scan spent most of its time reading the setting). New policies use the same form.
do $$
declare p record;
begin
  for p in
    select schemaname, tablename, policyname, qual, with_check from pg_policies
     where schemaname = 'public'
       and (qual like '%current_tenant_id()%' or with_check like '%current_tenant_id()%')
  loop
    if p.qual is not null then
      execute format('alter policy %I on %I.%I using (%s)', p.policyname, p.schemaname, p.tablename,
                     replace(p.qual, 'current_tenant_id()', '( select current_tenant_id())'));
    end if;
    if p.with_check is not null then
      execute format('alter policy %I on %I.%I with check (%s)', p.policyname, p.schemaname, p.tablename,
                     replace(p.with_check, 'current_tenant_id()', '( select current_tenant_id())'));
    end if;
  end loop;
end $$;
