-- Domain events (issue 10): a transactional outbox. The transaction that makes a change also inserts its event
-- (platform/events recordEvent), so an event exists iff the change committed. Worker processes then fan each event
-- out into one delivery per interested handler and run every delivery exactly once: claimed with FOR UPDATE SKIP
-- LOCKED under a lease, retried with exponential backoff, dead-lettered (kept, with the last error) after a bounded
-- number of attempts. With NATS the rows are first relayed to JetStream (relayed_at); the claim stays here.

create table domain_events (
  -- A UUIDv7 made by the recorder: time-ordered (cheap appends, retention by primary-key range) and unique across
  -- databases (it is also the JetStream de-duplication id).
  id uuid primary key,
  -- No foreign key: an event about a deleted tenant or device must outlive it (like audit_logs).
  tenant_id uuid,
  type text not null check (length(type) <= 64 and type ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$'),
  device_id uuid,
  actor jsonb,
  payload jsonb not null default 'null',
  occurred_at timestamptz not null default now(),
  recorded_at timestamptz not null default now(),
  -- Published to JetStream (NATS mode only).
  relayed_at timestamptz,
  -- Its deliveries exist: set by whoever fanned it out, exactly once.
  dispatched_at timestamptz
);
-- What still needs fanning out (normally a handful of rows).
create index domain_events_pending_idx on domain_events (id) where dispatched_at is null;

alter table domain_events enable row level security;
alter table domain_events force row level security;
create policy tenant_isolation on domain_events
  using (tenant_id = (select current_tenant_id())) with check (tenant_id = (select current_tenant_id()));
-- A request records events of its own tenant and may read them; only the worker (system) changes or deletes them.
revoke update, delete, truncate on domain_events from app;

-- Wakes the dispatchers (LISTEN tod_domain_events) when the recording transaction commits, unless another event was
-- recorded in the last 200 ms: a NOTIFY serialises the commits of all notifying transactions of the database (it
-- cut request throughput by a third to a half when every event notified). So the first event after a quiet spell is
-- dispatched at once, and those of a busy spell within the dispatcher's poll interval (200 ms). Ids are UUIDv7: the
-- newest event is the last key of the primary key. Security definer (the migration owner is a superuser, see
-- migrate.ts), so row-level security does not hide other tenants' events; this transaction's own rows do not count.
create function domain_events_id_floor(t timestamptz) returns uuid language sql stable as $$
  select (lpad(to_hex(floor(extract(epoch from t) * 1000)::bigint), 12, '0') || '70008000000000000000')::uuid
$$;
create function domain_events_notify() returns trigger language plpgsql security definer
  set search_path = pg_catalog, public as $$
declare
  latest uuid;
begin
  -- The newest event of another transaction: a backward scan of the primary key, stopping at the first one.
  select e.id into latest from domain_events e where e.xmin <> pg_current_xact_id()::xid order by e.id desc limit 1;
  if latest is null or latest < domain_events_id_floor(clock_timestamp() - interval '200 milliseconds') then
    perform pg_notify('tod_domain_events', '');
  end if;
  return null;
end $$;
create trigger domain_events_notify after insert on domain_events
  for each statement execute function domain_events_notify();

-- One row per (event, handler). `due_at` is when a pending delivery may run next, or when a running one's lease
-- expires (the dispatcher renews it while the handler runs); `claim` identifies the run that holds the lease, so a
-- run that lost its lease cannot record an outcome.
create table domain_event_deliveries (
  event_id uuid not null references domain_events (id) on delete cascade,
  handler text not null,
  status text not null default 'pending' check (status in ('pending', 'running', 'done', 'dead')),
  attempts int not null default 0,
  due_at timestamptz not null default now(),
  claim uuid,
  last_error text,
  created_at timestamptz not null default now(),
  done_at timestamptz,
  primary key (event_id, handler)
);
create index domain_event_deliveries_due_idx on domain_event_deliveries (due_at)
  where status in ('pending', 'running');
create index domain_event_deliveries_dead_idx on domain_event_deliveries (handler) where status = 'dead';
alter table domain_event_deliveries enable row level security;
alter table domain_event_deliveries force row level security;
revoke all on domain_event_deliveries from app;
