import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { z } from 'zod';
import { assertCan, can } from '../../platform/auth/permissions.js';
import type { Actor } from '../../platform/auth/principal.js';
import { withTenant } from '../../platform/db/tx.js';
import { AppError, conflictFromPg, notFound } from '../../platform/http/errors.js';
import type { Envelope } from '../../platform/kms/envelope.js';
import { useBy } from '../../platform/kms/key-use.js';
import { recordAudit } from '../audit/audit.service.js';
import { type ChannelRow, type ChannelStats, channelsRepo } from './channels.repo.js';
import type {
  ChannelCreate,
  ChannelItem,
  ChannelUpdate,
  channelCreated,
  EmailConfig,
  templateHelp,
  testResult,
} from './channels.schema.js';
import { deliveriesRepo } from './deliveries.repo.js';
import { channelContext, openTarget, type SealedConfig, testNotice } from './notice.js';
import { validateChannelUrl } from './notify/http.js';
import { type DeliverDeps, deliver } from './notify/send.js';
import { newChannelSecret } from './notify/sign.js';
import { DEFAULT_TEMPLATES, TEMPLATE_MAX_BYTES, TEMPLATE_VARIABLES, validateTemplate } from './notify/template.js';

// Notification channels. Secrets (webhook URLs carry tokens, SMTP passwords, the signing secret) are sealed with
// the organisation's key and never answered; `config` in responses is only what is safe to show.

type Deps = { pools: { app: pg.Pool }; envelope: Envelope; baseUrl: string; send: DeliverDeps };

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const unique = { notification_channels_name_key: ['channel_exists', 'a channel of that name exists'] } as const;

/** What may be shown of a configuration. */
function publicOf(kind: ChannelRow['kind'], c: SealedConfig): Record<string, unknown> {
  if (kind === 'email')
    return {
      to: c.to ?? [],
      host: c.host ?? null,
      port: c.port ?? null,
      username: c.username ?? null,
      use_tls: c.use_tls ?? null,
      from: c.from ?? null,
      has_password: Boolean(c.password),
      system_smtp: !c.host,
    };
  const u = new URL(c.url!);
  return { url_host: u.host, url_scheme: u.protocol.replace(':', '') };
}

function check(kind: ChannelRow['kind'], c: SealedConfig, template: string | null | undefined) {
  if (kind !== 'email') {
    const bad = validateChannelUrl(c.url ?? '');
    if (bad) throw new AppError('invalid_channel', bad, [{ path: 'config.url', message: bad }]);
  } else if (!c.to?.length)
    throw new AppError('invalid_channel', 'an email channel needs recipients', [
      { path: 'config.to', message: 'required' },
    ]);
  if (template) {
    const bad = validateTemplate(template);
    if (bad) throw new AppError('invalid_template', bad, [{ path: 'template', message: bad }]);
  }
}

