import type { Preview } from '@storybook/react-vite';
import '../packages/react/src/theme/styles.css';

type ThemeName = 'light' | 'dark' | 'high-contrast';

const preview: Preview = {
  globalTypes: {
    theme: {
      description: 'Vigil theme',
      toolbar: {
        title: 'Theme',
        icon: 'contrast',
        items: [
          { value: 'light', title: 'Light' },
          { value: 'dark', title: 'Dark' },
          { value: 'high-contrast', title: 'High contrast' },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { theme: 'light' },
  parameters: {
    layout: 'padded',
    // Any axe violation fails the story's test in Chromium.
    a11y: { test: 'error' },
    controls: { matchers: { color: /(background|color)$/i, date: /Date$/i } },
  },
  decorators: [
    (Story, context) => {
      const theme = (context.parameters['theme'] ?? context.globals['theme'] ?? 'light') as ThemeName;
      return (
        <div className="vigil-root" data-vigil-theme={theme} style={{ padding: 16, minHeight: '100%' }}>
          <Story />
        </div>
      );
    },
  ],
  tags: ['autodocs'],
};

export default preview;
