// Shared by the real-Chromium tests (*.browser.test.tsx): mount a node inside a themed `.vigil-root`, unmount it after
// each test, and check a container with axe. Not part of the package: nothing in src/index.ts imports it.
import { afterEach, expect } from 'vitest';
import { createRoot, type Root } from 'react-dom/client';
import { flushSync } from 'react-dom';
import type { ReactNode } from 'react';
import axe from 'axe-core';

export interface MountOptions {
  /** CSS width of the host, px. */
  readonly width: number;
  /** Paint the theme's background behind the host (needed where canvases or contrast read it). Default false. */
  readonly background?: boolean;
  /** Time for effects to settle after the synchronous render, ms. */
  readonly settleMs: number;
}

let root: Root | null = null;
let host: HTMLElement | null = null;

afterEach(() => {
  root?.unmount();
  host?.remove();
  root = null;
  host = null;
});

/** Renders `node` synchronously in a `.vigil-root` with `data-vigil-theme={theme}`; it is unmounted after the test. */
export async function mountInTheme(node: ReactNode, theme: string, options: MountOptions): Promise<HTMLElement> {
  const element = document.createElement('div');
  element.className = 'vigil-root';
  element.setAttribute('data-vigil-theme', theme);
  element.style.width = `${options.width}px`;
  element.style.padding = '12px';
  if (options.background === true) element.style.background = 'var(--vigil-bg)';
  document.body.append(element);
  host = element;
  root = createRoot(element);
  flushSync(() => root?.render(node));
  await new Promise((resolve) => setTimeout(resolve, options.settleMs));
  return element;
}

/** Runs axe on `container`: no violations, and the colour-contrast rule ran on real content. */
export async function expectNoAxeViolations(container: HTMLElement): Promise<void> {
  const result = await axe.run(container);
  const summary = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
  expect(summary).toEqual([]);
  expect(result.passes.some((p) => p.id === 'color-contrast')).toBe(true);
}
