// The contexts (additional authenticated data) the feature seals its keys under: a ciphertext copied to another hub
// or peer does not decrypt.
export const hubKeyContext = (tenantId: string) => `vpn:hub:${tenantId}:private-key`;
export const peerKeyContext = (peerId: string) => `vpn:peer:${peerId}:private-key`;
export const pskContext = (peerId: string) => `vpn:peer:${peerId}:preshared-key`;
