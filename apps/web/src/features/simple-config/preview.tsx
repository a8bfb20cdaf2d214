import { CircleCheck } from 'lucide-react';
import type { TabDryRun } from '@/api/simple-config';
import { RiskList } from '../changes/apply-options';
import { CommandList } from '../changes/operation-panel';

// "Preview changes": the exact commands the form becomes on the device now (planned against what it has), and the
// risks among them — dangers first, the commands that carry one marked.

export function Preview({ plan }: { plan: TabDryRun }) {
  const n = plan.commands.length;
  if (n === 0)
    return (
      <section aria-label="Preview" data-preview="0" className="flex items-center gap-2 text-[13px]">
        <CircleCheck className="size-4 text-success" aria-hidden />
        Nothing to change: the router already has this.
      </section>
    );
  return (
    <section aria-label="Preview" data-preview={n} className="grid gap-3">
      <div>
        <h3 className="text-[13px] font-medium">
          {n} command{n === 1 ? '' : 's'} TOD will send
        </h3>
        <CommandList
          commands={plan.commands}
          risky={new Set(plan.risks.filter((r) => r.severity === 'danger').map((r) => r.command_index))}
        />
      </div>
      <RiskList risks={plan.risks} />
    </section>
  );
}
