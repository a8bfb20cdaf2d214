-- Issue 16: audit details sealed with the organisation's key, and personal data erasable (GDPR) while the hash chain
-- still verifies without any key.
--
-- Rows written before this migration keep hash_version 1 and are hashed exactly as before (002_audit.sql). Every new
-- row is version 2, whose hash covers, instead of the values that may have to go:
--   * details_digest: sha256 of the sealed details (AES-GCM under the tenant's data key, written by the app), or of
--     the JSON text where a row is not sealed (the platform's own trail, tenant_id null: there is no tenant key, and
--     only super_admin reads it through the system role);
--   * personal_commit: sha256(personal_nonce ‖ [actor_id, actor_label, host(ip)]), a hiding commitment to who did it.
--     The nonce is random per row and erased with the values, so after erasure nobody can test a guessed email or
--     address against the commitment.
-- Erasing the personal columns and dropping the details therefore leaves both digests, and so the chain, intact.
-- Verify checks a v2 row's stored digests against its columns whenever the columns are still there; a row marked
-- anonymised may have them erased (only erased: nulls), never replaced.
--
-- A legacy (v1) row hashed its personal values directly; once erased, its own hash cannot be recomputed. Verify then
-- checks only its place in the chain (its stored hash is the next row's prev_hash) and counts it as `link_only`.

alter table audit_logs
  add column hash_version smallint not null default 1 check (hash_version in (1, 2)),
  -- Chosen by the writer: the sealed details carry it, so a ciphertext moved to another row is refused.
  add column entry_id uuid,
  add column details_sealed bytea,
  add column details_digest bytea,
  add column personal_nonce bytea,
  add column personal_commit bytea,
  add column anonymised_at timestamptz;
alter table audit_logs alter column hash_version set default 2;
-- A sealed row keeps no plaintext; an anonymised row may keep neither.
alter table audit_logs alter column details drop not null;

-- Finding one person's entries (erasure, export, the list's user filter) without scanning the whole trail.
create index audit_logs_actor_idx on audit_logs (actor_id) where actor_id is not null;
create index audit_logs_about_user_idx on audit_logs (target_id) where target_type = 'user';
create index audit_logs_anonymous_label_idx on audit_logs (lower(actor_label)) where actor_id is null;

create function audit_details_digest(details jsonb, sealed bytea) returns bytea language sql immutable as $$
  select case
    when sealed is not null then sha256('\x01'::bytea || sealed)
    when details is not null then sha256('\x02'::bytea || convert_to(details::text, 'UTF8'))
  end
$$;

create function audit_personal_commit(nonce bytea, actor_id uuid, actor_label text, ip inet) returns bytea
language sql immutable as $$
  select sha256(nonce || convert_to(jsonb_build_array(actor_id, actor_label, host(ip))::text, 'UTF8'))
$$;

create function audit_row_hash_v2(
  prev bytea, tenant uuid, seq bigint, entry_id uuid, actor_type text, personal_commit bytea, action text,
  target_type text, target_id text, details_digest bytea, request_id text, created_at timestamptz
) returns bytea language sql immutable as $$
  select sha256(prev || convert_to(jsonb_build_array(
    2, tenant, seq, entry_id, actor_type, encode(personal_commit, 'hex'), action, target_type, target_id,
    encode(details_digest, 'hex'), request_id, extract(epoch from created_at)::numeric
  )::text, 'UTF8'))
$$;

-- Whether one row's content matches its hash (the link to the previous row is checked by the caller).
create function audit_entry_ok(a audit_logs) returns boolean language sql immutable as $$
  select case when a.hash_version = 1 then
    a.anonymised_at is not null
    or a.hash = audit_row_hash(a.prev_hash, a.tenant_id, a.seq, a.actor_type, a.actor_id, a.actor_label, a.action,
                               a.target_type, a.target_id, a.details, a.ip, a.request_id, a.created_at)
  else
    coalesce(
      a.hash = audit_row_hash_v2(a.prev_hash, a.tenant_id, a.seq, a.entry_id, a.actor_type, a.personal_commit,
                                 a.action, a.target_type, a.target_id, a.details_digest, a.request_id, a.created_at)
      and (a.details is null or a.details_sealed is null)
      and (a.personal_commit = audit_personal_commit(a.personal_nonce, a.actor_id, a.actor_label, a.ip)
           or (a.anonymised_at is not null and a.personal_nonce is null and a.actor_id is null
               and a.actor_label is null and a.ip is null))
      and (a.details_digest = audit_details_digest(a.details, a.details_sealed)
           or (a.anonymised_at is not null and a.details is null and a.details_sealed is null)),
      false)
  end
$$;

-- The chain trigger of 002, now writing version 2 rows whatever the writer sent.
create or replace function audit_logs_chain() returns trigger language plpgsql as $$
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
  new.hash_version := 2;
  new.anonymised_at := null;
  new.entry_id := coalesce(new.entry_id, gen_random_uuid());
  if new.details_sealed is not null then
    new.details := null;
  else
    new.details := coalesce(new.details, '{}'::jsonb);
  end if;
  new.details_digest := audit_details_digest(new.details, new.details_sealed);
  -- 244 random bits (two version-4 UUIDs): far beyond guessing, from PostgreSQL's strong random source.
  new.personal_nonce := uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid());
  new.personal_commit := audit_personal_commit(new.personal_nonce, new.actor_id, new.actor_label, new.ip);
  new.hash := audit_row_hash_v2(new.prev_hash, new.tenant_id, new.seq, new.entry_id, new.actor_type,
    new.personal_commit, new.action, new.target_type, new.target_id, new.details_digest, new.request_id,
    new.created_at);
  return new;
