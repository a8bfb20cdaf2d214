// The flooding router of hostile.bench.ts, run in its own process so the bench measures the client's memory alone.
// `/bench/sent` answers with the bytes sent so far (over all connections); any other command gets an endless flood of
// ~1 KB rows. Prints its port on stdout.
import { encodeSentence } from '../src/codec.js';
import { flood, HostileRouter, send } from '../test/helpers/hostile-router.js';

const router = new HostileRouter((conn, path, tag) => {
  if (path !== '/bench/sent') {
    flood(conn, tag);
    return;
  }
  const sent = router.connections.reduce((n, c) => n + c.sent, 0);
  send(conn, encodeSentence(['!re', `=sent=${sent}`, `.tag=${tag}`]));
  send(conn, encodeSentence(['!done', `.tag=${tag}`]));
});
const port = await router.listen();
process.stdout.write(`${port}\n`);
