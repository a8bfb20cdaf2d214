import { Loader2 } from 'lucide-react';
import { useState } from 'react';
import { type BackupSettings, type BackupSettingsChange, setBackupSettings } from '@/api/config-backups';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { useApiMutation } from '@/lib/mutation';
import { RETENTION_NOTE } from './words';

// Editing retention and the git remote. The remote URL (it may carry a token) and the SSH key are write-only: the
// form shows the remote as the server redacts it, and a blank field keeps what is stored; "Remove" clears it.

const numberOrNull = (v: string) => (v.trim() === '' ? null : Number(v.trim()));
/** Checked here: a word would become NaN, which JSON sends as null ("no limit"). */
const notCount = (v: string) => (v.trim() !== '' && !/^\d+$/.test(v.trim()) ? 'a whole number' : undefined);

export function SettingsForm(props: { tenantId: string; settings: BackupSettings; onDone: () => void }) {
  const s = props.settings;
  const [limited, setLimited] = useState(s.retention_versions !== null || s.retention_days !== null);
  const [versions, setVersions] = useState(s.retention_versions?.toString() ?? '');
  const [days, setDays] = useState(s.retention_days?.toString() ?? '');
  const [remote, setRemote] = useState('');
  const [clearRemote, setClearRemote] = useState(false);
  const [branch, setBranch] = useState(s.git_remote_branch);
  const [key, setKey] = useState('');
  const [clearKey, setClearKey] = useState(false);
  const save = useApiMutation(setBackupSettings, { success: () => 'Backup settings saved', silentErrors: true });
  const err = save.error;
  const remoteError = err?.code === 'git_remote_invalid' ? err.detail : err?.field('git_remote_url');
  const fieldNames = ['retention_versions', 'retention_days', 'git_remote_url', 'git_remote_branch', 'git_ssh_key'];
  const general = err && !remoteError && !fieldNames.some((n) => err.field(n)) ? err.detail : undefined;

  const [typed, setTyped] = useState<{ versions?: string; days?: string }>({});

  const submit = () => {
    const local = limited ? { versions: notCount(versions), days: notCount(days) } : {};
    setTyped(local);
    if (local.versions || local.days) return;
    const body: BackupSettingsChange = {
      retention_versions: limited ? numberOrNull(versions) : null,
      retention_days: limited ? numberOrNull(days) : null,
      git_remote_branch: branch.trim(),
    };
    if (clearRemote) body.git_remote_url = null;
    else if (remote.trim()) body.git_remote_url = remote.trim();
    if (clearKey) body.git_ssh_key = null;
    else if (key.trim()) body.git_ssh_key = key;
    save.mutate({ tenantId: props.tenantId, body }, { onSuccess: props.onDone });
  };

  return (
    <form
      noValidate
      className="grid gap-4 p-4 lg:grid-cols-2"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <fieldset className="grid content-start gap-2 text-[13px]">
        <legend className="mb-1 font-medium">Retention</legend>
        <label className="flex items-center gap-2">
          <input type="radio" name="retention" checked={!limited} onChange={() => setLimited(false)} />
          Keep every version
        </label>
        <label className="flex items-center gap-2">
          <input type="radio" name="retention" checked={limited} onChange={() => setLimited(true)} />
          Remove old versions
        </label>
        {limited ? (
          <div className="grid gap-3 pl-6 sm:grid-cols-2">
            <Field
              id="retention-versions"
              label="Keep the newest (versions)"
              hint="Per device; blank: no limit"
              error={typed.versions ?? err?.field('retention_versions')}
            >
              <Input
                id="retention-versions"
                inputMode="numeric"
                value={versions}
                onChange={(e) => setVersions(e.target.value)}
              />
            </Field>
            <Field
              id="retention-days"
              label="Keep the last (days)"
              hint="Blank: no limit"
              error={typed.days ?? err?.field('retention_days')}
            >
              <Input id="retention-days" inputMode="numeric" value={days} onChange={(e) => setDays(e.target.value)} />
            </Field>
          </div>
        ) : null}
        <p className="text-xs text-muted-foreground">
          {limited ? 'A version goes when it is neither among the newest nor within the days kept. ' : null}
          {RETENTION_NOTE}
        </p>
      </fieldset>

      <fieldset className="grid content-start gap-3 text-[13px]">
        <legend className="mb-1 font-medium">Git remote</legend>
        <Field
          id="git-remote"
          label={s.git_remote ? 'New remote URL' : 'Remote URL'}
          hint={
            s.git_remote
              ? `Now ${s.git_remote}; blank keeps it`
              : 'https://host/repo.git (a token as user:token@) or git@host:repo.git'
          }
          error={remoteError}
        >
          <Input
            id="git-remote"
            className="font-mono"
            value={remote}
            disabled={clearRemote}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={remoteError ? true : undefined}
            onChange={(e) => setRemote(e.target.value)}
          />
        </Field>
        {s.git_remote ? (
          <label className="flex items-center gap-2">
            <input type="checkbox" checked={clearRemote} onChange={(e) => setClearRemote(e.target.checked)} />
            Remove the remote (stop pushing)
          </label>
        ) : null}
        <Field id="git-branch" label="Branch" error={err?.field('git_remote_branch')}>
          <Input id="git-branch" className="font-mono" value={branch} onChange={(e) => setBranch(e.target.value)} />
        </Field>
        <div className="grid gap-1.5">
          <Label htmlFor="git-key">SSH private key</Label>
          <textarea
            id="git-key"
            rows={3}
            value={key}
            disabled={clearKey}
            spellCheck={false}
            autoComplete="off"
            placeholder="-----BEGIN OPENSSH PRIVATE KEY-----"
            onChange={(e) => setKey(e.target.value)}
            className="w-full rounded-md border border-input bg-background p-2.5 font-mono text-xs shadow-xs focus-visible:border-ring focus-visible:outline-none focus-visible:ring-3 focus-visible:ring-ring/25 disabled:opacity-50"
          />
          {err?.field('git_ssh_key') ? (
            <p role="alert" className="text-xs text-destructive">
              {err.field('git_ssh_key')}
            </p>
          ) : (
            <p className="text-xs text-muted-foreground">
              {s.git_ssh_key_set ? 'A key is set; blank keeps it.' : 'For ssh remotes only.'}
            </p>
          )}
        </div>
        {s.git_ssh_key_set ? (
          <label className="flex items-center gap-2">
            <input type="checkbox" checked={clearKey} onChange={(e) => setClearKey(e.target.checked)} />
            Remove the SSH key
          </label>
        ) : null}
      </fieldset>

      {general ? (
        <p role="alert" className="text-xs text-destructive lg:col-span-2">
          {general}
        </p>
      ) : null}
      <div className="flex justify-end gap-2 lg:col-span-2">
        <Button
          onClick={() => {
            save.reset();
            props.onDone();
          }}
        >
          Cancel
        </Button>
        <Button type="submit" variant="primary" disabled={save.isPending}>
          {save.isPending ? <Loader2 className="animate-spin" aria-hidden /> : null}
          Save settings
        </Button>
      </div>
    </form>
  );
}
