// The messages between cluster workers and the primary that holds the shared counters
// (ipc-counters.ts is the worker's side, counter-host.ts the primary's).
import type { ConsumeResult, CounterCheck } from '../api/counters.js';

export const CHANNEL = 'gatehouse:counters';

export type Call = { id: number; op: 'consume'; checks: readonly CounterCheck[] } | { id: number; op: 'adjust'; counter: string; delta: number };

/** `shares[i]`: units of check i's counter now set aside for the asking worker (counted as used). */
export type Answer = { id: number; result?: ConsumeResult; shares?: number[]; error?: string };

/** Worker → primary: the calls of one event-loop turn. */
export interface CallsMessage { channel: typeof CHANNEL; calls: Call[] }
/** Worker → primary: the unused units of the shares a recall named (0 when none), which the worker gave up. */
export interface ReturnedMessage { channel: typeof CHANNEL; returned: [counter: string, units: number][] }
/** Primary → worker. */
export interface AnswersMessage { channel: typeof CHANNEL; answers: Answer[] }
/** Primary → worker: give back what is left of these counters' shares. */
export interface RecallMessage { channel: typeof CHANNEL; recall: string[] }

export type WorkerMessage = CallsMessage | ReturnedMessage;
export type HostMessage = AnswersMessage | RecallMessage;

const onChannel = (message: unknown): message is { channel: string } =>
  typeof message === 'object' && message !== null && (message as { channel?: unknown }).channel === CHANNEL;

export const isCalls = (m: unknown): m is CallsMessage => onChannel(m) && Array.isArray((m as CallsMessage).calls);
export const isReturned = (m: unknown): m is ReturnedMessage => onChannel(m) && Array.isArray((m as ReturnedMessage).returned);
export const isAnswers = (m: unknown): m is AnswersMessage => onChannel(m) && Array.isArray((m as AnswersMessage).answers);
export const isRecall = (m: unknown): m is RecallMessage => onChannel(m) && Array.isArray((m as RecallMessage).recall);
