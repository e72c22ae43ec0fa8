import Avatar from '@mui/material/Avatar';
import { hueOf, initials } from '../format';
import { ErrorBoundary } from './ErrorBoundary';

interface AppAvatarProps {
  id: string;
  name: string;
  icon?: string | null;
  size?: number;
}

/**
 * An app's icon when we have it, its initials otherwise (and while the icon is on its way).
 * Both come from the supplier's package: should they fail to draw, an empty square of the same
 * size takes their place and the row or pane around it stays.
 */
export function AppAvatar(props: AppAvatarProps) {
  const size = props.size ?? 36;
  return (
    <ErrorBoundary
      resetKey={`${props.id}\n${props.name}\n${props.icon ?? ''}`}
      fallback={
        <Avatar
          variant="rounded"
          aria-label="The package's icon cannot be shown"
          sx={{ width: size, height: size, bgcolor: 'action.hover' }}
        >
          {' '}
        </Avatar>
      }
    >
      <PackageAvatar {...props} />
    </ErrorBoundary>
  );
}

function PackageAvatar({ id, name, icon, size = 36 }: AppAvatarProps) {
  if (icon) {
    return (
      <Avatar
        src={icon}
        alt=""
        variant="rounded"
        sx={{ width: size, height: size, bgcolor: 'transparent' }}
      />
    );
  }
  return (
    <Avatar
      variant="rounded"
      aria-hidden
      sx={{
        width: size,
        height: size,
        fontSize: size * 0.4,
        fontWeight: 600,
        // Dark enough for white initials at 4.5:1 whatever the hue (yellow is the lightest).
        bgcolor: `hsl(${hueOf(id)} 45% 30%)`,
        color: '#fff',
      }}
    >
      {initials(name)}
    </Avatar>
  );
}
