import { createTheme, type Theme } from '@mui/material/styles';

export type ThemeMode = 'light' | 'dark';

const KEY = 'commissioner.theme';

export function storedThemeMode(): ThemeMode {
  try {
    const stored = localStorage.getItem(KEY);
    if (stored === 'light' || stored === 'dark') return stored;
  } catch {
    // Storage disabled: follow the system.
  }
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function storeThemeMode(mode: ThemeMode) {
  try {
    localStorage.setItem(KEY, mode);
  } catch {
    // Not remembered; still applied.
  }
}

/** Bigger targets where the pointer is a finger. */
const touch = '@media (pointer: coarse)';

export function makeTheme(mode: ThemeMode): Theme {
  return createTheme({
    palette: {
      mode,
      primary: { main: mode === 'light' ? '#1f5fa8' : '#8ab4f8' },
      success: { main: mode === 'light' ? '#1b7d3a' : '#66bb6a' },
      warning: { main: mode === 'light' ? '#a15c00' : '#ffb74d' },
      error: { main: mode === 'light' ? '#c62828' : '#f28b82' },
      background:
        mode === 'light'
          ? { default: '#f5f6f8', paper: '#ffffff' }
          : { default: '#121418', paper: '#1b1e24' },
    },
    shape: { borderRadius: 6 },
    typography: {
      fontSize: 13,
      h5: { fontSize: '1.3rem', fontWeight: 500 },
      h6: { fontSize: '1.05rem', fontWeight: 500 },
      subtitle2: { fontWeight: 600 },
    },
    components: {
      MuiButton: {
        defaultProps: { size: 'small' },
        styleOverrides: { root: { textTransform: 'none', [touch]: { minHeight: 40 } } },
      },
      MuiIconButton: { styleOverrides: { root: { [touch]: { minWidth: 40, minHeight: 40 } } } },
      MuiToggleButton: {
        styleOverrides: { root: { textTransform: 'none', [touch]: { minHeight: 40 } } },
      },
      MuiListItemButton: { styleOverrides: { root: { [touch]: { minHeight: 44 } } } },
      MuiTextField: { defaultProps: { size: 'small' } },
      MuiFormControl: { defaultProps: { size: 'small' } },
      MuiSelect: { defaultProps: { size: 'small' } },
      MuiAutocomplete: { defaultProps: { size: 'small' } },
      MuiChip: { defaultProps: { size: 'small' } },
      MuiTable: { defaultProps: { size: 'small' } },
      MuiTooltip: { defaultProps: { arrow: true } },
      MuiCheckbox: { defaultProps: { size: 'small' } },
    },
  });
}
