-- Alerts (features/alerts): threshold rules evaluated from poll results in the worker, alert events with their
-- history, per-(rule, device, target) evaluation state, notification channels and a delivery outbox.

create table alert_rules (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  name text not null check (length(name) between 1 and 120),
  metric text not null check (metric ~ '^[a-z_]{2,40}$'),
  operator text not null check (operator in ('>', '>=', '<', '<=', '==', '!=')),
  threshold double precision not null,
  -- Fire after N consecutive breaching results (and, when set, after breaching for this long); resolve after M clear.
  duration_polls integer not null default 1 check (duration_polls between 1 and 1000),
  duration_seconds integer check (duration_seconds between 1 and 604800),
  clear_polls integer not null default 1 check (clear_polls between 1 and 1000),
  severity text not null check (severity in ('info', 'warning', 'critical')),
  scope_kind text not null check (scope_kind in ('organisation', 'group', 'tag', 'site', 'sector', 'device')),
  scope_id uuid,
  -- Per-interface metrics: one interface by name, or null for every interface (each its own alert).
  interface text check (length(interface) between 1 and 64),
  -- Percent-of-link metrics on links whose speed TOD does not know use this.
  link_speed_bps bigint check (link_speed_bps > 0),
  channel_ids uuid[] not null default '{}',
  -- Flapping: this many transitions within the window holds notifications until the alert is stable again.
  flap_transitions integer not null default 6 check (flap_transitions between 2 and 100),
  flap_window_seconds integer not null default 1800 check (flap_window_seconds between 60 and 86400),
  enabled boolean not null default true,
  silenced_until timestamptz,
  is_default boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((scope_kind = 'organisation') = (scope_id is null))
);
create index alert_rules_tenant_idx on alert_rules (tenant_id, lower(name));

create table alert_events (
  id uuid primary key,
  tenant_id uuid not null references tenants (id) on delete cascade,
  rule_id uuid references alert_rules (id) on delete set null,
  device_id uuid not null references devices (id) on delete cascade,
  -- The interface (or other target) of a per-interface rule; '' for a device-wide metric.
  target text not null default '',
  rule_name text not null,
  metric text not null,
  operator text not null,
  threshold double precision not null,
  severity text not null check (severity in ('info', 'warning', 'critical')),
  state text not null check (state in ('firing', 'acknowledged', 'resolved')),
  value double precision,
  last_value double precision,
  started_at timestamptz not null,
  resolved_at timestamptz,
  resolved_by jsonb,
  acknowledged_at timestamptz,
  acknowledged_by jsonb,
  acknowledged_note text,
  flapping boolean not null default false,
  in_maintenance boolean not null default false,
  silenced boolean not null default false,
  updated_at timestamptz not null default now()
);
create index alert_events_tenant_idx on alert_events (tenant_id, started_at desc, id desc);
create index alert_events_active_idx on alert_events (tenant_id, severity) where state <> 'resolved';
create index alert_events_device_idx on alert_events (device_id, started_at desc);
create index alert_events_rule_idx on alert_events (rule_id, started_at desc);

-- Evaluation state, one row per (rule, device, target) that has breached or has an open alert. `last_at` is the
-- time of the last poll result evaluated: a redelivered result is not evaluated twice.
create table alert_states (
  tenant_id uuid not null references tenants (id) on delete cascade,
  rule_id uuid not null references alert_rules (id) on delete cascade,
  device_id uuid not null references devices (id) on delete cascade,
  target text not null default '',
  breach_count integer not null default 0,
  clear_count integer not null default 0,
  first_breach_at timestamptz,
  last_at timestamptz not null,
  last_value double precision,
  -- The hysteresis outcome: breaching long enough to fire, not yet clear long enough to resolve.
  active boolean not null default false,
  alert_id uuid references alert_events (id) on delete set null,
  transitions timestamptz[] not null default '{}',
  flapping boolean not null default false,
  primary key (rule_id, device_id, target)
);
create index alert_states_device_idx on alert_states (device_id);
create index alert_states_flapping_idx on alert_states (tenant_id) where flapping;

create table alert_silences (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  device_id uuid not null references devices (id) on delete cascade,
  until timestamptz not null,
  note text not null default '',
  created_by jsonb,
  created_at timestamptz not null default now()
);
create index alert_silences_device_idx on alert_silences (device_id, until);

