import { useCallback, useEffect, useState } from 'react';
import { THEMES, type ThemeName } from './params';

const STORAGE_KEY = 'vigil-demo-theme';

function storedTheme(): ThemeName | undefined {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return (THEMES as readonly string[]).includes(value ?? '') ? (value as ThemeName) : undefined;
  } catch {
    return undefined; // storage disabled (private mode, sandboxed iframe): fall back to the preference
  }
}

function preferredTheme(): ThemeName {
  if (typeof window.matchMedia !== 'function') return 'light';
  if (window.matchMedia('(prefers-contrast: more)').matches) return 'high-contrast';
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/**
 * The theme: the URL's `theme` (this visit only), else the stored choice, else the OS preference. Choosing a theme
 * stores it; with nothing stored, the theme follows OS changes live.
 */
export function useTheme(urlTheme: ThemeName | undefined): [ThemeName, (theme: ThemeName) => void] {
  const [theme, setThemeState] = useState<ThemeName>(() => urlTheme ?? storedTheme() ?? preferredTheme());

  useEffect(() => {
    document.documentElement.setAttribute('data-vigil-theme', theme);
    document.documentElement.style.colorScheme = theme === 'light' ? 'light' : 'dark';
  }, [theme]);

  useEffect(() => {
    if (urlTheme !== undefined || typeof window.matchMedia !== 'function') return undefined;
    const queries = [window.matchMedia('(prefers-color-scheme: dark)'), window.matchMedia('(prefers-contrast: more)')];
    const follow = () => {
      if (storedTheme() === undefined) setThemeState(preferredTheme());
    };
    for (const query of queries) query.addEventListener('change', follow);
    return () => {
      for (const query of queries) query.removeEventListener('change', follow);
    };
  }, [urlTheme]);

  const setTheme = useCallback((next: ThemeName) => {
    setThemeState(next);
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // not persisted; the choice still applies for this visit
    }
  }, []);

  return [theme, setTheme];
}
