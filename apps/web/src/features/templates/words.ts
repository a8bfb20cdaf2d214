import type { DriftDevice, ListElementType, VariableType } from '@/api/templates';

// How templates are put into words: variable types, what a field of each type expects, drift states.

export const typeLabel: Record<VariableType, string> = {
  string: 'Text',
  integer: 'Whole number',
  boolean: 'Yes/no',
  ip: 'IP address',
  cidr: 'Address/prefix (CIDR)',
  list: 'List',
};

export const elementLabel: Record<ListElementType, string> = {
  string: 'of text',
  integer: 'of whole numbers',
  ip: 'of IP addresses',
  cidr: 'of CIDRs',
};

/** An example of a value, as a field's placeholder. */
export const examples: Record<VariableType, string> = {
  string: '',
  integer: '10',
  boolean: '',
  ip: '192.0.2.1',
  cidr: '192.0.2.1/24',
  list: 'one, two',
};

export type DriftState = DriftDevice['drift'];

export const driftLabel: Record<DriftState, string> = {
  in_sync: 'In sync',
  drifted: 'Drifted',
  unknown: 'Not checked yet',
  error: 'Check failed',
};

export const driftTone: Record<DriftState, 'success' | 'warning' | 'neutral' | 'danger'> = {
  in_sync: 'success',
  drifted: 'warning',
  unknown: 'neutral',
  error: 'danger',
};

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
