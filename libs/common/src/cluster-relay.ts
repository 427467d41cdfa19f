/**
 * A message one worker process sends the others through the cluster's primary (WORKERS > 1): the primary
 * passes every one on to every other worker, whatever its channel.
 */
export interface ClusterRelay<T = unknown> {
  type: 'poc:relay';
  channel: string;
  payload: T;
}

export const isClusterRelay = (message: unknown): message is ClusterRelay =>
  (message as ClusterRelay | null)?.type === 'poc:relay';