create table notification_channels (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  name text not null check (length(name) between 1 and 120),
  kind text not null check (kind in ('email', 'webhook', 'slack', 'teams')),
  -- What the API may show: recipients, SMTP host/port/user/TLS, the URL's scheme and host. Secrets are sealed.
  config_public jsonb not null default '{}',
  config_sealed bytea not null,
  severities text[] not null default '{info,warning,critical}',
  template text,
  enabled boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_id, name)
);

-- The outbox: one row per (alert, transition, channel), so a transition is never sent twice to a channel.
create table notification_deliveries (
  id uuid primary key,
  tenant_id uuid not null references tenants (id) on delete cascade,
  alert_id uuid references alert_events (id) on delete cascade,
  channel_id uuid not null references notification_channels (id) on delete cascade,
  transition text not null check (transition in ('firing', 'resolved', 'acknowledged', 'test')),
  state text not null check (state in ('pending', 'held', 'sending', 'sent', 'failed', 'suppressed', 'cancelled')),
  hold_reason text check (hold_reason in ('maintenance', 'silenced')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  give_up_at timestamptz not null,
  last_error text,
  last_status integer,
  claim_id uuid,
  claimed_until timestamptz,
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  unique (alert_id, transition, channel_id)
);
create index notification_deliveries_due_idx on notification_deliveries (next_attempt_at)
  where state in ('pending', 'sending');
create index notification_deliveries_held_idx on notification_deliveries (tenant_id) where state = 'held';
create index notification_deliveries_alert_idx on notification_deliveries (alert_id);
create index notification_deliveries_channel_idx on notification_deliveries (channel_id, created_at desc);

do $$
declare t text;
begin
  foreach t in array array['alert_rules', 'alert_events', 'alert_states', 'alert_silences',
                           'notification_channels', 'notification_deliveries'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy tenant_isolation on %I using (tenant_id = (select current_tenant_id()))
                    with check (tenant_id = (select current_tenant_id()))', t);
  end loop;
end $$;

-- Default rules for an organisation (after Zabbix's MikroTik template): editable, and created with every new one.
create function alert_default_rules(t uuid) returns void language plpgsql as $$
declare prev text := current_setting('app.tenant_id', true);
begin
  -- The policy needs the tenant; the caller's setting is put back afterwards.
  perform set_config('app.tenant_id', t::text, true);
  insert into alert_rules (tenant_id, name, metric, operator, threshold, duration_polls, duration_seconds,
                           clear_polls, severity, scope_kind, is_default, enabled)
  values
    (t, 'Device offline', 'device_offline', '==', 1, 2, 120, 1, 'critical', 'organisation', true, true),
    (t, 'High CPU load', 'cpu_load', '>', 90, 5, null, 3, 'warning', 'organisation', true, true),
    (t, 'High memory use', 'memory_used_pct', '>', 90, 5, null, 3, 'warning', 'organisation', true, true),
    (t, 'Storage filling up', 'disk_used_pct', '>', 80, 1, null, 1, 'warning', 'organisation', true, true),
    (t, 'Storage almost full', 'disk_used_pct', '>', 90, 1, null, 1, 'critical', 'organisation', true, true),
    (t, 'High temperature', 'temperature', '>', 50, 3, null, 3, 'warning', 'organisation', true, true),
    (t, 'Critical temperature', 'temperature', '>', 60, 2, null, 3, 'critical', 'organisation', true, true),
    (t, 'Interface utilisation high', 'interface_util_pct', '>', 90, 5, null, 3, 'warning', 'organisation', true, true),
    (t, 'Device rebooted', 'rebooted', '==', 1, 1, null, 1, 'info', 'organisation', true, true),
    (t, 'Configuration changed', 'config_changed', '==', 1, 1, null, 1, 'info', 'organisation', true, false);
  perform set_config('app.tenant_id', coalesce(prev, ''), true);
end $$;

select alert_default_rules(id) from tenants;

create function alert_default_rules_trigger() returns trigger language plpgsql as $$
begin
  perform alert_default_rules(new.id);
  return new;
end $$;
create trigger tenants_default_alert_rules after insert on tenants
  for each row execute function alert_default_rules_trigger();
