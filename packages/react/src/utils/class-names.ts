/**
 * Joins class names, skipping empty, false, null and undefined.
 *
 * @example
 * classNames('vigil-card', loading && 'vigil-card--loading', className) // "vigil-card vigil-card--loading"
 */
export function classNames(...names: ReadonlyArray<string | false | null | undefined>): string {
  let out = '';
  for (const name of names) {
    if (name) out = out === '' ? name : `${out} ${name}`;
  }
  return out;
}
