/**
 * The server's refusals, pointed at form fields. tRPC errors from zod carry
 * `data.issues: [{path, message}]`; the routers' own refusals are one message starting with
 * `field: ` (`role: you cannot take the admin role from yourself`). Pure: no React, no tRPC.
 */

export interface ServerErrors {
  /** Message per form field (the server's words, without the `field: ` prefix). */
  fields: Record<string, string>;
  /** What no field of the form can show (e.g. `Needs role admin.`), or null. */
  message: string | null;
}

interface Issue {
  path: string;
  message: string;
}

const FIELD_PREFIX = /^([A-Za-z_][\w.]*): ([\s\S]+)$/;

function issuesOf(error: unknown): Issue[] | null {
  const data = (error as { data?: { issues?: unknown } } | null)?.data;
  if (!Array.isArray(data?.issues)) return null;
  return data.issues
    .filter((i): i is Issue => typeof i === 'object' && i !== null && typeof (i as Issue).path === 'string' && typeof (i as Issue).message === 'string');
}

function messageOf(error: unknown): string {
  if (typeof error === 'string') return error;
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message ? message : String(error);
}

/** The form field a server path belongs to: itself, or its parent (`storeIds.3` -> `storeIds`). */
function fieldFor(path: string, fields: readonly string[]): string | null {
  for (let p = path; p; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
    if (fields.includes(p)) return p;
  }
  return null;
}

function stripPrefix(message: string, path: string): string {
  return message.startsWith(`${path}: `) ? message.slice(path.length + 2) : message;
}

/**
 * Splits a failed call's error into messages per field of `fields` and one general message.
 * A field gets the first message about it.
 */
export function serverErrors(error: unknown, fields: readonly string[]): ServerErrors {
  const out: ServerErrors = { fields: {}, message: null };
  const general: string[] = [];
  const put = (path: string, message: string) => {
    const field = fieldFor(path, fields);
    if (field === null) general.push(`${path}: ${message}`);
    else out.fields[field] ??= message;
  };
  const issues = issuesOf(error);
  if (issues && issues.length) {
    for (const issue of issues) put(issue.path, stripPrefix(issue.message, issue.path));
  } else {
    const message = messageOf(error);
    const m = FIELD_PREFIX.exec(message);
    if (m) put(m[1]!, m[2]!);
    else general.push(message);
  }
  out.message = general.length ? general.join('; ') : null;
  return out;
}

/** A refusal as a sentence for a row action (remove, revoke): without its `field: ` prefix. */
export function plainMessage(error: unknown): string {
  const message = messageOf(error);
  return FIELD_PREFIX.exec(message)?.[2] ?? message;
}
