import { type Actor, actorId, actorLabel } from '../auth/principal.js';

// Who uses a tenant's data key, and why: every encrypt and decrypt of a secret names it, so the key-access log
// (the transparency log) can say "the poller opened device X's password to poll it" or "alice@… revealed a backup".

export type KeyActorKind = 'user' | 'api_key' | 'poller' | 'worker' | 'system';

export type KeyActor = { kind: KeyActorKind; id: string | null; label: string };

export type KeyUse = {
  actor: KeyActor;
  /** Why, in a word or two: `poll`, `backup`, `change`, `reveal`, `notify`, `seal`… */
  purpose: string;
};

/** The key actor of a request's caller. */
export function keyActorOf(actor: Actor): KeyActor {
  const p = actor.principal;
  return { kind: p.kind, id: actorId(p), label: actorLabel(p) };
}

/** TOD's own background roles. */
export const pollerActor: KeyActor = { kind: 'poller', id: null, label: 'poller' };
export const workerActor = (job: string): KeyActor => ({ kind: 'worker', id: null, label: `worker:${job}` });

export const useBy = (actor: Actor, purpose: string): KeyUse => ({ actor: keyActorOf(actor), purpose });
export const useByWorker = (job: string, purpose = job): KeyUse => ({ actor: workerActor(job), purpose });
export const useByPoller = (purpose = 'poll'): KeyUse => ({ actor: pollerActor, purpose });
/** TOD itself outside a request or a role (the CLI's `tod keys …`). */
export const useBySystem = (name: string, purpose: string): KeyUse => ({
  actor: { kind: 'system', id: null, label: `system:${name}` },
  purpose,
});
