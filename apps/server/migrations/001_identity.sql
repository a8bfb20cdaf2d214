-- Identity, tenancy, sessions, API keys. Every tenant-owned table: tenant_id, ENABLE + FORCE row-level security,
-- a policy on app.tenant_id. The `app` role runs every request; `system` (BYPASSRLS) runs cross-tenant work.

alter default privileges in schema public grant select, insert, update, delete on tables to app, system;
alter default privileges in schema public grant usage, select on sequences to app, system;
alter default privileges in schema public grant execute on functions to app, system;

-- The tenant of the current transaction, or null (then tenant-owned tables show no rows).
create function current_tenant_id() returns uuid language sql stable as $$
  select nullif(current_setting('app.tenant_id', true), '')::uuid
$$;

create function touch_updated_at() returns trigger language plpgsql as $$
begin
  new.updated_at := now();
  return new;
end $$;

create table tenants (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(name) between 1 and 200),
  description text not null default '' check (length(description) <= 2000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index tenants_name_key on tenants (lower(name));
create trigger tenants_touch before update on tenants for each row execute function touch_updated_at();
alter table tenants enable row level security;
alter table tenants force row level security;
create policy tenant_isolation on tenants using (id = current_tenant_id()) with check (id = current_tenant_id());

create table users (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid references tenants (id) on delete cascade,
  email text not null check (length(email) between 3 and 320),
  name text not null check (length(name) between 1 and 200),
  role text not null check (role in ('super_admin', 'admin', 'operator', 'viewer')),
  password_hash text,
  is_active boolean not null default true,
  must_upgrade_auth boolean not null default false,
  last_login_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- super_admin is global; every other role belongs to exactly one tenant.
  constraint users_role_scope check ((role = 'super_admin') = (tenant_id is null))
);
create unique index users_email_key on users (lower(email));
create index users_tenant_idx on users (tenant_id);
create trigger users_touch before update on users for each row execute function touch_updated_at();
alter table users enable row level security;
alter table users force row level security;
create policy tenant_isolation on users
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());

-- A session is one sign-in; its refresh tokens rotate. Reuse of a spent refresh token revokes the session.
create table auth_sessions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  tenant_id uuid references tenants (id) on delete cascade,
  created_at timestamptz not null default now(),
  last_used_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  revoked_reason text,
  ip inet,
  user_agent text
);
create index auth_sessions_user_idx on auth_sessions (user_id);
alter table auth_sessions enable row level security;
alter table auth_sessions force row level security;
create policy tenant_isolation on auth_sessions
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());

create table auth_refresh_tokens (
  token_hash bytea primary key,
  session_id uuid not null references auth_sessions (id) on delete cascade,
  tenant_id uuid references tenants (id) on delete cascade,
  issued_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);
create index auth_refresh_tokens_session_idx on auth_refresh_tokens (session_id);
alter table auth_refresh_tokens enable row level security;
alter table auth_refresh_tokens force row level security;
create policy tenant_isolation on auth_refresh_tokens
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
-- Sessions and tokens are handled by the auth service on the system pool only.
revoke all on auth_sessions, auth_refresh_tokens from app;

create table api_keys (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  name text not null check (length(name) between 1 and 200),
  key_prefix text not null,
  key_hash bytea not null unique,
  role text not null default 'operator' check (role = 'operator'),
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  expires_at timestamptz,
  revoked_at timestamptz,
  last_used_at timestamptz
);
create index api_keys_tenant_idx on api_keys (tenant_id);
alter table api_keys enable row level security;
alter table api_keys force row level security;
create policy tenant_isolation on api_keys
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
