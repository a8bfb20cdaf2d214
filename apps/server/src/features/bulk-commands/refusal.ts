// A command that reads but cannot run as written: thrown by the step builders, turned into a
// `command_unsupported` issue at the command (or at the argument that caused it) by translate.ts.
import type { Arg } from './parse.js';

export class Refusal extends Error {
  constructor(
    message: string,
    readonly column?: number,
  ) {
    super(message);
  }
}

export const refuse = (message: string, at?: Arg): never => {
  throw new Refusal(message, at?.column);
};

/** The API command of a verb in a menu: `/ip/address` + `print` → `/ip/address/print`, `/` + `ping` → `/ping`. */
export const apiPath = (path: string, verb: string) => `${path === '/' ? '' : path}/${verb}`;

/** A value without a name: a bare word (`ether1`) or a quoted one. */
export const isPositional = (a: Arg) =>
  a.name === '' || (a.value === undefined && a.find === undefined && a.expr === undefined);

/** `a,b,c` as property names. */
export function propertyNames(a: Arg): string[] {
  const list = (a.value ?? '').split(',').filter(Boolean);
  if (list.length === 0 || !list.every((n) => /^[A-Za-z0-9.][A-Za-z0-9._-]*$/.test(n)))
    refuse(`${a.name}= takes property names separated by commas`, a);
  return list;
}
