import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { LanguageToggle, useT } from '../../../i18n/i18n.js';
import type { MessageKey } from '../../../i18n/strings.js';
import { useAuthConfig, useDemoUsers, useDevLogin, useFeishuLogin } from '../api/use-auth.js';
import { browserSignInUrl, signInWithFeishu } from '../feishu-sdk.js';

/** The sign-in the server runs: Feishu (AUTH_MODE=feishu) or the demo users (AUTH_MODE=dev). */
export function SignInScreen() {
  const config = useAuthConfig();
  if (config.data?.mode === 'feishu') return <FeishuSignInScreen feishu={config.data.feishu} />;
  return <DevSignInScreen enabled={config.data?.mode === 'dev'} />;
}

type FeishuConfig = { appId: string; jsSdkUrl: string; oauthStartPath: string } | null;

/**
 * Inside the Feishu client the SDK's code signs the user in without a click; in a plain
 * browser a button starts the OAuth redirect. Refusals ("ask your admin") are the server's words.
 */
function FeishuSignInScreen({ feishu }: { feishu: FeishuConfig }) {
  const t = useT();
  const login = useFeishuLogin();
  const [state, setState] = useState<{ kind: 'working' } | { kind: 'browser' } | { kind: 'error'; message: string }>({ kind: 'working' });
  useEffect(() => {
    if (!feishu) return;
    let live = true;
    signInWithFeishu(feishu, (code) => login.mutateAsync({ code })).then(
      (result) => live && result.kind === 'browser' && setState({ kind: 'browser' }),
      (error: Error) => live && setState({ kind: 'error', message: error.message }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- one attempt per screen: a Feishu code is single-use, so a new `login` must not retry it
  }, [feishu]);

  return (
    <SignInCard>
      <h2>{t('auth.feishuTitle')}</h2>
      {!feishu && <p role="alert" className="hw-error">{t('auth.feishuNotConfigured')}</p>}
      {feishu && state.kind === 'working' && <p>{t('auth.feishuSigningIn')}</p>}
      {feishu && state.kind !== 'working' && (
        <a className="hw-button" data-testid="feishu-sign-in" href={browserSignInUrl(feishu.oauthStartPath)}>
          {t('auth.feishuButton')}
        </a>
      )}
      {state.kind === 'error' && (
        <p role="alert" className="hw-error">
          {t('common.error', { message: state.message })}
        </p>
      )}
    </SignInCard>
  );
}

/** Dev sign-in: pick one of the demo users (AUTH_MODE=dev only). */
function DevSignInScreen({ enabled }: { enabled: boolean }) {
  const t = useT();
  const users = useDemoUsers(enabled);
  const login = useDevLogin();

  return (
    <SignInCard>
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
    </SignInCard>
  );
}

/** The card both sign-ins share: the app's name, tagline and the language switch. */
function SignInCard({ children }: { children: ReactNode }) {
  const t = useT();
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
        {children}
      </div>
    </main>
  );
}
