package io.quorate.demo;

import java.util.List;

/**
 * Where the demo listens. Every address is on loopback; the sample fleet uses its own 127.0.0.x
 * addresses (Linux routes all of 127.0.0.0/8 to loopback), so its members can share port numbers
 * like real hosts do.
 *
 * @param apiPort the first region's API and status page; the others use the next ports
 * @param dnsPort the first region's embedded authoritative DNS (UDP and TCP); the others use the
 *     next ports
 * @param webPort port of each sample web server
 * @param smtpPort SMTP (STARTTLS) port of each sample mail server
 * @param imapPort IMAP (STARTTLS) port of each sample mail server
 * @param pop3Port POP3 (STLS) port of each sample mail server
 * @param dnsPairPort port of the sample DNS server pair (for the consistency check)
 */
public record DemoOptions(
    int apiPort,
    int dnsPort,
    int webPort,
    int smtpPort,
    int imapPort,
    int pop3Port,
    int dnsPairPort) {

  /** The three demo regions, in writer-rank order. */
  public static final List<String> REGIONS = List.of("eu-west", "us-east", "ap-southeast");

  /** Sample web servers behind round-robin {@code www.demo.test}. */
  public static final List<String> WEB_ADDRESSES =
      List.of("127.0.0.21", "127.0.0.22", "127.0.0.23");

  /** Primary and backup mail servers behind the {@code mail.demo.test} MX. */
  public static final List<String> MAIL_ADDRESSES = List.of("127.0.0.31", "127.0.0.32");

  /** The sample DNS server pair, authoritative for {@code corp.demo.test}. */
  public static final List<String> DNS_PAIR_ADDRESSES = List.of("127.0.0.41", "127.0.0.42");

  public static final DemoOptions DEFAULT =
      new DemoOptions(8080, 5353, 8480, 2525, 1143, 1110, 5300);

  public DemoOptions {
    for (int p : List.of(apiPort, dnsPort, webPort, smtpPort, imapPort, pop3Port, dnsPairPort)) {
      if (p < 1 || p > 65_535 - REGIONS.size()) {
        throw new IllegalArgumentException("port " + p + " is out of range");
      }
    }
  }

  public int apiPort(int regionIndex) {
    return apiPort + regionIndex;
  }

  public int dnsPort(int regionIndex) {
    return dnsPort + regionIndex;
  }
}
