/**
 * Text that people and machines send (rider ids, descriptions, comments, search terms) ends up in
 * logs, CSV exports, Feishu cards and PostgreSQL, which refuses NUL. Control characters have no
 * business in any of it: one rule, used by every schema that takes such text (issue 11).
 * Pure: zod only.
 */
import { z } from 'zod';

/** C0 controls, DEL and C1 controls: NUL, escape sequences, bell... */
// eslint-disable-next-line no-control-regex -- control characters are what this matches
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** The same, but tab and line breaks are allowed (multi-line notes and descriptions). */
// eslint-disable-next-line no-control-regex -- control characters are what this matches
const CONTROL_EXCEPT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** Whether a one-line value (an id, a search term) is free of control characters. */
export function isPlainLine(value: string): boolean {
  return !CONTROL.test(value);
}

/** Whether multi-line text is free of control characters other than tab, CR and LF. */
export function isPlainText(value: string): boolean {
  return !CONTROL_EXCEPT_LINES.test(value);
}

export const CONTROL_CHAR_MESSAGE = 'must not contain control characters (such as NUL)';

/** The shared zod refinement: a one-line string without control characters. */
export function plainLine<T extends z.ZodString>(schema: T) {
  return schema.refine(isPlainLine, CONTROL_CHAR_MESSAGE);
}

/** The shared zod refinement: multi-line text without control characters other than tab and line breaks. */
export function plainText<T extends z.ZodString>(schema: T) {
  return schema.refine(isPlainText, `${CONTROL_CHAR_MESSAGE}; line breaks and tabs are fine`);
}

/**
 * Text made safe for a file someone opens in a spreadsheet or terminal: control characters other
 * than tab and line breaks become U+FFFD (so the reader sees something was there).
 */
export function neutraliseControls(value: string): string {
  return value.replace(new RegExp(CONTROL_EXCEPT_LINES.source, 'g'), '\uFFFD');
}
