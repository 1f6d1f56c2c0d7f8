package io.quorate.dns;

import java.util.Map;

/**
 * Whether every authoritative server serves a change.
 *
 * @param complete every server served the desired RRset before the timeout
 * @param servers per {@code host:port}: {@code "ok"} or what it served / why it could not be asked
 * @param elapsedMs from the start of checking to completion (or to the timeout)
 */
public record Propagation(boolean complete, Map<String, String> servers, double elapsedMs) {
  public Propagation {
    servers = Map.copyOf(servers);
  }
}
