import { useId, type ReactNode } from 'react';

export interface SegmentOption<Value extends string> {
  readonly value: Value;
  readonly label: string;
  /** Shorter text for narrow screens; the full label stays the accessible name. */
  readonly shortLabel?: string;
  readonly icon?: ReactNode;
}

interface SegmentedProps<Value extends string> {
  readonly legend: string;
  readonly options: readonly SegmentOption<Value>[];
  readonly value: Value;
  readonly onChange: (value: Value) => void;
  readonly name?: string;
  readonly iconOnly?: boolean;
  readonly className?: string;
}

/**
 * A segmented control built on native radio buttons, so arrow keys, focus and screen-reader semantics come from
 * the browser. The legend is visually hidden.
 */
export function Segmented<Value extends string>({ legend, options, value, onChange, name, iconOnly, className }: SegmentedProps<Value>) {
  const generated = useId();
  const groupName = name ?? generated;
  return (
    <fieldset className={['demo-segmented', className].filter(Boolean).join(' ')}>
      <legend className="demo-visually-hidden">{legend}</legend>
      {options.map((option) => (
        <label key={option.value} className="demo-segmented__option" title={iconOnly ? option.label : undefined}>
          <input
            type="radio"
            name={groupName}
            value={option.value}
            checked={option.value === value}
            onChange={() => onChange(option.value)}
            aria-label={iconOnly || option.shortLabel ? option.label : undefined}
          />
          <span className="demo-segmented__face">
            {option.icon}
            {iconOnly ? null : <span aria-hidden={option.shortLabel ? true : undefined}>{option.shortLabel ?? option.label}</span>}
          </span>
        </label>
      ))}
    </fieldset>
  );
}
