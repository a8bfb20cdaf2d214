import { Loader2, type LucideIcon } from 'lucide-react';
import type { ReactNode } from 'react';
import type { WindowScope } from '@/api/maintenance-windows';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { cn } from '@/lib/cn';
import { ScopePicker } from '../maintenance/scope-picker';

// The frame of every dialog that starts a rollout (template push, Simple Config on many devices, firmware upgrade):
// a scrolling form of sections, the shared options, what the server refused, and Cancel / the start button.

export function StartRolloutDialog(props: {
  /** Prefix of the form's id (`${id}-form`), unique on the page. */
  id: string;
  title: string;
  description: string;
  className?: string;
  onClose: () => void;
  onSubmit: () => void;
  pending: boolean;
  icon: LucideIcon;
  submitLabel: string;
  children: ReactNode;
}) {
  const Icon = props.icon;
  return (
    <Dialog open onOpenChange={(o) => (o ? null : props.onClose())}>
      <DialogContent
        title={props.title}
        description={props.description}
        className={cn('top-[4vh] max-w-2xl', props.className)}
      >
        <form
          noValidate
          id={`${props.id}-form`}
          className="grid max-h-[74vh] gap-5 overflow-y-auto pr-1"
          onSubmit={(e) => {
            e.preventDefault();
            props.onSubmit();
          }}
        >
          {props.children}
        </form>
        <DialogFooter>
          <Button onClick={props.onClose}>Cancel</Button>
          <Button type="submit" form={`${props.id}-form`} variant="primary" disabled={props.pending}>
            {props.pending ? <Loader2 className="animate-spin" aria-hidden /> : <Icon aria-hidden />}
            {props.submitLabel}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

/** A titled part of the dialog's form (`aria-labelledby` its heading). */
export function DialogSection(props: { id: string; title: string; className?: string; children: ReactNode }) {
  return (
    <section className={cn('grid gap-2', props.className)} aria-labelledby={props.id}>
      <h3 id={props.id} className="text-[13px] font-medium">
        {props.title}
      </h3>
      {props.children}
    </section>
  );
}

/** What the server refused: its sentence, then each problem on a line. `data` marks it for tests. */
export function RefusedAlert(props: {
  lead: string;
  problems: { key: string; text: ReactNode }[];
  data: `data-${string}`;
}) {
  return (
    <div role="alert" className="grid gap-1 text-[13px] text-destructive" {...{ [props.data]: '' }}>
      <p>{props.lead}</p>
      {props.problems.length > 0 ? (
        <ul className="grid gap-0.5 text-xs">
          {props.problems.map((p) => (
            <li key={p.key}>{p.text}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** The devices, groups, tags and sites a rollout runs on; an empty choice is said once the form was sent. */
export function TargetsSection(props: {
  id: string;
  title: string;
  tenantId: string;
  value: WindowScope[];
  onChange: (v: WindowScope[]) => void;
  checked: boolean;
}) {
  return (
    <DialogSection id={props.id} title={props.title}>
      <ScopePicker tenantId={props.tenantId} value={props.value} onChange={props.onChange} />
      {props.checked && props.value.length === 0 ? (
        <p role="alert" className="text-xs text-destructive">
          Choose at least one device, group, tag or site.
        </p>
      ) : null}
    </DialogSection>
  );
}
