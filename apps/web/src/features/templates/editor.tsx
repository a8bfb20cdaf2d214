import { Loader2, Plus, Save } from 'lucide-react';
import type { ApiError } from '@/api/errors';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { BodyEditor } from './body-editor';
import { blankVariable, type Draft } from './draft';
import { GroupValues } from './group-values';
import { VariablesTable } from './variables-table';

// Editing a template: name, description, the body, its variables and the values per device group. Saving checks
// the syntax and that every variable the body reads is declared; the server's problems land where they belong
// (a line of the body, a variable's row), and an undeclared variable can be declared in one click.

export type SaveProblems = {
  /** Inline errors by field name (name, description, body). */
  fields: Record<string, string>;
  /** Lines of the body with a problem. */
  lines: Set<number>;
  /** Problems of the body that name no field: syntax, an undeclared variable. */
  body: { message: string; undeclared?: string }[];
  /** By variable row. */
  rows: Record<number, string>;
  /** Anything else. */
  general?: string;
};

/** Where each of the server's problems belongs. */
export function problemsOf(err: ApiError | null): SaveProblems {
  const out: SaveProblems = { fields: {}, lines: new Set(), body: [], rows: {} };
  if (!err) return out;
  if (err.code === 'template_exists') {
    out.fields.name = err.detail;
    return out;
  }
  for (const e of err.fieldErrors) {
    const line = /^body:(\d+)$/.exec(e.path);
    const row = /^body\.variables\.(\d+)/.exec(e.path);
    const field = /^body\.(name|description|body)$/.exec(e.path);
    if (line) {
      out.lines.add(Number(line[1]));
      out.body.push({ message: `Line ${line[1]}: ${e.message}` });
    } else if (err.code === 'template_invalid' && e.path.startsWith('body.')) {
      const name = e.path.slice('body.'.length);
      out.body.push({ message: e.message, ...(name.startsWith('device.') ? {} : { undeclared: name }) });
    } else if (row) out.rows[Number(row[1])] = e.message;
    else if (field?.[1]) out.fields[field[1]] = e.message;
    else out.general = err.detail;
  }
  if (err.fieldErrors.length === 0) out.general = err.detail;
  return out;
}

export function TemplateEditor(props: {
  tenantId: string;
  draft: Draft;
  onChange: (d: Draft) => void;
  readOnly: boolean;
  saving: boolean;
  error: ApiError | null;
  /** Refused before sending (a masked secret would be saved as the mask). */
  problem?: string;
  dirty: boolean;
  saveLabel: string;
  onSave: () => void;
}) {
  const d = props.draft;
  const p = problemsOf(props.error);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => props.onChange({ ...d, [k]: v });
  const declare = (name: string) => props.onChange({ ...d, variables: [...d.variables, { ...blankVariable(), name }] });
  const declared = new Set(d.variables.map((v) => v.name));

  return (
    <form
      className="grid gap-5"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSave();
      }}
    >
      <Card>
        <CardHeader title="Template" />
        <div className="grid gap-4 p-4">
          <div className="grid gap-4 sm:grid-cols-2">
            <Field id="template-name" label="Name" {...(p.fields.name ? { error: p.fields.name } : {})}>
              <Input
                id="template-name"
                value={d.name}
                readOnly={props.readOnly}
                aria-invalid={p.fields.name ? true : undefined}
                onChange={(e) => set('name', e.target.value)}
              />
            </Field>
            <Field
              id="template-description"
              label="Description"
              {...(p.fields.description ? { error: p.fields.description } : {})}
            >
              <Input
                id="template-description"
                value={d.description}
                readOnly={props.readOnly}
                onChange={(e) => set('description', e.target.value)}
              />
            </Field>
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor="template-body">Body</Label>
            <BodyEditor
              id="template-body"
              value={d.body}
              readOnly={props.readOnly}
              onChange={(v) => set('body', v)}
              badLines={p.lines}
              describedBy="template-body-help"
            />
            <p id="template-body-help" className="text-xs text-muted-foreground">
              RouterOS script with Liquid tags: <code className="font-mono">{'{{ variable }}'}</code>,{' '}
              <code className="font-mono">{'{% if %}'}</code>, <code className="font-mono">{'{% for %}'}</code>. Built
              in: <code className="font-mono">device.name</code>, <code className="font-mono">identity</code>,{' '}
              <code className="font-mono">host</code>, <code className="font-mono">model</code>,{' '}
              <code className="font-mono">version</code>, <code className="font-mono">major</code>,{' '}
              <code className="font-mono">site</code>, <code className="font-mono">tags</code>,{' '}
              <code className="font-mono">interfaces</code>. Filters: <code className="font-mono">ros</code> (quotes a
              value), <code className="font-mono">yesno</code>, <code className="font-mono">address</code>,{' '}
              <code className="font-mono">network</code>, <code className="font-mono">host: n</code>.
            </p>
            {p.fields.body ? (
              <p role="alert" className="text-xs text-destructive">
                {p.fields.body}
              </p>
            ) : null}
            {p.body.length > 0 ? (
              <div role="alert" data-body-errors>
                <ul className="grid gap-1 text-xs text-destructive">
                  {p.body.map((b) => (
                    <li key={b.message} className="flex flex-wrap items-center gap-2">
                      {b.message}
                      {b.undeclared && !declared.has(b.undeclared) && !props.readOnly ? (
                        <Button size="sm" onClick={() => declare(b.undeclared as string)}>
                          <Plus aria-hidden /> Declare {b.undeclared}
                        </Button>
                      ) : null}
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
          </div>
        </div>
      </Card>

      <Card>
        <CardHeader
          title="Variables"
          description="Typed values the body reads. A push or preview may give each one; otherwise the group value, then the default."
        />
        <div className="p-4">
          <VariablesTable
            value={d.variables}
            onChange={(v) => set('variables', v)}
            readOnly={props.readOnly}
            errors={p.rows}
          />
        </div>
      </Card>

      <Card>
        <CardHeader
          title="Values per device group"
          description="A device of the group gets these unless the push gives a value for it."
        />
        <div className="p-4">
          <GroupValues
            tenantId={props.tenantId}
            variables={d.variables}
            value={d.groups}
            onChange={(g) => set('groups', g)}
            readOnly={props.readOnly}
          />
        </div>
      </Card>

      {props.readOnly ? null : (
        <div className="flex flex-wrap items-center justify-end gap-3">
          {props.problem || p.general ? (
            <p role="alert" className="text-[13px] text-destructive">
              {props.problem ?? p.general}
            </p>
          ) : null}
          <Button type="submit" variant="primary" disabled={props.saving || !props.dirty}>
            {props.saving ? <Loader2 className="animate-spin" aria-hidden /> : <Save aria-hidden />}
            {props.saveLabel}
          </Button>
        </div>
      )}
    </form>
  );
}
