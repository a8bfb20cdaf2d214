-- One capture at a time per device (features/config-backups): a capture first removes leftover `tod-backup-…` files
-- of crashed attempts, which would delete the file of a capture still running on the same device (a scheduled or
-- config-change backup beside a change's pre-change backup). The 'backup' lease serialises them across processes.
alter table device_leases drop constraint device_leases_name_check;
alter table device_leases add constraint device_leases_name_check
  check (name in ('change', 'backup') or name ~ '^session:[0-9]{1,3}$');
