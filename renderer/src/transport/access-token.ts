const KEY = 'commissioner.token';

/**
 * The browser host's access token: given once as `?token=…` in the address the host printed,
 * kept for this tab in sessionStorage and taken out of the address bar (and history).
 */
export function accessToken(): string | null {
  const url = new URL(window.location.href);
  const given = url.searchParams.get('token');
  if (given) {
    try {
      sessionStorage.setItem(KEY, given);
    } catch {
      // Storage may be disabled; the token then lives for this page only.
    }
    url.searchParams.delete('token');
    window.history.replaceState(window.history.state, '', url.toString());
    return given;
  }
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}
