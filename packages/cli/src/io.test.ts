import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError, VigilError } from '@vigil/core';
import { describeError, parseNumber, parseNumberList, parseTimestampValueCsv, readInput } from './io';
import { memoryIo } from './test-io';

describe('parseNumber', () => {
  it('accepts decimal, exponent and Prometheus special values, and nothing else', () => {
    expect(parseNumber('1')).toBe(1);
    expect(parseNumber('-1.5e3')).toBe(-1500);
    expect(parseNumber('.5')).toBe(0.5);
    expect(parseNumber('5.')).toBe(5);
    expect(parseNumber('+Inf')).toBe(Infinity);
    expect(parseNumber('-inf')).toBe(-Infinity);
    expect(parseNumber('NaN')).toBeNaN();
    for (const bad of ['', '0x10', '1,5', '1e', 'e5', '--1', 'abc', '1_000']) expect(parseNumber(bad), bad).toBeUndefined();
  });
});

describe('parseNumberList', () => {
  it('reads numbers separated by any whitespace and names line and column of a bad token', () => {
    expect(Array.from(parseNumberList({ name: 'x', text: '1 2\t3\r\n\n 4\n' }))).toEqual([1, 2, 3, 4]);
    expect(() => parseNumberList({ name: 'data.txt', text: '1\n2 3 oops\n' })).toThrow(/^data\.txt:2:5: expected a number/);
    try {
      parseNumberList({ name: 'd', text: 'x' });
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).code).toBe('INVALID_DATA');
    }
  });
});

describe('parseTimestampValueCsv', () => {
  it('skips a header, blank lines and comments, and reads ISO dates and seconds', () => {
    const text = '# exported\ntimestamp,value\n\n0,1\n"1000",2\n1970-01-01T00:00:02Z,3\n';
    const parsed = parseTimestampValueCsv({ name: 'c.csv', text }, 'ms');
    expect(Array.from(parsed.timestamps)).toEqual([0, 1000, 2000]);
    expect(Array.from(parsed.values)).toEqual([1, 2, 3]);
    expect(Array.from(parseTimestampValueCsv({ name: 'c', text: '1,5\n2.5,6\n' }, 's').timestamps)).toEqual([1000, 2500]);
  });

  it('names the line of a bad row', () => {
    expect(() => parseTimestampValueCsv({ name: 'c.csv', text: 't,v\n0,1\n1,x\n' }, 'ms')).toThrow(/^c\.csv:3: expected a number as the value/);
    expect(() => parseTimestampValueCsv({ name: 'c.csv', text: '0,1\n0,2\n' }, 'ms')).toThrow(/^c\.csv:2: expected a timestamp after/);
    expect(() => parseTimestampValueCsv({ name: 'c.csv', text: '0,1,2\n' }, 'ms')).toThrow(/^c\.csv:1: expected two cells/);
    // A bad first row with a numeric value is an error, not a header.
    expect(() => parseTimestampValueCsv({ name: 'c.csv', text: '12a,5\n' }, 'ms')).toThrow(/^c\.csv:1: expected a timestamp/);
  });
});

describe('readInput', () => {
  it('reads stdin, decoding UTF-8 split across chunks', async () => {
    const io = memoryIo('é 1 ünïcode\n', { chunked: true });
    expect((await readInput(undefined, io)).text).toBe('é 1 ünïcode\n');
    expect((await readInput('-', memoryIo('5'))).name).toBe('stdin');
  });

  it('reads a file, and reports a missing one as NOT_FOUND', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-cli-'));
    const file = join(dir, 'n.txt');
    writeFileSync(file, '1 2 3');
    expect(await readInput(file, memoryIo())).toEqual({ name: file, text: '1 2 3' });
    await expect(readInput(join(dir, 'missing.txt'), memoryIo())).rejects.toMatchObject({ code: 'NOT_FOUND', path: '--file' });
  });

  it('hints on a terminal before waiting for stdin', async () => {
    const io = { ...memoryIo('1'), stdinIsTTY: true };
    let err = '';
    await readInput(undefined, { ...io, stderr: { write: (s: string) => (err += s) } });
    expect(err).toMatch(/reading from stdin/);
  });
});

describe('describeError', () => {
  it('puts the code and path first', () => {
    expect(describeError(new ValidationError('--q[1]', 'a probability', 2))).toBe('INVALID_ARGUMENT at --q[1]: expected a probability, received number 2');
    expect(describeError(new VigilError('UNSUPPORTED', 'nope', { path: 'x' }))).toBe('UNSUPPORTED at x: nope');
    expect(describeError(new Error('boom'))).toBe('internal error: boom');
  });
});
