import LogoutIcon from '@mui/icons-material/Logout';
import Box from '@mui/material/Box';
import IconButton from '@mui/material/IconButton';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useApp } from '../state/app-state';
import { testIds } from '../test-ids';
import { ROLE_LABEL } from './role-text';

/**
 * Who is logged in, and Log out: only on a browser host with accounts (the desktop app and
 * the single-token host have no account to show).
 */
export function SessionBadge({ collapsed }: { collapsed: boolean }) {
  const { session, transport } = useApp();
  if (!session?.account || !session.role || !transport.logout) return null;
  const logout = () => void transport.logout?.();
  return (
    <Box
      sx={{
        display: 'flex',
        alignItems: 'center',
        justifyContent: collapsed ? 'center' : 'space-between',
        gap: 1,
        px: collapsed ? 0 : 2,
        py: 1,
      }}
    >
      {!collapsed && (
        <Box
          sx={{ minWidth: 0 }}
          data-testid={testIds.shell.sessionAccount}
          data-role={session.role}
        >
          <Typography variant="body2" noWrap sx={{ fontWeight: 600 }}>
            {session.account}
          </Typography>
          <Typography variant="caption" color="text.secondary">
            {ROLE_LABEL[session.role]}
          </Typography>
        </Box>
      )}
      <Tooltip title={`Log out ${session.account}`}>
        <IconButton onClick={logout} aria-label="Log out" data-testid={testIds.shell.sessionLogout}>
          <LogoutIcon />
        </IconButton>
      </Tooltip>
    </Box>
  );
}
