import { useEffect, useId, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import { formatDuration, parseDuration } from '@vigil/core/series';
import { FieldError, describedBy, fieldStyle, hintStyle, inputStyle, inputStyleFor, labelStyle } from './parts';

/*
 * Form fields of the rule builder. Each one owns its label, hint and error text and ties them to the control
 * (`aria-invalid`, `aria-describedby`). Number and duration fields keep what the person typed as text and only
 * report a value when it parses, so a half-typed "1." or "5" never becomes NaN in the rule.
 */

interface FieldBase {
  readonly label: string;
  /** Error from the rule validator for this field (or undefined). */
  readonly error?: string | undefined;
  readonly hint?: string | undefined;
  /** `data-field` on the wrapper: the rule path this field edits (tests and focus use it). */
  readonly field: string;
  readonly style?: CSSProperties | undefined;
  readonly disabled?: boolean | undefined;
}

function Shell({ id, label, hint, error, field, style, children }: FieldBase & { readonly id: string; readonly children: ReactNode }): ReactNode {
  return (
    <div style={{ ...fieldStyle, ...style }} data-field={field}>
      <label htmlFor={id} style={labelStyle}>
        {label}
      </label>
      {children}
      {hint !== undefined && (
        <p id={`${id}-hint`} style={hintStyle}>
          {hint}
        </p>
      )}
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

export interface TextFieldProps extends FieldBase {
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly placeholder?: string | undefined;
  readonly mono?: boolean | undefined;
  readonly multiline?: boolean | undefined;
  readonly list?: string | undefined;
}

export function TextField(props: TextFieldProps): ReactNode {
  const { value, onChange, placeholder, mono = false, multiline = false, error, hint, disabled, list } = props;
  const id = useId();
  const common = {
    id,
    value,
    placeholder,
    disabled,
    spellCheck: false,
    autoComplete: 'off',
    'aria-invalid': error !== undefined,
    'aria-describedby': describedBy(hint !== undefined && `${id}-hint`, error !== undefined && `${id}-error`),
    style: { ...inputStyleFor(error !== undefined), ...(mono ? { fontFamily: 'var(--vigil-font-mono)' } : {}) },
  };
  return (
    <Shell {...props} id={id}>
      {multiline ? (
        <textarea {...common} rows={2} onChange={(e) => onChange(e.target.value)} style={{ ...common.style, resize: 'vertical' }} />
      ) : (
        <input {...common} list={list} onChange={(e) => onChange(e.target.value)} />
      )}
    </Shell>
  );
}

/**
 * Text that mirrors a parsed value: shows the value's text until the person types, keeps their text while it does
 * not parse (with an error), and follows the value again when it changes from outside.
 */
function useParsedText<T>(value: T, format: (value: T) => string, parse: (text: string) => T | undefined): [string, (text: string) => T | undefined] {
  const [text, setText] = useState(() => format(value));
  const last = useRef(value);
  useEffect(() => {
    if (!Object.is(value, last.current)) {
      last.current = value;
      setText(format(value));
    }
    // format is a pure helper; the text follows `value` only.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
  const edit = (next: string): T | undefined => {
    setText(next);
    const parsed = parse(next);
    if (parsed !== undefined) last.current = parsed;
    return parsed;
  };
  return [text, edit];
}

export interface NumberFieldProps extends FieldBase {
  /** The value; undefined shows an empty field. */
  readonly value: number | undefined;
  /** Called with each parsed value (undefined when the field is emptied and `optional`). */
  readonly onChange: (value: number | undefined) => void;
  /** An empty field is allowed and reports undefined. */
  readonly optional?: boolean | undefined;
  readonly unit?: string | undefined;
}

const numberText = (value: number | undefined) => (value === undefined || !Number.isFinite(value) ? '' : String(value));

export function NumberField(props: NumberFieldProps): ReactNode {
  const { value, onChange, optional = false, error, hint, unit, disabled } = props;
  const id = useId();
  const parse = (text: string): number | undefined => {
    const trimmed = text.trim();
    if (trimmed === '') return undefined;
    const n = Number(trimmed);
    return Number.isFinite(n) ? n : undefined;
  };
  const [text, edit] = useParsedText(value, numberText, parse);
  const unparsable = text.trim() !== '' && parse(text) === undefined;
  const missing = text.trim() === '' && !optional;
  const shown = unparsable ? 'Enter a number, such as 0.05 or 1500.' : missing ? 'Enter a number.' : error;
  return (
    <Shell {...props} id={id} error={shown}>
      <span style={{ display: 'flex', alignItems: 'center', gap: 4 }}>
        <input
          id={id}
          inputMode="decimal"
          value={text}
          disabled={disabled}
          autoComplete="off"
          aria-invalid={shown !== undefined}
          aria-describedby={describedBy(hint !== undefined && `${id}-hint`, shown !== undefined && `${id}-error`)}
          onChange={(e) => {
            const parsed = edit(e.target.value);
            if (parsed !== undefined) onChange(parsed);
            else if (e.target.value.trim() === '' && optional) onChange(undefined);
          }}
          style={{ ...inputStyleFor(shown !== undefined), fontVariantNumeric: 'tabular-nums' }}
        />
        {unit !== undefined && unit !== '' && <span style={{ fontSize: '0.75rem', color: 'var(--vigil-fg-muted)' }}>{unit}</span>}
      </span>
    </Shell>
  );
}

export interface DurationFieldProps extends FieldBase {
  /** Milliseconds; undefined shows an empty field. */
  readonly value: number | undefined;
  readonly onChange: (ms: number | undefined) => void;
  readonly optional?: boolean | undefined;
  /** Shown in an empty field, such as the default (`1m`). */
  readonly placeholder?: string | undefined;
}

const durationText = (ms: number | undefined) => (ms === undefined || !Number.isFinite(ms) || ms < 0 ? '' : formatDuration(ms));

/** A Prometheus-style duration (`30s`, `5m`, `1h30m`) edited as text, reported in ms. */
export function DurationField(props: DurationFieldProps): ReactNode {
  const { value, onChange, optional = false, error, hint, disabled, placeholder } = props;
  const id = useId();
  const parse = (text: string): number | undefined => {
    const trimmed = text.trim();
    if (trimmed === '') return undefined;
    try {
      return parseDuration(trimmed, 'duration');
    } catch {
      return undefined;
    }
  };
  const [text, edit] = useParsedText(value, durationText, parse);
  const unparsable = text.trim() !== '' && parse(text) === undefined;
  const missing = text.trim() === '' && !optional;
  const shown = unparsable ? 'Enter a duration such as 30s, 5m or 1h30m.' : missing ? 'Enter a duration.' : error;
  return (
    <Shell {...props} id={id} error={shown}>
      <input
        id={id}
        value={text}
        placeholder={placeholder}
        disabled={disabled}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={shown !== undefined}
        aria-describedby={describedBy(hint !== undefined && `${id}-hint`, shown !== undefined && `${id}-error`)}
        onChange={(e) => {
          const parsed = edit(e.target.value);
          if (parsed !== undefined) onChange(parsed);
          else if (e.target.value.trim() === '' && optional) onChange(undefined);
        }}
        style={{ ...inputStyleFor(shown !== undefined), fontFamily: 'var(--vigil-font-mono)' }}
      />
    </Shell>
  );
}

export interface SelectFieldProps<T extends string> extends FieldBase {
  readonly value: T;
  readonly options: readonly { readonly value: T; readonly label: string }[];
  readonly onChange: (value: T) => void;
}

export function SelectField<T extends string>(props: SelectFieldProps<T>): ReactNode {
  const { value, options, onChange, error, hint, disabled } = props;
  const id = useId();
  return (
    <Shell {...props} id={id}>
      <select
        id={id}
        value={value}
        disabled={disabled}
        aria-invalid={error !== undefined}
        aria-describedby={describedBy(hint !== undefined && `${id}-hint`, error !== undefined && `${id}-error`)}
        onChange={(e) => onChange(e.target.value as T)}
        style={inputStyleFor(error !== undefined)}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </Shell>
  );
}

export { inputStyle };
