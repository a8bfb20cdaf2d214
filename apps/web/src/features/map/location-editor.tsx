import { Crosshair, Loader2 } from 'lucide-react';
import type { ApiError } from '@/api/errors';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import type { LatLon } from './places';

// Coordinates typed, or picked on the map (a click drops the pin; the pin can be dragged): the two stay in step
// through the page, which owns the draft.

export type Draft = { lat: string; lon: string };

export const draftOf = (at: LatLon | null): Draft =>
  at ? { lat: at.lat.toFixed(6), lon: at.lon.toFixed(6) } : { lat: '', lon: '' };

/** The draft as coordinates when both are numbers in range, else what is wrong with each. */
export function parseDraft(d: Draft): { at: LatLon | null; lat?: string; lon?: string } {
  const lat = Number(d.lat.trim().replace(',', '.'));
  const lon = Number(d.lon.trim().replace(',', '.'));
  const latBad = d.lat.trim() === '' || !Number.isFinite(lat) || lat < -90 || lat > 90;
  const lonBad = d.lon.trim() === '' || !Number.isFinite(lon) || lon < -180 || lon > 180;
  return {
    at: latBad || lonBad ? null : { lat, lon },
    ...(latBad ? { lat: 'A latitude from −90 to 90' } : {}),
    ...(lonBad ? { lon: 'A longitude from −180 to 180' } : {}),
  };
}

export function LocationEditor(props: {
  draft: Draft;
  onDraft: (d: Draft) => void;
  picking: boolean;
  onPicking: (on: boolean) => void;
  onSave: (at: LatLon | null) => void;
  onCancel: () => void;
  busy: boolean;
  error: ApiError | null;
  /** Offered when there is something to clear ("Remove from the map", "Use the site's location"). */
  clearLabel?: string;
  showErrors: boolean;
  onShowErrors: () => void;
}) {
  const parsed = parseDraft(props.draft);
  const shown = props.showErrors ? parsed : { at: parsed.at };
  return (
    <form
      aria-label="Location"
      noValidate
      className="grid gap-3 rounded-lg border bg-surface p-3"
      onSubmit={(e) => {
        e.preventDefault();
        if (!parsed.at) return props.onShowErrors();
        props.onSave(parsed.at);
      }}
    >
      <div className="grid grid-cols-2 gap-2">
        <Field id="loc-lat" label="Latitude" error={shown.lat ?? props.error?.field('latitude')}>
          <Input
            id="loc-lat"
            inputMode="decimal"
            placeholder="47.3769"
            value={props.draft.lat}
            onChange={(e) => props.onDraft({ ...props.draft, lat: e.target.value })}
            aria-invalid={shown.lat ? true : undefined}
          />
        </Field>
        <Field id="loc-lon" label="Longitude" error={shown.lon ?? props.error?.field('longitude')}>
          <Input
            id="loc-lon"
            inputMode="decimal"
            placeholder="8.5417"
            value={props.draft.lon}
            onChange={(e) => props.onDraft({ ...props.draft, lon: e.target.value })}
            aria-invalid={shown.lon ? true : undefined}
          />
        </Field>
      </div>
      <Button
        size="sm"
        variant={props.picking ? 'primary' : 'secondary'}
        aria-pressed={props.picking}
        onClick={() => props.onPicking(!props.picking)}
      >
        <Crosshair aria-hidden /> {props.picking ? 'Click the map to place it' : 'Pick on the map'}
      </Button>
      {props.error && !props.error.fieldErrors.length ? (
        <p role="alert" className="text-xs text-destructive">
          {props.error.detail}
        </p>
      ) : null}
      <div className="flex flex-wrap justify-end gap-2">
        {props.clearLabel ? (
          <Button size="sm" variant="ghost" disabled={props.busy} onClick={() => props.onSave(null)}>
            {props.clearLabel}
          </Button>
        ) : null}
        <Button size="sm" variant="ghost" onClick={props.onCancel}>
          Cancel
        </Button>
        <Button size="sm" type="submit" variant="primary" disabled={props.busy}>
          {props.busy ? <Loader2 className="animate-spin" aria-hidden /> : null}
          Save location
        </Button>
      </div>
    </form>
  );
}
