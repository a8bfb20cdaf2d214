// Syslog over TCP (RFC 6587): each message is either octet-counted (`LEN SP MSG`) or ends at a line feed
// (non-transparent framing, a message starting with `<`). A sender may mix them; each frame says which by its
// first byte. Memory is bounded by `maxFrame`: a longer frame (or a line that never ends) is a framing error and
// the caller closes the connection.

export class FrameError extends Error {}

export class SyslogFramer {
  private buf: Buffer = Buffer.alloc(0);

  constructor(private readonly maxFrame: number) {}

  /** Feeds bytes; returns the complete frames in them. Throws FrameError on a frame over the limit or bad framing. */
  push(chunk: Buffer): Buffer[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const frames: Buffer[] = [];
    let pos = 0;
    for (;;) {
      // Stray line ends between frames (some senders end octet-counted frames with one anyway).
      while (pos < this.buf.length && (this.buf[pos] === 0x0a || this.buf[pos] === 0x0d || this.buf[pos] === 0)) pos++;
      if (pos >= this.buf.length) break;
      const first = this.buf[pos] as number;
      if (first >= 0x30 && first <= 0x39) {
        const sp = this.buf.indexOf(0x20, pos);
        const digits = (sp < 0 ? this.buf.length : sp) - pos;
        if (digits > 6) throw new FrameError('octet count too long');
        if (sp < 0) break;
        const text = this.buf.toString('latin1', pos, sp);
        if (!/^[1-9]\d*$/.test(text)) throw new FrameError('malformed octet count');
        const len = Number(text);
        if (len > this.maxFrame) throw new FrameError(`frame of ${len} bytes over ${this.maxFrame}`);
        if (this.buf.length < sp + 1 + len) break;
        frames.push(this.buf.subarray(sp + 1, sp + 1 + len));
        pos = sp + 1 + len;
      } else if (first === 0x3c) {
        const lf = this.buf.indexOf(0x0a, pos);
        if (lf < 0) {
          if (this.buf.length - pos > this.maxFrame) throw new FrameError(`line over ${this.maxFrame} bytes`);
          break;
        }
        if (lf - pos > this.maxFrame) throw new FrameError(`line over ${this.maxFrame} bytes`);
        frames.push(this.buf.subarray(pos, lf));
        pos = lf + 1;
      } else throw new FrameError('not syslog framing');
    }
    // Keep only the unfinished tail (copied, so the frames handed out do not pin a large chunk).
    this.buf = pos >= this.buf.length ? Buffer.alloc(0) : Buffer.from(this.buf.subarray(pos));
    return frames;
  }

  /** Bytes held for an unfinished frame. */
  get pending(): number {
    return this.buf.length;
  }
}
