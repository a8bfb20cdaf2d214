-- SSH to devices (features/device-access, for configuration backups): the port TOD connects to, and the host key
-- pinned on first use (its fingerprint as OpenSSH shows it, `SHA256:` + base64). Null until the first SSH session;
-- a different key later is refused (`ssh_host_key_mismatch`) until an admin clears the pin.
alter table devices
  add column ssh_port int not null default 22 check (ssh_port between 1 and 65535),
  add column ssh_host_key text check (ssh_host_key ~ '^SHA256:[A-Za-z0-9+/]{43}$');
