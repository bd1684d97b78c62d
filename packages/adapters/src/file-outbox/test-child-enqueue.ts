/// <reference types="node" />
/**
 * A child process for file-outbox.test.ts: opens the outbox in argv[2] and enqueues `count` notifications as fast as
 * it can, printing `acked <key>` after each enqueue resolved (that is, after the record was fsynced). The test kills
 * it with SIGKILL in the middle, then checks that every acknowledged key is in the outbox.
 */
import { createDispatcher } from '@vigil/core/notify';
import { openFileOutbox } from './file-outbox';

const [directory, countText] = process.argv.slice(2);
const outbox = await openFileOutbox({ directory: directory as string, compactAfterRecords: 50 });
// No start(): nothing is delivered, the entries only pile up (and get compacted as they go).
const dispatcher = createDispatcher({ channels: [{ name: 'hook', deliver: () => Promise.resolve() }], outbox });
for (let i = 0; i < Number(countText); i++) {
  const key = `key-${i}`;
  await dispatcher.enqueue({ channel: 'hook', idempotencyKey: key, payload: { body: 'x'.repeat(200 + (i % 50)) } });
  // Two more records per entry: the log grows to three times the live state, so it is compacted again and again.
  await outbox.reschedule(key, 1, 0, 'first');
  await outbox.reschedule(key, 2, 0, 'second');
  process.stdout.write(`acked ${key} ${outbox.recordCount}\n`);
}
await outbox.close();
process.stdout.write('done\n');
