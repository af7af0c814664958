// The baseline: a bare node:http server that answers 200 with no body, run as its own process with
// plain node, like the built verifier.
import { createServer } from 'node:http';

const port = Number(process.env.PORT);
createServer((_req, res) => {
  res.writeHead(200);
  res.end();
}).listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => process.exit(0));
