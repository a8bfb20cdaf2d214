// A device's WinBox port (RouterOS's default 8291). WinBox's protocol is proprietary and is NOT emulated: the
// listener echoes every byte it receives back, which is enough to test what carries WinBox traffic (TOD's WinBox
// tunnels) end to end. What RouterOS does around the port is modelled: `/ip service` `winbox` disabled closes the
// listener (connections refused) and the open connections; its `address=` list and the input firewall turn
// connections away (reachability.ts); reboots, `refuse` and flaps stop it with the device. Each connection counts
// the bytes it received and sent back (`bytesIn`, `bytesOut`; find it in `device.sessions`, service `winbox`).
import type net from 'node:net';
import type { Device, SessionLike } from './device.js';
import { turnAway } from './reachability.js';
import { clientAddress } from './session.js';

// Session ids of WinBox connections, apart from the API's and SSH's.
let nextId = 2_000_000;

export class WinboxConnection implements SessionLike {
  readonly id = nextId++;
  readonly service = 'winbox';
  readonly remote: string;
  bytesIn = 0;
  bytesOut = 0;

  constructor(
    readonly device: Device,
    private readonly socket: net.Socket,
  ) {
    this.remote = clientAddress(socket);
    socket.on('data', (chunk: Buffer) => {
      this.bytesIn += chunk.length;
      this.bytesOut += chunk.length;
      socket.write(chunk);
    });
  }

  drop(): void {
    this.socket.destroy();
  }

  /** Black-holed: nothing is read, so nothing is echoed. */
  blackhole(on: boolean): void {
    if (on) this.socket.pause();
    else this.socket.resume();
  }
}

/** A TCP connection to the device's WinBox port. */
export function acceptWinbox(device: Device, raw: net.Socket): void {
  raw.on('error', () => {});
  if (!device.serviceAccepting('winbox')) {
    raw.resetAndDestroy();
    return;
  }
  const verdict = device.admit('winbox', clientAddress(raw));
  if (verdict !== 'accept') {
    turnAway(raw, verdict, device);
    return;
  }
  const conn = new WinboxConnection(device, raw);
  device.sessions.add(conn);
  raw.on('close', () => device.sessionEnded(conn));
}
