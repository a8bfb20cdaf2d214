-- A poll result redelivered by the bus (JetStream after a worker crash) wrote its device events a second time, and
-- every stored device event is now also a domain event that handlers act on. A device has at most one event of a
-- type per poll (the poll's time is the event's created_at), so that triple identifies it: keep the first copy.
delete from events a using events b
 where a.device_id = b.device_id and a.type = b.type and a.created_at = b.created_at and a.id > b.id;
create unique index events_once_idx on events (device_id, type, created_at);
