-- Append-only audit trail with a per-tenant SHA-256 hash chain. The database computes the chain (a trigger), so
-- application code cannot forge it; `app` and `system` may only INSERT and SELECT.
-- No foreign key to tenants: a deleted tenant's trail is kept (visible to the system role only).

create table audit_logs (
  id bigint generated always as identity primary key,
  tenant_id uuid,
  seq bigint not null,
  actor_type text not null check (actor_type in ('user', 'api_key', 'system', 'anonymous')),
  actor_id uuid,
  actor_label text,
  action text not null check (action ~ '^[a-z][a-z0-9_.]{1,99}$'),
  target_type text,
  target_id text,
  details jsonb not null default '{}',
  ip inet,
  request_id text,
  created_at timestamptz not null default clock_timestamp(),
  prev_hash bytea not null,
  hash bytea not null,
  constraint audit_logs_seq_key unique nulls not distinct (tenant_id, seq)
);
create index audit_logs_tenant_time_idx on audit_logs (tenant_id, created_at desc);
alter table audit_logs enable row level security;
alter table audit_logs force row level security;
create policy audit_read on audit_logs for select using (tenant_id = current_tenant_id());
create policy audit_append on audit_logs for insert with check (tenant_id = current_tenant_id());
revoke update, delete, truncate on audit_logs from app, system;

-- The canonical content of a row, as JSON (unambiguous), hashed together with the previous row's hash.
create function audit_row_hash(
  prev bytea, tenant uuid, seq bigint, actor_type text, actor_id uuid, actor_label text, action text,
  target_type text, target_id text, details jsonb, ip inet, request_id text, created_at timestamptz
) returns bytea language sql immutable as $$
  select sha256(prev || convert_to(jsonb_build_array(
    tenant, seq, actor_type, actor_id, actor_label, action, target_type, target_id, details, host(ip), request_id,
    extract(epoch from created_at)::numeric
  )::text, 'UTF8'))
$$;

create function audit_logs_chain() returns trigger language plpgsql as $$
declare
  last_seq bigint;
  last_hash bytea;
begin
  -- Serialise appends per tenant so the chain has no forks.
  perform pg_advisory_xact_lock(7243002, hashtext(coalesce(new.tenant_id::text, 'global')));
  select a.seq, a.hash into last_seq, last_hash from audit_logs a
   where a.tenant_id is not distinct from new.tenant_id order by a.seq desc limit 1;
  new.seq := coalesce(last_seq, 0) + 1;
  new.prev_hash := coalesce(last_hash, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea);
  new.created_at := clock_timestamp();
  new.hash := audit_row_hash(new.prev_hash, new.tenant_id, new.seq, new.actor_type, new.actor_id, new.actor_label,
    new.action, new.target_type, new.target_id, new.details, new.ip, new.request_id, new.created_at);
  return new;
end $$;
create trigger audit_logs_chain before insert on audit_logs for each row execute function audit_logs_chain();
