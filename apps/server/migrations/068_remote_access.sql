-- Remote access (issue 17): browser SSH terminals and WinBox tunnels to devices, their per-organisation settings,
-- encrypted terminal transcripts, and the WinBox port pool shared by every TOD process.

alter table devices add column winbox_port integer not null default 8291
  check (winbox_port between 1 and 65535);

create table remote_access_settings (
  tenant_id uuid primary key references tenants (id) on delete cascade,
  idle_timeout_seconds integer not null default 900 check (idle_timeout_seconds between 10 and 86400),
  max_lifetime_seconds integer not null default 28800 check (max_lifetime_seconds between 60 and 604800),
  record_transcripts boolean not null default false,
  updated_at timestamptz not null default now()
);
alter table remote_access_settings enable row level security;
alter table remote_access_settings force row level security;
create policy tenant_isolation on remote_access_settings using (tenant_id = (select current_tenant_id()))
  with check (tenant_id = (select current_tenant_id()));

create table remote_sessions (
  id uuid primary key,
  tenant_id uuid not null references tenants (id) on delete cascade,
  device_id uuid not null references devices (id) on delete cascade,
  kind text not null check (kind in ('ssh', 'winbox')),
  user_id uuid,
  actor_label text not null,
  -- pending: an SSH token not used yet; open: relaying; closed: ended (close_reason says how).
  state text not null check (state in ('pending', 'open', 'closed')),
  -- SHA-256 of the single-use WebSocket token; cleared when it is used.
  token_hash bytea,
  token_expires_at timestamptz,
  requester_ip text,
  client_ip text,
  -- WinBox: who may connect to the tunnel, and where it listens.
  allowed_addresses text[],
  bind_host text,
  port integer,
  -- The address the `winbox://` URI names (WINBOX_PUBLIC_HOST, the bind address, or the host the browser used).
  public_host text,
  -- The TOD process that holds the session, and its last sign of life (a crashed process's sessions are closed).
  instance_id text,
  heartbeat_at timestamptz,
  idle_timeout_seconds integer not null,
  max_lifetime_seconds integer not null,
  record_transcript boolean not null default false,
  opened_at timestamptz,
  last_activity_at timestamptz,
  closed_at timestamptz,
  close_reason text,
  close_requested_at timestamptz,
  close_requested_by text,
  bytes_in bigint not null default 0,
  bytes_out bigint not null default 0,
  created_at timestamptz not null default now(),
  constraint remote_sessions_token_key unique (token_hash)
);
create index remote_sessions_device_idx on remote_sessions (tenant_id, device_id, created_at desc);
create index remote_sessions_live_idx on remote_sessions (state) where state <> 'closed';
alter table remote_sessions enable row level security;
alter table remote_sessions force row level security;
create policy tenant_isolation on remote_sessions using (tenant_id = (select current_tenant_id()))
  with check (tenant_id = (select current_tenant_id()));

create table remote_transcript_chunks (
  session_id uuid not null references remote_sessions (id) on delete cascade,
  tenant_id uuid not null references tenants (id) on delete cascade,
  seq integer not null,
  -- Terminal output, sealed with the organisation's key.
  data_enc bytea not null,
  at timestamptz not null default now(),
  primary key (session_id, seq)
);
alter table remote_transcript_chunks enable row level security;
alter table remote_transcript_chunks force row level security;
create policy tenant_isolation on remote_transcript_chunks using (tenant_id = (select current_tenant_id()))
  with check (tenant_id = (select current_tenant_id()));

-- One row per WinBox port in use on a bind address, across organisations and processes: the primary key is what
-- keeps two processes from handing out the same port. Cross-tenant by design (system pool only), no tenant data.
create table winbox_port_claims (
  bind_host text not null,
  port integer not null,
  session_id uuid not null,
  instance_id text not null,
  claimed_at timestamptz not null default now(),
  primary key (bind_host, port)
);
revoke all on winbox_port_claims from app;
