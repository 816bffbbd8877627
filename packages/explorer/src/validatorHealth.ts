// A validator's health as one node sees it: connected to this node or not, whether it signed the
// latest block, and any equivocation this node holds evidence of.
import type { MisbehaviourView, PeerView, StatusView, ValidatorView } from './apiTypes.js';

export interface HealthInputs {
  status: StatusView;
  peers: readonly PeerView[];
  /** Validator indexes whose signatures are in the latest block's commit. */
  signedLatest: ReadonlySet<number>;
  latestHeight: number;
  misbehaviour: readonly MisbehaviourView[];
}

/** A peer's certificate name is "<node>.<org>" (or the node name alone). */
function peerOf(validator: ValidatorView, peers: readonly PeerView[]): PeerView | undefined {
  return peers.find((peer) => peer.org === validator.org && (peer.name === validator.name || peer.name === `${validator.name}.${validator.org}`));
}

export function validatorHealth(validator: ValidatorView, inputs: HealthInputs, formatTime: (ms: number) => string): string {
  const parts: string[] = [];
  const self = inputs.status.nodeName === validator.name && inputs.status.org === validator.org;
  if (self) parts.push('this node');
  else {
    const peer = peerOf(validator, inputs.peers);
    parts.push(peer === undefined ? 'not connected to this node' : `connected since ${formatTime(peer.connectedSinceMs)}`);
  }
  parts.push(inputs.signedLatest.has(validator.index) ? `signed block ${inputs.latestHeight}` : `did not sign block ${inputs.latestHeight}`);
  const seen = inputs.misbehaviour.filter((m) => m.validator === validator.name && m.org === validator.org);
  if (seen.length > 0) parts.push(`equivocated (${seen.map((m) => `${m.type} at height ${m.height}`).join(', ')})`);
  return parts.join('; ');
}
