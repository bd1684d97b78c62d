import type { TraceWarning, TraceWarningCode } from './types';

/** Collects warnings up to a cap while counting every one. */
export class WarningCollector {
  readonly warnings: TraceWarning[] = [];
  readonly counts: Partial<Record<TraceWarningCode, number>> = {};
  private readonly max: number;
  private truncated = false;

  constructor(max: number) {
    this.max = max;
  }

  add(code: TraceWarningCode, spanId: string | undefined, message: string, path?: string): void {
    this.counts[code] = (this.counts[code] ?? 0) + 1;
    if (this.warnings.length < this.max) {
      this.warnings.push(path === undefined ? { code, spanId, message } : { code, spanId, message, path });
    } else if (!this.truncated) {
      this.truncated = true;
      this.counts.WARNINGS_TRUNCATED = 1;
      this.warnings.push({ code: 'WARNINGS_TRUNCATED', spanId: undefined, message: `more than ${this.max} warnings; the rest are only counted (warningCounts)` });
    }
  }

  /** Whether another warning would still be kept (to skip building messages nobody will see). */
  get keeping(): boolean {
    return this.warnings.length < this.max;
  }
}

/** Interns strings: each distinct string gets a small integer. */
export class StringTable {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();

  intern(value: string): number {
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(value);
      this.index.set(value, i);
    }
    return i;
  }
}
