package io.quorate.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads a region file's {@code mesh:} block: this region's signing key and its peers. */
final class MeshReader {
  static final Set<String> KEYS = Set.of("key", "peers");
  private static final Set<String> PEER_KEYS = Set.of("region", "url", "key");

  /** HMAC-SHA256 keys shorter than this are refused (RFC 2104 §3: at least the hash length). */
  static final int MIN_KEY_LENGTH = 32;

  private MeshReader() {}

  /** The mesh block; {@link RegionConfig.Mesh#NONE} when absent; {@code null} on errors. */
  static RegionConfig.Mesh read(YamlNode node, String self, List<String> regions, ReadContext ctx) {
    if (!node.present()) {
      return RegionConfig.Mesh.NONE;
    }
    int mark = node.errors().count();
    node.mapping(KEYS);
    Secret key = key(node.get("key"), ctx);
    List<RegionConfig.Peer> peers = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    for (YamlNode p : node.get("peers").itemsOrEmpty()) {
      if (!p.mapping(PEER_KEYS)) {
        continue;
      }
      String region = Names.id(p.get("region"), "peer region", seen);
      if (region != null && region.equals(self)) {
        p.get("region").error("is this agent's own region");
      } else if (region != null && regions != null && !regions.contains(region)) {
        p.get("region").error("\"" + region + "\" is not in the shared regions list " + regions);
      }
      String url = url(p.get("url"));
      Secret peerKey = key(p.get("key"), ctx);
      if (region != null && url != null && peerKey != null) {
        peers.add(new RegionConfig.Peer(region, url, peerKey));
      }
    }
    if (node.errors().since(mark)) {
      return null;
    }
    return new RegionConfig.Mesh(key, peers);
  }

  private static Secret key(YamlNode node, ReadContext ctx) {
    if (!node.requirePresent()) {
      return null;
    }
    Secret key = ctx.secret(node);
    if (key != null && key.reveal().length() < MIN_KEY_LENGTH) {
      node.error("must be at least " + MIN_KEY_LENGTH + " characters");
      return null;
    }
    return key;
  }

  /** {@code http(s)://host:port} with no path, query or user info. */
  private static String url(YamlNode node) {
    String s = node.requiredString();
    if (s == null) {
      return null;
    }
    try {
      URI u = new URI(s);
      boolean ok =
          ("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
              && u.getHost() != null
              && u.getPort() > 0
              && u.getUserInfo() == null
              && (u.getRawPath() == null || u.getRawPath().isEmpty() || "/".equals(u.getRawPath()))
              && u.getRawQuery() == null
              && u.getRawFragment() == null;
      if (ok) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    node.error("must be http://host:port or https://host:port, without a path");
    return null;
  }
}
