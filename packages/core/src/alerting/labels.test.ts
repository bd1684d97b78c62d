import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ValidationError, VigilError } from '../errors';
import { alertFingerprint, compileMatcher, copyLabels, labelsKey, labelValue, matchesAll, sameLabels, sortedLabelNames } from './labels';
import { parseTemplate, renderTemplate } from './template';

/** Reference FNV-1a 64 over Prometheus' label-set byte layout, with BigInt (independent of the limb arithmetic). */
function referenceFingerprint(labels: Record<string, string>): string {
  let hash = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  const feed = (bytes: Iterable<number>) => {
    for (const b of bytes) hash = ((hash ^ BigInt(b)) * prime) & 0xffffffffffffffffn;
  };
  for (const name of Object.keys(labels).sort()) {
    feed(new TextEncoder().encode(name));
    feed([0xff]);
    feed(new TextEncoder().encode(labels[name] as string));
    feed([0xff]);
  }
  return hash.toString(16).padStart(16, '0');
}

describe('alertFingerprint', () => {
  it('equals FNV-1a 64 of the sorted label set, as Prometheus model.LabelSet.Fingerprint (fast-check, unicode)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('a', 'b', 'job', 'instance', '_x', 'alertname', 'severity', 'Z9'), fc.string({ unit: 'binary', maxLength: 12 })), (labels) => {
        expect(alertFingerprint(labels)).toBe(referenceFingerprint(labels));
      }),
      { numRuns: 100 },
    );
  }, 30_000);

  it('hashes ASCII runs and the characters after them as their UTF-8 bytes (mixed ASCII, accents, emoji, lone surrogates)', () => {
    const unit = fc.constantFrom('a', 'Z', '=', '\u007f', '\u0080', 'é', '日', '😀', '\ud800', '\udc00');
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit, maxLength: 6 }), fc.string({ unit, maxLength: 12 })), (labels) => {
        expect(alertFingerprint(labels)).toBe(referenceFingerprint(labels));
      }),
      { numRuns: 300 },
    );
  });

  it('is the FNV offset basis for the empty set and independent of key order', () => {
    expect(alertFingerprint({})).toBe('cbf29ce484222325');
    expect(alertFingerprint({ b: '2', a: '1' })).toBe(alertFingerprint({ a: '1', b: '2' }));
    expect(alertFingerprint({ a: '1' })).not.toBe(alertFingerprint({ a: '2' }));
  });

  it('sorts label names as Array.prototype.sort does, for small sets (insertion) and large ones (fast-check)', () => {
    const name = fc.string({ unit: fc.constantFrom('a', 'b', 'B', '_', '0', 'é', '😀', '\ud800'), maxLength: 4 });
    fc.assert(
      fc.property(fc.dictionary(name, fc.constant('v'), { maxKeys: 40, size: 'max' }), (labels) => {
        expect(sortedLabelNames(labels)).toEqual(Object.keys(labels).sort());
      }),
      { numRuns: 500 },
    );
  });

  it('labelsKey quotes values exactly as JSON.stringify, with or without characters to escape (fast-check)', () => {
    const unit = fc.constantFrom('a', ' ', '"', '\\', '\n', '\u0000', '\u001f', '\u007f', 'é', '😀', '\ud800', '\udc00', '=', ',', '}');
    const reference = (labels: Record<string, string>) =>
      `{${Object.keys(labels)
        .sort()
        .map((n) => `${n}=${JSON.stringify(labels[n])}`)
        .join(',')}}`;
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('a', 'b', 'job', 'instance', '__name__'), fc.string({ unit, maxLength: 8 })), (labels) => {
        expect(labelsKey(labels)).toBe(reference(labels));
      }),
      { numRuns: 500 },
    );
  });

  it('labelsKey is injective where naive joins are not', () => {
    expect(labelsKey({ a: 'x,b=y' })).not.toBe(labelsKey({ a: 'x', b: 'y' }));
    expect(labelsKey({ b: '1', a: '2' })).toBe('{a="2",b="1"}');
  });
});

