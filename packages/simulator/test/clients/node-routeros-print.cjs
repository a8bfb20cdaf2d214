// Run in a child process by node-routeros.test.ts: one print with node-routeros, outcome as JSON on stdout.
// A child, because node-routeros throws unknown replies from inside an event handler (an uncaught exception).
const { RouterOSAPI } = require('node-routeros');
const [host, port, user, password, ...words] = process.argv.slice(2);
process.on('uncaughtException', (e) => {
  console.log(JSON.stringify({ uncaught: `${e.name}: ${e.message}`, errno: e.errno }));
  process.exit(0);
});
const api = new RouterOSAPI({ host, port: Number(port), user, password, timeout: 3 });
api
  .connect()
  .then(() => api.write(words[0], words.slice(1)))
  .then((rows) => {
    console.log(JSON.stringify({ rows }));
    process.exit(0);
  })
  .catch((e) => {
    console.log(JSON.stringify({ error: String(e?.message) }));
    process.exit(0);
  });
