-- When each device is next due for a poll. A poller claims due devices in one UPDATE … FOR UPDATE SKIP LOCKED that
-- moves next_poll_at to the device's next slot, so no device is claimed twice in one cycle, whichever poller asks.
-- Which poller may claim a device: rendezvous hashing over live pollers (features/poller/claim.ts).
create table device_poll_schedule (
  device_id uuid primary key references devices (id) on delete cascade,
  next_poll_at timestamptz not null default now(),
  claimed_by uuid,
  claimed_at timestamptz
);
create index device_poll_schedule_due on device_poll_schedule (next_poll_at);
revoke all on device_poll_schedule from app;

-- Every new device is due at once (it shows up within seconds of being added). SECURITY DEFINER: the inserting
-- request runs as `app`, which has no access to the schedule.
create function device_poll_schedule_add() returns trigger language plpgsql security definer
  set search_path = public as $$
begin
  insert into device_poll_schedule (device_id) values (new.id) on conflict do nothing;
  return null;
end $$;
revoke execute on function device_poll_schedule_add() from public, app;
create trigger devices_poll_schedule after insert on devices for each row execute function device_poll_schedule_add();
insert into device_poll_schedule (device_id) select id from devices on conflict do nothing;

create index pollers_heartbeat_idx on pollers (heartbeat_at);
