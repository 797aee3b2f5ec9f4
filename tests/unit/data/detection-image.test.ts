import { describe, expect, it } from 'vitest';
import { renderDetectionSvg } from '../../../data/demo/detection-image.js';

/** Every opened element is closed in order (a small well-formedness check without a parser). */
function tagsBalance(svg: string): boolean {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = m;
    if (selfClosing) continue;
    if (!closing) stack.push(name!);
    else if (stack.pop() !== name) return false;
  }
  return stack.length === 0;
}

describe('renderDetectionSvg', () => {
  it('draws the same picture for the same detection', () => {
    expect(renderDetectionSvg('demo-1-42', 'wrong_way', 0.87)).toBe(renderDetectionSvg('demo-1-42', 'wrong_way', 0.87));
  });

  it('draws different scenes for different detections', () => {
    expect(renderDetectionSvg('demo-1-42', 'wrong_way', 0.87)).not.toBe(renderDetectionSvg('demo-1-43', 'wrong_way', 0.87));
  });

  it('is a well-formed SVG with a bounding box and the label with two-decimal confidence', () => {
    const svg = renderDetectionSvg('demo-1-7', 'red_light', 0.5);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(tagsBalance(svg)).toBe(true);
    expect(svg).toContain('>red_light 0.50</text>');
    expect(svg).toContain('stroke="#ff3b30"');
    expect(svg.length).toBeLessThan(12_000);
  });

  it('escapes markup in the label and the id', () => {
    const svg = renderDetectionSvg('x"><script>', '<b>&"', 0.9);
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&#60;b&#62;&#38;&#34; 0.90');
    expect(tagsBalance(svg)).toBe(true);
  });
});
