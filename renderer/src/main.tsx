import './zod-setup';
import '@fontsource/roboto/300.css';
import '@fontsource/roboto/400.css';
import '@fontsource/roboto/500.css';
import '@fontsource/roboto/700.css';
import CssBaseline from '@mui/material/CssBaseline';
import { ThemeProvider } from '@mui/material/styles';
import { StrictMode, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { AppProvider } from './state/app-state';
import { makeTheme, storeThemeMode, storedThemeMode, type ThemeMode } from './theme';
import { createTransport } from './transport/create-transport';

const transport = createTransport();

function Root() {
  const [mode, setMode] = useState<ThemeMode>(storedThemeMode);
  const theme = useMemo(() => makeTheme(mode), [mode]);
  const changeMode = (next: ThemeMode) => {
    setMode(next);
    storeThemeMode(next);
  };
  return (
    <ThemeProvider theme={theme}>
      <CssBaseline enableColorScheme />
      <AppProvider transport={transport}>
        <App mode={mode} onMode={changeMode} />
      </AppProvider>
    </ThemeProvider>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
