// Copies one file (used to ship the React package's CSS next to its JS build).
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
const [from, to] = process.argv.slice(2);
if (!from || !to) throw new Error('usage: copy-file.mjs FROM TO');
mkdirSync(dirname(to), { recursive: true });
copyFileSync(from, to);
