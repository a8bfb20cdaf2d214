import { useQuery } from '@tanstack/react-query';
import { Download, GitBranch, HardDrive, History, Loader2, Pencil, Upload } from 'lucide-react';
import { useState } from 'react';
import {
  backupSettingsQuery,
  bundleUrl,
  type PushResult,
  pushMirror,
  type BackupSettings as Settings,
} from '@/api/config-backups';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { ago, dateTime } from '@/lib/format';
import { useApiMutation } from '@/lib/mutation';
import { bytes } from '../fleet/format';
import { SettingsForm } from './settings-form';
import { pushWords, RETENTION_NOTE, retentionText } from './words';

// The organisation's backup settings, for those allowed `config.settings` (admins): how long versions are kept,
// the storage they use, and the git mirror (its remote, the last push, Push now, a bundle to clone).

export function BackupSettings({ tenantId }: { tenantId: string }) {
  const q = useQuery(backupSettingsQuery(tenantId));
  const [editing, setEditing] = useState(false);
  const s = q.data;
  return (
    <Card data-backup-settings>
      <CardHeader
        title="Backup settings"
        description="Retention and the git mirror of every device’s configuration (secrets redacted)."
        actions={
          s && !editing ? (
            <Button size="sm" onClick={() => setEditing(true)}>
              <Pencil aria-hidden /> Edit
            </Button>
          ) : null
        }
      />
      {q.error ? (
        <p className="p-4 text-[13px] text-destructive" role="alert">
          Could not load the backup settings: {q.error.message}
        </p>
      ) : !s ? (
        <Skeleton className="m-4 h-24" />
      ) : editing ? (
        <SettingsForm tenantId={tenantId} settings={s} onDone={() => setEditing(false)} />
      ) : (
        <Summary tenantId={tenantId} s={s} />
      )}
    </Card>
  );
}

const short = (sha: string) => sha.slice(0, 7);

function Summary({ tenantId, s }: { tenantId: string; s: Settings }) {
  const push = useApiMutation(pushMirror);
  return (
    <div className="grid gap-4 p-4 text-[13px]">
      <Row icon={HardDrive} label="Storage">
        <span data-storage>
          {bytes(s.storage.bytes)} · {s.storage.versions} version{s.storage.versions === 1 ? '' : 's'}
        </span>
      </Row>
      <Row icon={History} label="Retention">
        <span className="font-medium" data-retention>
          {retentionText(s)}
        </span>
        <span className="block text-xs text-muted-foreground">{RETENTION_NOTE}</span>
      </Row>
      <Row icon={GitBranch} label="Git remote">
        {s.git_remote ? (
          <>
            <code className="break-all font-mono text-xs" data-git-remote>
              {s.git_remote}
            </code>
            <span className="block text-xs text-muted-foreground">
              branch {s.git_remote_branch}
              {s.git_ssh_key_set ? ' · SSH key set' : ''}
            </span>
            <LastPush s={s} />
          </>
        ) : (
          <span className="text-muted-foreground" data-git-remote="">
            None: TOD keeps the mirror to itself; download it below or set a remote to push to.
          </span>
        )}
      </Row>
      <div className="flex flex-wrap items-center gap-2">
        {s.git_remote ? (
          <Button size="sm" disabled={push.isPending} onClick={() => push.mutate({ tenantId })}>
            {push.isPending ? <Loader2 className="animate-spin" aria-hidden /> : <Upload aria-hidden />}
            Push now
          </Button>
        ) : null}
        {s.storage.versions > 0 ? (
          <Button size="sm" variant="ghost" asChild>
            <a href={bundleUrl(tenantId)} download="tod-configs.bundle">
              <Download aria-hidden /> Download as git bundle
            </a>
          </Button>
        ) : null}
      </div>
      {push.data ? <PushOutcome r={push.data} /> : null}
      {s.storage.versions > 0 ? (
        <p className="text-xs text-muted-foreground">
          The bundle is the whole history, one file per device:{' '}
          <code className="font-mono">git clone tod-configs.bundle</code>
        </p>
      ) : null}
    </div>
  );
}

function LastPush({ s }: { s: Settings }) {
  if (s.git_push_error)
    return (
      <span className="block text-xs text-destructive" data-last-push="error">
        Last push failed: {s.git_push_error}
      </span>
    );
  if (s.git_pushed_at && s.git_pushed_sha)
    return (
      <span className="block text-xs text-muted-foreground" data-last-push="ok">
        Last pushed <time title={dateTime(s.git_pushed_at)}>{ago(s.git_pushed_at)}</time>:{' '}
        <code className="font-mono">{short(s.git_pushed_sha)}</code>
      </span>
    );
  return (
    <span className="block text-xs text-muted-foreground" data-last-push="never">
      Not pushed yet (TOD pushes new versions within a minute)
    </span>
  );
}

function PushOutcome({ r }: { r: PushResult }) {
  return r.pushed ? (
    <p role="status" className="text-xs text-success" data-push-result="pushed">
      Pushed {r.sha ? short(r.sha) : ''}
    </p>
  ) : (
    <p role="alert" className="text-xs text-destructive" data-push-result={r.reason ?? ''}>
      Not pushed: {pushWords[r.reason ?? ''] ?? r.reason ?? 'the push failed'}
    </p>
  );
}

function Row(props: { icon: typeof HardDrive; label: string; children: React.ReactNode }) {
  const Icon = props.icon;
  return (
    <div className="grid grid-cols-[16px_96px_minmax(0,1fr)] items-start gap-2">
      <Icon className="mt-0.5 size-4 text-muted-foreground" aria-hidden />
      <span className="text-muted-foreground">{props.label}</span>
      <div>{props.children}</div>
    </div>
  );
}
