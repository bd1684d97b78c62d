import { describe, expect, it } from 'vitest';
import { act, render, screen } from '@testing-library/react';
import { DashboardProvider, useDashboardStore, useDashboardStoreApi } from './DashboardProvider';
import { createDashboardStore } from './dashboardStore';

function RangeProbe({ label }: { label: string }) {
  const store = useDashboardStoreApi();
  const timeRange = useDashboardStore((state) => state.timeRange, store);
  const zoomTo = useDashboardStore((state) => state.zoomTo, store);
  return (
    <button type="button" aria-label={label} onClick={() => zoomTo({ start: 1, end: 2 })}>
      {timeRange === null ? 'live' : `${timeRange.start}-${timeRange.end}`}
    </button>
  );
}

describe('DashboardProvider', () => {
  it('shares one store between the children of a provider', () => {
    render(
      <DashboardProvider>
        <RangeProbe label="a" />
        <RangeProbe label="b" />
      </DashboardProvider>,
    );
    act(() => screen.getByLabelText('a').click());
    expect(screen.getByLabelText('b').textContent).toBe('1-2');
  });

  it('keeps two providers on one page isolated', () => {
    render(
      <>
        <DashboardProvider>
          <RangeProbe label="first" />
        </DashboardProvider>
        <DashboardProvider>
          <RangeProbe label="second" />
        </DashboardProvider>
      </>,
    );
    act(() => screen.getByLabelText('first').click());
    expect(screen.getByLabelText('first').textContent).toBe('1-2');
    expect(screen.getByLabelText('second').textContent).toBe('live');
  });

  it('uses a store handed in, so code outside React sees the same state', () => {
    const store = createDashboardStore({ timeRange: { start: 5, end: 9 } });
    render(
      <DashboardProvider store={store}>
        <RangeProbe label="probe" />
      </DashboardProvider>,
    );
    expect(screen.getByLabelText('probe').textContent).toBe('5-9');
    act(() => store.getState().setTimeRange({ start: 7, end: 8 }));
    expect(screen.getByLabelText('probe').textContent).toBe('7-8');
  });

  it('reads the provider store from plain selector calls', () => {
    function Plain() {
      const timeRange = useDashboardStore((state) => state.timeRange);
      return <span data-testid="plain">{timeRange === null ? 'live' : timeRange.start}</span>;
    }
    render(
      <DashboardProvider initial={{ timeRange: { start: 3, end: 4 } }}>
        <Plain />
      </DashboardProvider>,
    );
    expect(screen.getByTestId('plain').textContent).toBe('3');
  });

  it('works without a provider, each component on its own local store', () => {
    render(
      <>
        <RangeProbe label="alone-1" />
        <RangeProbe label="alone-2" />
      </>,
    );
    act(() => screen.getByLabelText('alone-1').click());
    expect(screen.getByLabelText('alone-1').textContent).toBe('1-2');
    expect(screen.getByLabelText('alone-2').textContent).toBe('live');
  });
});
