import type { CliIo } from './io';

/** In-memory io for tests: feeds `stdin` and collects what was written. */
export function memoryIo(stdin = '', options: { now?: number; chunked?: boolean } = {}): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const encoder = new TextEncoder();
  return {
    stdin: (async function* () {
      if (options.chunked === true) {
        // Split bytes at every position, including inside multi-byte characters.
        for (const byte of encoder.encode(stdin)) yield Uint8Array.of(byte);
      } else if (stdin !== '') yield stdin;
    })(),
    stdout: { write: (chunk: string) => (out += chunk) },
    stderr: { write: (chunk: string) => (err += chunk) },
    ...(options.now === undefined ? {} : { now: () => options.now as number }),
    out: () => out,
    err: () => err,
  };
}
