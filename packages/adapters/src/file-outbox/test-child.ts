/// <reference types="node" />
/**
 * A child process for file-outbox.test.ts: opens the outbox in argv[2], enqueues `count` notifications for the
 * receiver at argv[3] (the same keys on every run: the outbox drops the ones it already knows), delivers them one at
 * a time, and exits 0 when everything is delivered. The test kills it with SIGKILL in the middle and starts it again.
 */
import { createDispatcher, createHttpChannel } from '@vigil/core/notify';
import { openFileOutbox } from './file-outbox';

const [directory, url, countText] = process.argv.slice(2);
const outbox = await openFileOutbox({ directory: directory as string });
const dispatcher = createDispatcher({
  channels: [createHttpChannel({ name: 'hook', url: url as string, timeoutMs: 60_000 })],
  outbox,
  concurrency: 1,
  retry: { baseDelayMs: 20, maxDelayMs: 100 },
});
let accepted = 0;
for (let i = 0; i < Number(countText); i++) {
  const result = await dispatcher.enqueue({ channel: 'hook', idempotencyKey: `key-${i}`, payload: { body: JSON.stringify({ n: i }) } });
  if (result.accepted) accepted++;
}
process.stdout.write(`enqueued ${accepted}\n`);
const done = await dispatcher.drain({ timeoutMs: 60_000 });
await outbox.close();
process.stdout.write(`drained ${done}\n`);
process.exit(done ? 0 : 1);
