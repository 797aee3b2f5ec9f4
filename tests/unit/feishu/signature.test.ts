import { describe, expect, it } from 'vitest';
import { alertCard, cellMapUrl } from '../../../server/feishu/card.js';
import { webhookSign } from '../../../server/feishu/signature.js';

describe('webhookSign', () => {
  it('holds the documented test vector (ts 1599360473, secret "demo")', () => {
    expect(webhookSign(1599360473, 'demo')).toBe('l1N0gAcBjdwBvGm1xMjOF0XSyaLRpR7tuO5dHfhAYc8=');
  });

  it('depends on the timestamp and the secret', () => {
    expect(webhookSign(1599360474, 'demo')).not.toBe('l1N0gAcBjdwBvGm1xMjOF0XSyaLRpR7tuO5dHfhAYc8=');
    expect(webhookSign(1599360473, 'demo2')).not.toBe('l1N0gAcBjdwBvGm1xMjOF0XSyaLRpR7tuO5dHfhAYc8=');
  });
});

describe('alertCard', () => {
  it('is a 2.0 card with the store, place, class, counts and a button to the map at the cell', () => {
    const card = alertCard(
      { storeCode: 'FZ-001', storeName: 'Gulou', cell: '8941b530aafffff', lat: 26.08, lng: 119.29, class: 'new_hot', weekCount: 9, totalCount: 14, weeks: 12, week: '2024-03-04' },
      'https://hexwatch.example.com/',
    );
    const json = JSON.stringify(card);
    expect(card.schema).toBe('2.0');
    for (const text of ['Gulou', 'FZ-001', '26.08000', '119.29000', 'New hot spot', '9 in the week of 2024-03-04', '14 in the last 12 weeks']) {
      expect(json).toContain(text);
    }
    expect(json).toContain('"default_url":"https://hexwatch.example.com/?cell=8941b530aafffff"');
    expect(cellMapUrl('http://x', 'abc')).toBe('http://x/?cell=abc');
  });
});
