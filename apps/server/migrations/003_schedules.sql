-- Exactly-once background schedules across any number of worker processes: a run is claimed by moving
-- next_run_at forward in one UPDATE, which only one process can win.
create table schedules (
  name text primary key,
  next_run_at timestamptz not null default now(),
  last_run_at timestamptz,
  last_owner text,
  last_error text,
  last_duration_ms int
);

-- Processes that run the poller role announce themselves; the fleet issue assigns devices to live ones.
create table pollers (
  id uuid primary key,
  hostname text not null,
  pid int not null,
  started_at timestamptz not null default now(),
  heartbeat_at timestamptz not null default now()
);
revoke all on schedules, pollers from app;
