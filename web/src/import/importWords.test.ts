import { describe, expect, it } from 'vitest';
import { runKindLabel } from './importWords.ts';

describe('what kind of file a run read', () => {
  const presets = [
    { name: 'zoho-leads', label: 'Zoho CRM leads' },
    { name: 'saved:Trade fair list', label: 'Trade fair list (saved)' },
  ];

  it('names the preset or the saved mapping by its label', () => {
    expect(runKindLabel('csv:zoho-leads', presets)).toBe('Zoho CRM leads');
    expect(runKindLabel('csv:saved:Trade fair list', presets)).toBe('Trade fair list (saved)');
    expect(runKindLabel('olist', presets)).toBe('Olist data set');
  });

  it('says a saved mapping was deleted since, and a mapping sent with the file is its own', () => {
    expect(runKindLabel('csv:saved:Old list', presets)).toBe('Old list (deleted mapping)');
    expect(runKindLabel('csv:mapping', presets)).toBe('Own mapping');
    expect(runKindLabel('csv:my-mapping.json', presets)).toBe('Own mapping (my-mapping.json)');
  });
});
