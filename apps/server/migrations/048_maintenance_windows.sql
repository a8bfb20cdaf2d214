-- Maintenance windows (features/maintenance-windows): while one covering a device is open, its alerts are recorded
-- ("in maintenance") but not sent. starts_at/ends_at are the first occurrence; recurrence (null: one-time) repeats
-- it at the same local wall-clock time in `timezone` (the rules are in occurrences.ts). series_end is when the last
-- occurrence ends (null: never), computed on write, so "could be open at T" is `starts_at <= T and (series_end is
-- null or series_end > T)` in SQL and the exact answer is computed in the application.
-- Scopes name devices, groups, tags, sites, sectors or the organisation; a deleted one simply covers nothing.

create table maintenance_windows (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  name text not null check (length(name) between 1 and 200),
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  timezone text not null check (length(timezone) between 1 and 64),
  -- {freq: 'daily'|'weekly', by_day?: ['mo', …], until?: 'YYYY-MM-DD' | ISO date-time}
  recurrence jsonb check (recurrence is null or recurrence ->> 'freq' in ('daily', 'weekly')),
  -- [{kind, id?}, …], at least one
  scopes jsonb not null check (jsonb_typeof(scopes) = 'array' and jsonb_array_length(scopes) between 1 and 100),
  series_end timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (ends_at > starts_at),
  check (series_end is null or series_end >= ends_at),
  check (recurrence is not null or series_end = ends_at)
);
create index maintenance_windows_tenant_idx on maintenance_windows (tenant_id, starts_at);
create trigger maintenance_windows_touch before update on maintenance_windows
  for each row execute function touch_updated_at();

alter table maintenance_windows enable row level security;
alter table maintenance_windows force row level security;
create policy tenant_isolation on maintenance_windows using (tenant_id = (select current_tenant_id()))
  with check (tenant_id = (select current_tenant_id()));
