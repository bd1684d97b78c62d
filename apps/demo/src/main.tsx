import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@vigil/react/styles.css';
import './demo.css';
import { App } from './App';
import { ErrorBoundary } from './shell/ErrorBoundary';

const container = document.getElementById('root');
if (container === null) throw new Error('Vigil demo: #root element is missing from index.html');

createRoot(container).render(
  <StrictMode>
    <ErrorBoundary label="The command center">
      <App />
    </ErrorBoundary>
  </StrictMode>,
);
