/**
 * `@vigil/adapters/file-outbox`: a durable, file-backed outbox for `@vigil/core/notify`'s dispatcher (Node only).
 */
export { FileOutbox, openFileOutbox } from './file-outbox';
export type { FileOutboxOptions } from './file-outbox';
