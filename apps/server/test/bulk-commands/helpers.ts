import type { Api } from '../helpers/api.js';
import { expectStatus } from '../helpers/api.js';
import { type RolloutEnv, waitRollout } from '../rollouts/helpers.js';

// Shared by the bulk command tests: start a run through the API, wait for its rollout, read its results.

export type GroupJson = {
  output: string;
  device_ids: string[];
  device_names: string[];
  status: string;
  error: { code: string; message: string } | null;
};
export type ResultsJson = {
  rollout_id: string;
  name: string;
  kind: string;
  status: string;
  commands: string;
  device_count: number;
  counts: Record<string, number>;
  groups: GroupJson[];
  waiting: { device_id: string; status: string }[];
};

export async function runBulk(e: RolloutEnv, api: Api, body: Record<string, unknown>): Promise<string> {
  return expectStatus<{ rollout_id: string }>(await api.post(`${e.base}/bulk-commands`, body), 202).rollout_id;
}

/** Runs `body` and waits until every device ended; the results. */
export async function runAndWait(e: RolloutEnv, api: Api, body: Record<string, unknown>): Promise<ResultsJson> {
  const id = await runBulk(e, api, body);
  await waitRollout(e, id, (r) => r.status === 'completed' || r.status === 'paused', 180_000);
  return results(e, api, id);
}

export async function results(e: RolloutEnv, api: Api, id: string): Promise<ResultsJson> {
  return expectStatus<ResultsJson>(await api.get(`${e.base}/bulk-commands/${id}/results`), 200);
}

/** The 422 of a text that cannot run. */
export async function refused(e: RolloutEnv, api: Api, body: Record<string, unknown>, status = 422) {
  return expectStatus<{ code: string; detail: string; errors?: { path: string; message: string }[] }>(
    await api.post(`${e.base}/bulk-commands`, body),
    status,
  );
}
