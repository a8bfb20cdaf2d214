-- The demo organisation (a simulated fleet for trying TOD) is flagged so every screen can label it and one action
-- can remove it.
alter table tenants add column is_demo boolean not null default false;
create unique index tenants_one_demo on tenants (is_demo) where is_demo;
