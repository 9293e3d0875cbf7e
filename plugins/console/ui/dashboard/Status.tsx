// The three states every panel can be in besides "here is the data".
import type { ComponentChildren } from 'preact';

export function Loading(props: { what: string }) {
  return <p class="dash-loading" aria-busy="true">Loading {props.what}…</p>;
}

export function Failure(props: { error: Error; what: string }) {
  return (
    <p class="dash-error error" role="alert">
      Could not load {props.what}: {props.error.message}
    </p>
  );
}

export function Empty(props: { children: ComponentChildren }) {
  return <div class="dash-empty">{props.children}</div>;
}
