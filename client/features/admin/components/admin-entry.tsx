import '../admin.css';
import { lazy, Suspense, useCallback, useState } from 'react';
import { createPortal } from 'react-dom';
import { useAdminT } from '../strings.js';

// The admin screens are for a few people: their code loads when the entry is first opened.
const AdminPage = lazy(() => import('./admin-page.js').then((m) => ({ default: m.AdminPage })));

export interface AdminEntryProps {
  /** The signed-in user's role: the entry shows for admins only (the server checks every call anyway). */
  role: string;
}

/** A top-bar button for admins and the administration screen it opens (portalled over the app). */
export function AdminEntry({ role }: AdminEntryProps) {
  const ta = useAdminT();
  const [open, setOpen] = useState(false);
  const close = useCallback(() => setOpen(false), []);
  if (role !== 'admin') return null;
  return (
    <>
      <button
        type="button"
        className="hw-button hw-button--ghost hw-admin-entry"
        data-testid="admin-entry"
        aria-expanded={open}
        aria-label={ta('admin.entry')}
        onClick={() => setOpen((o) => !o)}
      >
        {/* On a phone the top bar has no room for the word: a gear stands in. */}
        <svg className="hw-admin-entry__icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
          <circle cx="8" cy="8" r="2.2" fill="none" stroke="currentColor" strokeWidth="1.6" />
          <path d="M8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
        </svg>
        <span className="hw-admin-entry__text">{ta('admin.entry')}</span>
      </button>
      {open &&
        createPortal(
          <Suspense fallback={<div className="hw-admin-backdrop" data-testid="admin-loading">{ta('state.loading')}</div>}>
            <AdminPage onClose={close} />
          </Suspense>,
          document.body,
        )}
    </>
  );
}
