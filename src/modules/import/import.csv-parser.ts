// An RFC 4180 CSV parser that knows the physical line of every record and recovers from a bad
// quote at the next line. Hand-written because the import needs both, and because it is about
// six times faster than csv-parse on a million-row export (BENCHMARKS.md); papaparse is as fast
// but lets one unclosed quote swallow the rest of the file.

export interface ParsedRecord {
  values: string[];
  /** The physical line the record starts on, counting from 1. */
  line: number;
}

export interface UnreadableLines {
  line: number;
  lastLine: number;
  reason: string;
}

/** A quoted value longer than this is taken for a quote that was never closed. */
export const MAX_RECORD_CHARS = 16 << 20;

type Step =
  | { kind: 'record'; values: string[]; end: number; newlines: number }
  | { kind: 'error'; reason: string; end: number; newlines: number }
  | { kind: 'incomplete' };

/**
 * Feeds text in chunks of any size; `push` returns the records completed so far, `end` the rest.
 * Empty lines are skipped (they still count as lines). Text may use CRLF and LF line ends, mixed.
 */
export class CsvParser {
  private pending = '';
  private line = 1;
  private started = false;
  /** The value separator: `,`, or what the header line shows (`;` from European spreadsheets, tab). */
  private delimiter = ',';
  private delimiterKnown = false;
  private readonly onUnreadable: (problem: UnreadableLines) => void;
  constructor(onUnreadable: (problem: UnreadableLines) => void) {
    this.onUnreadable = onUnreadable;
  }

  push(chunk: string): ParsedRecord[] {
    let text = this.pending + chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (!this.delimiterKnown) {
      // The header line says which separator the file uses: wait for all of it.
      const eol = text.indexOf('\n');
      if (eol === -1 && text.length <= MAX_RECORD_CHARS) {
        this.pending = text;
        return [];
      }
      const first = text.slice(0, eol === -1 ? text.length : eol);
      const hint = SEPARATOR_HINT.exec(first);
      if (hint && eol !== -1) {
        // Excel's "sep=;" line names the separator; the header follows it.
        this.delimiter = hint[1]!;
        this.delimiterKnown = true;
        this.line++;
        text = text.slice(eol + 1);
      } else {
        this.takeDelimiterOf(first);
      }
    }
    return this.parse(text, false);
  }

  end(): ParsedRecord[] {
    if (!this.delimiterKnown) this.takeDelimiterOf(this.pending);
    return this.parse(this.pending, true);
  }

  private takeDelimiterOf(header: string): void {
    this.delimiter = delimiterOf(header);
    this.delimiterKnown = true;
  }

  private parse(text: string, final: boolean): ParsedRecord[] {
    const records: ParsedRecord[] = [];
    let at = 0;
    while (at < text.length) {
      const eol = text.indexOf('\n', at);
      if (eol === at || (eol === at + 1 && text.charCodeAt(at) === 13)) {
        // An empty line.
        at = eol + 1;
        this.line++;
        continue;
      }
      if (eol === -1 && !final) {
        if (text.length - at <= MAX_RECORD_CHARS) break;
        at = this.giveUp(text, at);
        continue;
      }
      const lineEnd = eol === -1 ? text.length : eol;
      const quote = text.indexOf('"', at);
      if (quote === -1 || quote > lineEnd) {
        // The common case: a record on one line without quotes.
        const last = text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;
        records.push({ values: text.slice(at, last).split(this.delimiter), line: this.line });
        at = lineEnd + 1;
        this.line++;
        continue;
      }
      const step = quotedRecord(text, at, final, this.delimiter);
      if (step.kind === 'incomplete') {
        if (text.length - at <= MAX_RECORD_CHARS) break;
        at = this.giveUp(text, at);
        continue;
      }
      if (step.kind === 'error') {
        this.onUnreadable({ line: this.line, lastLine: this.line + step.newlines, reason: step.reason });
      } else {
        records.push({ values: step.values, line: this.line });
      }
      this.line += step.newlines + 1;
      at = step.end;
    }
    this.pending = at < text.length ? text.slice(at) : '';
    return records;
  }

