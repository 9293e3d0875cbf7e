// A labelled form control with the server's complaint about it, if any, right under it.
import type { ComponentChildren } from 'preact';
import type { Problem } from './problem';

export function Field(props: { label: string; field: string; problem?: Problem | null; hint?: string; wide?: boolean; children: ComponentChildren }) {
  const mine = props.problem?.field === props.field ? props.problem : undefined;
  return (
    <label class={`field${props.wide ? ' wide' : ''}${mine ? ' invalid' : ''}`} data-field={props.field}>
      <span class="label">{props.label}</span>
      {props.children}
      {props.hint && <small class="muted">{props.hint}</small>}
      {mine && <span class="error" role="alert">{mine.message}</span>}
    </label>
  );
}

/** The problem when no field of the form took it (shown once, beside the buttons). */
export function FormProblem(props: { problem?: Problem | null }) {
  const p = props.problem;
  if (!p || p.field !== undefined) return null;
  return <p class="error" role="alert">{p.message}</p>;
}
