// The one time a key's text is shown: Gatehouse keeps only its hash. The box stays until the
// operator dismisses it; the text lives in this component's state only (never stored).
import { useRef } from 'preact/hooks';
import { CopyButton } from './copy-button';
import type { CreatedKey } from './key-form';

export function NewKey(props: { created: CreatedKey; onDismiss: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <section class="panel new-key" role="region" aria-labelledby="new-key-title">
      <h2 id="new-key-title">Key {props.created.name} created</h2>
      <p>
        <strong>Copy it now: it is shown only once.</strong> Gatehouse stores only its hash and cannot show it again. Callers send it as{' '}
        <code>Authorization: Bearer &lt;key&gt;</code>.
      </p>
      <div class="inline">
        <label class="grow">
          <span class="sr-only">The new key</span>
          <input ref={input} name="new-key" class="mono" readOnly value={props.created.key} onFocus={(e) => (e.target as HTMLInputElement).select()} />
        </label>
        <CopyButton text={props.created.key} target={() => input.current} />
        <button type="button" onClick={props.onDismiss}>Done, I copied it</button>
      </div>
    </section>
  );
}
