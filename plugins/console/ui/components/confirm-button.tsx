// A destructive action asks once, in place: "Delete chat? [Delete] [Cancel]". No modal, no
// window.confirm (which a keyboard user or a test cannot always see). Focus moves to the
// question's answer, so a keyboard user lands on it.
import { useEffect, useRef, useState } from 'preact/hooks';

export function ConfirmButton(props: { label: string; question: string; confirm?: string; onConfirm: () => void | Promise<void> }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const answer = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) answer.current?.focus();
  }, [asking]);
  if (!asking) {
    return <button type="button" class="danger-link" onClick={() => setAsking(true)}>{props.label}</button>;
  }
  return (
    <span class="confirm" role="group" aria-label={props.question}>
      <span>{props.question}</span>
      <button
        ref={answer}
        type="button"
        class="danger"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          try {
            await props.onConfirm();
          } finally {
            setBusy(false);
            setAsking(false);
          }
        }}
      >
        {props.confirm ?? props.label}
      </button>
      <button type="button" onClick={() => setAsking(false)}>Cancel</button>
    </span>
  );
}
