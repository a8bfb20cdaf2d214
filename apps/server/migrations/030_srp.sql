-- Zero-knowledge sign-in (SRP-6a, docs/AUTH.md). The verifier is null until the user enrols from a browser.
alter table users add column srp_salt bytea, add column srp_verifier bytea;
alter table users add constraint users_srp_pair check ((srp_salt is null) = (srp_verifier is null));

-- One row per /api/auth/srp/init, so verify may reach another api process. Rows live 60 s and are used once.
-- Sign-in is cross-tenant, so only the system role (BYPASSRLS) reads this; b is a secret exponent.
create table srp_sessions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid references users (id) on delete cascade,
  email text not null check (length(email) <= 320),
  b bytea not null,
  "B" bytea not null,
  salt bytea not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);
create index srp_sessions_expires_idx on srp_sessions (expires_at);
alter table srp_sessions enable row level security;
alter table srp_sessions force row level security;
revoke all on srp_sessions from app;
