import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '@/api/errors';
import { type ApiMutation, invalidate } from '@/api/mutation';
import { toast } from '@/components/ui/toast';

/**
 * A write from src/api/<resource>.ts with the app's conventions: refresh what the resource module says it changed,
 * say what happened in a toast. Form dialogs pass `silentErrors` and show the ApiError inline instead.
 */
export function useApiMutation<V, R>(
  m: ApiMutation<V, R>,
  o: { success?: (r: R, v: V) => string; silentErrors?: boolean } = {},
) {
  const queryClient = useQueryClient();
  return useMutation<R, ApiError, V>({
    mutationFn: m.run,
    onSuccess: async (r, v) => {
      await invalidate(queryClient, m.invalidates(v, r));
      if (o.success) toast.success(o.success(r, v));
    },
    onError: (err) => {
      if (!o.silentErrors) toast.error('That did not work', err instanceof ApiError ? err.detail : String(err));
    },
  });
}
