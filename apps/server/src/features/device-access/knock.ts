import net from 'node:net';
import { decodeWord, encodeSentence, SentenceDecoder } from '@tod/routeros';

// The scan's knock: is anything listening on host:port, and is it the RouterOS API? With `askRouterOS`, one fixed
// command is sent without logging in; RouterOS answers `!fatal` ("not logged in") and closes, the signature that
// tells it from any other service. Nothing the peer sends leaves this function but that yes or no. The caller has
// already checked the address against the target policy.

export type KnockResult = { open: boolean; routeros: boolean };

const QUESTION = encodeSentence(['/system/identity/print']);

export function knock(address: string, port: number, timeoutMs: number, askRouterOS: boolean): Promise<KnockResult> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port });
    const decoder = new SentenceDecoder({ maxWordBytes: 4096, maxSentenceWords: 64 });
    let open = false;
    let settled = false;
    const done = (routeros: boolean) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      clearTimeout(timer);
      resolve({ open, routeros });
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on('connect', () => {
      open = true;
      if (!askRouterOS) return done(false);
      socket.write(QUESTION);
    });
    socket.on('data', (chunk) => {
      try {
        const [sentence] = decoder.push(chunk);
        if (!sentence) return;
        done(['!fatal', '!trap', '!done'].includes(decodeWord(sentence[0] ?? Buffer.alloc(0))));
      } catch {
        done(false);
      }
    });
    socket.on('error', () => done(false));
    socket.on('close', () => done(false));
  });
}
