import { createTheme, type Theme } from '@mui/material/styles';
import { TOUCH_TARGET, type Density } from './density';
import { focusFirstField } from './dialog-focus';

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

/**
 * The keyboard focus ring, per theme: at least 3:1 against both backgrounds (WCAG 1.4.11), as
 * the theme's test checks.
 */
export const FOCUS_RING: Record<ThemeMode, string> = { light: '#1f5fa8', dark: '#8ab4f8' };

/**
 * One ring for every control reached with the keyboard, whatever the component draws itself.
 * `.Mui-focusVisible` is where MUI marks a checkbox or switch (their input is invisible); a
 * text field shows focus with its own border; a dialog or menu focused as a whole gets none.
 */
function focusStyles(ring: string) {
  const outline = { outline: `2px solid ${ring} !important`, outlineOffset: '2px' };
  return {
    ':focus-visible, .Mui-focusVisible': outline,
    // Items inside a scrolling list or table: a ring outside them would be clipped.
    '[role="option"]:focus-visible, [role="row"]:focus-visible, tr:focus-visible, .MuiListItemButton-root.Mui-focusVisible, .MuiMenuItem-root.Mui-focusVisible, .MuiTab-root.Mui-focusVisible':
      { outlineOffset: '-2px' },
    '.MuiInputBase-input:focus-visible, .MuiDialog-container:focus-visible, [role="menu"]:focus-visible, [role="listbox"]:focus-visible, .MuiPopover-paper:focus-visible, .MuiSelect-select.Mui-focusVisible':
      { outline: 'none !important' },
  };
}

/** The touch density's sizes: every target at least TOUCH_TARGET px. */
function touchComponents(): NonNullable<Parameters<typeof createTheme>[0]>['components'] {
  const target = { minHeight: TOUCH_TARGET };
  const square = { minHeight: TOUCH_TARGET, minWidth: TOUCH_TARGET };
  return {
    MuiButton: {
      defaultProps: { size: 'medium' },
      styleOverrides: { root: { textTransform: 'none', ...target } },
    },
    MuiIconButton: { styleOverrides: { root: square } },
    MuiToggleButton: { styleOverrides: { root: { textTransform: 'none', ...target } } },
    MuiListItemButton: { styleOverrides: { root: target } },
    MuiMenuItem: { styleOverrides: { root: target } },
    MuiTab: { styleOverrides: { root: target } },
    MuiCheckbox: { defaultProps: { size: 'medium' }, styleOverrides: { root: square } },
    MuiRadio: { styleOverrides: { root: square } },
    MuiSwitch: { styleOverrides: { switchBase: square } },
    MuiInputBase: { styleOverrides: { root: target } },
    MuiAutocomplete: { defaultProps: { size: 'medium' }, styleOverrides: { option: target } },
    MuiTextField: { defaultProps: { size: 'medium' } },
    MuiFormControl: { defaultProps: { size: 'medium' } },
    MuiSelect: { defaultProps: { size: 'medium' } },
    MuiTableCell: { styleOverrides: { root: { height: TOUCH_TARGET } } },
  };
}

export function makeTheme(mode: ThemeMode, density: Density = 'standard'): Theme {
  const standard: NonNullable<Parameters<typeof createTheme>[0]>['components'] = {
    MuiCssBaseline: { styleOverrides: focusStyles(FOCUS_RING[mode]) },
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
    // A tooltip describes its control; the control's name is its own visible label (or its
    // aria-label), so voice control and screen readers find "Update" by what it says.
    MuiTooltip: { defaultProps: { arrow: true, describeChild: true } },
    MuiCheckbox: { defaultProps: { size: 'small' } },
    MuiDialog: { defaultProps: { slotProps: { transition: { onEntered: focusFirstField } } } },
  };
  return createTheme({
    palette: {
      mode,
      primary: { main: mode === 'light' ? '#1f5fa8' : '#8ab4f8' },
      // Light shades dark enough for 4.5:1 also on a selected row and on their own tint.
      success: { main: mode === 'light' ? '#176d33' : '#66bb6a' },
      warning: { main: mode === 'light' ? '#8f5200' : '#ffb74d' },
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
    components: density === 'touch' ? { ...standard, ...touchComponents() } : standard,
  });
}
