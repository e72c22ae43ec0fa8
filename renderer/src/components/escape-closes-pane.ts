/**
 * Whether an Escape closes the open detail pane: not when something above the pane takes it (a
 * dialog, a menu, a select's list; a control that answered it itself prevents its default), and
 * not in a search box with text, where Escape clears the text first.
 */
export function closesPane(e: KeyboardEvent): boolean {
  if (e.key !== 'Escape' || e.defaultPrevented) return false;
  // A dialog, menu or a select's list is open: the Escape is theirs (MUI draws them as modals).
  if (document.querySelector('.MuiModal-root:not(.MuiModal-hidden)')) return false;
  const target = e.target instanceof Element ? e.target : null;
  if (target?.closest('[role="dialog"], [role="menu"]')) return false;
  if (target instanceof HTMLInputElement && target.type === 'search' && target.value !== '')
    return false;
  return true;
}
