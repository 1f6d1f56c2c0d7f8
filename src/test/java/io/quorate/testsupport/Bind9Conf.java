package io.quorate.testsupport;

import java.nio.file.Path;

/**
 * The named.conf of a {@link Bind9Lab}: one zone, primary (with an {@code update-policy} and
 * optional NOTIFY to a secondary) or secondary (AXFR from a primary, signed with the lab key).
 *
 * @param zone the zone apex, without the trailing dot
 * @param alsoV6Loopback also listen on [::1]
 * @param updatePolicy the grants inside {@code update-policy { … }} of a primary
 * @param primaryPort for a secondary: the port of its primary on 127.0.0.1; 0 for a primary
 * @param notifyPort for a primary: send NOTIFY to 127.0.0.1 on this port; 0 for none
 */
public record Bind9Conf(
    String zone, boolean alsoV6Loopback, String updatePolicy, int primaryPort, int notifyPort) {

  /** The lab's historic policy: the key may change anything in the zone. */
  public static final String ANY = "grant " + Bind9Lab.TSIG_KEY_NAME + " zonesub ANY;";

  /** A primary for {@code zone} whose key may change anything in it. */
  public static Bind9Conf primary(String zone) {
    return new Bind9Conf(zone, false, ANY, 0, 0);
  }

  /**
   * A least-privilege policy: the key may change only {@code types} at exactly these owner names
   * (BIND {@code grant <key> name <owner>. <types>;}, one line per name).
   */
  public static String grantNames(String zone, java.util.List<String> labels, String types) {
    StringBuilder b = new StringBuilder();
    for (String l : labels) {
      b.append("grant ")
          .append(Bind9Lab.TSIG_KEY_NAME)
          .append(" name ")
          .append(l)
          .append('.')
          .append(zone)
          .append(". ")
          .append(types)
          .append(";\n");
    }
    return b.toString();
  }

  public Bind9Conf withPolicy(String policy) {
    return new Bind9Conf(zone, alsoV6Loopback, policy, primaryPort, notifyPort);
  }

  public Bind9Conf withNotify(int port) {
    return new Bind9Conf(zone, alsoV6Loopback, updatePolicy, primaryPort, port);
  }

  /** A secondary of the primary on 127.0.0.1:{@code port} (AXFR signed with the lab key). */
  public Bind9Conf secondaryOf(int port) {
    return new Bind9Conf(zone, alsoV6Loopback, updatePolicy, port, notifyPort);
  }

  public Bind9Conf withV6Loopback(boolean v6) {
    return new Bind9Conf(zone, v6, updatePolicy, primaryPort, notifyPort);
  }

  boolean secondary() {
    return primaryPort > 0;
  }

  String render(Path dir, int port) {
    return keyAndOptions(dir, port) + (secondary() ? secondaryZone(dir) : primaryZone(dir));
  }

  private String keyAndOptions(Path dir, int port) {
    return """
        key "%s" { algorithm %s; secret "%s"; };
        options {
          directory "%s";
          pid-file "%s/run/named.pid";
          session-keyfile "%s/run/session.key";
          managed-keys-directory "%s";
          listen-on port %d { 127.0.0.1; };
          listen-on-v6 port %d { %s; };
          automatic-interface-scan no;
          recursion no;
          allow-recursion { none; };
          dnssec-validation no;
          notify no;
          allow-query { 127.0.0.0/8; ::1; };
          allow-transfer { key "%s"; };
          minimal-responses yes;
          version none;
          hostname none;
          server-id none;
          tcp-listen-queue 1024;
          tcp-clients 1000;
        };
        controls { };
        """
        .formatted(
            Bind9Lab.TSIG_KEY_NAME,
            Bind9Lab.TSIG_ALGORITHM,
            Bind9Lab.TSIG_SECRET,
            dir,
            dir,
            dir,
            dir,
            port,
            port,
            alsoV6Loopback ? "::1" : "none",
            Bind9Lab.TSIG_KEY_NAME);
  }

  private String primaryZone(Path dir) {
    String notify =
        notifyPort > 0
            ? "notify explicit;\n  notify-delay 0;\n  also-notify { 127.0.0.1 port "
                + notifyPort
                + "; };\n"
            : "";
    return """
        zone "%s" {
          type primary;
          file "%s/zone.db";
          journal "%s/zone.db.jnl";
          %supdate-policy { %s };
        };
        """
        .formatted(zone, dir, dir, notify, updatePolicy);
  }

  private String secondaryZone(Path dir) {
    return """
        zone "%s" {
          type secondary;
          file "%s/zone.db";
          journal "%s/zone.db.jnl";
          primaries { 127.0.0.1 port %d key "%s"; };
        };
        """
        .formatted(zone, dir, dir, primaryPort, Bind9Lab.TSIG_KEY_NAME);
  }
}
