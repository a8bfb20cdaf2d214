// Changes: commands that edit configuration items. Each becomes a PlannedCommand for the safe-change engine,
// which addresses items by their property values (resolved on each device when it sends) — so only selectors
// that mean the same items everywhere are taken: a name, or `[ find a=b c=d ]`.
import { type PlannedCommand, planned, type Where } from '../changes/commands.js';
import { conditionText } from './expr.js';
import type { Arg, BulkCommand, FindSelector, Selector } from './parse.js';
import { propertyNames, refuse } from './refusal.js';

export type ChangeStep = { kind: 'change'; line: number; cli: string; command: PlannedCommand };

export function changeStep(c: BulkCommand): ChangeStep {
  const base = { path: c.path };
  const needItems = (verb: string): Where => {
    if (!c.selector) return refuse(`say which items: ${verb} [ find … ]`);
    return whereOf(c.selector);
  };
  let command: PlannedCommand;
  switch (c.verb) {
    case 'add': {
      const { properties, destination } = props(c.args, 'place-before');
      command = planned({ ...base, verb: 'add', ...nonEmpty(properties), ...(destination ? { destination } : {}) });
      break;
    }
    case 'set': {
      const { properties } = props(c.args);
      if (Object.keys(properties).length === 0) refuse('set needs at least one name=value');
      command = planned({ ...base, verb: 'set', ...(c.selector ? { where: whereOf(c.selector) } : {}), properties });
      break;
    }
    case 'comment': {
      const where = needItems('comment');
      const text = c.args.length === 1 ? c.args[0] : undefined;
      const value = text?.name === 'comment' || (text?.name === '' && text.quoted) ? text.value : undefined;
      if (value === undefined) refuse('comment takes comment="…"', c.args[0]);
      command = planned({ ...base, verb: 'set', where, properties: { comment: value as string } });
      break;
    }
    case 'unset': {
      const unset: string[] = [];
      for (const a of c.args) {
        if (a.name === 'value-name' && a.value) unset.push(...propertyNames(a));
        else if (a.value === undefined && a.find === undefined && a.expr === undefined && a.name !== '')
          unset.push(a.name);
        else refuse('unset takes property names: unset [ find … ] comment', a);
      }
      if (unset.length === 0) refuse('unset needs a property name');
      command = planned({ ...base, verb: 'unset', ...(c.selector ? { where: whereOf(c.selector) } : {}), unset });
      break;
    }
    case 'move': {
      const where = needItems('move');
      let destination: Where | undefined;
      for (const a of c.args) {
        if ((a.name === 'destination' || a.name === '') && a.find && !destination) destination = whereOf(a.find);
        else refuse('move takes destination=[ find … ] (item numbers differ from device to device)', a);
      }
      command = planned({ ...base, verb: 'move', where, ...(destination ? { destination } : {}) });
      break;
    }
    case 'remove':
    case 'enable':
    case 'disable':
    case 'make-static': {
      const where = needItems(c.verb);
      if (c.args[0]) refuse(`${c.verb} takes only the items`, c.args[0]);
      command = planned({ ...base, verb: c.verb as 'remove' | 'enable' | 'disable' | 'make-static', where });
      break;
    }
    default:
      return refuse('edit opens an interactive editor: use set');
  }
  return { kind: 'change', line: c.line, cli: command.cli, command };
}

const nonEmpty = (properties: Record<string, string>) => (Object.keys(properties).length > 0 ? { properties } : {});

function props(args: readonly Arg[], placement?: string): { properties: Record<string, string>; destination?: Where } {
  const properties: Record<string, string> = {};
  let destination: Where | undefined;
  for (const a of args) {
    if (placement && a.name === placement) {
      if (!a.find) refuse(`${placement}= takes [ find … ] (item numbers differ from device to device)`, a);
      destination = whereOf(a.find as FindSelector);
    } else if (a.name === 'copy-from') refuse('copy-from is not supported: write the properties', a);
    else if (a.name === '' || (a.value === undefined && a.find === undefined && a.expr === undefined))
      refuse(`expected name=value, found "${a.name || a.value}"`, a);
    else if (a.find || a.expr !== undefined) refuse(`[ … ] values are not supported (${a.name})`, a);
    else if (a.name.startsWith('.')) refuse(`${a.name} is not a property TOD sets`, a);
    else if (Object.hasOwn(properties, a.name)) refuse(`${a.name} is given twice`, a);
    else properties[a.name] = a.value as string;
  }
  return destination ? { properties, destination } : { properties };
}

/**
 * The items a change addresses, as natural-key values the engine resolves on each device: a name, or a find
 * whose conditions are `name=value` terms joined by and (`disabled` = `disabled=yes`, `!disabled` = `disabled=no`).
 */
export function whereOf(s: Selector): Where {
  if (s.kind === 'name') return { name: s.value };
  const where: Where = {};
  const terms = !s.condition ? [] : s.condition.op === 'and' ? s.condition.items : [s.condition];
  for (const t of terms) {
    let name: string;
    let value: string;
    if (t.op === 'eq') [name, value] = [t.name, t.value];
    else if (t.op === 'flag') [name, value] = [t.name, 'yes'];
    else if (t.op === 'not' && t.item.op === 'flag') [name, value] = [t.item.name, 'no'];
    else
      return refuse(
        `changes pick items by name=value conditions joined by and; "${conditionText(t)}" cannot address items the same way on every device`,
      );
    if (name === '.id') return refuse('.id values differ from device to device');
    if (Object.hasOwn(where, name) && where[name] !== value)
      return refuse(`${name} is given twice with different values`);
    where[name] = value;
  }
  return where;
}
