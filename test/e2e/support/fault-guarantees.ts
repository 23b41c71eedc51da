/**
 * What the distributed stack's components guarantee when one of their replicas is killed, as loss windows for
 * runFault (fault-run.ts): the compose and the cluster distributed tests judge their losses by the same rules.
 */
import type { LossGuarantee } from './fault-run.js';

/**
 * A Loki writer down: each stream goes to `replicationFactor` ingesters and a push needs a quorum of
 * floor(RF/2)+1. Logs sent from 2 batch delays before the kill until 2 after the writer is healthy again.
 */
export function lokiWriterGuarantee(replicationFactor: number, batchDelayMs: number): LossGuarantee {
  const quorum = Math.floor(replicationFactor / 2) + 1;
  return {
    signal: 'logs',
    guarantee:
      `Loki writes each stream to replication_factor (${replicationFactor}) ingesters and needs a quorum of floor(${replicationFactor}/2)+1 = ${quorum}: ` +
      `with one of the writers down a push may be refused until it is back, and the collector drops what a store refuses with a status it does not retry`,
    window: (r) => [r.killedAt - 2 * batchDelayMs, r.readyAt + 2 * batchDelayMs],
  };
}

/**
 * A sampler killed: tail sampling holds a trace's spans in memory for decision_wait; traces sent from decision_wait
 * + 2 batch delays before the kill until one batch delay after it.
 */
export function samplerGuarantee(decisionWaitMs: () => number, batchDelayMs: number): LossGuarantee {
  return {
    signal: 'traces',
    guarantee:
      "tail sampling holds a trace's spans in memory for decision_wait before deciding: a killed sampler loses the traces it held " +
      '(the gateway queues and retries only what the sampler has not accepted)',
    window: (r) => [r.killedAt - decisionWaitMs() - 2 * batchDelayMs, r.killedAt + batchDelayMs],
  };
}

/** tail_sampling's decision_wait (`5s`) of a sampler's config, in ms. */
export function decisionWaitOf(samplerConfig: { processors: { tail_sampling: { decision_wait: string } } }): number {
  return Number(/^(\d+)s$/.exec(samplerConfig.processors.tail_sampling.decision_wait)![1]) * 1000;
}

/** How long a Jaeger replica may hold spans it acknowledged: its bulk processor's flush_interval (Jaeger's default, 200 ms) and the bulk request in flight. */
const JAEGER_UNWRITTEN_MS = 1_000;

/**
 * A Jaeger replica killed: its OpenSearch writer acknowledges spans once they are in its bulk processor
 * (`SpanWriter.WriteSpan` adds them and returns; the processor writes every flush_interval, 200 ms by default), so a
 * kill loses what it held and the bulk request in flight. Those spans reached it from a sampler decision_wait after
 * they were sent, up to 2 batch delays later: traces sent from decision_wait + 2 batch delays + the unwritten time
 * before the kill until decision_wait - 1 batch delay before it. What reaches it later fails, and the sampler retries
 * it on the other replica.
 */
export function jaegerGuarantee(decisionWaitMs: () => number, batchDelayMs: number): LossGuarantee {
  return {
    signal: 'traces',
    guarantee:
      "Jaeger's OpenSearch writer acknowledges spans once they are in its bulk processor, before OpenSearch has them " +
      `(flush_interval, 200 ms by default): a killed replica loses the spans it held`,
    window: (r) => [r.killedAt - decisionWaitMs() - 2 * batchDelayMs - JAEGER_UNWRITTEN_MS, r.killedAt - decisionWaitMs() + batchDelayMs],
  };
}
