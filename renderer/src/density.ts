/**
 * How big the controls are: `standard` for a mouse, `touch` for fingers (gloved ones too) —
 * every target at least TOUCH_TARGET px. Kept in this browser's storage, as the theme is.
 */
export type Density = 'standard' | 'touch';

/** The smallest target a finger hits reliably (WCAG 2.5.5's 44 CSS px). */
export const TOUCH_TARGET = 44;

const KEY = 'commissioner.density';

export function storedDensity(): Density {
  try {
    return localStorage.getItem(KEY) === 'touch' ? 'touch' : 'standard';
  } catch {
    return 'standard';
  }
}

export function storeDensity(density: Density) {
  try {
    localStorage.setItem(KEY, density);
  } catch {
    // Not remembered; still applied.
  }
}
