// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { renderToString } from 'react-dom/server';
import { CostAttributionTree, CostOptimizationCard, CostVsPerformanceScatter, ModelComparisonMatrix, SpendBudgetGauge } from './index';
import { SAMPLE_OPPORTUNITY, storyCost } from './story-data';

describe('cost components on the server', () => {
  it('import and render without window or document', () => {
    expect(typeof window).toBe('undefined');
    const { byModel, byModelFeature, forecast } = storyCost();
    const html = renderToString(
      <>
        <ModelComparisonMatrix rows={byModel} />
        <CostVsPerformanceScatter rows={byModel} />
        <CostOptimizationCard opportunity={SAMPLE_OPPORTUNITY} />
        <CostAttributionTree rows={byModelFeature} />
        <SpendBudgetGauge forecast={forecast} />
      </>,
    );
    expect(html).toContain('Model comparison');
    expect(html).toContain('Unpriced');
    expect(html).toContain('role="meter"');
    expect(html).toContain(SAMPLE_OPPORTUNITY.title);
    expect(html).not.toMatch(/NaN/);
  });
});
