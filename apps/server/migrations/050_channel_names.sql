-- Channel names are unique per organisation whatever their case ("NOC" and "noc" are one name), enforced by the
-- index alone: a rename to a taken name is a 409 like a creation, with no check-then-insert race.
alter table notification_channels drop constraint notification_channels_tenant_id_name_key;
create unique index notification_channels_name_key on notification_channels (tenant_id, lower(name));
