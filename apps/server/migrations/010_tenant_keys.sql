-- Per-tenant data keys for envelope encryption. A data key is stored only wrapped by the key provider
-- (local: a key derived from CREDENTIAL_ENCRYPTION_KEY; transit: OpenBao/Vault). Versions allow rotation: new
-- ciphertexts use the newest version, old ones keep decrypting with theirs.
create table tenant_keys (
  tenant_id uuid not null references tenants (id) on delete cascade,
  version int not null check (version > 0),
  provider text not null,
  key_ref text not null,
  wrapped_key bytea not null,
  created_at timestamptz not null default now(),
  primary key (tenant_id, version)
);
alter table tenant_keys enable row level security;
alter table tenant_keys force row level security;
create policy tenant_isolation on tenant_keys
  using (tenant_id = current_tenant_id()) with check (tenant_id = current_tenant_id());
revoke update, delete on tenant_keys from app;
