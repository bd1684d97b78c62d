import { forwardRef, useId, useMemo, useRef, useState, type CSSProperties, type ForwardedRef, type FormEvent, type FormHTMLAttributes, type ReactNode } from 'react';
import { formatDuration, parseDuration } from '@vigil/core/series';
import type { Silence } from '@vigil/core/alerting';
import { VigilErrorBoundary } from '../utils/ErrorBoundary';
import { classNames } from '../utils/class-names';
import { ErrorBody, buttonStyle, headingStyle, mutedStyle, panelStyle } from '../slo/parts';
import {
  FieldError,
  LabelChips,
  describedBy,
  fieldStyle,
  fieldsetStyle,
  formatInstant,
  hintStyle,
  inputStyle,
  inputStyleFor,
  labelStyle,
  legendStyle,
  toggleStyle,
  primaryButtonStyle,
} from './parts';
import { SILENCE_OPERATORS, matcherOperator, silencePreview, validateSilenceDraft, type SilenceAlert, type SilenceDraft, type SilenceOperator } from './silence-model';
import type { Matcher } from '@vigil/core/alerting';

export interface SilenceEditorProps extends Omit<FormHTMLAttributes<HTMLFormElement>, 'onSubmit' | 'onChange' | 'defaultValue' | 'title' | 'children'> {
  /** Controlled silence. Pair with `onChange`. */
  readonly value?: SilenceDraft | undefined;
  /** Initial silence for uncontrolled use. Default: one empty `=` matcher, starting now, for 2 hours. */
  readonly defaultValue?: SilenceDraft | undefined;
  /** Called with every edit (also in uncontrolled use). */
  readonly onChange?: ((silence: SilenceDraft) => void) | undefined;
  /**
   * Called with a valid silence when the form is submitted (its `id` is the draft's, or a new random one).
   * Invalid submissions show the errors and focus the first field in error instead.
   */
  readonly onSubmit?: ((silence: Silence) => void) | undefined;
  /** Shows a Cancel button that calls this. */
  readonly onCancel?: (() => void) | undefined;
  /** Current alerts: the editor lists the ones this silence would mute, with the engine's matcher. */
  readonly alerts?: readonly SilenceAlert[] | undefined;
  /** "Now", epoch ms, for the default start. Default `Date.now()` when the editor mounts. */
  readonly now?: number | undefined;
  /** Time zone of the start field and the times shown. Default `local`. */
  readonly timeZone?: 'local' | 'utc' | undefined;
  /** Heading. Default "New silence". */
  readonly title?: string | undefined;
  /** Heading level. Default 3. */
  readonly headingLevel?: 2 | 3 | 4 | 5 | 6 | undefined;
  /** Text of the submit button. Default "Create silence". */
  readonly submitLabel?: string | undefined;
  readonly className?: string | undefined;
  readonly style?: CSSProperties | undefined;
}

const TWO_HOURS = 2 * 3_600_000;
const DURATION_PRESETS: readonly string[] = ['1h', '2h', '4h', '1d', '1w'];
const OPERATOR_WORDS: Readonly<Record<SilenceOperator, string>> = { '=': 'equals', '!=': 'does not equal', '=~': 'matches regex', '!~': 'does not match regex' };

let counter = 0;
/** A random silence id (crypto when available; the counter keeps ids unique within a page either way). */
function newSilenceId(): string {
  counter += 1;
  const random = typeof globalThis.crypto?.randomUUID === 'function' ? globalThis.crypto.randomUUID() : Math.random().toString(36).slice(2);
  return `silence-${random}-${counter}`;
}

function toInputTime(ms: number, timeZone: 'local' | 'utc'): string {
  if (!Number.isFinite(ms)) return '';
  const text = formatInstant(ms, timeZone);
  return text.replace(' UTC', '').replace(' ', 'T');
}

function fromInputTime(text: string, timeZone: 'local' | 'utc'): number {
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?$/.test(text)) return Number.NaN;
  return timeZone === 'utc' ? Date.parse(`${text}Z`) : new Date(text).getTime();
}

