import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/react';
import fc from 'fast-check';
import type { Matcher, Silence } from '@vigil/core/alerting';
import { SilenceEditor } from './SilenceEditor';
import { matchersForAlert, silencePreview, validateSilenceDraft, type SilenceDraft } from './silence-model';
import { STORY_NOW, storyScenario } from './story-data';

const HOUR = 3_600_000;
const draft = (matchers: Matcher[], extra: Partial<SilenceDraft> = {}): SilenceDraft => ({ matchers, startsAt: STORY_NOW, endsAt: STORY_NOW + HOUR, comment: 'deploy', createdBy: 'ana', ...extra });

describe('silence model', () => {
  it('names the field of each problem', () => {
    const problems = validateSilenceDraft(draft([{ name: '1bad', value: 'x', isRegex: false }, { name: 'service', value: '(unclosed', isRegex: true }], { comment: ' ', createdBy: '', endsAt: STORY_NOW }));
    expect([...problems.keys()].sort()).toEqual(['comment', 'createdBy', 'endsAt', 'matchers[0].name', 'matchers[1].value']);
    expect(problems.get('matchers[1].value')).toMatch(/^Not a valid regular expression/);
    expect(validateSilenceDraft(draft([{ name: 'service', value: 'checkout|payments', isRegex: true }])).size).toBe(0);
  });

  it('refuses a silence whose matchers all match the empty label (it would mute everything)', () => {
    expect(validateSilenceDraft(draft([{ name: 'service', value: '.*', isRegex: true }])).get('matchers')).toMatch(/every alert/);
    expect(validateSilenceDraft(draft([{ name: 'team', value: 'x', isRegex: false, isEqual: false }])).get('matchers')).toMatch(/every alert/);
    expect(validateSilenceDraft(draft([{ name: 'team', value: '.+', isRegex: true }])).size).toBe(0);
  });

  it('previews exactly the alerts a brute-force Alertmanager matcher picks (random = / != matchers)', () => {
    const names = ['service', 'team', 'env'];
    const values = ['', 'a', 'b'];
    const labelSet = fc.record({ service: fc.constantFrom(...values), team: fc.constantFrom(...values), env: fc.constantFrom(...values) });
    const matcher = fc.record({ name: fc.constantFrom(...names), value: fc.constantFrom(...values), isEqual: fc.boolean() });
    fc.assert(
      fc.property(fc.array(labelSet, { maxLength: 12 }), fc.array(matcher, { minLength: 1, maxLength: 3 }), (sets, ms) => {
        // Labels with an empty value are left out of the alert (a missing label matches as "").
        const alerts = sets.map((set, i) => ({ fingerprint: `f${i}`, labels: Object.fromEntries(Object.entries(set).filter(([, v]) => v !== '')) }));
        const matchers: Matcher[] = ms.map((m) => ({ name: m.name, value: m.value, isRegex: false, isEqual: m.isEqual }));
        const expected = alerts.filter((a) => matchers.every((m) => ((a.labels[m.name] ?? '') === m.value) === m.isEqual)).map((a) => a.fingerprint);
        expect(silencePreview(draft(matchers), alerts).map((a) => a.fingerprint)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('prefills matchers from an alert', () => {
    expect(matchersForAlert({ alertname: 'HighErrorRate', severity: 'critical', service: 'checkout', team: 'sre' })).toEqual([
      { name: 'alertname', value: 'HighErrorRate', isRegex: false, isEqual: true },
      { name: 'service', value: 'checkout', isRegex: false, isEqual: true },
    ]);
  });
});

describe('SilenceEditor', () => {
  it('validates a regex as it is typed and ties the message to the field', () => {
    render(<SilenceEditor now={STORY_NOW} timeZone="utc" defaultValue={draft([{ name: 'service', value: '', isRegex: true, isEqual: true }])} />);
    const value = screen.getByLabelText('Value (matcher 1)');
    fireEvent.change(value, { target: { value: 'check(out' } });
    fireEvent.blur(value);
    expect(value.getAttribute('aria-invalid')).toBe('true');
    const describedBy = value.getAttribute('aria-describedby') ?? '';
    const message = document.getElementById(describedBy);
    expect(message?.textContent).toMatch(/Not a valid regular expression/);
    fireEvent.change(value, { target: { value: 'check(out)?' } });
    expect(value.getAttribute('aria-invalid')).toBe('false');
    expect(value.getAttribute('aria-describedby')).toBeNull();
  });

  it('shows which current alerts the silence would mute, with the engine matcher', () => {
    const { alerts } = storyScenario();
    const matchers: Matcher[] = [
      { name: 'alertname', value: 'HighErrorRate', isRegex: false, isEqual: true },
      { name: 'service', value: 'check.*', isRegex: true, isEqual: true },
    ];
    render(<SilenceEditor now={STORY_NOW} alerts={alerts} defaultValue={draft(matchers)} />);
    const errors = alerts.filter((a) => a.labels['alertname'] === 'HighErrorRate');
    const expected = errors.filter((a) => a.labels['service']?.startsWith('check'));
    expect(expected.length).toBeGreaterThan(0);
    expect(errors.length).toBeGreaterThan(expected.length);
    const preview = screen.getByTestId('vigil-silence-preview');
    const heading = () => within(preview).getByRole('heading').textContent;
    expect(heading()).toBe(`Affected alerts: ${expected.length} of ${alerts.length}`);
    // Anchored: "check" alone matches nothing.
    fireEvent.change(screen.getByLabelText('Value (matcher 2)'), { target: { value: 'check' } });
    expect(heading()).toBe(`Affected alerts: 0 of ${alerts.length}`);
    // !~ flips it (within the HighErrorRate alerts).
    fireEvent.change(screen.getByLabelText('Operator (matcher 2)'), { target: { value: '!~' } });
    expect(heading()).toBe(`Affected alerts: ${errors.length} of ${alerts.length}`);
    // A lone matcher that matches an empty label would mute everything: no preview, a message instead.
    fireEvent.click(screen.getByRole('button', { name: 'Remove matcher 1' }));
    expect(heading()).toBe('Affected alerts');
    expect(screen.getByText(/otherwise the silence mutes every alert/)).toBeTruthy();
  });

  it('submits a valid silence with an id, and focuses the first invalid field otherwise', async () => {
    const onSubmit = vi.fn<(silence: Silence) => void>();
    render(<SilenceEditor now={STORY_NOW} timeZone="utc" onSubmit={onSubmit} />);
    fireEvent.click(screen.getByRole('button', { name: 'Create silence' }));
    expect(onSubmit).not.toHaveBeenCalled();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(document.activeElement).toBe(screen.getByLabelText('Label name (matcher 1)'));
    fireEvent.change(screen.getByLabelText('Label name (matcher 1)'), { target: { value: 'service' } });
    fireEvent.change(screen.getByLabelText('Value (matcher 1)'), { target: { value: 'checkout' } });
    fireEvent.click(screen.getByRole('button', { name: '4h' }));
    expect(screen.getByTestId('vigil-silence-ends').textContent).toBe('From 2025-03-14 12:00 UTC to 2025-03-14 16:00 UTC');
    fireEvent.change(screen.getByLabelText('Comment'), { target: { value: 'Deploying the fix' } });
    fireEvent.change(screen.getByLabelText('Created by'), { target: { value: 'ana' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create silence' }));
    expect(onSubmit).toHaveBeenCalledTimes(1);
    const silence = onSubmit.mock.calls[0]?.[0] as Silence;
    expect(silence).toMatchObject({ matchers: [{ name: 'service', value: 'checkout', isRegex: false, isEqual: true }], startsAt: STORY_NOW, endsAt: STORY_NOW + 4 * HOUR, comment: 'Deploying the fix', createdBy: 'ana' });
    expect(silence.id).toMatch(/^silence-/);
  });

  it('parses a typed duration and reports one that does not parse', () => {
    const onChange = vi.fn();
    render(<SilenceEditor now={STORY_NOW} timeZone="utc" onChange={onChange} />);
    const duration = screen.getByLabelText('Duration');
    fireEvent.change(duration, { target: { value: '1h30m' } });
    expect(onChange.mock.lastCall?.[0].endsAt).toBe(STORY_NOW + 90 * 60_000);
    fireEvent.change(duration, { target: { value: '90 minutes' } });
    expect(duration.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById((duration.getAttribute('aria-describedby') ?? '').split(' ')[1] ?? '')?.textContent).toMatch(/Enter a duration/);
    expect(onChange.mock.lastCall?.[0].endsAt).toBe(STORY_NOW + 90 * 60_000);
  });

  it('is controlled by value', () => {
    const value = draft([{ name: 'service', value: 'search', isRegex: false }]);
    const onChange = vi.fn();
    render(<SilenceEditor value={value} onChange={onChange} now={STORY_NOW} />);
    fireEvent.change(screen.getByLabelText('Value (matcher 1)'), { target: { value: 'auth' } });
    expect(onChange.mock.lastCall?.[0].matchers[0].value).toBe('auth');
    expect((screen.getByLabelText('Value (matcher 1)') as HTMLInputElement).value).toBe('search');
  });
});
