import Avatar from '@mui/material/Avatar';
import { hueOf, initials } from '../format';

/** An app's icon when we have it, its initials otherwise (and while the icon is on its way). */
export function AppAvatar({
  id,
  name,
  icon,
  size = 36,
}: {
  id: string;
  name: string;
  icon?: string | null;
  size?: number;
}) {
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
        bgcolor: `hsl(${hueOf(id)} 45% 42%)`,
        color: '#fff',
      }}
    >
      {initials(name)}
    </Avatar>
  );
}
