/** Date and time in the UI language; the ISO text itself when it does not parse. */
export function formatTime(iso: string | null, lang: 'zh' | 'en'): string {
  if (!iso) return '–';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en', { dateStyle: 'medium', timeStyle: 'short' });
}
