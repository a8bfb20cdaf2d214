import { Link } from '@tanstack/react-router';
import { ChevronRight, FileBadge, Loader2, RotateCw, ShieldOff } from 'lucide-react';
import { Fragment } from 'react';
import { type Certificate, type CertificateState, isMoving } from '@/api/certificates';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { TableSkeleton } from '@/components/ui/skeleton';
import { Table, TBody, Td, THead, Th } from '@/components/ui/table';
import { cn } from '@/lib/cn';
import { dateTime } from '@/lib/format';
import { OperationPanel } from '../changes/operation-panel';
import { Fingerprint } from './fingerprint';
import { endsIn, stateHelp, stateLabel, stateTone } from './words';

// The organisation's certificates, newest first: the device, the name it certifies, its state, when it ends and its
// fingerprint, with Rotate and Revoke where its `policies` allow. A row opens to the change that deployed it.

const rotatable: CertificateState[] = ['deployed', 'expiring', 'expired'];
const revocable = (s: CertificateState) => s !== 'revoked' && !isMoving(s);

export function CertificatesTable(props: {
  tenantId: string;
  certificates: Certificate[];
  loading: boolean;
  error: Error | null;
  filtered: boolean;
  /** Whether the caller may read change operations and rollouts (the row's links). */
  can: { operations: boolean; rollouts: boolean };
  open: string | null;
  onOpen: (id: string | null) => void;
  rotating: string | null;
  onRotate: (c: Certificate) => void;
  onRevoke: (c: Certificate) => void;
}) {
  if (props.loading) return <TableSkeleton cols={6} />;
  if (props.error)
    return (
      <p role="alert" className="p-4 text-[13px] text-destructive">
        Could not load the certificates: {props.error.message}
      </p>
    );
  if (props.certificates.length === 0)
    return (
      <EmptyState icon={FileBadge} title={props.filtered ? 'No certificates in this state' : 'No certificates yet'}>
        {props.filtered
          ? 'Choose another state, or any.'
          : 'Deploy a certificate to a router: TOD then verifies every connection to it against the organisation’s CA.'}
      </EmptyState>
    );
  return (
    <Table>
      <THead>
        <tr>
          <Th className="w-8">
            <span className="sr-only">Details</span>
          </Th>
          <Th>Device</Th>
          <Th>Common name</Th>
          <Th>State</Th>
          <Th>Expires</Th>
          <Th>Fingerprint</Th>
          <Th className="w-44">
            <span className="sr-only">Actions</span>
          </Th>
        </tr>
      </THead>
      <TBody>
        {props.certificates.map((c) => {
          const device = c.device_name ?? 'device';
          const opened = props.open === c.id && c.operation_id !== null && props.can.operations;
          return (
            <Fragment key={c.id}>
              <tr data-certificate={c.id} data-device={device} data-state={c.state}>
                <Td className="pr-0">
                  {c.operation_id && props.can.operations ? (
                    <Button
                      size="icon-sm"
                      variant="ghost"
                      aria-expanded={opened}
                      aria-label={`${opened ? 'Hide' : 'Show'} the deployment to ${device}`}
                      onClick={() => props.onOpen(opened ? null : c.id)}
                    >
                      <ChevronRight className={cn('transition-transform', opened && 'rotate-90')} aria-hidden />
                    </Button>
                  ) : null}
                </Td>
                <Td>
                  <Link
                    to="/devices/$deviceId"
                    params={{ deviceId: c.device_id }}
                    className="font-medium hover:underline"
                  >
                    {device}
                  </Link>
                </Td>
                <Td title={c.sans.length ? `Also valid for ${c.sans.join(', ')}` : undefined}>{c.common_name}</Td>
                <Td>
                  <div className="grid justify-items-start gap-0.5">
                    <Badge tone={stateTone[c.state]} title={stateHelp[c.state]} data-state-badge>
                      {isMoving(c.state) ? <Loader2 className="size-3 animate-spin" aria-hidden /> : null}
                      {stateLabel[c.state]}
                    </Badge>
                    {c.state === 'failed' && c.error_detail ? (
                      <span className="max-w-72 text-xs text-destructive" data-error>
                        {c.error_detail}
                      </span>
                    ) : null}
                    {c.state === 'revoked' && c.revoke_reason ? (
                      <span className="max-w-72 text-xs text-muted-foreground" data-revoke-reason>
                        {c.revoke_reason}
                      </span>
                    ) : null}
                    {c.rollout_id && props.can.rollouts ? (
                      <Link
                        to="/rollouts/$rolloutId"
                        params={{ rolloutId: c.rollout_id }}
                        className="text-xs text-muted-foreground hover:underline"
                      >
                        Its rollout
                      </Link>
                    ) : null}
                  </div>
                </Td>
                <Td className="whitespace-nowrap tabular-nums" data-expires>
                  {dateTime(c.not_after)}
                  <span className="block text-xs text-muted-foreground">{endsIn(c.not_after)}</span>
                </Td>
                <Td>
                  <Fingerprint value={c.fingerprint} of={`${device}’s certificate`} />
                </Td>
                <Td className="text-right whitespace-nowrap">
                  {c.policies['certificates.deploy'] && rotatable.includes(c.state) ? (
                    <Button
                      size="sm"
                      variant="ghost"
                      disabled={props.rotating === c.id}
                      aria-label={`Rotate the certificate of ${device}`}
                      onClick={() => props.onRotate(c)}
                    >
                      {props.rotating === c.id ? (
                        <Loader2 className="animate-spin" aria-hidden />
                      ) : (
                        <RotateCw aria-hidden />
                      )}
                      Rotate
                    </Button>
                  ) : null}
                  {c.policies['certificates.admin'] && revocable(c.state) ? (
                    <Button
                      size="sm"
                      variant="ghost"
                      className="text-destructive hover:text-destructive"
                      aria-label={`Revoke the certificate of ${device}`}
                      onClick={() => props.onRevoke(c)}
                    >
                      <ShieldOff aria-hidden /> Revoke
                    </Button>
                  ) : null}
                </Td>
              </tr>
              {opened && c.operation_id ? (
                <tr>
                  <td colSpan={7} className="bg-surface/40 p-3">
                    <OperationPanel tenantId={props.tenantId} deviceId={c.device_id} operationId={c.operation_id} />
                  </td>
                </tr>
              ) : null}
            </Fragment>
          );
        })}
      </TBody>
    </Table>
  );
}
