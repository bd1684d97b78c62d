// Size budgets for the published entry points (minified + brotli, as an app bundler would ship them).
// Each `import` is what a typical host pulls in, so tree-shaking is part of what is measured.
// React and React DOM are peers, so they are left out of the React budgets.
const core = (name, importSpec, limit) => ({ name: `@vigil/core${name}`, path: `packages/core/dist${name ? `${name}/index` : '/index'}.js`, import: importSpec, limit });
const peers = ['react', 'react-dom', 'react/jsx-runtime'];

module.exports = [
  core('', '*', '86 kB'),
  core('/percentile', '{ DDSketch }', '5.5 kB'),
  core('/percentile', '{ quantile, quantiles }', '2.5 kB'),
  core('/percentile', '{ histogramQuantile, nativeHistogramQuantile }', '3 kB'),
  core('/series', '*', '6 kB'),
  core('/series', '{ downsampleM4 }', '1.6 kB'),
  core('/slo', '*', '18 kB'),
  core('/source', '*', '0.1 kB'),
  core('/traces', '*', '19 kB'),
  core('/stats', '*', '7 kB'),
  core('/anomaly', '*', '13 kB'),
  core('/forecast', '*', '7 kB'),
  core('/nab', '*', '4.5 kB'),
  core('/cost', '*', '26 kB'),
  { name: '@vigil/adapters/simulated', path: 'packages/adapters/dist/simulated/index.js', import: '{ createSimulatedSource }', limit: '22 kB' },
  { name: '@vigil/adapters/prometheus', path: 'packages/adapters/dist/prometheus/index.js', import: '{ createPrometheusSource }', limit: '9 kB' },
  { name: '@vigil/react (everything)', path: 'packages/react/dist/index.js', import: '*', ignore: peers, limit: '85 kB' },
  { name: '@vigil/react TimeSeriesChart', path: 'packages/react/dist/index.js', import: '{ TimeSeriesChart }', ignore: peers, limit: '29 kB' },
  { name: '@vigil/react MetricCard', path: 'packages/react/dist/index.js', import: '{ MetricCard }', ignore: peers, limit: '11 kB' },
  { name: '@vigil/react SLOStatusCard', path: 'packages/react/dist/index.js', import: '{ SLOStatusCard }', ignore: peers, limit: '7 kB' },
  { name: '@vigil/react SLOList', path: 'packages/react/dist/index.js', import: '{ SLOList }', ignore: peers, limit: '19 kB' },
  { name: '@vigil/react styles.css', path: 'packages/react/dist/styles.css', limit: '3 kB' },
  { name: '@vigil/adapters/promql', path: 'packages/adapters/dist/promql/index.js', import: '{ parsePromQL, escapeLabelValue }', limit: '7 kB' },
];