function durationText(draft: SilenceDraft): string {
  const span = draft.endsAt - draft.startsAt;
  return Number.isFinite(span) && span > 0 ? formatDuration(span) : '';
}

interface InnerProps extends SilenceEditorProps {
  readonly forwardedRef: ForwardedRef<HTMLFormElement>;
}

function SilenceEditorInner(props: InnerProps): ReactNode {
  const {
    value,
    defaultValue,
    onChange,
    onSubmit,
    onCancel,
    alerts,
    now,
    timeZone = 'local',
    title = 'New silence',
    headingLevel = 3,
    submitLabel = 'Create silence',
    className,
    style,
    forwardedRef,
    ...rest
  } = props;
  const id = useId();
  const Heading = `h${headingLevel}` as const;
  const [mountedAt] = useState(() => now ?? Date.now());
  const start = now ?? mountedAt;
  const [own, setOwn] = useState<SilenceDraft>(
    () => defaultValue ?? { matchers: [{ name: '', value: '', isRegex: false, isEqual: true }], startsAt: start, endsAt: start + TWO_HOURS, comment: '', createdBy: '' },
  );
  const draft = value ?? own;
  // The duration is typed as text; it only changes the draft when it parses.
  const [durationDraft, setDurationDraft] = useState<string | null>(null);
  const [startDraft, setStartDraft] = useState<string | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set());
  const firstInvalid = useRef<HTMLElement | null>(null);

  const update = (next: SilenceDraft) => {
    if (value === undefined) setOwn(next);
    onChange?.(next);
  };
  const touch = (field: string) => setTouched((previous) => (previous.has(field) ? previous : new Set(previous).add(field)));

  const durationShown = durationDraft ?? durationText(draft);
  const startShown = startDraft ?? toInputTime(draft.startsAt, timeZone);
  let durationProblem: string | undefined;
  if (durationDraft !== null) {
    try {
      if (parseDuration(durationDraft.trim(), 'duration') <= 0) durationProblem = 'Enter a duration longer than zero, such as 2h.';
    } catch {
      durationProblem = 'Enter a duration such as 30m, 2h or 1d12h (units d h m s, largest first).';
    }
  }
  const startProblem = startDraft !== null && !Number.isFinite(fromInputTime(startDraft, timeZone)) ? 'Enter a start date and time.' : undefined;

  const problems = useMemo(() => validateSilenceDraft(draft), [draft]);
  const show = (field: string) => submitted || touched.has(field);
  const problemAt = (path: string): string | undefined => (show(path) ? problems.get(path) : undefined);

  // The preview needs only valid matchers (a missing comment does not change which alerts match).
  const matchersValid = [...problems.keys()].every((key) => !key.startsWith('matchers'));
  const preview = useMemo(() => (alerts && matchersValid ? silencePreview(draft, alerts) : undefined), [alerts, draft, matchersValid]);

  const setMatcher = (index: number, patch: Partial<Matcher>) => {
    update({ ...draft, matchers: draft.matchers.map((m, i) => (i === index ? { ...m, ...patch } : m)) });
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSubmitted(true);
    if (problems.size > 0 || durationProblem !== undefined || startProblem !== undefined) {
      // Move focus to the first field that needs attention, after the errors render.
      queueMicrotask(() => {
        const form = firstInvalid.current;
        const target = form?.querySelector<HTMLElement>('[aria-invalid="true"]');
        target?.focus();
      });
      return;
    }
    onSubmit?.({ ...draft, id: draft.id ?? newSilenceId() });
  };

  const comment = problemAt('comment');
  const createdBy = problemAt('createdBy');
  const timeProblem = problemAt('endsAt');
  // A set of matchers that would mute everything is said at once (it is not a field left empty).
  const matchersProblem = submitted || draft.matchers.some((m) => m.name !== '') ? problems.get('matchers') : undefined;

  return (
    <form
      ref={(node) => {
        firstInvalid.current = node;
        if (typeof forwardedRef === 'function') forwardedRef(node);
        else if (forwardedRef) forwardedRef.current = node;
      }}
      noValidate
      aria-labelledby={`${id}-title`}
      className={classNames('vigil-silence-editor', className)}
      style={{ ...panelStyle, display: 'grid', gap: 12, ...style }}
      onSubmit={submit}
      {...rest}
    >
      <Heading id={`${id}-title`} style={headingStyle}>
        {title}
      </Heading>

      <fieldset style={fieldsetStyle} aria-describedby={describedBy(`${id}-matchers-hint`, matchersProblem && `${id}-matchers-error`)}>
        <legend style={legendStyle}>Matchers</legend>
        <p id={`${id}-matchers-hint`} style={hintStyle}>
          Alerts whose labels match every line are silenced. Regexes match the whole value; a missing label counts as empty.
        </p>
        <FieldError id={`${id}-matchers-error`} message={matchersProblem} />
        {draft.matchers.map((matcher, index) => {
          const base = `matchers[${index}]`;
          const nameProblem = problemAt(`${base}.name`);
          const valueProblem = problemAt(`${base}.value`);
          const operator = matcherOperator(matcher);
          return (
            <div key={index} role="group" aria-label={`Matcher ${index + 1}`} style={{ display: 'grid', gridTemplateColumns: 'minmax(6rem, 1fr) 7.5rem minmax(8rem, 2fr) auto', gap: 6, alignItems: 'start' }} data-matcher={index}>
              <div style={fieldStyle}>
                <label htmlFor={`${id}-m${index}-name`} className="vigil-visually-hidden">
                  Label name (matcher {index + 1})
                </label>
                <input
                  id={`${id}-m${index}-name`}
                  value={matcher.name}
                  placeholder="label"
                  spellCheck={false}
                  autoComplete="off"
                  aria-invalid={nameProblem !== undefined}
                  aria-describedby={describedBy(nameProblem && `${id}-m${index}-name-error`)}
                  onChange={(e) => setMatcher(index, { name: e.target.value })}
                  onBlur={() => touch(`${base}.name`)}
                  style={{ ...inputStyleFor(nameProblem !== undefined), fontFamily: 'var(--vigil-font-mono)' }}
                />
                <FieldError id={`${id}-m${index}-name-error`} message={nameProblem} />
              </div>
              <div style={fieldStyle}>
                <label htmlFor={`${id}-m${index}-op`} className="vigil-visually-hidden">
                  Operator (matcher {index + 1})
                </label>
                <select
                  id={`${id}-m${index}-op`}
                  value={operator}
                  onChange={(e) => {
                    const op = e.target.value as SilenceOperator;
                    setMatcher(index, { isRegex: op === '=~' || op === '!~', isEqual: op === '=' || op === '=~' });
                  }}
                  style={{ ...inputStyle, fontFamily: 'var(--vigil-font-mono)' }}
                >
                  {SILENCE_OPERATORS.map((op) => (
                    <option key={op} value={op}>
                      {op} {OPERATOR_WORDS[op]}
                    </option>
                  ))}
                </select>
              </div>
              <div style={fieldStyle}>
                <label htmlFor={`${id}-m${index}-value`} className="vigil-visually-hidden">
                  Value (matcher {index + 1})
                </label>
                <input
                  id={`${id}-m${index}-value`}
                  value={matcher.value}
                  placeholder={matcher.isRegex ? 'regex, e.g. checkout|payments' : 'value'}
                  spellCheck={false}
                  autoComplete="off"
                  aria-invalid={valueProblem !== undefined}
                  aria-describedby={describedBy(valueProblem && `${id}-m${index}-value-error`)}
                  onChange={(e) => setMatcher(index, { value: e.target.value })}
                  onBlur={() => touch(`${base}.value`)}
                  style={{ ...inputStyleFor(valueProblem !== undefined), fontFamily: 'var(--vigil-font-mono)' }}
                />
                <FieldError id={`${id}-m${index}-value-error`} message={valueProblem} />
              </div>
              <button
                type="button"
                style={buttonStyle}
                aria-label={`Remove matcher ${index + 1}`}
                disabled={draft.matchers.length === 1}
                onClick={() => update({ ...draft, matchers: draft.matchers.filter((_, i) => i !== index) })}
              >
                Remove
              </button>
            </div>
          );
        })}
        <div>
          <button type="button" style={buttonStyle} onClick={() => update({ ...draft, matchers: [...draft.matchers, { name: '', value: '', isRegex: false, isEqual: true }] })}>
            Add matcher
          </button>
        </div>
      </fieldset>

      <fieldset style={fieldsetStyle}>
        <legend style={legendStyle}>When</legend>
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 12, alignItems: 'flex-start' }}>
          <div style={{ ...fieldStyle, flex: '1 1 12rem' }}>
            <label htmlFor={`${id}-start`} style={labelStyle}>
              Starts {timeZone === 'utc' ? '(UTC)' : ''}
            </label>
            <input
              id={`${id}-start`}
              type="datetime-local"
              value={startShown}
              aria-invalid={startProblem !== undefined}
              aria-describedby={describedBy(startProblem && `${id}-start-error`)}
              onChange={(e) => {
                const text = e.target.value;
                const ms = fromInputTime(text, timeZone);
                if (Number.isFinite(ms)) {
                  setStartDraft(null);
                  update({ ...draft, startsAt: ms, endsAt: ms + (draft.endsAt - draft.startsAt) });
                } else setStartDraft(text);
              }}
              style={inputStyleFor(startProblem !== undefined)}
            />
            <FieldError id={`${id}-start-error`} message={startProblem} />
          </div>
          <div style={{ ...fieldStyle, flex: '1 1 10rem' }}>
            <label htmlFor={`${id}-duration`} style={labelStyle}>
              Duration
            </label>
            <input
              id={`${id}-duration`}
              value={durationShown}
              spellCheck={false}
              autoComplete="off"
              aria-invalid={durationProblem !== undefined || timeProblem !== undefined}
              aria-describedby={describedBy(`${id}-ends`, durationProblem && `${id}-duration-error`, timeProblem && `${id}-time-error`)}
              onChange={(e) => {
                const text = e.target.value;
                setDurationDraft(text);
                try {
                  const ms = parseDuration(text.trim(), 'duration');
                  if (ms > 0) update({ ...draft, endsAt: draft.startsAt + ms });
                } catch {
                  // Shown as a field error until it parses.
                }
              }}
              onBlur={() => {
                if (durationProblem === undefined) setDurationDraft(null);
                touch('endsAt');
              }}
              style={{ ...inputStyleFor(durationProblem !== undefined || timeProblem !== undefined), fontFamily: 'var(--vigil-font-mono)' }}
            />
            <FieldError id={`${id}-duration-error`} message={durationProblem} />
            <FieldError id={`${id}-time-error`} message={durationProblem === undefined ? timeProblem : undefined} />
          </div>
        </div>
        <div role="group" aria-label="Duration presets" style={{ display: 'flex', flexWrap: 'wrap', gap: 6 }}>
          {DURATION_PRESETS.map((preset) => (
            <button
              key={preset}
              type="button"
              style={toggleStyle(buttonStyle, durationText(draft) === preset)}
              aria-pressed={durationText(draft) === preset}
              onClick={() => {
                setDurationDraft(null);
                update({ ...draft, endsAt: draft.startsAt + parseDuration(preset) });
              }}
            >
              {preset}
            </button>
          ))}
        </div>
        <p id={`${id}-ends`} style={hintStyle} data-testid="vigil-silence-ends">
          From {formatInstant(draft.startsAt, timeZone)} to {formatInstant(draft.endsAt, timeZone)}
        </p>
      </fieldset>

      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 12 }}>
        <div style={{ ...fieldStyle, flex: '2 1 16rem' }}>
          <label htmlFor={`${id}-comment`} style={labelStyle}>
            Comment
          </label>
          <textarea
            id={`${id}-comment`}
            value={draft.comment ?? ''}
            rows={2}
            aria-invalid={comment !== undefined}
            aria-describedby={describedBy(comment && `${id}-comment-error`)}
            onChange={(e) => update({ ...draft, comment: e.target.value })}
            onBlur={() => touch('comment')}
            style={{ ...inputStyleFor(comment !== undefined), resize: 'vertical' }}
          />
          <FieldError id={`${id}-comment-error`} message={comment} />
        </div>
        <div style={{ ...fieldStyle, flex: '1 1 10rem' }}>
          <label htmlFor={`${id}-created-by`} style={labelStyle}>
            Created by
          </label>
          <input
            id={`${id}-created-by`}
            value={draft.createdBy ?? ''}
            autoComplete="username"
            aria-invalid={createdBy !== undefined}
            aria-describedby={describedBy(createdBy && `${id}-created-by-error`)}
            onChange={(e) => update({ ...draft, createdBy: e.target.value })}
            onBlur={() => touch('createdBy')}
            style={inputStyleFor(createdBy !== undefined)}
          />
          <FieldError id={`${id}-created-by-error`} message={createdBy} />
        </div>
      </div>

      {alerts !== undefined && (
        <section aria-labelledby={`${id}-preview`} style={{ display: 'grid', gap: 6 }} data-testid="vigil-silence-preview">
          <h4 id={`${id}-preview`} style={{ ...headingStyle, fontSize: '0.8125rem' }}>
            {preview === undefined ? 'Affected alerts' : `Affected alerts: ${preview.length} of ${alerts.length}`}
          </h4>
          {preview === undefined ? (
            <p style={{ ...hintStyle }}>Fix the matchers to see which alerts this silence mutes.</p>
          ) : preview.length === 0 ? (
            <p style={{ ...hintStyle }}>No current alert matches.</p>
          ) : (
            <ul style={{ display: 'grid', gap: 4, margin: 0, padding: 0, listStyle: 'none', maxHeight: 180, overflowY: 'auto' }} aria-label="Alerts this silence would mute" tabIndex={0}>
              {preview.slice(0, 100).map((alert) => (
                <li key={alert.fingerprint} style={{ display: 'flex', flexWrap: 'wrap', gap: 6, alignItems: 'center' }}>
                  <span style={{ fontWeight: 600 }}>{alert.labels['alertname'] ?? alert.fingerprint}</span>
                  <LabelChips labels={alert.labels} omit={['alertname']} label={`Labels of ${alert.labels['alertname'] ?? 'alert'}`} />
                </li>
              ))}
              {preview.length > 100 && <li style={mutedStyle}>and {preview.length - 100} more</li>}
            </ul>
          )}
        </section>
      )}

      <div style={{ display: 'flex', gap: 8, justifyContent: 'flex-end' }}>
        {onCancel && (
          <button type="button" style={buttonStyle} onClick={onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" style={primaryButtonStyle}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}

/**
 * A form for an Alertmanager-style silence: label matchers (`=`, `!=`, `=~`, `!~`; regexes are checked as you type
 * and match the whole value), a start time and a duration, a comment and who created it. Given the current
 * alerts, it lists the ones the silence would mute, using the alerting engine's matcher. Controlled (`value` +
 * `onChange`) or uncontrolled (`defaultValue`); `onSubmit` receives only valid silences, and an invalid submit
 * focuses the first field in error, whose message is tied to it with `aria-describedby`.
 *
 * @example
 * <SilenceEditor alerts={activeAlerts} defaultValue={{ matchers: [{ name: 'service', value: 'checkout', isRegex: false }], startsAt: now, endsAt: now + 3_600_000, createdBy: 'ana', comment: 'deploy' }}
 *   onSubmit={(silence) => evaluator.addSilence(silence)} />
 */
export const SilenceEditor = /* @__PURE__ */ forwardRef<HTMLFormElement, SilenceEditorProps>(function SilenceEditor(props, ref) {
  return (
    <VigilErrorBoundary resetKeys={[props.value, props.alerts]} fallback={(caught) => <div style={{ ...panelStyle, ...props.style }} className={props.className}><ErrorBody error={caught} /></div>}>
      <SilenceEditorInner {...props} forwardedRef={ref} />
    </VigilErrorBoundary>
  );
});
