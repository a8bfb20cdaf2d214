-- Sightings of a MAC TOD did not know yet (features/topology), matched when a router reports owning it: ingest looks
-- them up by MAC on every batch that carries interfaces.
create index topology_observations_pending_idx on topology_observations (tenant_id, remote_mac)
  where remote_device_id is null and remote_mac is not null;
