import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { AlertHistoryEntry, AlertSeverity, AlertState } from '@vigil/core/alerting';
import { ruleTimelines, type TimelineBand } from './history-model';

const STATES: readonly AlertState[] = ['inactive', 'pending', 'firing', 'resolved'];
const SEVERITIES: readonly AlertSeverity[] = ['info', 'warning', 'critical'];

function entry(time: number, ruleId: string, fingerprint: string, from: AlertState, to: AlertState, severity: AlertSeverity = 'critical'): AlertHistoryEntry {
  return { time, ruleId, fingerprint, severity, labels: { alertname: ruleId.toUpperCase() }, from, to, value: null, reason: 'condition' };
}

/** Brute force: the rank of the worst state of a rule at instant t, from the raw transitions. */
function bruteWorst(history: readonly AlertHistoryEntry[], ruleId: string, t: number): string {
  const instances = new Map<string, AlertHistoryEntry[]>();
  for (const e of history) {
    if (e.ruleId !== ruleId) continue;
    const key = `${e.fingerprint}/${e.severity}`;
    instances.set(key, [...(instances.get(key) ?? []), e]);
  }
  const order = ['inactive', 'resolved', 'pending', 'firing:info', 'firing:warning', 'firing:critical'];
  let worst = 0;
  for (const list of instances.values()) {
    const sorted = [...list].sort((a, b) => a.time - b.time);
    // Stable sort keeps input order for equal times, matching "all changes at one instant apply in order".
    let state: AlertState = (sorted[0] as AlertHistoryEntry).from;
    for (const e of sorted) if (e.time <= t) state = e.to;
    const severity = (sorted[0] as AlertHistoryEntry).severity;
    const key = state === 'firing' ? `firing:${severity}` : state;
    worst = Math.max(worst, order.indexOf(key));
  }
  return order[worst] as string;
}

function bandKey(band: TimelineBand): string {
  return band.state === 'firing' ? `firing:${band.severity}` : band.state;
}

describe('ruleTimelines', () => {
  it('turns one instance’s transitions into bands and counts firings', () => {
    const history = [
      entry(100, 'errors', 'a', 'inactive', 'pending'),
      entry(160, 'errors', 'a', 'pending', 'firing'),
      entry(400, 'errors', 'a', 'firing', 'resolved'),
      entry(500, 'errors', 'a', 'resolved', 'pending'),
      entry(520, 'errors', 'a', 'pending', 'firing'),
    ];
    const [timeline] = ruleTimelines(history, { start: 0, end: 1000 });
    expect(timeline?.name).toBe('ERRORS');
    expect(timeline?.bands.map((b) => [b.start, b.end, bandKey(b)])).toEqual([
      [0, 100, 'inactive'],
      [100, 160, 'pending'],
      [160, 400, 'firing:critical'],
      [400, 500, 'resolved'],
      [500, 520, 'pending'],
      [520, 1000, 'firing:critical'],
    ]);
    expect(timeline?.firingCount).toBe(2);
    expect(timeline?.firingMs).toBe(240 + 480);
    expect(timeline?.current).toBe('firing');
  });

  it('shows the worst instance: a critical firing hides a warning one, overlaps merge', () => {
    const history = [
      entry(10, 'r', 'a', 'inactive', 'firing', 'warning'),
      entry(20, 'r', 'b', 'inactive', 'firing', 'critical'),
      entry(30, 'r', 'b', 'firing', 'resolved', 'critical'),
      entry(40, 'r', 'a', 'firing', 'resolved', 'warning'),
    ];
    const [timeline] = ruleTimelines(history, { start: 0, end: 50 });
    expect(timeline?.bands.map((b) => [b.start, b.end, bandKey(b)])).toEqual([
      [0, 10, 'inactive'],
      [10, 20, 'firing:warning'],
      [20, 30, 'firing:critical'],
      [30, 40, 'firing:warning'],
      [40, 50, 'resolved'],
    ]);
    // One continuous firing stretch, whatever its severity changes.
    expect(timeline?.firingCount).toBe(1);
  });

  it('clips to the range, opens in the state reached before it, and lists rules without history', () => {
    const history = [entry(-50, 'r', 'a', 'inactive', 'firing'), entry(70, 'r', 'a', 'firing', 'resolved')];
    const timelines = ruleTimelines(history, { start: 0, end: 100 }, { quiet: 'Quiet rule' }, ['quiet']);
    expect(timelines.map((t) => t.ruleId)).toEqual(['quiet', 'r']);
    expect(timelines[0]?.bands).toEqual([{ start: 0, end: 100, state: 'inactive' }]);
    expect(timelines[0]?.name).toBe('Quiet rule');
    expect(timelines[1]?.bands.map((b) => [b.start, b.end, b.state])).toEqual([
      [0, 70, 'firing'],
      [70, 100, 'resolved'],
    ]);
    expect(timelines[1]?.firingCount).toBe(1);
  });

  it('agrees with a brute-force state lookup at every instant (random histories)', () => {
    const arbEntry = fc.record({
      time: fc.integer({ min: -20, max: 220 }),
      rule: fc.constantFrom('r1', 'r2'),
      instance: fc.constantFrom('a', 'b', 'c'),
      to: fc.constantFrom(...STATES),
    });
    fc.assert(
      fc.property(fc.array(arbEntry, { maxLength: 40 }), fc.constantFrom(...SEVERITIES), (raw, severity) => {
        // Build consistent chains per instance (each `from` is the previous `to`), with distinct times per instance.
        const last = new Map<string, AlertState>();
        const seen = new Set<string>();
        const history: AlertHistoryEntry[] = [];
        for (const r of [...raw].sort((a, b) => a.time - b.time)) {
          const key = `${r.rule}/${r.instance}`;
          if (seen.has(`${key}@${r.time}`)) continue;
          seen.add(`${key}@${r.time}`);
          const from = last.get(key) ?? 'inactive';
          last.set(key, r.to);
          history.push(entry(r.time, r.rule, r.instance, from, r.to, r.instance === 'c' ? 'warning' : severity));
        }
        const range = { start: 0, end: 200 };
        const timelines = ruleTimelines(history, range);
        for (const timeline of timelines) {
          // Bands tile the range, without gaps or equal neighbours.
          expect(timeline.bands[0]?.start).toBe(0);
          expect(timeline.bands.at(-1)?.end).toBe(200);
          for (let i = 1; i < timeline.bands.length; i++) {
            expect(timeline.bands[i]?.start).toBe(timeline.bands[i - 1]?.end);
            expect(bandKey(timeline.bands[i] as TimelineBand)).not.toBe(bandKey(timeline.bands[i - 1] as TimelineBand));
          }
          for (let t = 0; t < 200; t++) {
            const band = timeline.bands.find((b) => b.start <= t && t < b.end) as TimelineBand;
            expect(bandKey(band)).toBe(bruteWorst(history, timeline.ruleId, t));
          }
          let firingMs = 0;
          for (let t = 0; t < 200; t++) if (bruteWorst(history, timeline.ruleId, t).startsWith('firing')) firingMs++;
          expect(timeline.firingMs).toBe(firingMs);
        }
      }),
      { numRuns: 150 },
    );
  });
});
