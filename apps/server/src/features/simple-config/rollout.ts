import type { z } from 'zod';
import { assertCan } from '../../platform/auth/permissions.js';
import type { Actor } from '../../platform/auth/principal.js';
import type { RolloutKind } from '../rollouts/kinds.js';
import type { RolloutsService } from '../rollouts/rollouts.service.js';
import { type Tab, tabs } from './forms.js';
import { checkSimpleConfig } from './plan.js';
import { tabTitles } from './request.js';
import type { rolloutBody } from './simple-config.schema.js';
import { parseForm, planFailed, type SimpleConfigService } from './simple-config.service.js';

// The same Simple Config form on many devices: a rollout whose every device is one simple_config operation. The
// form travels in the rollout's sealed payload (it may hold a PPPoE password or a Wi-Fi passphrase) and is checked
// again per device when its step runs (the device's own login user may not be changed through it).

export const SIMPLE_CONFIG_ROLLOUT = 'simple_config';

export function simpleConfigKind(svc: () => SimpleConfigService): RolloutKind {
  return {
    changes: true,
    operation: async ({ actor, device, payload }) => {
      const { tab, form } = payload as { tab: Tab; form: unknown };
      return svc().operationSpec(actor, device.device_id, tab, form);
    },
  };
}

export async function startSimpleConfigRollout(
  rollouts: RolloutsService,
  actor: Actor,
  tab: Tab,
  body: z.infer<typeof rolloutBody>,
) {
  assertCan(actor, 'changes.apply');
  if (!tabs.includes(tab)) throw new Error(`unknown tab ${tab}`);
  const form = parseForm(tab, body.form);
  try {
    checkSimpleConfig(tab, form, {});
  } catch (e) {
    planFailed(e);
  }
  return rollouts.create(actor, {
    kind: SIMPLE_CONFIG_ROLLOUT,
    name: `Simple Config: ${tabTitles[tab]}`,
    targets: body.targets,
    options: body.rollout,
    request: { tab },
    payload: { tab, form },
  });
}
