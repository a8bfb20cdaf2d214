import { clip, sourceOf, subjectOf, tagOf } from './format.js';
import { factsOf } from './payload.js';
import type { AlertNotice } from './types.js';

// Slack incoming-webhook and Microsoft Teams workflow-webhook bodies. Both carry the rendered message, the facts
// and a link to the alert. Device names, rule names and notes are whatever an operator typed: in Slack they are
// escaped so they cannot mention @channel or make a link.

/** Slack's three control characters; everything else is text. */
export const escapeSlack = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** "CRITICAL: CPU load on core-router-1". */
export function headlineOf(n: AlertNotice): string {
  return `${n.test ? 'TEST ' : ''}${tagOf(n)}: ${subjectOf(n)} on ${sourceOf(n)}`;
}

const EMOJI: Record<string, string> = {
  critical: '🔴',
  warning: '🟠',
  info: '🔵',
  resolved: '✅',
  acknowledged: '👀',
};
const emojiOf = (n: AlertNotice) => EMOJI[n.status === 'firing' ? n.severity : n.status] ?? '';

export function slackBody(n: AlertNotice, message: string, now: Date = new Date()) {
  const facts = factsOf(n, now).map((f) => ({
    type: 'mrkdwn' as const,
    text: clip(`*${escapeSlack(f.title)}*\n${escapeSlack(f.value)}`, 2000),
  }));
  const fieldBlocks = [];
  // A section holds at most ten fields.
  for (let i = 0; i < facts.length; i += 10) fieldBlocks.push({ type: 'section', fields: facts.slice(i, i + 10) });
  const link = `<${escapeSlack(n.url)}|Open in TOD>`;
  return {
    text: clip(escapeSlack(message), 3000),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: clip(`${emojiOf(n)} ${headlineOf(n)}`, 150), emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: clip(escapeSlack(message), 3000) } },
      ...fieldBlocks,
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `${link} · ${escapeSlack(n.organisation.name)} · alert ${n.alertId}` }],
      },
    ],
  };
}

const TEAMS_COLOUR: Record<string, string> = {
  critical: 'Attention',
  warning: 'Warning',
  info: 'Accent',
  resolved: 'Good',
  acknowledged: 'Default',
};

/** A Teams "post to a channel when a webhook request is received" workflow takes a message with an Adaptive Card. */
export function teamsBody(n: AlertNotice, message: string, now: Date = new Date()) {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            {
              type: 'TextBlock',
              text: headlineOf(n),
              size: 'Medium',
              weight: 'Bolder',
              color: TEAMS_COLOUR[n.status === 'firing' ? n.severity : n.status] ?? 'Default',
              wrap: true,
            },
            { type: 'TextBlock', text: message, wrap: true },
            { type: 'FactSet', facts: factsOf(n, now) },
          ],
          actions: [{ type: 'Action.OpenUrl', title: 'Open in TOD', url: n.url }],
          msteams: { width: 'Full' },
        },
      },
    ],
  };
}