export function createChannelsService(deps: Deps) {
  const tx = <T>(actor: Actor, fn: (db: pg.PoolClient) => Promise<T>) =>
    withTenant(deps.pools.app, actor.tenantId!, fn);
  const seal = (actor: Actor, tenantId: string, id: string, c: SealedConfig) =>
    deps.envelope.encrypt(tenantId, JSON.stringify(c), channelContext(id), useBy(actor, 'seal'));
  const open = async (actor: Actor, row: ChannelRow) =>
    JSON.parse(
      (
        await deps.envelope.decrypt(row.tenant_id, row.config_sealed, channelContext(row.id), useBy(actor, 'edit'))
      ).toString('utf8'),
    ) as SealedConfig;

  function item(row: ChannelRow & Partial<ChannelStats>, actor: Actor): ChannelItem {
    const write = can(actor.principal, 'notifications.write');
    return {
      id: row.id,
      name: row.name,
      kind: row.kind,
      config: row.config_public,
      severities: row.severities as ChannelItem['severities'],
      template: row.template,
      enabled: row.enabled,
      last_sent_at: iso(row.last_sent_at ?? null),
      last_error: row.last_error ?? null,
      failed_24h: row.failed_24h ?? 0,
      created_at: row.created_at.toISOString(),
      updated_at: row.updated_at.toISOString(),
      policies: { update: write, delete: write, test: can(actor.principal, 'notifications.test') },
    };
  }

  async function getRow(actor: Actor, id: string) {
    const row = await tx(actor, (db) => channelsRepo.get(db, id));
    if (!row) throw notFound('notification channel');
    return row;
  }

  return {
    /** What a message template may say: the editor's help comes from here, not from a copy. */
    templateHelp(actor: Actor): z.infer<typeof templateHelp> {
      assertCan(actor, 'notifications.read');
      return {
        variables: Object.entries(TEMPLATE_VARIABLES).map(([name, description]) => ({ name, description })),
        defaults: {
          firing: DEFAULT_TEMPLATES['alert.firing'],
          resolved: DEFAULT_TEMPLATES['alert.resolved'],
          acknowledged: DEFAULT_TEMPLATES['alert.acknowledged'],
        },
        max_bytes: TEMPLATE_MAX_BYTES,
      };
    },

    async list(actor: Actor) {
      assertCan(actor, 'notifications.read');
      const rows = await tx(actor, (db) => channelsRepo.list(db));
      return { items: rows.map((r) => item(r, actor)) };
    },

    async get(actor: Actor, id: string) {
      assertCan(actor, 'notifications.read');
      return item(await getRow(actor, id), actor);
    },

    async create(actor: Actor, body: ChannelCreate): Promise<z.infer<typeof channelCreated>> {
      assertCan(actor, 'notifications.write');
      const sealed: SealedConfig = { ...body.config };
      check(body.kind, sealed, body.template);
      const secret = body.kind === 'webhook' ? newChannelSecret() : null;
      if (secret) sealed.secret = secret;
      const id = randomUUID();
      const tenantId = actor.tenantId!;
      await tx(actor, async (db) => {
        await channelsRepo
          .insert(db, {
            id,
            tenant_id: tenantId,
            name: body.name,
            kind: body.kind,
            config_public: publicOf(body.kind, sealed),
            config_sealed: await seal(actor, tenantId, id, sealed),
            severities: body.severities ?? ['info', 'warning', 'critical'],
            template: body.template ?? null,
            enabled: body.enabled ?? true,
          })
          .catch((e) => conflictFromPg(e, unique));
        await recordAudit(db, actor, {
          action: 'notification_channel.create',
          targetType: 'notification_channel',
          targetId: id,
          details: { name: body.name, kind: body.kind },
        });
      });
      return { ...(await this.get(actor, id)), secret };
    },

    async update(actor: Actor, id: string, body: ChannelUpdate): Promise<z.infer<typeof channelCreated>> {
      assertCan(actor, 'notifications.write');
      let secret: string | null = null;
      await tx(actor, async (db) => {
        const row = await channelsRepo.get(db, id);
        if (!row) throw notFound('notification channel');
        const set: Parameters<typeof channelsRepo.update>[2] = {
          name: body.name,
          severities: body.severities,
          template: body.template,
          enabled: body.enabled,
        };
        if (body.config || body.rotate_secret) {
          const before = await open(actor, row);
          let next: SealedConfig = before;
          if (body.config) {
            if (row.kind === 'email') {
              const c = body.config as Partial<EmailConfig>;
              next = {
                ...c,
                password: c.password ?? (c.host === undefined || c.host === before.host ? before.password : undefined),
              };
            } else if ('url' in body.config) next = { url: body.config.url, secret: before.secret };
            else throw new AppError('invalid_channel', `a ${row.kind} channel's config is {url}`);
          }
          if (body.rotate_secret) {
            if (row.kind !== 'webhook') throw new AppError('invalid_channel', 'only webhooks have a signing secret');
            secret = newChannelSecret();
            next = { ...next, secret };
          }
          check(row.kind, next, body.template);
          set.config_public = publicOf(row.kind, next);
          set.config_sealed = await seal(actor, row.tenant_id, id, next);
        } else if (body.template) check(row.kind, await open(actor, row), body.template);
        await channelsRepo.update(db, id, set).catch((e) => conflictFromPg(e, unique));
        await recordAudit(db, actor, {
          action: 'notification_channel.update',
          targetType: 'notification_channel',
          targetId: id,
          details: { fields: Object.keys(body), rotated: Boolean(secret) },
        });
      });
      return { ...(await this.get(actor, id)), secret };
    },

    async remove(actor: Actor, id: string) {
      assertCan(actor, 'notifications.write');
      await tx(actor, async (db) => {
        const row = await channelsRepo.get(db, id);
        if (!row) throw notFound('notification channel');
        await channelsRepo.remove(db, id);
        // Rules naming it keep working with their other channels.
        await db.query(
          'update alert_rules set channel_ids = array_remove(channel_ids, $1::uuid) where $1::uuid = any(channel_ids)',
          [id],
        );
        await recordAudit(db, actor, {
          action: 'notification_channel.delete',
          targetType: 'notification_channel',
          targetId: id,
          details: { name: row.name },
        });
      });
    },

    /** Sends a made-up alert now and answers what the receiver said. */
    async test(actor: Actor, id: string): Promise<z.infer<typeof testResult>> {
      assertCan(actor, 'notifications.test');
      const row = await getRow(actor, id);
      const org = await tx(
        actor,
        async (db) =>
          (await db.query<{ id: string; name: string }>('select id, name from tenants where id = $1', [actor.tenantId]))
            .rows[0]!,
      );
      const outcome = await deliver(
        await openTarget(deps.envelope, row, useBy(actor, 'notify_test')),
        testNotice(org, deps.baseUrl, randomUUID()),
        deps.send,
      );
      await tx(actor, async (db) => {
        await deliveriesRepo.insertTest(
          db,
          row.tenant_id,
          id,
          outcome.ok ? 'sent' : 'failed',
          outcome.ok ? null : outcome.reason,
          outcome.status ?? null,
        );
        await recordAudit(db, actor, {
          action: 'notification_channel.test',
          targetType: 'notification_channel',
          targetId: id,
          details: { ok: outcome.ok },
        });
      });
      return { ok: outcome.ok, status: outcome.status ?? null, error: outcome.ok ? null : outcome.reason };
    },
  };
}
export type ChannelsService = ReturnType<typeof createChannelsService>;
