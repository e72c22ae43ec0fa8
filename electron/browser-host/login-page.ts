import type http from 'node:http';

/** Why the login page is shown again: each has one sentence; nothing from the request is echoed. */
export type LoginNotice = 'failed' | 'expired' | 'logged-out' | 'locked' | undefined;

const NOTICES: Record<Exclude<LoginNotice, undefined>, string> = {
  failed: 'That name and password do not match an account. Try again, or ask an admin.',
  expired: 'Your session ended. Log in again.',
  'logged-out': 'You are logged out.',
  locked:
    'Too many wrong passwords for this account or from this computer. Wait a few minutes, then try again.',
};

/** Paths the login page needs before anyone is logged in. */
export const LOGIN_PATHS = {
  page: '/login',
  style: '/login.css',
  login: '/api/login',
  logout: '/api/logout',
};

const STYLE = `body { font-family: system-ui, sans-serif; background: #f4f6f8; margin: 0; }
main { max-width: 22em; margin: 10vh auto; background: #fff; padding: 2em; border-radius: 8px;
  box-shadow: 0 1px 4px rgba(0,0,0,.15); }
h1 { font-size: 1.3em; margin-top: 0; }
label { display: block; margin: 1em 0 .3em; }
input { width: 100%; box-sizing: border-box; padding: .5em; font-size: 1em; }
button { margin-top: 1.5em; width: 100%; padding: .6em; font-size: 1em; background: #1565c0;
  color: #fff; border: 0; border-radius: 4px; cursor: pointer; }
p.notice { background: #fff4e5; border-left: 4px solid #ef6c00; padding: .6em; }
`;

function page(notice: LoginNotice): string {
  const text = notice ? NOTICES[notice] : undefined;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Commissioner: log in</title><link rel="stylesheet" href="${LOGIN_PATHS.style}"></head>
<body><main>
<h1>Log in to Commissioner</h1>
${text ? `<p class="notice" data-testid="login-notice" role="alert">${text}</p>` : ''}
<form method="post" action="${LOGIN_PATHS.login}" data-testid="login-form">
<label for="name">Account name</label>
<input id="name" name="name" autocomplete="username" autocapitalize="none" required autofocus data-testid="login-name">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required data-testid="login-password">
<button type="submit" data-testid="login-submit">Log in</button>
</form>
</main></body></html>
`;
}

/**
 * The page, its style sheet: no script at all, and a CSP that lets the form post only here.
 * `same-origin` referrers (not `no-referrer`): a browser sends `Origin: null` on a form post
 * under `no-referrer`, and the host refuses posts whose Origin is not its own.
 */
export function serveLoginPage(res: http.ServerResponse, url: URL): void {
  const wanted = url.searchParams.get('notice');
  const notice = wanted !== null && wanted in NOTICES ? (wanted as LoginNotice) : undefined;
  res.writeHead(200, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy':
      "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'same-origin',
  });
  res.end(page(notice));
}

export function serveLoginStyle(res: http.ServerResponse): void {
  res.writeHead(200, {
    'Content-Type': 'text/css; charset=utf-8',
    'Cache-Control': 'max-age=3600',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(STYLE);
}
