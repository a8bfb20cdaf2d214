import { type QueryKey, useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '@/api/errors';
import { toast } from '@/components/ui/toast';

/**
 * A write to the API with the app's conventions: refresh what it changed, say what happened in a toast. Form
 * dialogs pass `silentErrors` and show the ApiError inline instead.
 */
export function useApiMutation<V, R>(o: {
  fn: (v: V) => Promise<R>;
  invalidate: QueryKey[];
  success?: (r: R, v: V) => string;
  silentErrors?: boolean;
}) {
  const queryClient = useQueryClient();
  return useMutation<R, ApiError, V>({
    mutationFn: o.fn,
    onSuccess: async (r, v) => {
      await Promise.all(o.invalidate.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
      if (o.success) toast.success(o.success(r, v));
    },
    onError: (err) => {
      if (!o.silentErrors) toast.error('That did not work', err instanceof ApiError ? err.detail : String(err));
    },
  });
}
