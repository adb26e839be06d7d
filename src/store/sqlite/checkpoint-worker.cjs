// Checkpoints the server's WAL on a thread of its own (see checkpointer.ts). Plain CommonJS:
// a worker thread loads it with Node alone, without the TypeScript loader of the main thread.
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);

const db = new Database(workerData.file, { timeout: 5000 });
// A checkpoint syncs the WAL before copying it and the database after (any mode but OFF).
db.pragma('synchronous = NORMAL');
// This connection never writes; it must not checkpoint on its own account either.
db.pragma('wal_autocheckpoint = 0');

let stopping = false;
const timer = setInterval(() => {
  if (stopping) return;
  try {
    // PASSIVE: copies what no reader still needs, without waiting for or blocking anyone.
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    // Busy or failing: the next round tries again; the main connection's own automatic
    // checkpoint (at a much larger WAL) is the safety net.
    parentPort.postMessage({ error: String(err && err.message ? err.message : err) });
  }
}, workerData.intervalMs);

parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  stopping = true;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
