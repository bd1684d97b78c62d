import * as a11yAddonAnnotations from '@storybook/addon-a11y/preview';
import { setProjectAnnotations } from '@storybook/react-vite';
import * as projectAnnotations from './preview';

// Every story runs as a test in Chromium, with its play function and an axe check.
setProjectAnnotations([a11yAddonAnnotations, projectAnnotations]);
