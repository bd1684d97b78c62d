import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useCapabilities, VigilSourceProvider } from '@vigil/react';
import { readParams, type DemoParams, type RangeKey } from './lib/params';
import { useTheme } from './lib/theme';
import { ErrorBoundary } from './shell/ErrorBoundary';
import { ThemeSwitcher, TimeRangePicker } from './shell/HeaderControls';
import { BellIcon, CoinIcon, GaugeIcon, LayersIcon, LogoMark, SparkIcon, TargetIcon, TraceIcon } from './shell/icons';
import { Tabs, tabPanelProps, type TabDefinition } from './shell/Tabs';
import { AlertsTab } from './alerts/AlertsTab';
import { AnomaliesTab } from './anomalies/AnomaliesTab';
import { FinanceTab } from './cost/FinanceTab';
import { ModelsTab } from './cost/ModelsTab';
import { TracesTab } from './traces/TracesTab';
import type { DemoTabProps } from './shell/tabProps';
import { SLOTab } from './slo/SLOTab';
import { Overview } from './overview/Overview';
import { createDemoSource } from './lib/source';
import { demoClock } from './lib/simulation';

type TabId = 'overview' | 'slos' | 'alerts' | 'traces' | 'anomalies' | 'models' | 'finance';

const TABS: readonly TabDefinition<TabId>[] = [
  { id: 'overview', label: 'Overview', icon: <GaugeIcon /> },
  { id: 'slos', label: 'SLOs', icon: <TargetIcon /> },
  { id: 'alerts', label: 'Alerts', icon: <BellIcon /> },
  { id: 'traces', label: 'Traces', icon: <TraceIcon /> },
  { id: 'anomalies', label: 'Anomalies', icon: <SparkIcon /> },
  { id: 'models', label: 'Models', icon: <LayersIcon /> },
  { id: 'finance', label: 'Finance', icon: <CoinIcon /> },
];

const TAB_IDS = new Set<string>(TABS.map((tab) => tab.id));

function tabFromHash(): TabId {
  const id = window.location.hash.replace(/^#\/?/, '');
  return TAB_IDS.has(id) ? (id as TabId) : 'overview';
}

/** The demo: the simulated source (in a worker) handed to every Vigil hook below. */
export function App() {
  const params = useMemo(() => readParams(window.location.search), []);
  const source = useMemo(() => createDemoSource(params), [params]);
  return (
    <VigilSourceProvider source={source}>
      <CommandCenter params={params} />
    </VigilSourceProvider>
  );
}

function CommandCenter({ params }: { params: DemoParams }) {
  const clock = useMemo(() => demoClock(params), [params]);
  const capabilities = useCapabilities();
  const [theme, setTheme] = useTheme(params.theme);
  const [tab, setTab] = useState<TabId>(tabFromHash);
  const [range, setRange] = useState<RangeKey>(params.range);
  const liveAvailable = capabilities?.live === true && params.frozenNow === undefined;
  const [live, setLive] = useState(params.live && liveAvailable);

  useEffect(() => {
    const onHashChange = () => setTab(tabFromHash());
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  const selectTab = useCallback((id: TabId) => {
    setTab(id);
    const hash = id === 'overview' ? '' : `#/${id}`;
    window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}${hash}`);
  }, []);

  const tabProps: DemoTabProps = { range, live, clock, params };
  const panels: Record<TabId, () => ReactNode> = {
    overview: () => <Overview range={range} live={live} tickMs={params.tickMs} clock={clock} initialService={params.service} />,
    slos: () => <SLOTab />,
    alerts: () => <AlertsTab {...tabProps} />,
    traces: () => <TracesTab {...tabProps} sourceHasTraces={capabilities?.traces === true} />,
    anomalies: () => <AnomaliesTab {...tabProps} />,
    models: () => <ModelsTab {...tabProps} />,
    finance: () => <FinanceTab {...tabProps} />,
  };
  const label = TABS.find((entry) => entry.id === tab)?.label ?? 'Tab';

  return (
    <div className="vigil-root demo-app" data-vigil-theme={theme}>
      <a
        className="demo-skip"
        href={`#demo-panel-${tab}`}
        onClick={(event) => {
          // Focus the panel without touching the hash, which holds the selected tab.
          event.preventDefault();
          document.getElementById(`demo-panel-${tab}`)?.focus();
        }}
      >
        Skip to content
      </a>
      <header className="demo-header">
        <div className="demo-header__inner">
          <div className="demo-brand">
            <LogoMark />
            <div className="demo-brand__text">
              <span className="demo-brand__name">Vigil</span>
              <span className="demo-brand__sub">Command center</span>
            </div>
            <span className="demo-env" title={`Simulated data source, seed ${params.seed}`}>
              Simulated · seed {params.seed}
            </span>
          </div>
          <div className="demo-header__controls">
            <TimeRangePicker range={range} onRangeChange={setRange} live={live} onLiveChange={setLive} liveAvailable={liveAvailable} />
          </div>
          <div className="demo-header__theme">
            <ThemeSwitcher theme={theme} onThemeChange={setTheme} />
          </div>
        </div>
        <nav className="demo-nav" aria-label="Sections">
          <Tabs tabs={TABS} selected={tab} onSelect={selectTab} label="Command center sections" idPrefix="demo" />
        </nav>
      </header>
      <main className="demo-main">
        {TABS.map((entry) =>
          entry.id === tab ? (
            <div key={entry.id} {...tabPanelProps('demo', entry.id)} className="demo-panel">
              <ErrorBoundary label={label} resetKey={tab}>
                {panels[entry.id]()}
              </ErrorBoundary>
            </div>
          ) : (
            // Unselected panels stay in the DOM, empty and hidden, so every tab's aria-controls resolves.
            <div key={entry.id} {...tabPanelProps('demo', entry.id)} className="demo-panel" hidden />
          ),
        )}
      </main>
      <footer className="demo-footer">
        <span>Vigil, an open-source kit for observability dashboards.</span>
        <span>Data is simulated in your browser; nothing leaves this page.</span>
      </footer>
    </div>
  );
}
