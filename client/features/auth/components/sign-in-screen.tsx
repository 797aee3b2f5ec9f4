import { LanguageToggle, useT } from '../../../i18n/i18n.js';
import type { MessageKey } from '../../../i18n/strings.js';
import { useDemoUsers, useDevLogin } from '../api/use-auth.js';

/** Dev sign-in: pick one of the demo users (AUTH_MODE=dev only). */
export function SignInScreen() {
  const t = useT();
  const users = useDemoUsers(true);
  const login = useDevLogin();

  return (
    <main className="hw-signin" data-testid="sign-in">
      <div className="hw-signin__card">
        <header className="hw-signin__header">
          <div>
            <h1>{t('app.title')}</h1>
            <p className="hw-muted">{t('app.tagline')}</p>
          </div>
          <LanguageToggle />
        </header>
        <h2>{t('auth.signInTitle')}</h2>
        <p className="hw-muted">{t('auth.signInHint')}</p>
        {users.isPending && <p>{t('common.loading')}</p>}
        {users.isError && (
          <p role="alert" className="hw-error">
            {t('common.error', { message: users.error.message })}{' '}
            <button type="button" className="hw-button" onClick={() => void users.refetch()}>
              {t('common.retry')}
            </button>
          </p>
        )}
        {users.data?.length === 0 && <p>{t('auth.noDemoUsers')}</p>}
        <ul className="hw-signin__users" data-testid="demo-users">
          {users.data?.map((user) => (
            <li key={user.id}>
              <button
                type="button"
                className="hw-signin__user"
                data-testid={`demo-user-${user.id}`}
                disabled={login.isPending}
                onClick={() => login.mutate({ userId: user.id })}
              >
                <span className="hw-signin__name">{user.name}</span>
                <span className="hw-signin__role">
                  {t(`role.${user.role}` as MessageKey)}
                  {user.storeIds.length > 0 && ` · ${t('auth.stores', { count: user.storeIds.length })}`}
                </span>
              </button>
            </li>
          ))}
        </ul>
        {login.isError && (
          <p role="alert" className="hw-error">
            {t('common.error', { message: login.error.message })}
          </p>
        )}
      </div>
    </main>
  );
}
