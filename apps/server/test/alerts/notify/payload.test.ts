import { describe, expect, it } from 'vitest';
import { slackBody, teamsBody } from '../../../src/features/alerts/notify/chat.js';
import { alertEmail } from '../../../src/features/alerts/notify/email.js';
import { webhookBody } from '../../../src/features/alerts/notify/payload.js';
import { NOW, notice } from './fixtures.js';

describe('webhook body', () => {
  it('has exactly the documented keys, in snake_case', () => {
    const n = notice({ interface: 'ether1', acknowledgedBy: 'ana', acknowledgedNote: 'on it', inMaintenance: true });
    expect(webhookBody(n, 'the message')).toStrictEqual({
      event: 'alert.firing',
      status: 'firing',
      rule: { id: 'rule-1', name: 'CPU high' },
      severity: 'critical',
      device: { id: 'dev-1', name: 'core-router-1', host: '10.0.0.1' },
      site: null,
      sector: null,
      metric: 'cpu_load',
      interface: 'ether1',
      operator: '>',
      value: 95,
      threshold: 90,
      unit: '%',
      started_at: '2026-05-01T14:03:00.000Z',
      resolved_at: null,
      acknowledged_by: 'ana',
      note: 'on it',
      in_maintenance: true,
      organisation: { id: 'org-1', name: 'Acme' },
      url: 'https://tod.example/alerts/alert-1',
      alert_id: 'alert-1',
      delivery_id: 'dlv-1',
      message: 'the message',
      test: false,
    });
  });

  it('names the site and sector of a site alert, which has no device', () => {
    const n = notice({
      device: null,
      site: { id: 'site-1', name: 'Tower North' },
      sector: { id: 'sec-1', name: 'East' },
      metric: 'sector_avg_signal',
      operator: '<',
      value: -79,
      threshold: -75,
      unit: 'dBm',
    });
    const b = webhookBody(n, 'the message');
    expect(b).toMatchObject({
      device: null,
      site: { id: 'site-1', name: 'Tower North' },
      sector: { id: 'sec-1', name: 'East' },
    });
    const fields = slackBody(n, 'm', NOW).blocks.flatMap((x) => ('fields' in x ? x.fields : []));
    expect(fields).toContainEqual({ type: 'mrkdwn', text: '*Site*\nTower North' });
    expect(fields).toContainEqual({ type: 'mrkdwn', text: '*Sector*\nEast' });
    expect(fields.some((f) => f?.text.startsWith('*Device*'))).toBe(false);
    expect(alertEmail(n, 'm', NOW).subject).toBe('m');
  });
});

/** Every mrkdwn text object's text, however deep. */
function mrkdwnTexts(v: unknown): string[] {
  if (Array.isArray(v)) return v.flatMap(mrkdwnTexts);
  if (v === null || typeof v !== 'object') return [];
  const o = v as Record<string, unknown>;
  const own = o.type === 'mrkdwn' && typeof o.text === 'string' ? [o.text] : [];
  return [...own, ...Object.values(o).flatMap(mrkdwnTexts)];
}