  /** A record that never ends (an unclosed quote, no line ends): skip its first line and read on. */
  private giveUp(text: string, at: number): number {
    this.onUnreadable({
      line: this.line,
      lastLine: this.line,
      reason: `a record runs on for more than ${MAX_RECORD_CHARS >> 20} MB (a quote never closed?)`,
    });
    const eol = text.indexOf('\n', at);
    this.line++;
    return eol === -1 ? text.length : eol + 1;
  }
}

/** A record with quotes in it, from `start`; `end` is just past its line end. */
function quotedRecord(text: string, start: number, final: boolean, delimiter: string): Step {
  const separator = delimiter.charCodeAt(0);
  const values: string[] = [];
  let at = start;
  let newlines = 0;
  for (;;) {
    if (text.charCodeAt(at) === 34) {
      // A quoted value: "" is a quote, anything else (line ends too) is literal until the closing quote.
      let value = '';
      let from = at + 1;
      for (;;) {
        const close = text.indexOf('"', from);
        if (close === -1 || close + 1 === text.length) {
          if (!final) return { kind: 'incomplete' };
          if (close === -1) {
            const rest = text.slice(from);
            return {
              kind: 'error',
              reason: 'a quote is never closed',
              end: text.length,
              newlines: newlines + count(rest),
            };
          }
        }
        value += text.slice(from, close);
        if (text.charCodeAt(close + 1) === 34) {
          value += '"';
          from = close + 2;
          continue;
        }
        at = close + 1;
        break;
      }
      newlines += count(value);
      values.push(value);
      const next = text.charCodeAt(at);
      if (next === separator) {
        at++;
        continue;
      }
      if (at === text.length || next === 10) return { kind: 'record', values, end: at + 1, newlines };
      if (next === 13 && text.charCodeAt(at + 1) === 10)
        return { kind: 'record', values, end: at + 2, newlines };
      if (next === 13 && at + 1 === text.length && !final) return { kind: 'incomplete' };
      return skipLine(text, at, final, newlines, `a closing quote is followed by "${text[at]}"`);
    }
    // An unquoted value runs to the next separator or line end and may not contain a quote.
    const comma = text.indexOf(delimiter, at);
    let eol = text.indexOf('\n', at);
    if (eol === -1) {
      if (!final) return { kind: 'incomplete' };
      eol = text.length;
    }
    const end = comma !== -1 && comma < eol ? comma : eol;
    const value = text.slice(at, end > at && end === eol && text.charCodeAt(end - 1) === 13 ? end - 1 : end);
    if (value.includes('"'))
      return skipLine(text, at, final, newlines, 'a quote inside a value that does not start with one');
    values.push(value);
    if (end === eol) return { kind: 'record', values, end: eol + 1, newlines };
    at = end + 1;
  }
}

/** The line Excel reads (and some exporters write) before the header to name the separator: `sep=;`. */
const SEPARATOR_HINT = /^sep=([,;\t|])\r?$/i;

/**
 * The separator a header line uses: the one of `,`, `;` and tab it has most of, outside quotes
 * (a header "Name;E-mail;Firma" is a semicolon file, "Last, First" in quotes does not count).
 */
export function delimiterOf(header: string): string {
  const unquoted = header.replace(/"[^"]*"/g, '');
  let best = ',';
  let most = 0;
  for (const candidate of [',', ';', '\t']) {
    const n = unquoted.split(candidate).length - 1;
    if (n > most) {
      best = candidate;
      most = n;
    }
  }
  return best;
}

/** After an error: the record is given up up to the end of the physical line the error is on. */
function skipLine(text: string, at: number, final: boolean, newlines: number, reason: string): Step {
  const eol = text.indexOf('\n', at);
  if (eol === -1 && !final) return { kind: 'incomplete' };
  return { kind: 'error', reason, end: eol === -1 ? text.length : eol + 1, newlines };
}

function count(text: string): number {
  let n = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) n++;
  return n;
}
