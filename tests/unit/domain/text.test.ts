/** Control characters in text people and machines send (server/domain/text.ts). */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CONTROL_CHAR_MESSAGE, isPlainLine, isPlainText, neutraliseControls, plainLine, plainText } from '../../../server/domain/text.js';

describe('plain text', () => {
  it('a line refuses every C0, DEL and C1 control, tab and line breaks included; keeps other text', () => {
    for (const c of ['\u0000', '\u0007', '\t', '\n', '\r', '\u001b', '\u001f', '\u007f', '\u0085', '\u009f']) expect(isPlainLine(`a${c}b`), JSON.stringify(c)).toBe(false);
    for (const ok of ['R-00001', '福州 鼓楼店', ' ', '\u00a0nbsp', '~', '\u00a0']) expect(isPlainLine(ok), ok).toBe(true);
  });

  it('multi-line text allows tab, CR and LF only', () => {
    expect(isPlainText('line 1\r\nline 2\tend')).toBe(true);
    for (const c of ['\u0000', '\u0008', '\u000b', '\u000c', '\u000e', '\u001f', '\u007f', '\u009f']) expect(isPlainText(`a${c}b`), JSON.stringify(c)).toBe(false);
    expect(isPlainText('\u00a0ok')).toBe(true);
  });

  it('the zod refinements refuse with the shared message', () => {
    expect(plainLine(z.string()).safeParse('ok').success).toBe(true);
    const line = plainLine(z.string()).safeParse('a\nb');
    expect(line.success ? null : line.error.issues[0]!.message).toBe(CONTROL_CHAR_MESSAGE);
    expect(plainText(z.string()).safeParse('a\nb').success).toBe(true);
    const text = plainText(z.string()).safeParse('a\u0000b');
    expect(text.success ? null : text.error.issues[0]!.message).toBe(`${CONTROL_CHAR_MESSAGE}; line breaks and tabs are fine`);
  });

  it('neutralises every control but tab and line breaks to U+FFFD, each one', () => {
    expect(neutraliseControls('a\u0000b\u001b[31m\tc\r\nd\u007f\u0085')).toBe('a\uFFFDb\uFFFD[31m\tc\r\nd\uFFFD\uFFFD');
    expect(neutraliseControls('clean')).toBe('clean');
  });
});
