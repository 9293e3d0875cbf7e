// A change the gateway refused, told about the entry that was sent: the merged config's
// "/endpoints/3/model/config (management endpoint "x"): ..." becomes `param` "model.config" and
// a message that names the entry, so a client (the console) can put it beside the field.
import { createError, isGatewayError } from '@gatehousejs/core';
import type { EntryKind } from './store.js';

const LINE = /^\s*\/(?:endpoints|routes)\/\d+(\/\S*)? \(.*\): (.*)$/;

export function aboutEntry(error: unknown, plugin: string, kind: EntryKind, name: string): unknown {
  if (!isGatewayError(error) || error.code !== 'GW_ERR_BAD_REQUEST') return error;
  const label = `(${plugin} ${kind} "${name}")`;
  const problems = error.message
    .split('\n')
    .filter((line) => line.includes(label))
    .map((line) => LINE.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ field: (match[1] ?? '').slice(1).replaceAll('/', '.'), message: match[2]! }));
  if (problems.length === 0) return error;
  const said = problems.map((p) => (p.field ? `'${p.field}' ${p.message}` : p.message).replace(/\.$/, '')).join('; ');
  return createError('GW_ERR_BAD_REQUEST', `Invalid ${kind} "${name}": ${said}.`, { param: problems[0]!.field || undefined, cause: error });
}
