/**
 * What a dialog focuses once it has opened: its first field a person types into or chooses
 * from (Add device → Name), so typing starts at once. Checkboxes and radios are left out: Space
 * on a focused "also delete the data" must not be the first key that does something.
 */
const FIELD = [
  'input:not([type="hidden"]):not([type="checkbox"]):not([type="radio"]):not([disabled]):not([aria-hidden="true"]):not([tabindex="-1"])',
  'textarea:not([disabled]):not([aria-hidden="true"])',
  'select:not([disabled])',
  '[role="combobox"]:not([aria-disabled="true"]):not(input)',
].join(', ');

/** Focuses the dialog's first field, unless the dialog already focused one of its controls. */
export function focusFirstField(dialog: HTMLElement) {
  const active = document.activeElement;
  if (
    active instanceof HTMLElement &&
    active !== dialog &&
    dialog.contains(active) &&
    active.matches(`${FIELD}, button, [role="button"]`)
  )
    return;
  dialog.querySelector<HTMLElement>(FIELD)?.focus();
}