describe('Slack body', () => {
  it('is a header, the message, the facts and a context line, with a text fallback', () => {
    const b = slackBody(notice(), 'CPU is high', NOW);
    expect(b.text).toBe('CPU is high');
    expect(b.blocks.map((x) => x.type)).toEqual(['header', 'section', 'section', 'context']);
    expect(b.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: '🔴 CRITICAL: CPU load on core-router-1', emoji: true },
    });
    expect(b.blocks[1]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: 'CPU is high' } });
    const fields = b.blocks.flatMap((x) => ('fields' in x ? x.fields : []));
    expect(fields).toContainEqual({ type: 'mrkdwn', text: '*Value*\n95%' });
    expect(fields).toContainEqual({ type: 'mrkdwn', text: '*Device*\ncore-router-1 (10.0.0.1)' });
    expect(JSON.stringify(b.blocks.at(-1))).toContain('<https://tod.example/alerts/alert-1|Open in TOD>');
  });

  it('puts at most ten fields in a section', () => {
    const n = notice({ acknowledgedBy: 'ana', acknowledgedNote: 'on it', inMaintenance: true, interface: 'ether1' });
    const sections = slackBody(n, 'm', NOW).blocks.filter((x) => 'fields' in x);
    expect(sections.map((x) => x.fields?.length)).toEqual([10, 3]);
  });

  it('escapes what operators typed, so a device name cannot mention @channel or make a link', () => {
    const n = notice({ device: { id: 'd', name: '<!channel> <https://evil.test|x> & co', host: 'h' } });
    const b = slackBody(n, `alert on ${n.device!.name}`, NOW);
    // Slack parses mentions and links in mrkdwn text and in the fallback text; plain_text (the header) is shown as is.
    const mrkdwn = [b.text, ...mrkdwnTexts(b.blocks)];
    expect(mrkdwn.length).toBeGreaterThan(3);
    for (const t of mrkdwn) {
      expect(t).not.toContain('<!channel>');
      expect(t).not.toContain('<https://evil.test');
    }
    expect(b.text).toBe('alert on &lt;!channel&gt; &lt;https://evil.test|x&gt; &amp; co');
    expect(b.blocks[0]).toMatchObject({ text: { type: 'plain_text' } });
  });

  it('keeps the header within 150 characters', () => {
    const n = notice({ device: { id: 'd', name: 'r'.repeat(300), host: 'h' } });
    const header = slackBody(n, 'm', NOW).blocks[0] as { text: { text: string } };
    expect(header.text.text.length).toBeLessThanOrEqual(150);
  });
});

describe('Teams body', () => {
  it('is a message with one Adaptive Card 1.4: text blocks, a fact set, a link', () => {
    const b = teamsBody(
      notice({ event: 'alert.resolved', status: 'resolved', resolvedAt: NOW.toISOString() }),
      'ok now',
      NOW,
    );
    expect(b.type).toBe('message');
    expect(b.attachments).toHaveLength(1);
    const a = b.attachments[0]!;
    expect(a.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(a.content.type).toBe('AdaptiveCard');
    expect(a.content.version).toBe('1.4');
    expect(a.content.body.map((x) => x.type)).toEqual(['TextBlock', 'TextBlock', 'FactSet']);
    expect(a.content.body[0]).toMatchObject({ text: 'RESOLVED: CPU load on core-router-1', color: 'Good' });
    expect(a.content.body[1]).toMatchObject({ text: 'ok now', wrap: true });
    expect(a.content.body[2]!.facts).toContainEqual({ title: 'Duration', value: '30m' });
    expect(a.content.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Open in TOD', url: 'https://tod.example/alerts/alert-1' },
    ]);
  });
});

describe('email', () => {
  it('escapes HTML and keeps the subject to one line', () => {
    const n = notice({ device: { id: 'd', name: '<script>alert(1)</script>', host: '"h"' } });
    const m = alertEmail(n, `[CRITICAL] on ${n.device!.name}\nsecond line`, NOW);
    expect(m.subject).toBe('[CRITICAL] on <script>alert(1)</script>');
    expect(m.html).not.toContain('<script>');
    expect(m.html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(m.html).toContain('&#34;h&#34;');
    expect(m.html).toContain('<a href="https://tod.example/alerts/alert-1">Open in TOD</a>');
    expect(m.text).toContain('Device: <script>alert(1)</script> ("h")');
    expect(m.text).toContain('Open in TOD: https://tod.example/alerts/alert-1');
  });

  it('a flag alert shows no value or threshold', () => {
    const m = alertEmail(
      notice({ metric: 'device_offline', value: 1, threshold: 1, operator: '==', unit: null }),
      'x',
      NOW,
    );
    expect(m.text).toContain('Metric: Device offline');
    expect(m.text).not.toContain('Threshold');
    expect(m.text).not.toContain('Value');
  });
});
