/**
 * Time windows shared by the engines: wall-clock arithmetic in IANA time zones, DST-correct calendar periods
 * (day, week, month, quarter, year) and rolling windows.
 */
export * from './zone';
export * from './calendar';
export * from './window';
