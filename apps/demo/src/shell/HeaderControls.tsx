import { RANGE_KEYS, RANGE_LABEL, type RangeKey, type ThemeName } from '../lib/params';
import { ContrastIcon, MoonIcon, SunIcon } from './icons';
import { Segmented, type SegmentOption } from './Segmented';

const RANGE_OPTIONS: readonly SegmentOption<RangeKey>[] = RANGE_KEYS.map((key) => ({ value: key, label: RANGE_LABEL[key], shortLabel: key }));

const THEME_OPTIONS: readonly SegmentOption<ThemeName>[] = [
  { value: 'light', label: 'Light theme', icon: <SunIcon /> },
  { value: 'dark', label: 'Dark theme', icon: <MoonIcon /> },
  { value: 'high-contrast', label: 'High contrast theme', icon: <ContrastIcon /> },
];

interface TimeRangePickerProps {
  readonly range: RangeKey;
  readonly onRangeChange: (range: RangeKey) => void;
  readonly live: boolean;
  readonly onLiveChange: (live: boolean) => void;
  /** The live toggle is disabled when the source cannot stream (or the clock is frozen). */
  readonly liveAvailable: boolean;
}

/** Last 1h / 6h / 24h / 7d, plus a live toggle that keeps the window's end at "now". */
export function TimeRangePicker({ range, onRangeChange, live, onLiveChange, liveAvailable }: TimeRangePickerProps) {
  return (
    <div className="demo-range">
      <Segmented legend="Time range" name="demo-range" options={RANGE_OPTIONS} value={range} onChange={onRangeChange} />
      <button
        type="button"
        className="demo-live"
        aria-pressed={live}
        disabled={!liveAvailable}
        onClick={() => onLiveChange(!live)}
        title={liveAvailable ? (live ? 'Pause live updates' : 'Resume live updates') : 'This source cannot stream live updates'}
      >
        <span className="demo-live__dot" aria-hidden="true" />
        Live
      </button>
    </div>
  );
}

interface ThemeSwitcherProps {
  readonly theme: ThemeName;
  readonly onThemeChange: (theme: ThemeName) => void;
}

export function ThemeSwitcher({ theme, onThemeChange }: ThemeSwitcherProps) {
  return <Segmented legend="Theme" name="demo-theme" className="demo-theme" options={THEME_OPTIONS} value={theme} onChange={onThemeChange} iconOnly />;
}
