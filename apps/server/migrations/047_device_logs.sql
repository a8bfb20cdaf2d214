-- Device logs (features/device-logs): each router's log lines, collected by the poller from `/log` and received as
-- syslog. Range-partitioned by day on `time` like the metrics (migration 012): the device-logs schedule makes the
-- partitions (platform/timeseries/partitions.ts, owner role, every grant on a partition revoked so `app` reaches
-- rows only through the parent where row-level security applies) and drops whole days past
-- DEVICE_LOG_RETENTION_DAYS. No foreign key to devices: a deleted device's lines stop showing (searches join
-- devices) and age out with their partitions.

create table device_logs (
  id bigserial not null,
  tenant_id uuid not null,
  device_id uuid not null,
  time timestamptz not null,
  received_at timestamptz not null default now(),
  source text not null check (source in ('poll', 'syslog')),
  topics text[] not null default '{}',
  severity text not null check (severity in ('debug', 'info', 'warning', 'error', 'critical')),
  message text not null check (length(message) <= 2048),
  -- RouterOS's `.id` of a polled line (`*1A3`; ids restart at a reboot, so it is unique only with the time);
  -- null for syslog.
  entry_id text check (entry_id ~ '^\*[0-9A-Fa-f]{1,16}$')
) partition by range (time);
-- A redelivered poll result, or the whole buffer sent again after a poller restart, stores nothing twice.
create unique index device_logs_entry on device_logs (device_id, time, entry_id);
create index device_logs_device_time on device_logs (device_id, time desc, id desc);
create index device_logs_tenant_time on device_logs (tenant_id, time desc, id desc);

-- Text search: a trigram index makes `message ILIKE '%…%'` use an index where pg_trgm can be installed (it ships
-- with PostgreSQL's contrib, and is trusted: a database owner may create it). Without it, the search scans what
-- the other filters leave.
do $$
begin
  if exists (select 1 from pg_available_extensions where name = 'pg_trgm') then
    begin
      create extension if not exists pg_trgm;
    exception when others then
      raise notice 'pg_trgm could not be installed (%): device log search scans', sqlerrm;
    end;
  end if;
  if exists (select 1 from pg_extension where extname = 'pg_trgm') then
    execute 'create index device_logs_message_trgm on device_logs using gin (message gin_trgm_ops)';
  end if;
end $$;

alter table device_logs enable row level security;
alter table device_logs force row level security;
create policy tenant_isolation on device_logs using (tenant_id = (select current_tenant_id()))
  with check (tenant_id = (select current_tenant_id()));
-- Requests read logs; only ingest and the syslog receiver (system) write them.
revoke insert, update, delete on device_logs from app;