describe('Alertmanager matchers', () => {
  const m = (name: string, value: string, isRegex: boolean, isEqual = true) => compileMatcher({ name, value, isRegex, isEqual });
  it('anchors regexes fully', () => {
    expect(m('env', 'prod', true).test({ env: 'production' })).toBe(false);
    expect(m('env', 'prod.*', true).test({ env: 'production' })).toBe(true);
    expect(m('env', 'prod|staging', true).test({ env: 'staging' })).toBe(true);
    // Alternation is grouped before anchoring: ^(?:a|b)$ not ^a|b$.
    expect(m('env', 'a|b', true).test({ env: 'xb' })).toBe(false);
  });
  it('treats a missing label as the empty string', () => {
    expect(m('team', '', false).test({})).toBe(true);
    expect(m('team', '', false, false).test({})).toBe(false);
    expect(m('team', '.*', true).test({})).toBe(true);
    expect(m('team', '.+', true).test({})).toBe(false);
    expect(m('team', 'x', false, false).test({})).toBe(true);
    expect(m('team', '.+', true, false).test({})).toBe(true);
  });
  it('implements = != =~ !~', () => {
    const labels = { severity: 'critical' };
    expect(m('severity', 'critical', false).test(labels)).toBe(true);
    expect(m('severity', 'critical', false, false).test(labels)).toBe(false);
    expect(m('severity', 'crit.*', true).test(labels)).toBe(true);
    expect(m('severity', 'crit.*', true, false).test(labels)).toBe(false);
    expect(matchesAll([{ name: 'severity', value: 'critical', isRegex: false }, { name: 'x', value: '', isRegex: false }], labels)).toBe(true);
  });
  it('agrees with a brute-force definition (fast-check)', () => {
    fc.assert(
      fc.property(fc.constantFrom('a', 'b', ''), fc.option(fc.constantFrom('a', 'b', 'ab', ''), { nil: undefined }), fc.boolean(), fc.boolean(), (value, actual, isRegex, isEqual) => {
        const labels: Record<string, string> = actual === undefined ? {} : { l: actual };
        const seen = labels.l ?? '';
        const expected = (isRegex ? new RegExp(`^(?:${value})$`).test(seen) : seen === value) === isEqual;
        expect(m('l', value, isRegex, isEqual).test(labels)).toBe(expected);
      }),
    );
  });
  it('rejects bad matchers with the field path', () => {
    const paths: [unknown, string][] = [
      [{ name: '1x', value: '', isRegex: false }, 'matcher.name'],
      [{ name: 'x', value: 3, isRegex: false }, 'matcher.value'],
      [{ name: 'x', value: '(', isRegex: true }, 'matcher.value'],
      [{ name: 'x', value: 'a', isRegex: 'yes' }, 'matcher.isRegex'],
      [null, 'matcher'],
    ];
    for (const [input, path] of paths) {
      try {
        compileMatcher(input as never);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(VigilError);
        expect((error as VigilError).path).toBe(path);
      }
    }
  });
});

describe('label names that Object.prototype also has', () => {
  const inherited = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];

  it('are copied as labels, own keys only, exactly as an object spread copies them (copyLabels)', () => {
    const name = fc.oneof(fc.constantFrom(...inherited), fc.string({ maxLength: 6 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(name, fc.string({ maxLength: 6 })), { maxLength: 6 }), (entries) => {
        // Built by JSON.parse, as labels from a data source are: `__proto__` is then an own key.
        const labels = JSON.parse(JSON.stringify(Object.fromEntries(entries))) as Record<string, string>;
        const copy = copyLabels(labels);
        expect(copy).toStrictEqual({ ...labels });
        expect(Object.keys(copy)).toEqual(Object.keys(labels));
        expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
      }),
      { numRuns: 500 },
    );
    const withProto = JSON.parse('{"__proto__":"x","job":"api"}') as Record<string, string>;
    const copy = copyLabels(withProto);
    copy.alertname = 'A';
    expect(Object.entries(copy)).toEqual([
      ['__proto__', 'x'],
      ['job', 'api'],
      ['alertname', 'A'],
    ]);
    // Inherited enumerable keys are not labels.
    expect(copyLabels(Object.create({ inherited: 'no' }) as Record<string, string>)).toStrictEqual({});
  });

  it('compare as equal exactly when their keys are equal (sameLabels)', () => {
    const set = fc.dictionary(fc.constantFrom(...inherited, 'job', 'a'), fc.constantFrom('', 'x', 'y'), { maxKeys: 4 }).map((l) => JSON.parse(JSON.stringify(l)) as Record<string, string>);
    fc.assert(
      fc.property(set, set, (a, b) => {
        expect(sameLabels(a, b)).toBe(labelsKey(a) === labelsKey(b));
        expect(sameLabels(a, copyLabels(a))).toBe(true);
      }),
      { numRuns: 1000 },
    );
    // An inherited enumerable key is not a label, on either side.
    expect(sameLabels(Object.create({ job: 'x' }) as Record<string, string>, {})).toBe(true);
  });

  it('read as missing labels in matchers, as Alertmanager reads them', () => {
    for (const name of inherited) {
      expect(matchesAll([{ name, value: '', isRegex: false }], { job: 'api' })).toBe(true);
      expect(matchesAll([{ name, value: '.+', isRegex: true }], { job: 'api' })).toBe(false);
      expect(labelValue({ job: 'api' }, name)).toBeUndefined();
    }
    expect(matchesAll([{ name: 'constructor', value: 'x', isRegex: false }], JSON.parse('{"constructor":"x"}'))).toBe(true);
  });

  it('render as empty strings in templates, never as the prototype\'s functions', () => {
    for (const name of inherited) {
      const text = renderTemplate(parseTemplate(`[{{ $labels.${name} }}|{{ $labels.${name} | toUpper }}]`), { labels: { job: 'api' }, value: 1, severity: 'warning', rule: 'r' });
      expect(text).toBe('[|]');
    }
  });
});

describe('regular expressions outside RE2', () => {
  it('refuses lookarounds and backreferences, which Alertmanager cannot read and which can take exponential time', () => {
    for (const value of ['(?=a)a', '(?!a).', '(?<=a)b', '(?<!a)b', '(a)\\1', '(?<x>a)\\k<x>']) {
      expect(() => compileMatcher({ name: 'job', value, isRegex: true }, 'silence.matchers[0]')).toThrow(ValidationError);
      try {
        compileMatcher({ name: 'job', value, isRegex: true }, 'silence.matchers[0]');
      } catch (error) {
        expect((error as ValidationError).path).toBe('silence.matchers[0].value');
      }
    }
  });

  it('still accepts escaped backslashes, classes and groups', () => {
    for (const value of ['a\\\\1', '(?:ab)+', 'a{2,3}', '[(?=]', '(?<name>a)b']) {
      expect(() => compileMatcher({ name: 'job', value, isRegex: true })).not.toThrow();
    }
  });
});
