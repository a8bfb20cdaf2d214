import { z } from 'zod';

// The terminal WebSocket's control messages (text frames, JSON). Terminal bytes travel in binary frames.

const resize = z.strictObject({
  type: z.literal('resize'),
  cols: z.number().int().min(1).max(1000),
  rows: z.number().int().min(1).max(1000),
});

/** A valid resize request, or undefined for anything else (ignored: a browser bug must not end the session). */
export function resizeMessage(text: string): { cols: number; rows: number } | undefined {
  if (text.length > 200) return undefined;
  try {
    const r = resize.safeParse(JSON.parse(text));
    return r.success ? { cols: r.data.cols, rows: r.data.rows } : undefined;
  } catch {
    return undefined;
  }
}

export type StatusMessage =
  | { type: 'status'; state: 'connecting' | 'connected'; session_id: string }
  | { type: 'status'; state: 'closed'; session_id: string; reason: string }
  | { type: 'error'; code: string; message: string };

export const statusText = (m: StatusMessage) => JSON.stringify(m);

/** WebSocket close codes (4000–4999 are the application's). */
export const CLOSE = { normal: 1000, ended: 4000, refused: 4001, failed: 4002 } as const;
