package io.quorate.bench;

import io.quorate.testsupport.LabProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code dnsperf} (2.10) against a server on 127.0.0.1 and parses its summary; writes the
 * query files it reads. For the benchmarks only.
 */
final class Dnsperf {
  private static final Pattern QPS = Pattern.compile("Queries per second:\\s+([0-9.]+)");
  private static final Pattern LOST = Pattern.compile("Queries lost:\\s+(\\d+)");
  private static final Pattern COMPLETED = Pattern.compile("Queries completed:\\s+(\\d+)");
  private static final Pattern LATENCY = Pattern.compile("Average Latency \\(s\\):\\s+([0-9.]+)");
  private static final Pattern CODES = Pattern.compile("Response codes:\\s+(.*)");
  private static final Pattern SIZE =
      Pattern.compile("Average packet size:\\s+request (\\d+), response (\\d+)");

  /** What one dnsperf run reported. */
  record Result(
      double qps,
      long completed,
      long lost,
      double latencyMs,
      String rcodes,
      int responseSize,
      String raw) {}

  /** How dnsperf loads the server: {@code -c}, {@code -T}, {@code -q}. */
  record Load(int clients, int threads, int outstanding) {}

  private Dnsperf() {}

  /** {@code dnsperf -s 127.0.0.1 -p port -d file -l seconds -c -T -q}; fails on a bad summary. */
  static Result run(int port, Path file, int seconds, Load load) {
    LabProcess.requireTool("dnsperf");
    List<String> cmd =
        List.of(
            "dnsperf",
            "-s",
            "127.0.0.1",
            "-p",
            Integer.toString(port),
            "-d",
            file.toString(),
            "-l",
            Integer.toString(seconds),
            "-c",
            Integer.toString(load.clients()),
            "-T",
            Integer.toString(load.threads()),
            "-q",
            Integer.toString(load.outstanding()),
            "-t",
            "2");
    LabProcess.Exec e = LabProcess.exec(cmd, Duration.ofSeconds(seconds + 30L));
    String out = e.output();
    if (e.exitCode() != 0) {
      throw new IllegalStateException("dnsperf exited " + e.exitCode() + ":\n" + out);
    }
    Matcher size = SIZE.matcher(out);
    return new Result(
        Double.parseDouble(find(QPS, out)),
        Long.parseLong(find(COMPLETED, out)),
        Long.parseLong(find(LOST, out)),
        Double.parseDouble(find(LATENCY, out)) * 1000,
        find(CODES, out).trim(),
        size.find() ? Integer.parseInt(size.group(2)) : -1,
        out);
  }

  private static String mixCase(String line, Random rnd) {
    int space = line.indexOf(' ');
    char[] c = line.toCharArray();
    for (int i = 0; i < space; i++) {
      c[i] = rnd.nextBoolean() ? Character.toUpperCase(c[i]) : c[i];
    }
    return new String(c);
  }

  private static String find(Pattern p, String out) {
    Matcher m = p.matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("dnsperf output without " + p + ":\n" + out);
    }
    return m.group(1);
  }

  /**
   * A realistic mix for {@code zone} (hosts {@code host1..hosts}, a 3-address {@code www}, {@code
   * alias1..3} CNAMEs to www, MX and TXT at the apex), {@code lines} lines, seeded: 35 % www A, 30
   * % host A, 8 % NXDOMAIN, 7 % NODATA (AAAA of a host), 7 % MX, 6 % CNAME, 4 % TXT, 3 % outside
   * every zone (REFUSED). With {@code mixedCase} each letter of each name is upper-cased at random,
   * so nearly every line is a different query (no packet-cache hits).
   */
  static Path queryFile(Path dir, String zone, int hosts, int lines, boolean mixedCase) {
    Random rnd = new Random(5);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < lines; i++) {
      int p = rnd.nextInt(100);
      int h = 1 + rnd.nextInt(hosts);
      out.add(
          p < 35
              ? "www." + zone + " A"
              : p < 65
                  ? "host" + h + "." + zone + " A"
                  : p < 73
                      ? "nohost" + h + "." + zone + " A"
                      : p < 80
                          ? "host" + h + "." + zone + " AAAA"
                          : p < 87
                              ? zone + " MX"
                              : p < 93
                                  ? "alias" + (1 + h % 3) + "." + zone + " A"
                                  : p < 97 ? zone + " TXT" : "host" + h + ".elsewhere.test A");
    }
    if (mixedCase) { // like resolvers using 0x20 (draft-vixie-dnsext-dns0x20): few equal queries
      out.replaceAll(line -> mixCase(line, rnd));
    }
    try {
      Path f = dir.resolve("queries.txt");
      Files.write(f, out);
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
