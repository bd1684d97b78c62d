import { compileMatcher, compileMatchers, type Alert, type Matcher, type Silence } from '@vigil/core/alerting';
import { describeError } from '../utils/errors';

/** The engine's complaint about one matcher, in words for the form (undefined when it compiles). */
function matcherProblem(matcher: Matcher): string | undefined {
  try {
    compileMatcher(matcher, 'matcher');
    return undefined;
  } catch (error) {
    const { message } = describeError(error);
    // The engine keeps the regex engine's SyntaxError as the cause: its words say what is wrong.
    const cause = (error as { cause?: unknown }).cause;
    if (matcher.isRegex && cause instanceof Error) return `Not a valid regular expression: ${cause.message.replace(/^Invalid regular expression: /, '').replace(/^\/.*\/[a-z]*: /s, '')}`;
    return message.replace(/^matcher(\.\w+)?: /, '');
  }
}

/** Whether a (valid) matcher matches a label set without the label (then it would match every alert). */
function matchesEmpty(matcher: Matcher): boolean {
  return compileMatcher(matcher).test({});
}

/** A silence being edited: a `Silence` whose id may not exist yet. */
export type SilenceDraft = Omit<Silence, 'id'> & { readonly id?: string };

/** What the editor needs of an alert to preview a silence: its fingerprint and labels. */
export type SilenceAlert = Pick<Alert, 'fingerprint' | 'labels'>;

/** The four Alertmanager operators. */
export type SilenceOperator = '=' | '!=' | '=~' | '!~';
export const SILENCE_OPERATORS: readonly SilenceOperator[] = ['=', '!=', '=~', '!~'];

/** The operator of a matcher (`isEqual` defaults to true). */
export function matcherOperator(matcher: Matcher): SilenceOperator {
  const equal = matcher.isEqual ?? true;
  if (matcher.isRegex) return equal ? '=~' : '!~';
  return equal ? '=' : '!=';
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Problems of a silence draft by field path (`matchers[1].value`, `endsAt`, `comment`, `createdBy`, `matchers`),
 * empty when it can be saved. Matchers are checked with the alerting engine (regexes compile, anchored); the form
 * adds what Alertmanager's API requires: at least one matcher that does not match the empty string, an end after
 * the start, a comment and an author.
 *
 * @example
 * validateSilenceDraft({ matchers: [{ name: 'service', value: '(', isRegex: true }], startsAt: 0, endsAt: 1, comment: 'x', createdBy: 'me' })
 * // Map { 'matchers[0].value' => 'Not a valid regular expression: …' }
 */
export function validateSilenceDraft(draft: SilenceDraft): Map<string, string> {
  const problems = new Map<string, string>();
  if (draft.matchers.length === 0) problems.set('matchers', 'Add at least one matcher.');
  draft.matchers.forEach((matcher, index) => {
    const at = `matchers[${index}]`;
    if (matcher.name.trim() === '') problems.set(`${at}.name`, 'Enter a label name.');
    else if (!LABEL_NAME.test(matcher.name)) problems.set(`${at}.name`, 'A label name starts with a letter or _ and has only letters, digits and _.');
    const problem = problems.has(`${at}.name`) ? undefined : matcherProblem(matcher);
    if (problem !== undefined) problems.set(`${at}.value`, problem);
  });
  if (!problems.has('matchers') && draft.matchers.length > 0 && [...problems.keys()].every((key) => !key.startsWith('matchers[')) && draft.matchers.every(matchesEmpty)) {
    problems.set('matchers', 'At least one matcher must not match an empty label; otherwise the silence mutes every alert.');
  }
  if (!Number.isFinite(draft.startsAt)) problems.set('startsAt', 'Enter a start time.');
  if (!Number.isFinite(draft.endsAt) || draft.endsAt <= draft.startsAt) problems.set('endsAt', 'The silence must end after it starts.');
  if ((draft.comment ?? '').trim() === '') problems.set('comment', 'Say why (Alertmanager requires a comment).');
  if ((draft.createdBy ?? '').trim() === '') problems.set('createdBy', 'Enter who creates the silence.');
  return problems;
}

/**
 * The alerts a silence would mute (every matcher matches their labels), in the order given.
 *
 * @example
 * silencePreview({ matchers: [{ name: 'service', value: 'checkout', isRegex: false }], ... }, alerts).length
 */
export function silencePreview<T extends SilenceAlert>(draft: SilenceDraft, alerts: readonly T[]): T[] {
  const matches = compileMatchers(draft.matchers, 'matchers');
  return alerts.filter((alert) => matches(alert.labels));
}

/** A new silence's matchers from an alert's labels (its alertname and, when present, its service and instance). */
export function matchersForAlert(labels: Readonly<Record<string, string>>): Matcher[] {
  const names = ['alertname', 'service', 'instance'].filter((name) => labels[name] !== undefined && labels[name] !== '');
  return names.map((name) => ({ name, value: labels[name] as string, isRegex: false, isEqual: true }));
}
