import { Button } from './button';
import { Dialog, DialogContent, DialogFooter } from './dialog';

/** Asks before something that cannot be undone. */
export function Confirm(props: {
  open: boolean;
  onOpenChange: (o: boolean) => void;
  title: string;
  description: React.ReactNode;
  confirm: string;
  busy?: boolean;
  onConfirm: () => void;
}) {
  return (
    <Dialog open={props.open} onOpenChange={props.onOpenChange}>
      <DialogContent title={props.title} description={props.description}>
        <DialogFooter>
          <Button onClick={() => props.onOpenChange(false)}>Cancel</Button>
          <Button variant="destructive" disabled={props.busy} onClick={props.onConfirm}>
            {props.confirm}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
