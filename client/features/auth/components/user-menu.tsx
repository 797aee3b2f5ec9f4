import { useT } from '../../../i18n/i18n.js';
import type { MessageKey } from '../../../i18n/strings.js';
import { useLogout } from '../api/use-auth.js';
import type { SessionUser } from '../api/use-auth.js';

export interface UserMenuProps {
  user: SessionUser;
}

export function UserMenu({ user }: UserMenuProps) {
  const t = useT();
  const logout = useLogout();
  return (
    <div className="hw-user" data-testid="user-menu">
      <span className="hw-user__name" title={t(`role.${user.role}` as MessageKey)}>
        {user.name}
      </span>
      <button
        type="button"
        className="hw-button hw-button--ghost"
        data-testid="sign-out"
        disabled={logout.isPending}
        onClick={() => logout.mutate()}
      >
        {t('auth.signOut')}
      </button>
    </div>
  );
}
