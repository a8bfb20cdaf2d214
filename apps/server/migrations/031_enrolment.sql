-- Issue 6, part two: password sign-in only to enrol.
-- A session's scope: 'full', or 'enrol' (made by password sign-in or a reset link; it may only read /api/auth/me
-- and register a verifier, which turns it into a full session).
alter table auth_sessions add column scope text not null default 'full' check (scope in ('full', 'enrol'));

-- An account must enrol exactly when it has no verifier (first admin, new or reset account): derived, so the two
-- can never disagree. Its password, if any, is a temporary one.
alter table users drop column must_upgrade_auth;
alter table users add column must_upgrade_auth boolean generated always as (srp_verifier is null) stored;

-- "Forgot password" links: 30 minutes, single use. Only a SHA-256 of the token is kept. The link is looked up
-- before anyone is signed in (cross-tenant), so only the system role reads this table.
create table password_reset_tokens (
  token_hash bytea primary key,
  user_id uuid not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);
create index password_reset_tokens_user_idx on password_reset_tokens (user_id);
alter table password_reset_tokens enable row level security;
alter table password_reset_tokens force row level security;
revoke all on password_reset_tokens from app;
