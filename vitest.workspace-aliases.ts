import { fileURLToPath } from 'node:url';

const root = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * Tests, stories and the demo run against the packages' sources, not their builds, so a change is seen at once.
 * The packaging itself is checked separately (publint, attw, size-limit) on the built output.
 */
export const workspaceAliases = [
  { find: /^@vigil\/core$/, replacement: root('./packages/core/src/index.ts') },
  { find: /^@vigil\/core\/(.+)$/, replacement: root('./packages/core/src/$1/index.ts') },
  { find: /^@vigil\/adapters$/, replacement: root('./packages/adapters/src/index.ts') },
  { find: /^@vigil\/adapters\/(.+)$/, replacement: root('./packages/adapters/src/$1/index.ts') },
  { find: /^@vigil\/react\/styles\.css$/, replacement: root('./packages/react/src/theme/styles.css') },
  { find: /^@vigil\/react$/, replacement: root('./packages/react/src/index.ts') },
];
