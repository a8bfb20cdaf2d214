import { QueryClient } from '@tanstack/react-query';
import { createRouter, RouterProvider } from '@tanstack/react-router';
import { setNonce } from 'get-nonce';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { onSessionLost } from './api/client';
import { ApiError } from './api/errors';
import { watchSystemTheme } from './lib/theme';
import { routeTree } from './routeTree.gen';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Auth and permission errors will not fix themselves by retrying.
      retry: (n, err) => n < 2 && !(err instanceof ApiError && err.status >= 400 && err.status < 500),
      refetchOnWindowFocus: true,
    },
  },
});

const router = createRouter({
  routeTree,
  context: { queryClient },
  defaultPreload: 'intent',
  defaultPreloadStaleTime: 0,
  scrollRestoration: true,
});

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}

// The refresh token is gone or revoked: forget everything cached and ask for a sign-in, returning here after.
onSessionLost(() => {
  const here = router.state.location.href;
  if (here.startsWith('/sign-in')) return;
  void router.navigate({ to: '/sign-in', search: { redirect: here } }).then(() => queryClient.clear());
});

// Styles injected at run time (dialogs' scroll lock) carry the nonce the server's CSP allows for this page.
const nonce = document.querySelector<HTMLMetaElement>('meta[name="tod-style-nonce"]')?.content;
if (nonce && !nonce.startsWith('__')) setNonce(nonce);

watchSystemTheme();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <RouterProvider router={router} />
  </StrictMode>,
);
