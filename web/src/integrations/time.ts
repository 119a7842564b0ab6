const absolute = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** "just now", "4 min ago", "3 h ago", "Mar 2" – and the exact time for a tooltip. */
export function ago(iso: string, now = Date.now()): string {
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (seconds < 0) return `in ${until(-seconds)}`;
  if (seconds < 10) return 'just now';
  return `${until(seconds)} ago`;
}

function until(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}

export function exactTime(iso: string): string {
  return absolute.format(new Date(iso));
}
