-- The negotiated rate of each ethernet interface (the poller reads /interface/ethernet/monitor): alert rule previews
-- compute utilisation of the link from the latest figures as evaluation does from the poll result.
alter table device_interfaces add column link_speed_bps bigint;
