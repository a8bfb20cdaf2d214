-- Registrations of a MAC TOD did not know yet (features/wireless: an AP polled before its CPE), matched when a router
-- reports owning it: ingest looks them up by MAC on every batch that carries interfaces.
create index wireless_registrations_pending_idx on wireless_registrations (tenant_id, mac) where peer_device_id is null;
