import { describe, expect, it } from 'vitest';
import { type EvalState, type RuleParams, step } from '../../src/features/alerts/state.js';

const rule: RuleParams = {
  operator: '>',
  threshold: 90,
  durationPolls: 3,
  durationSeconds: null,
  clearPolls: 2,
  flapTransitions: 4,
  flapWindowSeconds: 600,
};
const t0 = Date.parse('2026-12-01T10:00:00Z');
const at = (i: number) => new Date(t0 + i * 60_000);

/** Feeds values one poll a minute; answers the actions and the final state. */
function run(values: number[], r = rule, start?: EvalState) {
  let s = start;
  const actions: Array<string | null> = [];
  values.forEach((v, i) => {
    const out = step(r, s, v, at(i));
    if (!out) throw new Error('not evaluated');
    s = out.state;
    if (out.action === 'open') s.alertId = `a${i}`;
    if (out.action === 'close') s.alertId = null;
    actions.push(out.action);
  });
  return { actions, state: s! };
}

describe('alert state machine', () => {
  it('fires after N breaching polls in a row and resolves after M clear ones', () => {
    const { actions } = run([95, 95, 50, 95, 95, 95, 96, 10, 95, 10, 10]);
    // 95,95 then a clear poll resets the count; three in a row fire; one clear poll does not resolve (the open
    // alert's latest value follows); two do.
    expect(actions).toEqual([null, null, null, null, null, 'open', 'value', 'value', 'value', 'value', 'close']);
  });

  it('waits for the duration as well as the polls (the offline grace period)', () => {
    const r = { ...rule, durationPolls: 1, durationSeconds: 150 };
    // Polls a minute apart: breaching at 0, 60, 120 s is not yet 150 s; the poll at 180 s fires.
    expect(run([95, 95, 95, 95], r).actions).toEqual([null, null, null, 'open']);
  });

  it('a result not newer than the last one evaluated changes nothing (a redelivered batch)', () => {
    const { state } = run([95, 95]);
    expect(step(rule, state, 95, at(1))).toBeNull();
    expect(step(rule, state, 95, at(0))).toBeNull();
  });

  it('holds a flapping alert open instead of resolving and firing again, and settles once stable', () => {
    const r = { ...rule, durationPolls: 1, clearPolls: 1 };
    const { actions, state } = run([95, 10, 95, 10, 95, 10, 10, 10], r);
    // open, close, open: three transitions; the 4th (a clear) makes it flapping: held open, nothing sent.
    expect(actions.slice(0, 4)).toEqual(['open', 'close', 'open', 'flapping']);
    expect(state.flapping).toBe(true);
    expect(state.alertId).not.toBeNull();
    // Ten quiet minutes later (the window) it settles to what the condition is: clear, so it resolves.
    const later = step(r, state, 10, new Date(at(7).getTime() + 600_000));
    expect(later?.action).toBe('close');
    expect(later?.state.flapping).toBe(false);
  });

  it('stays firing when it settles while breaching (no second fire)', () => {
    const r = { ...rule, durationPolls: 1, clearPolls: 1 };
    const { state } = run([95, 10, 95, 10, 95], r);
    expect(state.flapping).toBe(true);
    const later = step(r, state, 99, new Date(at(4).getTime() + 700_000));
    expect(later?.action).toBe('steady');
    expect(later?.state.alertId).toBe(state.alertId);
  });

  it('compares with every operator', () => {
    for (const [op, v, fire] of [
      ['>=', 90, true],
      ['<', 89, true],
      ['<=', 91, false],
      ['==', 90, true],
      ['!=', 90, false],
    ] as const) {
      const { actions } = run([v], { ...rule, operator: op, durationPolls: 1 });
      expect(actions[0] === 'open', `${op} ${v}`).toBe(fire);
    }
  });
});
