// How a page says "loading", "that failed" and "done".
export function Loading(props: { what: string }) {
  return <p class="muted" aria-busy="true">Loading {props.what}…</p>;
}

export function ErrorNote(props: { error: Error | string | undefined | null }) {
  if (!props.error) return null;
  const message = typeof props.error === 'string' ? props.error : props.error.message;
  return <p class="error" role="alert">{message}</p>;
}

export function Done(props: { message: string | null }) {
  return props.message ? <p class="done" role="status">{props.message}</p> : null;
}
