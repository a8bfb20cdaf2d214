import '@xterm/xterm/css/xterm.css';
import { useQueryClient } from '@tanstack/react-query';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { Terminal } from '@xterm/xterm';
import { ClipboardCopy, ClipboardPaste, RotateCw, Search } from 'lucide-react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '@/api/errors';
import { runMutation } from '@/api/mutation';
import { openSshSession } from '@/api/remote-access';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { withStyleNonce } from './style-nonce';

// The device's terminal: xterm.js over a WebSocket to /ws/ssh, opened with a single-use token. Binary frames are the
// terminal's bytes both ways; text frames are JSON control messages (resize out, status in). Reconnect asks for a
// new token: a token opens one session only.

type Phase =
  | { state: 'idle' }
  | { state: 'connecting' }
  | { state: 'connected'; sessionId: string }
  | { state: 'closed'; reason: string }
  | { state: 'failed'; reason: string };

const encoder = new TextEncoder();

export function TerminalView({ tenantId, deviceId }: { tenantId: string; deviceId: string }) {
  const queryClient = useQueryClient();
  const host = useRef<HTMLElement>(null);
  const term = useRef<Terminal | null>(null);
  const search = useRef<SearchAddon | null>(null);
  const socket = useRef<WebSocket | null>(null);
  const [phase, setPhase] = useState<Phase>({ state: 'idle' });
  const [finding, setFinding] = useState(false);
  const [needle, setNeedle] = useState('');

  // One xterm for the life of the tab; sessions come and go inside it.
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const t = new Terminal({
      cursorBlink: true,
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
      fontSize: 13,
      scrollback: 5000,
      theme: { background: '#0b0f14', foreground: '#d6dde6' },
    });
    const fit = new FitAddon();
    const s = new SearchAddon();
    t.loadAddon(fit);
    t.loadAddon(s);
    withStyleNonce(() => t.open(el));
    fit.fit();
    t.onData((d) => {
      const ws = socket.current;
      if (ws?.readyState === WebSocket.OPEN) ws.send(encoder.encode(d));
    });
    t.onResize(({ cols, rows }) => {
      const ws = socket.current;
      if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'resize', cols, rows }));
    });
    const observer = new ResizeObserver(() => fit.fit());
    observer.observe(el);
    term.current = t;
    search.current = s;
    return () => {
      observer.disconnect();
      socket.current?.close();
      t.dispose();
      term.current = null;
    };
  }, []);

  const connect = useCallback(async () => {
    const t = term.current;
    if (!t) return;
    socket.current?.close();
    setPhase({ state: 'connecting' });
    let ticket: Awaited<ReturnType<typeof openSshSession.run>>;
    try {
      ticket = await runMutation(queryClient, openSshSession, { tenantId, deviceId });
    } catch (e) {
      setPhase({ state: 'failed', reason: e instanceof ApiError ? e.detail : String(e) });
      return;
    }
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const url = `${scheme}://${window.location.host}${ticket.url}&cols=${t.cols}&rows=${t.rows}`;
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    socket.current = ws;
    ws.onmessage = (m) => {
      if (m.data instanceof ArrayBuffer) {
        t.write(new Uint8Array(m.data));
        return;
      }
      const msg = JSON.parse(String(m.data)) as { type: string; state?: string; reason?: string; message?: string };
      if (msg.type === 'status' && msg.state === 'connected') {
        setPhase({ state: 'connected', sessionId: ticket.session_id });
        t.focus();
      } else if (msg.type === 'status' && msg.state === 'closed')
        setPhase({ state: 'closed', reason: msg.reason ?? '' });
      else if (msg.type === 'error') setPhase({ state: 'failed', reason: msg.message ?? 'the terminal failed' });
    };
    ws.onclose = () => {
      if (socket.current !== ws) return;
      setPhase((p) =>
        p.state === 'connected' || p.state === 'connecting' ? { state: 'closed', reason: 'disconnected' } : p,
      );
    };
  }, [deviceId, tenantId, queryClient]);

  const copy = async () => {
    const text = term.current?.getSelection();
    if (text) await navigator.clipboard.writeText(text);
  };
  const paste = async () => {
    const text = await navigator.clipboard.readText();
    if (text) term.current?.paste(text);
  };

  const live = phase.state === 'connected';
  return (
    <div className="grid gap-2" data-terminal data-terminal-state={phase.state}>
      <div className="flex flex-wrap items-center gap-2">
        {phase.state === 'idle' ? (
          <Button variant="primary" onClick={() => void connect()}>
            Connect
          </Button>
        ) : (
          <Button onClick={() => void connect()} disabled={phase.state === 'connecting'}>
            <RotateCw aria-hidden />
            Reconnect
          </Button>
        )}
        <Button variant="ghost" onClick={() => void copy()} aria-label="Copy selection">
          <ClipboardCopy aria-hidden />
          Copy
        </Button>
        <Button variant="ghost" onClick={() => void paste()} disabled={!live} aria-label="Paste">
          <ClipboardPaste aria-hidden />
          Paste
        </Button>
        <Button variant="ghost" onClick={() => setFinding((f) => !f)} aria-pressed={finding} aria-label="Search output">
          <Search aria-hidden />
          Search
        </Button>
        {finding ? (
          <form
            className="flex items-center gap-1"
            onSubmit={(e) => {
              e.preventDefault();
              search.current?.findNext(needle);
            }}
          >
            <Input
              aria-label="Find in terminal"
              value={needle}
              onChange={(e) => setNeedle(e.target.value)}
              className="h-7 w-48"
            />
            <Button size="sm" type="submit">
              Next
            </Button>
            <Button size="sm" type="button" onClick={() => search.current?.findPrevious(needle)}>
              Previous
            </Button>
          </form>
        ) : null}
        <span className="text-muted-foreground ml-auto text-xs" role="status" data-terminal-status>
          {phase.state === 'idle' && 'Not connected. TOD signs in with the stored credentials; you never see them.'}
          {phase.state === 'connecting' && 'Connecting…'}
          {phase.state === 'connected' && 'Connected'}
          {phase.state === 'closed' && `Session ended: ${phase.reason}`}
          {phase.state === 'failed' && `Could not connect: ${phase.reason}`}
        </span>
      </div>
      <section
        ref={host}
        className="h-[28rem] overflow-hidden rounded-md border bg-[#0b0f14] p-1"
        aria-label="Terminal screen"
      />
    </div>
  );
}
