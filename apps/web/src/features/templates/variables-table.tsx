import { Plus, Trash2 } from 'lucide-react';
import { type ListElementType, listElementTypes, type VariableType, variableTypes } from '@/api/templates';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { Table, TBody, Td, THead, Th } from '@/components/ui/table';
import { blankVariable, type VariableDraft } from './draft';
import { elementLabel, examples, typeLabel } from './words';

// The variables a template declares: name, type (a list's element type), default, required, secret, description.
// The body reads them as `{{ name }}`; `device.*` is built in and never declared.

const typeOptions = variableTypes.map((t) => ({ value: t, label: typeLabel[t] }));
const elementOptions = listElementTypes.map((t) => ({ value: t, label: elementLabel[t] }));
const BOOL_UNSET = 'unset';

export function VariablesTable(props: {
  value: VariableDraft[];
  onChange: (v: VariableDraft[]) => void;
  readOnly?: boolean;
  /** Server errors by row index. */
  errors?: Record<number, string>;
}) {
  const rows = props.value;
  const set = (i: number, patch: Partial<VariableDraft>) =>
    props.onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <div className="grid gap-2">
      {rows.length === 0 ? (
        <p className="text-[13px] text-muted-foreground">
          No variables yet. Add one for each value that differs between routers; the body reads it as{' '}
          <code className="font-mono">{'{{ name }}'}</code>.
        </p>
      ) : (
        <Table className="min-w-[860px]" data-variables>
          <THead>
            <tr>
              <Th className="px-2">Name</Th>
              <Th className="px-2">Type</Th>
              <Th className="px-2">Default</Th>
              <Th className="px-2">Required</Th>
              <Th className="px-2">Secret</Th>
              <Th className="px-2">Description</Th>
              <Th className="w-10 px-2">
                <span className="sr-only">Remove</span>
              </Th>
            </tr>
          </THead>
          <TBody>
            {rows.map((v, i) => {
              const n = v.name || `variable ${i + 1}`;
              const error = props.errors?.[i];
              return (
                <tr key={v.key} data-variable-row={v.name} className="align-top">
                  <Td className="px-2">
                    <Input
                      aria-label={`Name of ${n}`}
                      value={v.name}
                      readOnly={props.readOnly}
                      spellCheck={false}
                      className="font-mono"
                      aria-invalid={error ? true : undefined}
                      aria-describedby={error ? `variable-${v.key}-error` : undefined}
                      onChange={(e) => set(i, { name: e.target.value })}
                    />
                    {error ? (
                      <p id={`variable-${v.key}-error`} role="alert" className="mt-1 text-xs text-destructive">
                        {error}
                      </p>
                    ) : null}
                  </Td>
                  <Td className="px-2">
                    <div className="grid gap-1">
                      <Select
                        aria-label={`Type of ${n}`}
                        value={v.type}
                        disabled={props.readOnly}
                        onValueChange={(t) => set(i, { type: t as VariableType, default: '' })}
                        options={typeOptions}
                      />
                      {v.type === 'list' ? (
                        <Select
                          aria-label={`Items of ${n}`}
                          value={v.of}
                          disabled={props.readOnly}
                          onValueChange={(t) => set(i, { of: t as ListElementType })}
                          options={elementOptions}
                        />
                      ) : null}
                    </div>
                  </Td>
                  <Td className="px-2">
                    {v.type === 'boolean' ? (
                      <Select
                        aria-label={`Default of ${n}`}
                        value={v.default === '' ? BOOL_UNSET : v.default}
                        disabled={props.readOnly}
                        onValueChange={(x) => set(i, { default: x === BOOL_UNSET ? '' : x })}
                        options={[
                          { value: BOOL_UNSET, label: 'None' },
                          { value: 'true', label: 'Yes' },
                          { value: 'false', label: 'No' },
                        ]}
                      />
                    ) : (
                      <Input
                        aria-label={`Default of ${n}`}
                        value={v.default}
                        readOnly={props.readOnly}
                        type={v.secret ? 'password' : 'text'}
                        autoComplete={v.secret ? 'new-password' : 'off'}
                        spellCheck={false}
                        placeholder={examples[v.type]}
                        onChange={(e) => set(i, { default: e.target.value })}
                      />
                    )}
                  </Td>
                  <Td className="px-2 text-center">
                    <input
                      type="checkbox"
                      aria-label={`${n} is required`}
                      checked={v.required}
                      disabled={props.readOnly}
                      onChange={(e) => set(i, { required: e.target.checked })}
                    />
                  </Td>
                  <Td className="px-2 text-center">
                    <input
                      type="checkbox"
                      aria-label={`${n} is secret`}
                      checked={v.secret}
                      disabled={props.readOnly}
                      onChange={(e) => set(i, { secret: e.target.checked })}
                    />
                  </Td>
                  <Td className="px-2">
                    <Input
                      aria-label={`Description of ${n}`}
                      value={v.description}
                      readOnly={props.readOnly}
                      onChange={(e) => set(i, { description: e.target.value })}
                    />
                  </Td>
                  <Td className="px-2">
                    {props.readOnly ? null : (
                      <Button
                        size="icon-sm"
                        variant="ghost"
                        aria-label={`Remove ${n}`}
                        onClick={() => props.onChange(rows.filter((_, j) => j !== i))}
                      >
                        <Trash2 aria-hidden />
                      </Button>
                    )}
                  </Td>
                </tr>
              );
            })}
          </TBody>
        </Table>
      )}
      {props.readOnly ? null : (
        <Button size="sm" className="w-fit" onClick={() => props.onChange([...rows, blankVariable()])}>
          <Plus aria-hidden /> Add variable
        </Button>
      )}
    </div>
  );
}
