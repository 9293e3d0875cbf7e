// Copies a text to the clipboard and says so; falls back to selecting it when the browser
// refuses (no clipboard permission).
import { useState } from 'preact/hooks';

export function CopyButton(props: { text: string; target?: () => HTMLInputElement | null }) {
  const [state, setState] = useState<'idle' | 'copied' | 'select'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.text);
      setState('copied');
    } catch {
      props.target?.()?.select();
      setState('select');
    }
  };
  return (
    <button type="button" onClick={copy}>
      {state === 'copied' ? 'Copied' : state === 'select' ? 'Selected: press Ctrl+C' : 'Copy'}
    </button>
  );
}
