// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { renderToString } from 'react-dom/server';
import { AlertsPanel } from './AlertsPanel';
import { AlertHistory } from './AlertHistory';
import { SilenceEditor } from './SilenceEditor';
import { AlertRuleBuilder } from './AlertRuleBuilder';
import { ERROR_RULE, STORY_NOW, STORY_RANGE, errorSeries, storyScenario } from './story-data';

describe('alert components on the server', () => {
  it('import and render without window or document', () => {
    expect(typeof window).toBe('undefined');
    const { alerts, history, rules, range } = storyScenario();
    const html = renderToString(
      <div>
        <AlertsPanel alerts={alerts} now={STORY_NOW} />
        <AlertHistory history={history} rules={rules} range={range} width={800} />
        <SilenceEditor alerts={alerts} now={STORY_NOW} />
        <AlertRuleBuilder defaultValue={ERROR_RULE} series={errorSeries()} range={STORY_RANGE} />
      </div>,
    );
    expect(html).toContain('Active alerts');
    expect(html).toContain('HighErrorRate: fired');
    expect(html).toContain('New silence');
    expect(html).toContain('Would this have fired?');
  });
});
