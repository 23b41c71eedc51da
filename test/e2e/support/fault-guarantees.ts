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
