package io.quorate.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one RRset (and an optional epoch TXT record) on a DNS server in a {@link NetnsLab}, as a
 * client would see it: every {@link #PERIOD_MS} a plain {@code dig} (UDP, no recursion) inside one
 * lab host's namespace. Run it in the server's own namespace against 127.0.0.1, and no fault rule
 * ({@link NetnsFaults} only matches {@code eth0}) ever hides the zone from it. It records every
 * read, every change of the record set and every read that returned nothing usable; the test then
 * asserts on them ("never empty", "each change audited"). One daemon thread, stopped by {@link
 * #close()}.
 */
public final class NetnsZoneWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NetnsZoneWatcher.class);

  /** Time between two queries (each query costs ~10 ms of CPU for ip-netns-exec + dig). */
  public static final long PERIOD_MS = 100;

  private static final Duration DIG_LIMIT = Duration.ofSeconds(5);
  private static final Duration STOP_LIMIT = Duration.ofSeconds(10);

  /**
   * One answer: the record values and epoch (0 without the TXT record) seen at {@code atMs}, the
   * wall-clock time the answer had arrived (so a value seen "at" t was served no later than t).
   */
  public record Observation(long atMs, Set<String> values, long epoch) {}

  /**
   * A change of the record set or of the epoch between two consecutive good observations. The
   * server made it after {@code before.atMs() - digTime} and no later than {@code after.atMs()};
   * several updates within one period show as one change (the epoch tells how many).
   */
  public record Change(Observation before, Observation after) {
    @Override
    public String toString() {
      return before.values()
          + "->"
          + after.values()
          + " epoch "
          + before.epoch()
          + "->"
          + after.epoch()
          + " by "
          + after.atMs();
    }
  }

  private final NetnsLab lab;
  private final String host;
  private final List<String> dig;
  private final String owner;
  private final String type;
  private final String epochOwner;
  private final List<Observation> empties = new ArrayList<>();
  private final List<Change> changes = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();
  private final Thread thread;
  private volatile boolean stop;
  private volatile Consumer<Change> onChange = c -> {};
  private Observation last;
  private int reads;

  private NetnsZoneWatcher(
      NetnsLab lab, String host, String server, int port, String name, String type, String epoch) {
    this.lab = lab;
    this.host = host;
    this.owner = name.toLowerCase(Locale.ROOT) + ".";
    this.type = type;
    this.epochOwner = epoch == null ? null : epoch.toLowerCase(Locale.ROOT) + ".";
    List<String> cmd = new ArrayList<>(List.of("dig", "+norec", "+time=1", "+tries=1"));
    cmd.addAll(List.of("+noall", "+comments", "+answer", "-p", Integer.toString(port)));
    cmd.addAll(List.of("@" + server, name, type));
    if (epoch != null) {
      cmd.addAll(List.of(epoch, "TXT"));
    }
    this.dig = List.copyOf(cmd);
    this.thread = new Thread(this::loop, "zone-watcher-" + name);
    thread.setDaemon(true);
  }

  /**
   * Starts watching {@code name}/{@code type} (and the TXT record {@code epochName}, or {@code
   * null}) on {@code server}:{@code port}, querying from inside {@code host}'s namespace. Returns
   * after the first good read (bounded), so {@link #current()} is defined.
   */
  public static NetnsZoneWatcher start(
      NetnsLab lab,
      String host,
      String server,
      int port,
      String name,
      String type,
      String epochName) {
    LabProcess.requireTool("dig");
    NetnsZoneWatcher w = new NetnsZoneWatcher(lab, host, server, port, name, type, epochName);
    w.thread.start();
    Poll.until(Duration.ofSeconds(10), "first answer for " + name, w::current, o -> o != null);
    return w;
  }

  /** Called on the watcher thread after each change is recorded (e.g. to collect audit logs). */
  public void onChange(Consumer<Change> hook) {
    this.onChange = hook;
  }

  private void loop() {
    while (!stop) {
      Observation o;
      try {
        o = read();
      } catch (RuntimeException e) { // e.g. an epoch that is not a number
        o = error("unreadable answer: " + e);
      }
      if (o != null) {
        Change c = record(o);
        if (c != null) {
          LOG.info("zone-watcher change {}", c);
          try {
            onChange.accept(c);
          } catch (RuntimeException e) {
            LOG.warn("zone-watcher hook failed: {}", e.toString());
          }
        }
      }
      NetnsCommands.pause(PERIOD_MS); // paces the next query of another process; not a sync
    }
  }

  private synchronized Change record(Observation o) {
    reads++;
    Change c = null;
    if (o.values().isEmpty()) {
      empties.add(o);
    }
    if (last != null && (!last.values().equals(o.values()) || last.epoch() != o.epoch())) {
      c = new Change(last, o);
      changes.add(c);
    }
    last = o;
    return c;
  }

  /** One query; null (and an error recorded) when the server gave no usable answer. */
  private Observation read() {
    LabProcess.Exec r;
    try {
      r = lab.exec(host, dig, DIG_LIMIT);
    } catch (RuntimeException e) {
      return error("dig failed: " + e.getMessage());
    }
    long at = System.currentTimeMillis();
    if (r.exitCode() != 0) {
      return error("dig exited " + r.exitCode() + ": " + r.output().strip());
    }
    List<String> statuses = new ArrayList<>();
    TreeSet<String> values = new TreeSet<>();
    long epoch = 0;
    for (String line : r.output().lines().toList()) {
      int i = line.indexOf("status: ");
      if (line.startsWith(";;") && i >= 0) {
        statuses.add(line.substring(i + 8).split(",")[0].strip());
      } else if (!line.startsWith(";") && !line.isBlank()) {
        String[] f = line.strip().split("\\s+", 5);
        if (f.length == 5 && f[0].equalsIgnoreCase(owner) && f[3].equals(type)) {
          values.add(f[4].toLowerCase(Locale.ROOT));
        } else if (f.length == 5 && f[0].equalsIgnoreCase(epochOwner) && f[3].equals("TXT")) {
          epoch = Long.parseLong(f[4].replace("\"", "").strip());
        }
      }
    }
    int expected = epochOwner == null ? 1 : 2;
    boolean answered =
        statuses.size() == expected
            && statuses.stream().allMatch(s -> s.equals("NOERROR") || s.equals("NXDOMAIN"));
    if (!answered) {
      return error("statuses " + statuses + ": " + r.output().strip());
    }
    return new Observation(at, java.util.Collections.unmodifiableSortedSet(values), epoch);
  }

  private synchronized Observation error(String what) {
    errors.add(System.currentTimeMillis() + " " + what);
    LOG.warn("zone-watcher no answer: {}", what);
    return null;
  }

  /** The latest good observation, or null before the first. */
  public synchronized Observation current() {
    return last;
  }

  /** Every change seen so far, oldest first. */
  public synchronized List<Change> changes() {
    return List.copyOf(changes);
  }

  /** Changes first seen at or after {@code sinceMs}. */
  public synchronized List<Change> changesSince(long sinceMs) {
    return changes.stream().filter(c -> c.after().atMs() >= sinceMs).toList();
  }

  /** Answers with no record of the watched type (NODATA or NXDOMAIN): must stay empty. */
  public synchronized List<Observation> empties() {
    return List.copyOf(empties);
  }

  /** Reads that returned no usable answer (timeouts, SERVFAIL, ...), with when and why. */
  public synchronized List<String> errors() {
    return List.copyOf(errors);
  }

  /** Good reads so far. */
  public synchronized int reads() {
    return reads;
  }

  /** Stops the thread (bounded wait). */
  @Override
  public void close() {
    stop = true;
    try {
      thread.join(STOP_LIMIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      throw new IllegalStateException("zone watcher did not stop within " + STOP_LIMIT);
    }
  }
}
