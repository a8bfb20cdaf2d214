import type { Principal } from '../../platform/auth/principal.js';
import type { LiveMessage } from '../../platform/bus/types.js';
import { canReceiveLive, type LivePermissions } from '../../platform/events/live.js';
import type { SubscribeTenant } from './sse.routes.js';

// The live streams of one API process, per organisation. 1,000 dashboards of an organisation whose 10,000 devices
// report every minute would otherwise mean 170,000 writes and JSON encodings a second. Instead:
//  - a message is encoded once, however many streams receive it;
//  - a message arriving after a quiet second goes out at once; the ones after it are gathered for up to FLUSH_MS,
//    a coalescing type keeping only its latest message per key (per device), and go out together;
//  - each stream gets one write per flush: the frames its permissions allow, the text shared by every stream
//    whose permissions allow the same types.

export type LiveStream = {
  principal: Principal;
  /** Writes a chunk of frames; the stream ends itself if its client is too far behind. */
  write: (text: string) => void;
};

type Room = {
  streams: Set<LiveStream>;
  pending: Map<string, LiveMessage>;
  seq: number;
  timer?: NodeJS.Timeout;
  /** When the last flush went out: a message after a quiet spell is sent without waiting. */
  lastFlush: number;
  unsubscribe: () => void;
};

export type LiveHub = ReturnType<typeof createLiveHub>;

export function createLiveHub(o: {
  subscribe: SubscribeTenant;
  permissions: LivePermissions;
  coalesce?: Readonly<Record<string, (msg: LiveMessage) => string | undefined>>;
  flushMs?: number;
}) {
  const flushMs = o.flushMs ?? 1000;
  const rooms = new Map<string, Room>();

  function frame(msg: LiveMessage) {
    const { tenantId: _t, type, ...data } = msg;
    return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
  }

  function flush(room: Room) {
    room.timer = undefined;
    room.lastFlush = Date.now();
    if (room.pending.size === 0) return;
    const messages = [...room.pending.values()];
    room.pending.clear();
    const frames = messages.map((m) => ({ type: m.type, text: frame(m) }));
    const types = [...new Set(frames.map((f) => f.type))];
    // Streams that may see the same types get the same text, built once.
    const byAllowed = new Map<string, string>();
    for (const stream of [...room.streams]) {
      const allowed = types.map((t) => (canReceiveLive(stream.principal, { type: t }, o.permissions) ? '1' : '0'));
      const key = allowed.join('');
      let text = byAllowed.get(key);
      if (text === undefined) {
        const ok = new Set(types.filter((_, i) => allowed[i] === '1'));
        text = frames
          .filter((f) => ok.has(f.type))
          .map((f) => f.text)
          .join('');
        byAllowed.set(key, text);
      }
      if (text) stream.write(text);
    }
  }

  function receive(room: Room, msg: LiveMessage) {
    const key = o.coalesce?.[msg.type]?.(msg);
    // A new key goes to the end; a repeated one keeps its place with the newest content.
    room.pending.set(key === undefined ? `#${room.seq++}` : `${msg.type}:${key}`, msg);
    if (room.timer) return;
    const wait = Math.max(0, room.lastFlush + flushMs - Date.now());
    if (wait === 0) flush(room);
    else room.timer = setTimeout(() => flush(room), wait);
  }

  return {
    /** Adds a stream to its organisation's room; returns what removes it. */
    join(tenantId: string, stream: LiveStream): () => void {
      let room = rooms.get(tenantId);
      if (!room) {
        const created: Room = {
          streams: new Set(),
          pending: new Map(),
          seq: 0,
          lastFlush: 0,
          unsubscribe: () => {},
        };
        created.unsubscribe = o.subscribe(tenantId, (msg) => receive(created, msg));
        rooms.set(tenantId, created);
        room = created;
      }
      const r = room;
      r.streams.add(stream);
      return () => {
        r.streams.delete(stream);
        if (r.streams.size > 0 || rooms.get(tenantId) !== r) return;
        if (r.timer) clearTimeout(r.timer);
        r.unsubscribe();
        rooms.delete(tenantId);
      };
    },
    get rooms() {
      return rooms.size;
    },
  };
}
