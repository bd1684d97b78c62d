export { seriesColor, resolveCssColor, SERIES_COLOR_COUNT } from './palette';
