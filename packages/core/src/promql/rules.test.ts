import { describe, expect, it } from 'vitest';
import { writeRuleFile } from './index';

describe('writeRuleFile', () => {
  it('writes for and keep_firing_for, in that order, under the alert', () => {
    const yaml = writeRuleFile([{ name: 'g', rules: [{ alert: 'HighErrors', expr: 'up == 0', for: '5m', keepFiringFor: '10m', labels: { severity: 'page' } }] }], '# test');
    expect(yaml.split('\n')).toEqual(['# test', 'groups:', '  - name: "g"', '    rules:', '      - alert: "HighErrors"', '        expr: "up == 0"', '        for: "5m"', '        keep_firing_for: "10m"', '        labels:', '          severity: "page"', '']);
  });

  it('writes an empty list for no groups', () => {
    expect(writeRuleFile([], '# none')).toBe('# none\ngroups: []\n');
  });
});
