-- Configuration templates (features/templates): text rendered per device (sandboxed LiquidJS) into RouterOS script
-- that is laid over the device's configuration as desired state. Values given per group are kept sealed with the
-- tenant key (a Wi-Fi passphrase may be one). A device a template was pushed to is an assignment: re-checked on
-- every backup of the device (drift), with the values it was pushed with (sealed).

create table config_templates (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  name text not null check (length(name) between 1 and 200),
  description text not null default '' check (length(description) <= 2000),
  body text not null check (length(body) <= 262144),
  -- [{name, type, of?, default?, description?, required?}]
  variables jsonb not null default '[]' check (jsonb_typeof(variables) = 'array'),
  -- {group_id: {name: value}}, sealed
  group_values_sealed bytea,
  -- Bumped by every edit of the body or variables: drift results name the revision they were checked against.
  revision integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index config_templates_name_idx on config_templates (tenant_id, lower(name));
create trigger config_templates_touch before update on config_templates
  for each row execute function touch_updated_at();

create table template_assignments (
  template_id uuid not null references config_templates (id) on delete cascade,
  tenant_id uuid not null references tenants (id) on delete cascade,
  device_id uuid not null references devices (id) on delete cascade,
  -- The values of the push ({values, device, groups}), sealed.
  values_sealed bytea not null,
  rollout_id uuid,
  pushed_at timestamptz not null default now(),
  drift text not null default 'unknown' check (drift in ('unknown', 'in_sync', 'drifted', 'error')),
  drift_checked_at timestamptz,
  drift_revision integer,
  -- The backup version checked, its semantic diff (secrets redacted) and the commands count.
  drift_sha256 text,
  drift_diff jsonb,
  drift_commands integer,
  drift_error text,
  primary key (template_id, device_id)
);
create index template_assignments_device_idx on template_assignments (device_id);

alter table config_templates enable row level security;
alter table config_templates force row level security;
create policy tenant_isolation on config_templates using (tenant_id = (select current_tenant_id()))
  with check (tenant_id = (select current_tenant_id()));
alter table template_assignments enable row level security;
alter table template_assignments force row level security;
create policy tenant_isolation on template_assignments using (tenant_id = (select current_tenant_id()))
  with check (tenant_id = (select current_tenant_id()));
