import { useEffect, useState } from 'react';
import type { AdminKey } from '../strings.js';
import { useAdminT } from '../strings.js';
import { AlertsSection } from './alerts-section.js';
import { ApiKeysSection } from './api-keys-section.js';
import { ImportSection } from './import-section.js';
import { SettingsSection } from './settings-section.js';
import { StoresSection } from './stores-section.js';
import { UsersSection } from './users-section.js';

export const ADMIN_TABS = ['users', 'stores', 'import', 'apiKeys', 'settings', 'alerts'] as const;
export type AdminTab = (typeof ADMIN_TABS)[number];

const TAB_LABEL: Record<AdminTab, AdminKey> = {
  users: 'tab.users',
  stores: 'tab.stores',
  import: 'tab.import',
  apiKeys: 'tab.apiKeys',
  settings: 'tab.settings',
  alerts: 'tab.alerts',
};

export interface AdminPageProps {
  onClose: () => void;
}

/**
 * The administration screen over the map: users, stores, file import, API keys, settings, alert targets.
 * A dialog on a desktop, the whole screen on a phone. The server refuses non-admins anyway.
 */
export function AdminPage({ onClose }: AdminPageProps) {
  const ta = useAdminT();
  const [tab, setTab] = useState<AdminTab>('users');

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <div className="hw-admin-backdrop">
      <div className="hw-admin" data-testid="admin" data-tab={tab} role="dialog" aria-modal="true" aria-labelledby="hw-admin-title">
        <header className="hw-admin__head">
          <h2 id="hw-admin-title" className="hw-admin__title">
            {ta('admin.title')}
          </h2>
          <button type="button" className="hw-button hw-button--ghost" data-testid="admin-close" aria-label={ta('admin.close')} onClick={onClose}>
            ✕
          </button>
        </header>
        <nav className="hw-admin__tabs" role="tablist" aria-label={ta('admin.sections')}>
          {ADMIN_TABS.map((t) => (
            <button
              key={t}
              type="button"
              role="tab"
              id={`hw-admin-tab-${t}`}
              className="hw-admin__tab"
              data-testid={`admin-tab-${t}`}
              aria-selected={tab === t}
              aria-controls="hw-admin-panel"
              onClick={() => setTab(t)}
            >
              {ta(TAB_LABEL[t])}
            </button>
          ))}
        </nav>
        <div className="hw-admin__body" id="hw-admin-panel" role="tabpanel" aria-labelledby={`hw-admin-tab-${tab}`}>
          {tab === 'users' && <UsersSection />}
          {tab === 'stores' && <StoresSection />}
          {tab === 'import' && <ImportSection />}
          {tab === 'apiKeys' && <ApiKeysSection />}
          {tab === 'settings' && <SettingsSection />}
          {tab === 'alerts' && <AlertsSection />}
        </div>
      </div>
    </div>
  );
}