end $$;

-- Erasure of one deleted account's personal data in every chain. `app` and `system` still cannot UPDATE audit_logs;
-- this function (run as the migration owner, who is a superuser or has BYPASSRLS, as migrate's ensureRoles needs)
-- is their only way, and it can only erase (set to null), never write a value:
--   * entries BY the person (actor_id, or an anonymous entry naming their email, e.g. a failed sign-in): actor_id,
--     actor_label, ip and the commitment's nonce are erased; the details are kept — they describe what was done to
--     the organisation's resources, which is the organisation's record, and no longer say by whom;
--   * entries ABOUT the person (target user = them, e.g. "user.create" by an admin with their email and role):
--     the details are dropped; the acting admin stays.
-- It refuses while the account exists, so it cannot rewrite the trail of someone still here: the caller deletes the
-- user first, in the same transaction.
create function audit_anonymise_user(p_user uuid, p_email text)
returns table (by_user bigint, about_user bigint)
language plpgsql security definer set search_path = pg_catalog, public as $$
begin
  if exists (select 1 from users u where u.id = p_user) then
    raise exception 'audit_anonymise_user: account % still exists', p_user using errcode = '55000';
  end if;
  return query
  with hits as (
    select a.id,
           (a.actor_id = p_user or (a.actor_id is null and lower(a.actor_label) = lower(p_email))) as mine,
           (a.target_type = 'user' and a.target_id = p_user::text) as about
      from audit_logs a
     where a.actor_id = p_user
        or (a.actor_id is null and lower(a.actor_label) = lower(p_email))
        or (a.target_type = 'user' and a.target_id = p_user::text)
  ), done as (
    update audit_logs a
       set actor_id = case when h.mine then null else a.actor_id end,
           actor_label = case when h.mine then null else a.actor_label end,
           ip = case when h.mine then null else a.ip end,
           personal_nonce = case when h.mine then null else a.personal_nonce end,
           details = case when h.about then null else a.details end,
           details_sealed = case when h.about then null else a.details_sealed end,
           anonymised_at = coalesce(a.anonymised_at, clock_timestamp())
      from hits h
     where a.id = h.id
    returning h.mine, h.about
  )
  select count(*) filter (where d.mine), count(*) filter (where d.about and not d.mine) from done d;
end $$;
revoke execute on function audit_anonymise_user(uuid, text) from public;
grant execute on function audit_anonymise_user(uuid, text) to app, system;

-- What an account deletion removed, kept as proof that it happened (returned to the person, and anchored in the
-- audit chain by an `account.deleted` entry carrying receipt_hash). No email and no user id: subject_hash is
-- sha256(salt ‖ user id ‖ lower(email)) with a salt only the person's copy of the receipt holds, so the row cannot be
-- matched to anyone without it. No foreign key: the receipt outlives the organisation.
create table account_deletion_receipts (
  id uuid primary key,
  tenant_id uuid,
  deleted_at timestamptz not null,
  subject_hash bytea not null,
  removed jsonb not null,
  receipt_hash bytea not null
);
create index account_deletion_receipts_tenant_idx on account_deletion_receipts (tenant_id, deleted_at);
alter table account_deletion_receipts enable row level security;
alter table account_deletion_receipts force row level security;
create policy tenant_isolation on account_deletion_receipts using (tenant_id = (select current_tenant_id()))
  with check (tenant_id = (select current_tenant_id()));
-- Written in the deletion's system transaction; kept: nobody but the owner updates or deletes one.
revoke all on account_deletion_receipts from app;
revoke update, delete, truncate on account_deletion_receipts from system;
