// Stage labels inside sentences, the same on the server (report headlines) and in the web app.

/** "MQL" stays "MQL", "New lead" becomes "new lead": a label as a word within a sentence. */
export function inSentence(label: string): string {
  return label === label.toUpperCase() ? label : label.toLowerCase();
}

/** "MQL" → "MQLs", "New lead" → "new leads", "Opportunity" → "opportunities". */
export function plural(label: string): string {
  const word = inSentence(label);
  if (word !== label.toUpperCase() && /[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}
