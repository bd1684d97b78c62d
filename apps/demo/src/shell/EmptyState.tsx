import type { ReactNode } from 'react';

interface EmptyStateProps {
  readonly icon: ReactNode;
  readonly title: string;
  readonly summary: string;
  readonly planned: readonly string[];
  /** The package that will power the tab, such as `@vigil/core/slo`. */
  readonly engine: string;
  /** An extra line about the current data source, such as a missing capability. */
  readonly note?: string | undefined;
}

/** What a tab will show once its capability lands: a calm placeholder that says what is coming, never filler text. */
export function EmptyState({ icon, title, summary, planned, engine, note }: EmptyStateProps) {
  return (
    <section className="demo-empty" aria-labelledby={`empty-${engine}`}>
      <div className="demo-empty__icon" aria-hidden="true">
        {icon}
      </div>
      <h2 id={`empty-${engine}`} className="demo-empty__title">
        {title}
      </h2>
      <p className="demo-empty__summary">{summary}</p>
      <ul className="demo-empty__list">
        {planned.map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
      {note === undefined ? null : <p className="demo-empty__note">{note}</p>}
      <p className="demo-empty__engine">
        Powered by <code>{engine}</code> · not enabled in this build yet
      </p>
    </section>
  );
}
