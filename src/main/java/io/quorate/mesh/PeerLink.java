package io.quorate.mesh;

import io.quorate.config.RegionConfig;

/** A configured peer as the senders see it: region, base URL, and the verifier of its key. */
record PeerLink(String region, String url, MeshSigner verifier) {
  static PeerLink of(RegionConfig.Peer p) {
    return new PeerLink(p.region(), p.url(), new MeshSigner(p.key()));
  }
}
