// Stop sequences. TGI stops generating once a stop sequence appears but keeps it in the text
// (`"stop": ["Par"]` answers "... is Par"); OpenAI's answer ends before it. TGI checks after
// every token, so the first appearance in the generated text is where it stopped.

/** The stop sequences of a request, as a list without empty strings. */
export function stopSequences(stop: unknown): string[] {
  const list = typeof stop === 'string' ? [stop] : Array.isArray(stop) ? stop : [];
  return list.filter((s): s is string => typeof s === 'string' && s !== '');
}

/** Index of the first appearance of any stop sequence in `text`, or -1. */
function firstStop(text: string, stops: readonly string[]): number {
  let cut = -1;
  for (const stop of stops) {
    const at = text.indexOf(stop);
    if (at !== -1 && (cut === -1 || at < cut)) cut = at;
  }
  return cut;
}

/** The text up to (not including) the first stop sequence; unchanged when none appears. */
export function cutAtStop(text: string, stops: readonly string[]): string {
  const at = firstStop(text, stops);
  return at === -1 ? text : text.slice(0, at);
}

/** Length of the longest end of `text` that is the start of some stop sequence (and could become one). */
function pendingLength(text: string, stops: readonly string[]): number {
  let longest = 0;
  for (const stop of stops) {
    for (let k = Math.min(stop.length - 1, text.length); k > longest; k--) {
      if (text.endsWith(stop.slice(0, k))) {
        longest = k;
        break;
      }
    }
  }
  return longest;
}

/**
 * Streaming counterpart of cutAtStop: text is held back only while it could still turn into a
 * stop sequence, so the pieces that go out add up to exactly what cutAtStop would keep.
 */
export class StopFilter {
  private held = '';
  private stopped = false;

  constructor(private readonly stops: readonly string[]) {}

  /** The part of `piece` that can be sent now ('' while held back or after a stop). */
  push(piece: string): string {
    if (this.stopped) return '';
    if (this.stops.length === 0) return piece;
    const text = this.held + piece;
    const at = firstStop(text, this.stops);
    if (at !== -1) {
      this.stopped = true;
      this.held = '';
      return text.slice(0, at);
    }
    const keep = pendingLength(text, this.stops);
    this.held = text.slice(text.length - keep);
    return text.slice(0, text.length - keep);
  }

  /** What is still held back once the stream ended without reaching a stop sequence. */
  flush(): string {
    const rest = this.held;
    this.held = '';
    return rest;
  }
}
