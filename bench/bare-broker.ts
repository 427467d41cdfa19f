import Aedes from 'aedes';
import { createServer } from 'node:net';

// node dist/bench/bare-broker.js PORT
// The broker alone: the same aedes the service embeds, with no hooks (every client accepted, every
// PUBLISH acknowledged on arrival, nothing stored). The ingest benchmark runs the same simulator against
// it for the ceiling that the service's figures are a ratio of.
const port = Number(process.argv[2]);
const broker = new Aedes();
createServer(broker.handle).listen(port, '127.0.0.1', () => process.stdout.write('listening\n'));
process.on('SIGTERM', () => broker.close(() => process.exit(0)));
