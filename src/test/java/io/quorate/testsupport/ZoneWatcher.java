package io.quorate.testsupport;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;

/**
 * Watches one RRset on a real DNS server from a test thread (never an event loop): every 50 ms it
 * asks, remembers each distinct answer in order, and flags any moment the name served no record.
 * Stops by itself after {@code limit}, or on {@link #close()}, which first waits for one answer to
 * a query sent after it was called: on a busy machine the watcher thread can lag behind the test,
 * and the final RRset must be in the history however late the thread got to run.
 */
public final class ZoneWatcher implements AutoCloseable {
  private final List<Set<String>> history = new CopyOnWriteArrayList<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long closeAt = Long.MAX_VALUE;

  public ZoneWatcher(int port, String name, int type, Duration limit) throws Exception {
    SimpleResolver resolver = new SimpleResolver(InetAddress.getLoopbackAddress());
    resolver.setPort(port);
    resolver.setTimeout(Duration.ofSeconds(2));
    Name n = Name.fromString(name, Name.root);
    long end = System.nanoTime() + limit.toNanos();
    thread =
        new Thread(
            () -> {
              while (running && System.nanoTime() < end) {
                try {
                  long sent = System.nanoTime();
                  Message q = Message.newQuery(Record.newRecord(n, type, DClass.IN));
                  Message r = resolver.send(q);
                  Set<String> values = new TreeSet<>();
                  for (Record rec : r.getSection(Section.ANSWER)) {
                    if (rec.getType() == type) {
                      values.add(rec.rdataToString().toLowerCase(java.util.Locale.ROOT));
                    }
                  }
                  if (r.getRcode() != Rcode.NOERROR || values.isEmpty()) {
                    problems.add("empty answer (" + Rcode.string(r.getRcode()) + ")");
                  }
                  if (history.isEmpty() || !history.get(history.size() - 1).equals(values)) {
                    history.add(values);
                  }
                  if (sent >= closeAt) {
                    return; // the answer to a query sent after close(): the last state is in
                  }
                  Thread.sleep(50); // the polling period of an observer, not synchronisation
                } catch (InterruptedException e) {
                  return;
                } catch (Exception e) {
                  if (!running) {
                    return; // close() interrupted a query in flight: not a problem of the zone
                  }
                  problems.add("query failed: " + e);
                }
              }
            },
            "zone-watcher");
    thread.setDaemon(true);
    thread.start();
  }

  /** Every distinct RRset seen, in order. */
  public List<Set<String>> history() {
    return new ArrayList<>(history);
  }

  /** Empty answers or failed queries seen; must stay empty. */
  public List<String> problems() {
    return new ArrayList<>(problems);
  }

  @Override
  public void close() throws InterruptedException {
    closeAt = System.nanoTime();
    thread.join(5_000); // one more query (2 s timeout at most) and the thread ends by itself
    running = false;
    thread.interrupt();
    thread.join(5_000);
  }
}
