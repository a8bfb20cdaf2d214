-- Reports (features/reports): fleet, device, compliance and SLA reports rendered to PDF or CSV by the worker role,
-- on request or on a schedule, kept REPORT_RETENTION_DAYS and emailed to a schedule's recipients.
--  - report_schedules: a cron expression in a time zone; the schedule pass (every minute, exactly once across
--    workers) moves next_run_at forward in the transaction that queues the run's report.
--  - reports: one durable job each, claimed with SKIP LOCKED under a lease renewed while it renders (a report of a
--    worker that died is claimed again once the lease ends). The file is sealed with the organisation's data key
--    (envelope encryption, context report:<id>:file). A schedule run makes one report: unique
--    (schedule_id, scheduled_for). Emailing is claimed under its own lease and marked by emailed_at once sent.

create table report_schedules (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  name text not null check (length(name) between 1 and 200),
  kind text not null check (kind in ('fleet', 'device', 'compliance', 'sla')),
  format text not null check (format in ('pdf', 'csv')),
  cron text not null check (length(cron) between 1 and 200),
  timezone text not null check (length(timezone) between 1 and 64),
  recipients text[] not null default '{}' check (cardinality(recipients) <= 20),
  -- period ('day' | 'week' | 'month', ending at the run time), device_id, site_id, target_pct.
  params jsonb not null default '{}',
  enabled boolean not null default true,
  -- Null while disabled.
  next_run_at timestamptz,
  last_run_at timestamptz,
  last_report_id uuid,
  created_by_id uuid,
  created_by text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index report_schedules_tenant_idx on report_schedules (tenant_id, created_at desc);
create index report_schedules_due_idx on report_schedules (next_run_at) where enabled;
create trigger report_schedules_touch before update on report_schedules
  for each row execute function touch_updated_at();

alter table report_schedules enable row level security;
alter table report_schedules force row level security;
create policy tenant_isolation on report_schedules using (tenant_id = (select current_tenant_id()))
  with check (tenant_id = (select current_tenant_id()));

create table reports (
  id uuid primary key,
  tenant_id uuid not null references tenants (id) on delete cascade,
  kind text not null check (kind in ('fleet', 'device', 'compliance', 'sla')),
  format text not null check (format in ('pdf', 'csv')),
  -- from, to (ISO 8601), device_id, site_id, target_pct, and period for a scheduled one.
  params jsonb not null,
  status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
  error_code text,
  error text,
  -- Who asked: {type: user | api_key | schedule | system, id, label}.
  requested_by jsonb,
  schedule_id uuid references report_schedules (id) on delete set null,
  scheduled_for timestamptz,
  -- The runner's claim: a lease renewed while it renders; attempts counts claims (a report that kills its worker
  -- again and again fails after max_attempts).
  attempts integer not null default 0,
  max_attempts integer not null default 3,
  claimed_by text,
  claimed_until timestamptz,
  -- The rendered file, sealed (envelope encryption); size is the plain file's.
  file bytea,
  file_name text,
  content_type text,
  size integer check (size is null or size >= 0),
  summary jsonb,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  -- Email of a scheduled report: its recipients when the run was queued, the sender's claim (a lease), the time the
  -- SMTP server accepted it, and the last failure.
  email_to text[] not null default '{}',
  email_attempts integer not null default 0,
  email_after timestamptz,
  email_claimed_by text,
  email_claimed_until timestamptz,
  emailed_at timestamptz,
  email_error text,
  constraint reports_schedule_run_key unique (schedule_id, scheduled_for)
);
create index reports_tenant_idx on reports (tenant_id, created_at desc, id desc);
create index reports_queued_idx on reports (created_at) where status = 'queued';
create index reports_running_idx on reports (claimed_until) where status = 'running';
-- Due emails: email_after is set when a scheduled report with recipients is done (and after a failed try), cleared
-- when the sender gives up.
create index reports_email_idx on reports (email_after) where email_after is not null and emailed_at is null;
create index reports_created_idx on reports (created_at);

alter table reports enable row level security;
alter table reports force row level security;
create policy tenant_isolation on reports using (tenant_id = (select current_tenant_id()))
  with check (tenant_id = (select current_tenant_id()));
