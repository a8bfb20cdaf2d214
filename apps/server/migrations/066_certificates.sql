-- Certificates (features/certificates): each organisation's certificate authority and the router certificates it
-- signs. Private keys are stored sealed with the organisation's data key (envelope encryption), never in clear.

create table certificate_authorities (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  common_name text not null check (length(common_name) between 1 and 200),
  key_type text not null check (key_type in ('ecdsa-p256', 'rsa-2048')),
  serial text not null check (serial ~ '^[0-9a-f]{2,40}$'),
  fingerprint text not null,
  cert_pem text not null,
  key_sealed bytea not null,
  not_before timestamptz not null,
  not_after timestamptz not null,
  -- The revocation list, re-signed on every revocation (and before it lapses); TOD's TLS checks use it.
  crl_pem text not null,
  crl_next_update timestamptz not null,
  -- 'active': signs new certificates; 'retired': replaced, still trusted until its certificates are gone.
  status text not null default 'active' check (status in ('active', 'retired')),
  created_by text,
  created_at timestamptz not null default now()
);
create unique index certificate_authorities_active_key on certificate_authorities (tenant_id) where status = 'active';

alter table certificate_authorities enable row level security;
alter table certificate_authorities force row level security;
create policy tenant_isolation on certificate_authorities using (tenant_id = (select current_tenant_id()))
  with check (tenant_id = (select current_tenant_id()));

create table device_certificates (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references tenants (id) on delete cascade,
  device_id uuid not null references devices (id) on delete cascade,
  ca_id uuid not null references certificate_authorities (id) on delete cascade,
  serial text not null check (serial ~ '^[0-9a-f]{2,40}$'),
  -- The certificate's name on the router (and of its files while they are uploaded).
  name text not null,
  common_name text not null,
  sans text[] not null default '{}',
  fingerprint text not null,
  cert_pem text not null,
  key_sealed bytea not null,
  not_before timestamptz not null,
  not_after timestamptz not null,
  -- pending → deploying → deployed, or failed; deployed → superseded (rotated) or revoked.
  state text not null default 'pending'
    check (state in ('pending', 'deploying', 'deployed', 'failed', 'superseded', 'revoked')),
  operation_id uuid,
  rollout_id uuid,
  -- The certificate this one replaces on the router (rotation): removed from it once this one is in use.
  replaces_id uuid references device_certificates (id) on delete set null,
  error_code text,
  error_detail text,
  deployed_at timestamptz,
  verified_at timestamptz,
  revoked_at timestamptz,
  revoke_reason text,
  -- When the daily job last started this certificate's successor (it claims a certificate once a day at most).
  rotation_started_at timestamptz,
  created_by text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint device_certificates_serial_key unique (ca_id, serial)
);
-- One certificate on its way to a router at a time, and one in use.
create unique index device_certificates_inflight_key on device_certificates (device_id)
  where state in ('pending', 'deploying');
create unique index device_certificates_deployed_key on device_certificates (device_id) where state = 'deployed';
create index device_certificates_tenant_idx on device_certificates (tenant_id, created_at desc);
create index device_certificates_expiry_idx on device_certificates (not_after) where state = 'deployed';
create index device_certificates_operation_idx on device_certificates (operation_id) where operation_id is not null;
create trigger device_certificates_touch before update on device_certificates
  for each row execute function touch_updated_at();

alter table device_certificates enable row level security;
alter table device_certificates force row level security;
create policy tenant_isolation on device_certificates using (tenant_id = (select current_tenant_id()))
  with check (tenant_id = (select current_tenant_id()));
